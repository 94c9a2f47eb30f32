package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// The claims module's commands: `tx claim submit`, `tx attest`, `query claim` and `query claims`.

func claimsTxCmds() []*cobra.Command { return []*cobra.Command{newClaimCmd(), newAttestCmd()} }

func claimsQueryCmds() []*cobra.Command {
	return []*cobra.Command{newQueryClaimCmd(), newQueryClaimsCmd()}
}

func newClaimCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "claim", Short: "Claim hours of contribution"}
	submit := &cobra.Command{
		Use:   "submit --category CATEGORY (--summary TEXT | --summary-file FILE) (--duration LENGTH | --start TIME --end TIME)",
		Short: "Claim a time interval of work for the common good",
		Long: `Claim a work interval. --duration 1h30m claims the interval that ends at the chain's latest
block time; --start and --end (RFC 3339, e.g. 2026-11-20T09:00:00Z) give it explicitly. Other members
then have the attestation window to approve or reject it.

--private-summary hashes the summary here and sends only its SHA-256: the text never reaches the
chain, and attestors must get it from you off-chain. An --evidence item may be a hash alone
(sha256:<hex>) for evidence you show attestors privately. --countersigned FILE attaches the
beneficiary's countersignature (see commonsd claim --help); the claim must be the one they signed.
See docs/privacy.md.`,
		Example: `  commonsd tx claim submit --category care --summary "Evening shift at the food bank" --duration 1h30m --from dana
  commonsd tx claim submit --category code --summary "Fixed the sync bug" --start 2026-11-20T09:00:00Z --end 2026-11-20T11:00:00Z \
      --evidence https://example.org/pr/12#9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 --from dana
  commonsd tx claim submit --category care --summary "Night shift with Mrs K." --private-summary \
      --start 2026-11-20T20:00:00Z --end 2026-11-21T02:00:00Z --countersigned cs.json --from carol`,
		Args: cobra.NoArgs,
		RunE: runClaimSubmit,
	}
	f := submit.Flags()
	f.String("category", "", "`CATEGORY` of the work (see commonsd query params)")
	summaryFlags(f)
	f.Bool("private-summary", false, "send only the SHA-256 of the summary; attestors see the text off-chain")
	f.String("countersigned", "", "attach the beneficiary's countersignature from `FILE` (commonsd claim countersign)")
	f.Duration("duration", 0, "`LENGTH` of the interval ending at the latest block time, e.g. 1h30m")
	f.String("start", "", "interval start, an RFC 3339 `TIME`")
	f.String("end", "", "interval end (exclusive), an RFC 3339 `TIME`")
	f.String("project", "", "`HANDLE` of the project the work was for (see commonsd query projects)")
	f.StringArray("evidence", nil, "evidence `URI`, optionally followed by #<sha256 hex> of the content, or sha256:<hex> alone for private evidence; repeatable")
	withdraw := &cobra.Command{
		Use:   "withdraw CLAIM-ID --from KEY",
		Short: "Withdraw your own pending claim (a mistake): it is rejected at once and nothing is minted",
		Long: `Withdraw one of your own PENDING claims. It is settled REJECTED at once and marked withdrawn; its
interval is free to claim again, correctly, as a rejected claim's is (a withdrawal counts towards
max_reclaims, like a rejection).`,
		Example: `  commonsd tx claim withdraw 12 --from dana`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseClaimID(args[0])
			if err != nil {
				return err
			}
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_WithdrawClaim{WithdrawClaim: &claims.MsgWithdrawClaim{ClaimId: id}}})
		},
	}
	cmd.AddCommand(submit, withdraw)
	return cmd
}

func runClaimSubmit(cmd *cobra.Command, _ []string) error {
	f := cmd.Flags()
	category, _ := f.GetString("category")
	if category == "" {
		return fmt.Errorf("--category is required (see `commonsd query params` for the categories)")
	}
	summary, err := summaryText(cmd)
	if err != nil {
		return err
	}
	start, end, err := claimInterval(cmd)
	if err != nil {
		return err
	}
	evs, _ := f.GetStringArray("evidence")
	project, _ := f.GetString("project")
	msg := &claims.MsgSubmitClaim{Start: start.Unix(), End: end.Unix(), Category: category, Summary: summary, Project: project}
	if private, _ := f.GetBool("private-summary"); private {
		msg.Summary, msg.SummaryHash = "", claims.SummaryHashOf(summary, nil)
	}
	for _, e := range evs {
		ev, err := parseEvidence(e)
		if err != nil {
			return err
		}
		msg.Evidence = append(msg.Evidence, ev)
	}
	if path, _ := f.GetString("countersigned"); path != "" {
		if msg.Countersignature, err = countersignatureFor(cmd, path, msg); err != nil {
			return err
		}
	}
	return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: msg}})
}

// countersignatureFor loads the countersignature in path and checks, before anything is sent, that
// it is for msg as --from will submit it on this chain.
func countersignatureFor(cmd *cobra.Command, path string, msg *claims.MsgSubmitClaim) (*claims.Countersignature, error) {
	signed, cs, err := loadCountersignature(path)
	if err != nil {
		return nil, err
	}
	from, _ := cmd.Flags().GetString("from")
	claimant, err := resolveAddress(cmd, from)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	chainID, _ := cmd.Flags().GetString(flagChainID)
	if chainID == "" {
		c, err := newClient(cmd)
		if err != nil {
			return nil, err
		}
		if chainID, err = chainIDOf(context.Background(), cmd, c); err != nil {
			return nil, err
		}
	}
	if diff := statementMismatch(signed, claims.StatementOf(chainID, claimant, msg)); diff != "" {
		return nil, fmt.Errorf("--countersigned %s was signed for another claim: %s; submit exactly the claim the beneficiary signed, "+
			"or have them countersign this one", path, diff)
	}
	return cs, nil
}

// claimInterval reads --duration or --start/--end. "Now" is the time of the last block the app
// committed (Client.AppBlockTime), so the claim is valid in the next block whatever the client's
// clock says.

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
		now, err := c.AppBlockTime(context.Background())
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		end := now.UTC().Truncate(time.Second)
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
		return nil, fmt.Errorf("--evidence needs a URI, optionally followed by #<sha256 hex>, or sha256:<hex> alone")
	}
	if h, ok := strings.CutPrefix(s, "sha256:"); ok {
		bz, err := hex.DecodeString(h)
		if err != nil || len(bz) != 32 {
			return nil, fmt.Errorf("--evidence %q: sha256: takes the 64 hex characters of a SHA-256", s)
		}
		return &claims.Evidence{Sha256: bz}, nil
	}
	if i := strings.LastIndex(s, "#"); i >= 0 && len(s)-i-1 == 64 {
		if h, err := hex.DecodeString(s[i+1:]); err == nil {
			return &claims.Evidence{Uri: s[:i], Sha256: h}, nil
		}
	}
	return &claims.Evidence{Uri: s}, nil
}

// verdictAliases are the other words `tx attest` takes for a verdict.
var verdictAliases = map[string]string{"yes": "approve", "no": "reject"}

func newAttestCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "attest CLAIM-ID approve|reject [--note TEXT] --from KEY",
		Short:   "Approve or reject another member's claim while its attestation window is open",
		Example: `  commonsd tx attest 1 approve --note "I was on the same shift" --from bob`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseClaimID(args[0])
			if err != nil {
				return err
			}
			name := strings.ToLower(args[1])
			if alias, ok := verdictAliases[name]; ok {
				name = alias
			}
			v, ok := claims.ParseVerdict(name)
			if !ok {
				return fmt.Errorf("verdict %q: use approve or reject", args[1])
			}
			note, _ := cmd.Flags().GetString("note")
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: id, Verdict: v, Note: note}}})
		},
	}
	cmd.Flags().String("note", "", "optional `TEXT` explaining the verdict")
	return cmd
}

func parseClaimID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("claim id %q: expected a number such as 12", s)
	}
	return id, nil
}

func writeClaim(w io.Writer, c *claims.Claim) {
	summary := c.Summary
	if len(c.SummaryHash) > 0 {
		summary = fmt.Sprintf("private (sha256 %x)", c.SummaryHash)
	}
	fmt.Fprintf(w, "claim %d: %s, %s of %s by %s\n  interval:  %s\n  summary:   %s\n  approvals: %d, rejections: %d; window closes %s\n",
		c.Id, claims.StatusName(c.Status), core.FormatAmount(claims.MintedFor(c.Start, c.End)), c.Category, c.Claimant,
		core.FormatInterval(c.Start, c.End), summary, c.Approvals, c.Rejections, formatTimeOrDash(c.Deadline))
	if b := c.Beneficiary; b != nil {
		fmt.Fprintf(w, "  countersigned by beneficiary %s (key %X)\n", b.BeneficiaryAddress(), b.PubKey)
	}
	if claims.Minted(c.Status) {
		fmt.Fprintf(w, "  minted:    %s\n", core.FormatAmount(c.Minted))
	}
	if c.Project != "" {
		fmt.Fprintf(w, "  project:   %s\n", c.Project)
	}
	if len(c.Reviewers) > 0 {
		fmt.Fprintf(w, "  reviewers: %s (%d approved)\n", strings.Join(c.Reviewers, ", "), c.ReviewerApprovals)
	}
	if c.OutcomeReason != "" {
		fmt.Fprintf(w, "  why:       %s\n", c.OutcomeReason)
	}
	if r := c.Reversal; r != nil {
		fmt.Fprintf(w, "  reversed:  by dispute %d at %s: %s burned, %s left as the claimant's debt\n",
			r.DisputeId, core.FormatTime(r.Time), core.FormatAmount(r.Burned), core.FormatAmount(r.Debt))
	}
	for _, e := range c.Evidence {
		if e.Uri == "" {
			fmt.Fprintf(w, "  evidence:  private (sha256 %x)\n", e.Sha256)
		} else if len(e.Sha256) > 0 {
			fmt.Fprintf(w, "  evidence:  %s (sha256 %x)\n", e.Uri, e.Sha256)
		} else {
			fmt.Fprintf(w, "  evidence:  %s\n", e.Uri)
		}
	}
}

func newQueryClaimCmd() *cobra.Command {
	return &cobra.Command{
		Use: "claim ID", Short: "Show a claim with its attestations", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseClaimID(args[0])
			if err != nil {
				return err
			}
			if ok, err := printAPI(cmd, "/claims/"+strconv.FormatUint(id, 10), nil); ok {
				return err
			}
			var res claims.ClaimWithAttestations
			if _, err := query(cmd, "/claims/claim/"+strconv.FormatUint(id, 10), nil, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) { // -o json printed the API's answer above
				writeClaim(w, res.Claim)
				for _, a := range res.Attestations {
					fmt.Fprintf(w, "  attested:  %s by %s at %s", claims.VerdictName(a.Verdict), a.Attestor, formatTimeOrDash(a.Time))
					if a.Note != "" {
						fmt.Fprintf(w, ": %q", a.Note)
					}
					fmt.Fprintln(w)
				}
			})
		},
	}
}

func newQueryClaimsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use: "claims", Short: "List claims, newest first, with filters", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if params, err := listParams(cmd, "status", "claimant", "category", "attestor", "awaiting"); err != nil {
				return err
			} else if ok, err := printAPI(cmd, "/claims", params); ok {
				return err
			}
			f := cmd.Flags()
			req := &claims.QueryClaimsRequest{}
			var err error
			if st, _ := f.GetString("status"); st != "" {
				var ok bool
				if req.Status, ok = claims.ParseStatus(strings.ToLower(st)); !ok {
					return fmt.Errorf("--status %q: use pending, verified, rejected or reversed", st)
				}
			}
			for flag, dst := range map[string]*string{"claimant": &req.Claimant, "attestor": &req.Attestor, "awaiting": &req.Awaiting} {
				if v, _ := f.GetString(flag); v != "" {
					if *dst, err = resolveAddress(cmd, v); err != nil {
						return fmt.Errorf("--%s: %w", flag, err)
					}
				}
			}
			req.Category, _ = f.GetString("category")
			req.Offset, _ = f.GetUint64("offset")
			req.Limit, _ = f.GetUint64("limit")
			var res claims.QueryClaimsResponse
			if _, err := query(cmd, "/claims/claims", req, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				fmt.Fprintf(w, "%d matching\n", res.Total)
				for _, c := range res.Claims {
					writeClaim(w, c)
				}
			})
		},
	}
	f := cmd.Flags()
	f.String("claimant", "", "only claims by this `ADDRESS|KEY`")
	f.String("status", "", "only claims of this `STATUS`: pending, verified, rejected or reversed")
	f.String("category", "", "only claims of this `CATEGORY`")
	f.String("attestor", "", "only claims attested by this `ADDRESS|KEY`")
	f.String("awaiting", "", "only PENDING claims for which this `ADDRESS|KEY` is a drawn reviewer and has not attested yet (a reviewer's inbox)")
	pageFlags(f, 20, claims.MaxLimit)
	return cmd
}
