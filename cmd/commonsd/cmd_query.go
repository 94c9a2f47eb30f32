package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
)

func newQueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "query", Aliases: []string{"q"}, Short: "Query chain state through a node"}
	cmd.PersistentFlags().Int64("height", 0, "query state at this height (0 = latest; recent heights only)")
	cmd.AddCommand(newQueryAccountCmd(), newQueryTxCmd())
	cmd.AddCommand(contribQueryCmds()...)
	return cmd
}

type accountView struct {
	Address     string `json:"address"`
	Exists      bool   `json:"exists"`
	Balance     string `json:"balance"` // micro-hours, as a string (uint64)
	BalanceText string `json:"balance_hours"`
	Sequence    uint64 `json:"sequence"`
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
			}
			return printOut(cmd, v, func(w io.Writer) {
				fmt.Fprintf(w, "address:  %s\n", v.Address)
				if !v.Exists {
					fmt.Fprintf(w, "(no account yet: it is created when the address first receives hours or is vouched for)\n")
				}
				fmt.Fprintf(w, "balance:  %s (%suhour)\nsequence: %d\nheight:   %d\n", v.BalanceText, v.Balance, v.Sequence, v.Height)
			})
		},
	}
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
