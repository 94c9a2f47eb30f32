package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// contribQueryCmds are the contribution queries.
func contribQueryCmds() []*cobra.Command {
	return []*cobra.Command{newQueryMemberCmd(), newQueryMembersCmd(), newQueryClaimCmd(), newQueryClaimsCmd(),
		newQuerySupplyCmd(), newQueryParamsCmd()}
}

// query runs an ABCI query at --height and decodes it into out.
func query(cmd *cobra.Command, path string, req interface{ Marshal() ([]byte, error) }, out interface{ Unmarshal([]byte) error }) (int64, error) {
	c, err := newClient(cmd)
	if err != nil {
		return 0, err
	}
	var data []byte
	if req != nil {
		if data, err = req.Marshal(); err != nil {
			return 0, err
		}
	}
	height, _ := cmd.Flags().GetInt64("height")
	return c.QueryProto(context.Background(), path, data, height, out)
}

// plural renders "1 verified claim" or "2 verified claims".
func plural(n uint64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func fmtTime(unix int64) string {
	if unix == 0 {
		return "-"
	}
	return time.Unix(unix, 0).UTC().Format("2006-01-02 15:04:05 UTC")
}

func fmtInterval(start, end int64) string {
	s, e := time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC()
	if s.Format("2006-01-02") == e.Format("2006-01-02") {
		return s.Format("2006-01-02 15:04:05") + "–" + e.Format("15:04:05") + " UTC"
	}
	return s.Format("2006-01-02 15:04:05") + " – " + e.Format("2006-01-02 15:04:05") + " UTC"
}

func writeMember(w io.Writer, m *members.Member) {
	fmt.Fprintf(w, "address:  %s\nhandle:   %s\nstatus:   %s\njoined:   %s\nvouchers: %s\n",
		m.Address, m.Handle, members.StatusName(m.Status), fmtTime(m.JoinedAt), strings.Join(m.Vouchers, ", "))
}

func newQueryMemberCmd() *cobra.Command {
	return &cobra.Command{
		Use: "member ADDRESS|KEY", Short: "Show a member or candidate", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
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
			f := cmd.Flags()
			req := &members.QueryMembersRequest{}
			req.HandlePrefix, _ = f.GetString("handle")
			req.Offset, _ = f.GetUint64("offset")
			req.Limit, _ = f.GetUint64("limit")
			if st, _ := f.GetString("status"); st != "" {
				var ok bool
				if req.Status, ok = members.ParseStatus(st); !ok {
					return fmt.Errorf("--status %q: use active or candidate", st)
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
	cmd.Flags().String("handle", "", "only handles starting with this")
	cmd.Flags().String("status", "", "active or candidate")
	cmd.Flags().Uint64("offset", 0, "skip this many")
	cmd.Flags().Uint64("limit", 50, "at most this many (max 200)")
	return cmd
}

func writeClaim(w io.Writer, c *claims.Claim) {
	fmt.Fprintf(w, "claim %d: %s, %s of %s by %s\n  interval:  %s\n  summary:   %s\n  approvals: %d, rejections: %d; window closes %s\n",
		c.Id, claims.StatusName(c.Status), core.FormatAmount(uint64(c.End-c.Start)*core.MicroPerHour/3600), c.Category, c.Claimant,
		fmtInterval(c.Start, c.End), c.Summary, c.Approvals, c.Rejections, fmtTime(c.Deadline))
	if c.Status == claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
		fmt.Fprintf(w, "  minted:    %s\n", core.FormatAmount(c.Minted))
	}
	for _, e := range c.Evidence {
		if len(e.Sha256) > 0 {
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
			if _, err := strconv.ParseUint(args[0], 10, 64); err != nil {
				return fmt.Errorf("claim id %q: expected a number such as 12", args[0])
			}
			var res claims.ClaimWithAttestations
			if _, err := query(cmd, "/claims/claim/"+args[0], nil, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				writeClaim(w, res.Claim)
				for _, a := range res.Attestations {
					v := strings.ToLower(strings.TrimPrefix(a.Verdict.String(), "VERDICT_"))
					fmt.Fprintf(w, "  attested:  %s by %s at %s", v, a.Attestor, fmtTime(a.Time))
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
			f := cmd.Flags()
			req := &claims.QueryClaimsRequest{}
			var err error
			if st, _ := f.GetString("status"); st != "" {
				var ok bool
				if req.Status, ok = claims.ParseStatus(strings.ToLower(st)); !ok {
					return fmt.Errorf("--status %q: use pending, verified or rejected", st)
				}
			}
			for flag, dst := range map[string]*string{"claimant": &req.Claimant, "attestor": &req.Attestor} {
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
	f.String("claimant", "", "only claims by this address or key")
	f.String("status", "", "pending, verified or rejected")
	f.String("category", "", "only this category")
	f.String("attestor", "", "only claims attested by this address or key")
	f.Uint64("offset", 0, "skip this many")
	f.Uint64("limit", 20, "at most this many")
	return cmd
}

func newQuerySupplyCmd() *cobra.Command {
	return &cobra.Command{
		Use: "supply", Short: "Show supply statistics: minted, decayed, circulating, hours by category", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var res app.QuerySupplyResponse
			h, err := query(cmd, "/app/supply", nil, &res)
			if err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				fmt.Fprintf(w, "height:      %d\nminted:      %s\ndecayed:     %s (realised)\npending:     %s (demurrage not yet realised)\ncirculating: %s\n", h,
					core.FormatAmount(res.Minted), core.FormatAmount(res.Decayed), core.FormatAmount(res.PendingDecay), core.FormatAmount(res.Circulating))
				if res.Genesis > 0 {
					fmt.Fprintf(w, "genesis:     %s (devnet allocation)\n", core.FormatAmount(res.Genesis))
				}
				fmt.Fprintf(w, "members:     %d active, %d candidates\nclaims:      %d pending, %d verified, %d rejected\nverified hours by category:\n",
					res.Members, res.Candidates, res.ClaimsPending, res.ClaimsVerified, res.ClaimsRejected)
				for _, c := range res.Categories {
					fmt.Fprintf(w, "  %-10s %s (%s)\n", c.Category, core.FormatAmount(c.VerifiedUhours), plural(c.VerifiedClaims, "verified claim"))
				}
			})
		},
	}
}

func newQueryParamsCmd() *cobra.Command {
	return &cobra.Command{
		Use: "params", Short: "Show the chain's parameters", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var res app.QueryParamsResponse
			if _, err := query(cmd, "/app/params", nil, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				d := func(s int64) string { return (time.Duration(s) * time.Second).String() }
				fmt.Fprintf(w, "demurrage:          %d ppm a year\nnew account min:    %s\nvouches to join:    %d\nvouch cooldown:     %s\n",
					res.Bank.DemurragePpmPerYear, core.FormatAmount(res.Bank.MinNewAccountAmount), res.Members.VouchesToJoin, d(res.Members.VouchCooldown))
				c := res.Claims
				fmt.Fprintf(w, "attestation window: %s\nmin approvals:      %d\nmax claim duration: %s\nmin claim duration: %s\nmax claim age:      %s\ncategories:         %s\n",
					d(c.AttestationWindow), c.MinApprovals, d(c.MaxClaimDuration), d(c.MinClaimDuration), d(c.MaxClaimAge), strings.Join(c.Categories, ", "))
				fmt.Fprintf(w, "max pending claims: %d per member\nmax reclaims:       %d\n", c.MaxPendingClaims, c.MaxReclaims)
			})
		},
	}
}
