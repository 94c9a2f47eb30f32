package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/members"
)

// contribTxCmds are the contribution txs: vouch, claim submit, attest.
func contribTxCmds() []*cobra.Command {
	return []*cobra.Command{newVouchCmd(), newClaimCmd(), newAttestCmd()}
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
	cmd.Flags().String("handle", "", "the candidate's handle (required on the first vouch)")
	return cmd
}

func newClaimCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "claim", Short: "Claim hours of contribution"}
	submit := &cobra.Command{
		Use:   "submit --category CATEGORY --summary TEXT (--duration D | --start T --end T)",
		Short: "Claim a time interval of work for the common good",
		Long: `Claim a work interval. --duration 1h30m claims the interval that ends at the chain's latest
block time; --start and --end (RFC 3339, e.g. 2026-11-20T09:00:00Z) give it explicitly. Other members
then have the attestation window to approve or reject it.`,
		Example: `  commonsd tx claim submit --category care --summary "Evening shift at the food bank" --duration 1h30m --from dana
  commonsd tx claim submit --category code --summary "Fixed the sync bug" --start 2026-11-20T09:00:00Z --end 2026-11-20T11:00:00Z \
      --evidence https://example.org/pr/12#9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 --from dana`,
		Args: cobra.NoArgs,
		RunE: runClaimSubmit,
	}
	f := submit.Flags()
	f.String("category", "", "category of the work (see `commonsd query params`)")
	f.String("summary", "", "what was done, in a sentence")
	f.Duration("duration", 0, "length of the interval ending at the latest block time, e.g. 1h30m")
	f.String("start", "", "interval start, RFC 3339")
	f.String("end", "", "interval end (exclusive), RFC 3339")
	f.StringArray("evidence", nil, "evidence URI, optionally followed by #<sha256 hex> of the content; repeatable")
	cmd.AddCommand(submit)
	return cmd
}

func runClaimSubmit(cmd *cobra.Command, _ []string) error {
	f := cmd.Flags()
	category, _ := f.GetString("category")
	summary, _ := f.GetString("summary")
	if category == "" {
		return fmt.Errorf("--category is required (see `commonsd query params` for the categories)")
	}
	start, end, err := claimInterval(cmd)
	if err != nil {
		return err
	}
	evs, _ := f.GetStringArray("evidence")
	msg := &claims.MsgSubmitClaim{Start: start.Unix(), End: end.Unix(), Category: category, Summary: summary}
	for _, e := range evs {
		ev, err := parseEvidence(e)
		if err != nil {
			return err
		}
		msg.Evidence = append(msg.Evidence, ev)
	}
	return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: msg}})
}

// claimInterval reads --duration or --start/--end. "Now" is the chain's latest block time, so the
// claim is valid in the next block whatever the client's clock says.
func claimInterval(cmd *cobra.Command) (time.Time, time.Time, error) {
	f := cmd.Flags()
	d, _ := f.GetDuration("duration")
	s, _ := f.GetString("start")
	e, _ := f.GetString("end")
	switch {
	case d > 0 && (s != "" || e != ""):
		return time.Time{}, time.Time{}, fmt.Errorf("give either --duration or --start/--end, not both")
	case d > 0:
		c, err := newClient(cmd)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		st, err := c.Status(context.Background())
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		end := st.SyncInfo.LatestBlockTime.UTC().Truncate(time.Second)
		return end.Add(-d.Truncate(time.Second)), end, nil
	case s != "" && e != "":
		start, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("--start %q: use RFC 3339, e.g. 2026-11-20T09:00:00Z", s)
		}
		end, err := time.Parse(time.RFC3339, e)
		if err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("--end %q: use RFC 3339, e.g. 2026-11-20T11:00:00Z", e)
		}
		if !end.After(start) {
			return time.Time{}, time.Time{}, fmt.Errorf("--end %s is not after --start %s", e, s)
		}
		return start, end, nil
	default:
		return time.Time{}, time.Time{}, fmt.Errorf("give the interval: --duration 1h30m (ending now) or --start and --end")
	}
}

// parseEvidence reads "uri" or "uri#<sha256 as 64 hex characters>". A '#' followed by anything
// else is part of the URI (a fragment).
func parseEvidence(s string) (*claims.Evidence, error) {
	if s == "" {
		return nil, fmt.Errorf("--evidence needs a URI, optionally followed by #<sha256 hex>")
	}
	if i := strings.LastIndex(s, "#"); i >= 0 && len(s)-i-1 == 64 {
		if h, err := hex.DecodeString(s[i+1:]); err == nil {
			return &claims.Evidence{Uri: s[:i], Sha256: h}, nil
		}
	}
	return &claims.Evidence{Uri: s}, nil
}

func newAttestCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "attest CLAIM-ID approve|reject [--note TEXT] --from KEY",
		Short:   "Approve or reject another member's claim while its attestation window is open",
		Example: `  commonsd tx attest 1 approve --note "I was on the same shift" --from bob`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("claim id %q: expected a number such as 12", args[0])
			}
			var v claims.Verdict
			switch strings.ToLower(args[1]) {
			case "approve", "yes":
				v = claims.Verdict_VERDICT_APPROVE
			case "reject", "no":
				v = claims.Verdict_VERDICT_REJECT
			default:
				return fmt.Errorf("verdict %q: use approve or reject", args[1])
			}
			note, _ := cmd.Flags().GetString("note")
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: id, Verdict: v, Note: note}}})
		},
	}
	cmd.Flags().String("note", "", "optional note explaining the verdict")
	return cmd
}
