package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
)

func newQueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "query", Aliases: []string{"q"}, Short: "Query chain state through a node"}
	cmd.PersistentFlags().Int64("height", 0, "query state at this `HEIGHT` (0 = latest; recent heights only)")
	cmd.AddCommand(bankQueryCmds()...)
	cmd.AddCommand(membersQueryCmds()...)
	cmd.AddCommand(claimsQueryCmds()...)
	cmd.AddCommand(disputesQueryCmds()...)
	cmd.AddCommand(govQueryCmds()...)
	cmd.AddCommand(projectsQueryCmds()...)
	cmd.AddCommand(newQueryTxCmd(), newQuerySupplyCmd(), newQueryParamsCmd())
	return cmd
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

// printAPI prints, with --output json, the JSON API's answer for path (under /api/v1; params as its
// query string) as the node serves it through ABCI (app.JSONQueryPrefix), and reports true; with
// text output it does nothing and reports false. The CLI's JSON is then the API's JSON, from one
// encoder: enum names, RFC 3339 times, amounts in uhour with decimal hours beside them.
func printAPI(cmd *cobra.Command, path string, params url.Values) (bool, error) {
	if format, _ := cmd.Flags().GetString(flagOutput); format != "json" {
		return false, nil
	}
	c, err := newClient(cmd)
	if err != nil {
		return true, err
	}
	if len(params) > 0 {
		path += "?" + params.Encode()
	}
	height, _ := cmd.Flags().GetInt64("height")
	bz, _, err := c.Query(context.Background(), strings.TrimSuffix(app.JSONQueryPrefix, "/")+path, nil, height)
	if err != nil {
		return true, err
	}
	_, err = cmd.OutOrStdout().Write(bz)
	return true, err
}

// listParams are the API query parameters of a listing command: limit and offset, and every other
// flag of names that was given, by the same name; an address flag (a key name or address) is
// resolved to its address, and status values are lower-cased as the API names them.
func listParams(cmd *cobra.Command, names ...string) (url.Values, error) {
	f := cmd.Flags()
	v := url.Values{}
	for _, n := range append([]string{"limit", "offset"}, names...) {
		fl := f.Lookup(n)
		if fl == nil || (!fl.Changed && n != "limit") {
			continue
		}
		val := fl.Value.String()
		switch n {
		case "claimant", "attestor", "awaiting", "juror":
			a, err := resolveAddress(cmd, val)
			if err != nil {
				return nil, fmt.Errorf("--%s: %w", n, err)
			}
			val = a
		case "status":
			val = strings.ToLower(val)
		}
		v.Set(n, val)
	}
	return v, nil
}

type txView struct {
	Hash      string   `json:"hash"`
	Height    int64    `json:"height"`
	Code      uint32   `json:"code"`
	Codespace string   `json:"codespace,omitempty"`
	Log       string   `json:"log,omitempty"`
	Signer    string   `json:"signer,omitempty"`
	Sequence  uint64   `json:"sequence"`
	Memo      string   `json:"memo,omitempty"`
	Messages  []string `json:"messages"`
	Events    any      `json:"events"`
}

func newQueryTxCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "tx HASH",
		Short: "Show a committed tx: its messages, result code and events",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if ok, err := printAPI(cmd, "/txs/"+args[0], nil); ok {
				return err
			}
			c, err := newClient(cmd)
			if err != nil {
				return err
			}
			res, err := c.Tx(context.Background(), args[0])
			if err != nil {
				return err
			}
			v := txView{Hash: fmt.Sprintf("%X", res.Hash), Height: res.Height, Code: res.TxResult.Code,
				Codespace: res.TxResult.Codespace, Log: res.TxResult.Log, Events: res.TxResult.Events}
			if d, derr := auth.Decode(res.Tx); derr == nil {
				v.Signer, v.Sequence, v.Memo = d.Signer.String(), d.Body.Sequence, d.Body.Memo
				for _, m := range d.Body.Msgs {
					v.Messages = append(v.Messages, fmt.Sprintf("%s %s", auth.MsgName(m), m.String()))
				}
			}
			return printOut(cmd, v, func(w io.Writer) {
				fmt.Fprintf(w, "txhash:   %s\nheight:   %d\ncode:     %d\n", v.Hash, v.Height, v.Code)
				if v.Code != 0 {
					fmt.Fprintf(w, "log:      %s\n", v.Log)
				}
				fmt.Fprintf(w, "signer:   %s\nsequence: %d\n", v.Signer, v.Sequence)
				if v.Memo != "" {
					fmt.Fprintf(w, "memo:     %s\n", v.Memo)
				}
				for _, m := range v.Messages {
					fmt.Fprintf(w, "message:  %s\n", m)
				}
				writeEvents(w, res.TxResult.Events)
			})
		},
	}
}

func newQuerySupplyCmd() *cobra.Command {
	return &cobra.Command{
		Use: "supply", Short: "Show supply statistics: minted, decayed, circulating, hours by category", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if ok, err := printAPI(cmd, "/supply", nil); ok {
				return err
			}
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
				fmt.Fprintf(w, "members:     %d active, %d on probation, %d candidates, %d suspended\nclaims:      %d pending, %d verified, %d rejected, %d reversed\n",
					res.Members, res.Probation, res.Candidates, res.Suspended, res.ClaimsPending, res.ClaimsVerified, res.ClaimsRejected, res.ClaimsReversed)
				if res.Reversed > 0 {
					fmt.Fprintf(w, "reversed:    %s (%s burned, %s still owed as debt)\n",
						core.FormatAmount(res.Reversed), core.FormatAmount(res.Burned), core.FormatAmount(res.OutstandingDebt))
				}
				fmt.Fprintf(w, "verified hours by category:\n")
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
			if ok, err := printAPI(cmd, "/params", nil); ok {
				return err
			}
			var res app.QueryParamsResponse
			if _, err := query(cmd, "/app/params", nil, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				d := core.FormatDuration
				fmt.Fprintf(w, "demurrage:          %d ppm a year\nnew account min:    %s\nvouches to join:    %d\nvouch cooldown:     %s\n",
					res.Bank.DemurragePpmPerYear, core.FormatAmount(res.Bank.MinNewAccountAmount), res.Members.VouchesToJoin, d(res.Members.VouchCooldown))
				c := res.Claims
				fmt.Fprintf(w, "attestation window: %s\nmin approvals:      %d\nmax claim duration: %s\nmin claim duration: %s\nmax claim age:      %s\ncategories:         %s\n",
					d(c.AttestationWindow), c.MinApprovals, d(c.MaxClaimDuration), d(c.MinClaimDuration), d(c.MaxClaimAge), strings.Join(c.Categories, ", "))
				fmt.Fprintf(w, "max pending claims: %d per member\nmax reclaims:       %d\n", c.MaxPendingClaims, c.MaxReclaims)
				fmt.Fprintf(w, "drawn reviewers:    %d per claim, %d approval(s) needed from them (0: off)\n", c.Reviewers, c.MinReviewerApprovals)
				if len(c.RequireBeneficiary) > 0 {
					fmt.Fprintf(w, "countersigned:      %s claims need their beneficiary's countersignature\n", strings.Join(c.RequireBeneficiary, ", "))
				}
				m := res.Members
				fmt.Fprintf(w, "probation:          %s\nadmissions:         %d per sponsor tree per %s\nsuspension:         %d strikes within %s suspend for %s\n",
					d(m.Probation), m.AdmissionsPerPeriod, d(m.AdmissionPeriod), m.StrikesToSuspend, d(m.StrikeWindow), d(m.SuspensionPeriod))
				dp := res.Disputes
				fmt.Fprintf(w, "disputes:           within %s of verification; juries of %d with %s to vote; %s to appeal (to %d jurors)\n",
					d(dp.DisputeWindow), dp.JurySize, d(dp.JuryWindow), d(dp.AppealWindow), 2*dp.JurySize+1)
				if g := res.Gov; g != nil {
					fmt.Fprintf(w, "governance:         %s to vote; quorum %d‰ of active members; %d open proposals per member\n",
						d(g.VotingPeriod), g.QuorumPermille, g.MaxOpenProposals)
				}
			})
		},
	}
}
