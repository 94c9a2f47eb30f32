package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/projects"
)

// The projects module's commands: `tx projects create|distribute`, `query project`, `query
// projects`, `query distributions` and `query project-shares`.

func projectsTxCmds() []*cobra.Command { return []*cobra.Command{newProjectsCmd()} }

func projectsQueryCmds() []*cobra.Command {
	return []*cobra.Command{newQueryProjectCmd(), newQueryProjectsCmd(), newQueryDistributionsCmd(), newQueryProjectSharesCmd()}
}

func newProjectsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "projects", Short: "Create a project, or distribute its account among its contributors"}
	create := &cobra.Command{
		Use:   "create HANDLE --name TEXT [--steward ADDRESS|KEY]... --from KEY",
		Short: "Create a project with an account anyone may pay into; you and the listed stewards distribute it",
		Long: `Create a project. Its account (shown by ` + "`commonsd query project HANDLE`" + `) is derived from the
project's id; nobody holds its key, so anyone may pay into it with ` + "`commonsd tx transfer`" + ` and it pays
out only by distributions. Members tag their claims with the handle (` + "`tx claim submit --project`" + `).`,
		Example: `  commonsd tx projects create garden --name "Community garden" --steward erin --from dana`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, _ := cmd.Flags().GetString("name")
			if name == "" {
				return fmt.Errorf("--name is required")
			}
			msg := &projects.MsgCreateProject{Handle: args[0], Name: name}
			stewards, _ := cmd.Flags().GetStringArray("steward")
			for _, s := range stewards {
				addr, err := resolveAddress(cmd, s)
				if err != nil {
					return fmt.Errorf("--steward: %w", err)
				}
				msg.Stewards = append(msg.Stewards, addr)
			}
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_CreateProject{CreateProject: msg}})
		},
	}
	create.Flags().String("name", "", "the project's `TEXT` name")
	create.Flags().StringArray("steward", nil, "another steward's `ADDRESS|KEY` (an active member); repeatable")
	distribute := &cobra.Command{
		Use:   "distribute HANDLE --start TIME --end TIME --from KEY",
		Short: "Split the project's account among the claimants of its claims verified in [start, end)",
		Long: `Distribute the project's whole balance (after demurrage) among the members whose claims tagged with
the project were VERIFIED in [start, end), in proportion to their hours, exactly: each gets the floor of
its share and the micro-hours left go to the largest remainders (ties by address). The period must have
ended and must not overlap a period distributed before. Preview it with ` + "`commonsd query project-shares`" + `.`,
		Example: `  commonsd tx projects distribute garden --start 2026-11-01T00:00:00Z --end 2026-12-01T00:00:00Z --from dana`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			from, to, err := periodFlags(cmd, "start", "end")
			if err != nil {
				return err
			}
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_Distribute{Distribute: &projects.MsgDistribute{Project: args[0], From: from, To: to}}})
		},
	}
	distribute.Flags().String("start", "", "period start (inclusive), an RFC 3339 `TIME`")
	distribute.Flags().String("end", "", "period end (exclusive), an RFC 3339 `TIME`")
	cmd.AddCommand(create, distribute)
	return cmd
}

// periodFlags reads a period [from, to) from two RFC 3339 flags.
func periodFlags(cmd *cobra.Command, fromFlag, toFlag string) (from, to int64, err error) {
	var ts [2]int64
	for i, name := range []string{fromFlag, toFlag} {
		s, _ := cmd.Flags().GetString(name)
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return 0, 0, fmt.Errorf("--%s %q: give an RFC 3339 time, e.g. 2026-11-01T00:00:00Z", name, s)
		}
		ts[i] = t.Unix()
	}
	if ts[1] <= ts[0] {
		return 0, 0, fmt.Errorf("--%s is not after --%s", toFlag, fromFlag)
	}
	return ts[0], ts[1], nil
}

func writeProject(w io.Writer, p *projects.Project) {
	fmt.Fprintf(w, "project %s (%d): %s\n  account:   %s\n  stewards:  %v\n  created:   %s by %s\n  paid out:  %s in %s\n",
		p.Handle, p.Id, p.Name, p.Account, p.Stewards, formatTimeOrDash(p.CreatedAt), p.Creator,
		core.FormatAmount(p.Distributed), plural(p.Distributions, "distribution"))
}

// writeShares writes contributors by handle (-o json keeps addresses).
func writeShares(cmd *cobra.Command, w io.Writer, shares []*projects.Share) {
	addrs := make([]string, len(shares))
	for i, s := range shares {
		addrs[i] = s.Address
	}
	name := handleNames(cmd, addrs)
	for _, s := range shares {
		fmt.Fprintf(w, "  %s  %s  %d ppm\n", name(s.Address), core.FormatAmount(s.Uhours), s.Ppm)
	}
}

func newQueryProjectCmd() *cobra.Command {
	return &cobra.Command{
		Use: "project HANDLE", Short: "Show a project: its account's balance, stewards and contributors of all time", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var res projects.ProjectView
			if _, err := query(cmd, "/projects/project/"+args[0], nil, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				writeProject(w, res.Project)
				fmt.Fprintf(w, "  balance:   %s\n  contributors (verified hours, share):\n", core.FormatAmount(res.Balance))
				writeShares(cmd, w, res.Contributors)
				if res.ContributorsTruncated {
					fmt.Fprintln(w, "  … more than max_distribution_claims claims: see query project-shares for a period")
				}
			})
		},
	}
}

func newQueryProjectsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use: "projects", Short: "List projects in the order they were created", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			req := &projects.QueryProjectsRequest{}
			req.Offset, _ = cmd.Flags().GetUint64("offset")
			req.Limit, _ = cmd.Flags().GetUint64("limit")
			var res projects.QueryProjectsResponse
			if _, err := query(cmd, "/projects/projects", req, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				fmt.Fprintf(w, "%s\n", plural(res.Total, "project"))
				for _, p := range res.Projects {
					writeProject(w, p)
				}
			})
		},
	}
	pageFlags(cmd.Flags(), 20, projects.MaxLimit)
	return cmd
}

func newQueryDistributionsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use: "distributions HANDLE", Short: "List a project's distributions, newest period first, with each payout", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := &projects.QueryDistributionsRequest{}
			req.Offset, _ = cmd.Flags().GetUint64("offset")
			req.Limit, _ = cmd.Flags().GetUint64("limit")
			var res projects.QueryDistributionsResponse
			if _, err := query(cmd, "/projects/distributions/"+args[0], req, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				fmt.Fprintf(w, "%s\n", plural(res.Total, "distribution"))
				for _, d := range res.Distributions {
					fmt.Fprintf(w, "distribution %d of %s: [%s, %s), %s by %s at %s\n", d.Id, d.Project,
						core.FormatTime(d.From), core.FormatTime(d.To), core.FormatAmount(d.Total), d.Steward, formatTimeOrDash(d.Time))
					addrs := make([]string, len(d.Payouts))
					for i, p := range d.Payouts {
						addrs[i] = p.Address
					}
					name := handleNames(cmd, addrs)
					for _, p := range d.Payouts {
						fmt.Fprintf(w, "  %s  %s  paid %s\n", name(p.Address), core.FormatAmount(p.Uhours), core.FormatAmount(p.Amount))
					}
				}
			})
		},
	}
	pageFlags(cmd.Flags(), 20, projects.MaxLimit)
	return cmd
}

func newQueryProjectSharesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "project-shares HANDLE --from TIME --to TIME",
		Short: "Each contributor's verified hours in [from, to) and share in parts per million (summing to 1,000,000)",
		Long: `The split a distribution of [from, to) would make, in parts per million of the whole: for sharing
revenue earned outside the chain. Periods are of verification times; the same largest-remainder rule as
distributions makes the shares sum to exactly 1,000,000.`,
		Example: `  commonsd query project-shares garden --from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			from, to, err := periodFlags(cmd, "from", "to")
			if err != nil {
				return err
			}
			var res projects.QuerySharesResponse
			if _, err := query(cmd, "/projects/shares/"+args[0], &projects.QuerySharesRequest{From: from, To: to}, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				fmt.Fprintf(w, "%s in [%s, %s): %s hours in %s\n", res.Project, core.FormatTime(res.From), core.FormatTime(res.To),
					core.FormatHours(res.Uhours), plural(res.Claims, "verified claim"))
				writeShares(cmd, w, res.Shares)
			})
		},
	}
	cmd.Flags().String("from", "", "period start (inclusive), an RFC 3339 `TIME`")
	cmd.Flags().String("to", "", "period end (exclusive), an RFC 3339 `TIME`")
	return cmd
}
