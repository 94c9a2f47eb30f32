package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/members"
)

// The disputes module's commands: `tx dispute open|vote|appeal`, `query dispute` and `query disputes`.

func disputesTxCmds() []*cobra.Command { return []*cobra.Command{newDisputeCmd()} }

func disputesQueryCmds() []*cobra.Command {
	return []*cobra.Command{newQueryDisputeCmd(), newQueryDisputesCmd()}
}

func newDisputeCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "dispute", Short: "Dispute a verified claim, vote as a juror, or appeal a decision"}
	open := &cobra.Command{
		Use:   "open CLAIM-ID --reason TEXT --from KEY",
		Short: "Dispute a VERIFIED claim within the dispute window of its finalisation",
		Long: `Open a dispute on another member's VERIFIED claim. A jury is drawn at the end of the next
block from the members who neither made, attested nor vouched for the claimant, nor opened the dispute;
see the jurors with ` + "`commonsd query dispute ID`" + `.`,
		Example: `  commonsd tx dispute open 12 --reason "The food bank was closed that evening" --from erin`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseClaimID(args[0])
			if err != nil {
				return err
			}
			reason, _ := cmd.Flags().GetString("reason")
			if reason == "" {
				return fmt.Errorf("--reason is required: say why the claim should not stand")
			}
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_OpenDispute{OpenDispute: &disputes.MsgOpenDispute{ClaimId: id, Reason: reason}}})
		},
	}
	open.Flags().String("reason", "", "`TEXT` saying why the claim should not stand")
	vote := &cobra.Command{
		Use:     "vote DISPUTE-ID uphold|dismiss [--note TEXT] --from KEY",
		Short:   "Vote on a dispute whose jury you were drawn for, before its deadline",
		Example: `  commonsd tx dispute vote 3 dismiss --note "The rota shows the shift" --from frank`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseDisputeID(args[0])
			if err != nil {
				return err
			}
			v, ok := parseJuryVote(args[1])
			if !ok {
				return fmt.Errorf("vote %q: use uphold or dismiss", args[1])
			}
			note, _ := cmd.Flags().GetString("note")
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_JuryVote{JuryVote: &disputes.MsgJuryVote{DisputeId: id, Vote: v, Note: note}}})
		},
	}
	vote.Flags().String("note", "", "optional `TEXT` explaining the vote")
	appeal := &cobra.Command{
		Use:   "appeal DISPUTE-ID --from KEY",
		Short: "Appeal a decided dispute you lost, once, within the appeal window",
		Long: `Appeal a dispute's first decision: the claimant may appeal an UPHELD dispute, the disputant a
DISMISSED one, once, before its appeal deadline (see ` + "`commonsd query dispute ID`" + `). A jury of
2 × jury_size + 1 that excludes the first jury is drawn at the end of the next block; its decision is final.`,
		Example: `  commonsd tx dispute appeal 3 --from dana`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseDisputeID(args[0])
			if err != nil {
				return err
			}
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_Appeal{Appeal: &disputes.MsgAppeal{DisputeId: id}}})
		},
	}
	cmd.AddCommand(open, vote, appeal)
	return cmd
}

func parseJuryVote(s string) (disputes.JuryVote, bool) {
	return core.ParseEnum(strings.ToLower(s), disputes.VoteName, disputes.JuryVote_JURY_VOTE_UPHOLD, disputes.JuryVote_JURY_VOTE_DISMISS)
}

func parseDisputeStatus(s string) (disputes.DisputeStatus, bool) {
	return core.ParseEnum(strings.ToLower(s), disputes.StatusName, disputes.DisputeStatus_DISPUTE_STATUS_OPEN,
		disputes.DisputeStatus_DISPUTE_STATUS_VOTING, disputes.DisputeStatus_DISPUTE_STATUS_UPHELD, disputes.DisputeStatus_DISPUTE_STATUS_DISMISSED,
		disputes.DisputeStatus_DISPUTE_STATUS_APPEALED)
}

func parseDisputeID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("dispute id %q: expected a number such as 3", s)
	}
	return id, nil
}

// writeDispute writes d as text. name renders a member address (memberNames: its handle); nil
// keeps addresses as they are.
func writeDispute(w io.Writer, d *disputes.Dispute, name func(string) string) {
	if name == nil {
		name = func(a string) string { return a }
	}
	names := func(addrs []string) string {
		out := make([]string, len(addrs))
		for i, a := range addrs {
			out[i] = name(a)
		}
		return strings.Join(out, ", ")
	}
	fmt.Fprintf(w, "dispute %d: %s, on claim %d by %s\n  disputant: %s, opened %s\n  reason:    %s\n",
		d.Id, disputes.StatusName(d.Status), d.ClaimId, name(d.Claimant), name(d.Disputant), formatTimeOrDash(d.OpenedAt), d.Reason)
	if d.Appellant != "" {
		fmt.Fprintf(w, "  first:     %s at %s: %s (%d uphold, %d dismiss; jury %s)\n  appealed:  by %s at %s\n",
			disputes.StatusName(d.FirstOutcome), formatTimeOrDash(d.FirstDecidedAt), d.FirstReason, d.FirstUphold, d.FirstDismiss,
			names(d.FirstJurors), name(d.Appellant), formatTimeOrDash(d.AppealedAt))
	}
	if len(d.Jurors) > 0 {
		fmt.Fprintf(w, "  jury:      %s (round %d)\n  votes:     %d uphold, %d dismiss; voting closes %s\n",
			names(d.Jurors), d.Round, d.Uphold, d.Dismiss, formatTimeOrDash(d.Deadline))
	}
	if !disputes.InProgress(d.Status) {
		fmt.Fprintf(w, "  decided:   %s at %s (height %d): %s\n", disputes.StatusName(d.Status), formatTimeOrDash(d.DecidedAt), d.DecidedHeight, d.OutcomeReason)
		switch {
		case d.Final:
			fmt.Fprintln(w, "  final:     yes")
		case d.AppealDeadline != 0:
			fmt.Fprintf(w, "  appeal:    the losing side may appeal until %s\n", formatTimeOrDash(d.AppealDeadline))
		}
	}
}

// memberNames names every address the text of res shows by its member handle (handleNames; at
// most a few dozen queries). -o json keeps addresses.
func memberNames(cmd *cobra.Command, res *disputes.DisputeWithVotes) func(string) string {
	d := res.Dispute
	addrs := append([]string{d.Claimant, d.Disputant, d.Appellant}, d.FirstJurors...)
	addrs = append(addrs, d.Jurors...)
	for _, v := range res.Votes {
		addrs = append(addrs, v.Juror)
	}
	return handleNames(cmd, addrs)
}

// handleNames looks up the member handle of each of addrs (one query per distinct address) and
// returns a function naming an address by its handle; an address that is not a member, or whose
// lookup fails, stays an address.
func handleNames(cmd *cobra.Command, addrs []string) func(string) string {
	handles := map[string]string{}
	for _, a := range addrs {
		if _, done := handles[a]; done || a == "" {
			continue
		}
		handles[a] = a
		var m members.QueryMemberResponse
		if _, err := query(cmd, "/members/member/"+a, nil, &m); err == nil && m.Exists && m.Member.Handle != "" {
			handles[a] = m.Member.Handle
		}
	}
	return func(a string) string {
		if h, ok := handles[a]; ok {
			return h
		}
		return a
	}
}

func newQueryDisputeCmd() *cobra.Command {
	return &cobra.Command{
		Use: "dispute ID", Short: "Show a dispute with its jury and votes (members by handle; -o json for addresses)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseDisputeID(args[0])
			if err != nil {
				return err
			}
			if ok, err := printAPI(cmd, "/disputes/"+strconv.FormatUint(id, 10), nil); ok {
				return err
			}
			var res disputes.DisputeWithVotes
			if _, err := query(cmd, "/disputes/dispute/"+strconv.FormatUint(id, 10), nil, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				name := memberNames(cmd, &res)
				writeDispute(w, res.Dispute, name)
				for _, v := range res.Votes {
					fmt.Fprintf(w, "  voted:     %s by %s (round %d) at %s", disputes.VoteName(v.Vote), name(v.Juror), v.Round, formatTimeOrDash(v.Time))
					if v.Note != "" {
						fmt.Fprintf(w, ": %q", v.Note)
					}
					fmt.Fprintln(w)
				}
			})
		},
	}
}

func newQueryDisputesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use: "disputes", Short: "List disputes, newest first, with filters", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if params, err := listParams(cmd, "status", "claim", "juror"); err != nil {
				return err
			} else if ok, err := printAPI(cmd, "/disputes", params); ok {
				return err
			}
			f := cmd.Flags()
			req := &disputes.QueryDisputesRequest{}
			if st, _ := f.GetString("status"); st != "" {
				var ok bool
				if req.Status, ok = parseDisputeStatus(st); !ok {
					return fmt.Errorf("--status %q: use open, voting, upheld or dismissed", st)
				}
			}
			if v, _ := f.GetString("juror"); v != "" {
				var err error
				if req.Juror, err = resolveAddress(cmd, v); err != nil {
					return fmt.Errorf("--juror: %w", err)
				}
			}
			req.ClaimId, _ = f.GetUint64("claim")
			req.Offset, _ = f.GetUint64("offset")
			req.Limit, _ = f.GetUint64("limit")
			var res disputes.QueryDisputesResponse
			if _, err := query(cmd, "/disputes/disputes", req, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				fmt.Fprintf(w, "%d matching\n", res.Total)
				for _, d := range res.Disputes {
					writeDispute(w, d, nil)
				}
			})
		},
	}
	f := cmd.Flags()
	f.String("status", "", "only disputes of this `STATUS`: open, voting, upheld or dismissed")
	f.Uint64("claim", 0, "only disputes of this claim `ID`")
	f.String("juror", "", "only disputes with this `ADDRESS|KEY` on a jury")
	pageFlags(f, 20, disputes.MaxLimit)
	return cmd
}
