package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// The bank module's commands: `tx transfer` and `query account`.

func bankTxCmds() []*cobra.Command { return []*cobra.Command{newTransferCmd()} }

func bankQueryCmds() []*cobra.Command {
	return []*cobra.Command{newQueryAccountCmd(), newQueryHistoryCmd()}
}

func newTransferCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "transfer TO AMOUNT --from KEY",
		Short: "Send hours to an address or a key name",
		Long: `Send hours. TO is a commons1… address or the name of a key in your keyring. AMOUNT is decimal
hours (2.5), or with a unit (2.5hour, 2500000uhour).`,
		Example: "  commonsd tx transfer bob 2.5 --from alice\n  commonsd tx transfer commons1… 2500000uhour --from alice",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			amount, err := core.ParseAmount(args[1])
			if err != nil {
				return err
			}
			to, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			msg := &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: to, Amount: amount}}}
			return sendTx(cmd, msg)
		},
	}
}

type accountView struct {
	Address     string `json:"address"`
	Exists      bool   `json:"exists"`
	Balance     string `json:"balance"` // micro-hours, as a string (uint64)
	BalanceText string `json:"balance_hours"`
	Sequence    uint64 `json:"sequence"`
	Debt        string `json:"debt"` // micro-hours owed from reversed claims
	Height      int64  `json:"height"`
}

func newQueryAccountCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "account ADDRESS|KEY",
		Short: "Show an account's balance (with demurrage applied as of the queried block) and sequence",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addrStr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			if ok, err := printAPI(cmd, "/accounts/"+addrStr, nil); ok {
				return err
			}
			addr, _ := core.ParseAddress(addrStr)
			c, err := newClient(cmd)
			if err != nil {
				return err
			}
			height, _ := cmd.Flags().GetInt64("height")
			res, h, err := c.Account(context.Background(), addr, height)
			if err != nil {
				return err
			}
			v := accountView{Address: addrStr, Exists: res.Exists, Height: h}
			if res.Account != nil {
				v.Balance = fmt.Sprint(res.Account.Balance)
				v.BalanceText = core.FormatAmount(res.Account.Balance)
				v.Sequence = res.Account.Sequence
				v.Debt = fmt.Sprint(res.Account.Debt)
			}
			return printOut(cmd, v, func(w io.Writer) {
				fmt.Fprintf(w, "address:  %s\n", v.Address)
				if !v.Exists {
					fmt.Fprintf(w, "(no account yet: it is created when the address first receives hours or is vouched for)\n")
				}
				fmt.Fprintf(w, "balance:  %s (%suhour)\nsequence: %d\nheight:   %d\n", v.BalanceText, v.Balance, v.Sequence, v.Height)
				if res.Account != nil && res.Account.Debt > 0 {
					fmt.Fprintf(w, "debt:     %s (from reversed claims; paid first from the next verified claims)\n", core.FormatAmount(res.Account.Debt))
				}
			})
		},
	}
}

func newQueryHistoryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "account-history ADDRESS|KEY",
		Short: "List an account's mints, burns, debt, transfers and realised decay, newest first",
		Long: `List what moved an account's balance, newest first: each mint and burn with the claim behind
it, each transfer with the tx, and demurrage as it was realised. --limit (at most 200) and --offset
page through it.`,
		Example: "  commonsd query account-history alice\n  commonsd query account-history alice --limit 10 --offset 10 -o json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			if params, err := listParams(cmd); err != nil {
				return err
			} else if ok, err := printAPI(cmd, "/accounts/"+addr+"/history", params); ok {
				return err
			}
			limit, _ := cmd.Flags().GetUint64("limit")
			offset, _ := cmd.Flags().GetUint64("offset")
			var res bank.QueryHistoryResponse
			if _, err := query(cmd, "/bank/history/"+addr, &bank.QueryHistoryRequest{Offset: offset, Limit: limit}, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				entries := fmt.Sprintf("%d entries", res.Total)
				if res.Total == 1 {
					entries = "1 entry"
				}
				fmt.Fprintf(w, "%s: %s\n", addr, entries)
				for _, e := range res.Entries {
					fmt.Fprintf(w, "  %s  height %-7d %-12s %14s  balance %s", core.FormatTime(e.Time), e.Height,
						bank.EntryKindName(e.Kind), core.FormatAmount(e.Amount), core.FormatAmount(e.Balance))
					if e.Debt > 0 {
						fmt.Fprintf(w, ", debt %s", core.FormatAmount(e.Debt))
					}
					switch {
					case e.ClaimId != 0:
						fmt.Fprintf(w, "  claim %d", e.ClaimId)
					case e.Counterparty != "":
						fmt.Fprintf(w, "  %s  tx %X", e.Counterparty, e.TxHash)
					}
					fmt.Fprintln(w)
				}
			})
		},
	}
	cmd.Flags().Uint64("limit", 50, "entries to show (at most 200)")
	cmd.Flags().Uint64("offset", 0, "entries to skip, newest first")
	return cmd
}
