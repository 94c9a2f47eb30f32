package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// The members module's commands: `tx vouch`, `query member`, `query members` and `query record`.

func membersTxCmds() []*cobra.Command { return []*cobra.Command{newVouchCmd()} }

func membersQueryCmds() []*cobra.Command {
	return []*cobra.Command{newQueryMemberCmd(), newQueryMembersCmd(), newQueryRecordCmd()}
}

func newVouchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vouch ADDRESS|KEY --handle HANDLE --from KEY",
		Short: "Vouch for a candidate; it becomes a member once enough active members have vouched",
		Long: `Vouch for a candidate member. The first vouch sets the candidate's handle (3–32 characters of
a-z, 0-9 and '-'); later vouches must repeat it or omit it. Only active members vouch, and each
member may vouch at most once per vouch_cooldown.`,
		Example: "  commonsd tx vouch dana --handle dana --from alice",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			to, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			handle, _ := cmd.Flags().GetString("handle")
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: to, Handle: handle}}})
		},
	}
	cmd.Flags().String("handle", "", "the candidate's `HANDLE` (required on the first vouch)")
	return cmd
}

func writeMember(w io.Writer, m *members.Member) {
	fmt.Fprintf(w, "address:  %s\nhandle:   %s\nstatus:   %s\njoined:   %s\nvouchers: %s\n",
		m.Address, m.Handle, members.StatusName(m.Status), formatTimeOrDash(m.JoinedAt), strings.Join(m.Vouchers, ", "))
	if m.Status == members.MemberStatus_MEMBER_STATUS_SUSPENDED {
		fmt.Fprintf(w, "suspended until %s\n", core.FormatTime(m.SuspendedUntil))
	}
}

func newQueryMemberCmd() *cobra.Command {
	return &cobra.Command{
		Use: "member ADDRESS|KEY", Short: "Show a member or candidate", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			if ok, err := printAPI(cmd, "/members/"+addr, nil); ok {
				return err
			}
			var res members.QueryMemberResponse
			if _, err := query(cmd, "/members/member/"+addr, nil, &res); err != nil {
				return err
			}
			if !res.Exists {
				return fmt.Errorf("%s is not a member or candidate; active members admit it with `commonsd tx vouch`", addr)
			}
			return printOut(cmd, res.Member, func(w io.Writer) { writeMember(w, res.Member) })
		},
	}
}

func newQueryMembersCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use: "members", Short: "List members by handle", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if params, err := listParams(cmd, "handle", "status"); err != nil {
				return err
			} else if ok, err := printAPI(cmd, "/members", params); ok {
				return err
			}
			f := cmd.Flags()
			req := &members.QueryMembersRequest{}
			req.HandlePrefix, _ = f.GetString("handle")
			req.Offset, _ = f.GetUint64("offset")
			req.Limit, _ = f.GetUint64("limit")
			if st, _ := f.GetString("status"); st != "" {
				var ok bool
				if req.Status, ok = members.ParseStatus(strings.ToLower(st)); !ok {
					return fmt.Errorf("--status %q: use active, candidate or suspended", st)
				}
			}
			var res members.QueryMembersResponse
			if _, err := query(cmd, "/members/members", req, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				fmt.Fprintf(w, "%d matching\n", res.Total)
				for _, m := range res.Members {
					fmt.Fprintf(w, "%-20s %-10s %s\n", m.Handle, members.StatusName(m.Status), m.Address)
				}
			})
		},
	}
	f := cmd.Flags()
	f.String("handle", "", "only handles starting with this `PREFIX`")
	f.String("status", "", "only members of this `STATUS`: active, candidate or suspended")
	pageFlags(f, 50, members.MaxLimit)
	return cmd
}

func newQueryRecordCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "record ADDRESS|KEY",
		Short: "Show a member's public record: claims verified and reversed, approvals, jury service, strikes, suspension",
		Long: `Show a member's public record (design §8): their claims verified and reversed, the approvals
they gave and how many were on claims later reversed, the disputes they opened and how they ended,
their jury service and no-shows, their strikes (those within strike_window count towards a
suspension) and any debt from reversed claims.`,
		Example: "  commonsd query record alice\n  commonsd query record commons1… -o json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			if ok, err := printAPI(cmd, "/members/"+addr, nil); ok {
				return err
			}
			var res app.QueryRecordResponse
			if _, err := query(cmd, "/app/record/"+addr, nil, &res); err != nil {
				return err
			}
			if !res.Exists {
				return fmt.Errorf("%s is not a member or candidate, so it has no record", addr)
			}
			return printOut(cmd, &res, func(w io.Writer) { writeRecord(w, &res) })
		},
	}
}

func writeRecord(w io.Writer, r *app.QueryRecordResponse) {
	m, c, d := r.Member, r.Claims, r.Disputes
	fmt.Fprintf(w, "member:    %s (%s), %s\n", m.Handle, m.Address, members.StatusName(m.Status))
	if m.Status == members.MemberStatus_MEMBER_STATUS_SUSPENDED {
		fmt.Fprintf(w, "suspended: until %s\n", core.FormatTime(m.SuspendedUntil))
	}
	fmt.Fprintf(w, "claims:    %d verified (%s), %d reversed (%s)\n", c.Verified, core.FormatAmount(c.VerifiedUhours), c.Reversed, core.FormatAmount(c.ReversedUhours))
	fmt.Fprintf(w, "verdicts:  %s given (%d on claims later reversed), %s\n", plural(c.ApprovalsGiven, "approval"), c.ApprovalsReversed, plural(c.RejectionsGiven, "rejection"))
	fmt.Fprintf(w, "disputes:  %d opened: %d upheld, %d dismissed\n", d.DisputesOpened, d.DisputesUpheld, d.DisputesDismissed)
	fmt.Fprintf(w, "jury:      %s: %d voted, %s\n", plural(d.JurySeats, "seat"), d.JuryVotes, plural(d.JuryNoShows, "no-show"))
	fmt.Fprintf(w, "strikes:   %d active, %d ever; suspended %s\n", r.ActiveStrikes, m.Strikes, plural(m.Suspensions, "time"))
	for _, s := range r.Strikes {
		fmt.Fprintf(w, "  strike:  %s as %s of claim %d (dispute %d)\n", core.FormatTime(s.Time),
			core.EnumName(s.Role, "STRIKE_ROLE_"), s.ClaimId, s.DisputeId)
	}
	if r.Debt > 0 {
		fmt.Fprintf(w, "debt:      %s\n", core.FormatAmount(r.Debt))
	}
}
