package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cosmos/gogoproto/jsonpb"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
)

func newTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tx",
		Short: "Sign and send transactions",
		Long: `Sign and send transactions. By default a tx command waits until the tx is committed and prints
its height, code and events; --async returns as soon as the node accepts it into its mempool.`,
	}
	pf := cmd.PersistentFlags()
	pf.String("from", "", "name of the `KEY` that signs (see commonsd keys list)")
	pf.String("memo", "", "optional `NOTE` stored with the tx (at most 256 bytes)")
	pf.Bool("async", false, "return once the node accepts the tx, without waiting for the commit")
	pf.Duration("timeout", 60*time.Second, "how long to wait for the commit, a `DURATION` such as 90s")
	pf.BoolP("yes", "y", false, "sign and send without asking (on a terminal, a tx command shows the tx and asks first)")
	pf.Bool("generate-only", false, "print the unsigned tx (JSON) instead of signing it, for `commonsd tx sign` on an offline machine; --from may then be an address")
	pf.Bool("dry-run", false, "run the tx on the node's current state (its mempool's view) and print what it would do, without sending it")
	pf.Uint64("sequence", 0, "sign with this `SEQUENCE` instead of asking the node (with --generate-only or tx sign)")
	cmd.AddCommand(bankTxCmds()...)
	cmd.AddCommand(membersTxCmds()...)
	cmd.AddCommand(claimsTxCmds()...)
	cmd.AddCommand(disputesTxCmds()...)
	cmd.AddCommand(govTxCmds()...)
	cmd.AddCommand(projectsTxCmds()...)
	cmd.AddCommand(newTxSignCmd(), newTxBroadcastCmd())
	return cmd
}

// resolveAddress accepts a bech32 address or a key name. An argument that is neither is returned
// as is when it looks like an address attempt, so the chain reports the exact format problem.
func resolveAddress(cmd *cobra.Command, arg string) (string, error) {
	if _, err := core.ParseAddress(arg); err == nil {
		return arg, nil
	}
	kr, err := openKeyring(cmd)
	if err != nil {
		return "", err
	}
	if r, err := kr.Show(arg); err == nil {
		return r.Address, nil
	}
	_, perr := core.ParseAddress(arg)
	return "", fmt.Errorf("%q is neither a key in %s nor a valid address (%v)", arg, kr.Dir(), perr)
}

// sendTx signs msgs with --from and broadcasts them, printing the result.
func sendTx(cmd *cobra.Command, msgs ...*auth.Msg) error {
	from, _ := cmd.Flags().GetString("from")
	if from == "" {
		return fmt.Errorf("--from is required: the name of the key that signs (see `commonsd keys list`)")
	}
	if gen, _ := cmd.Flags().GetBool("generate-only"); gen {
		return generateOnly(cmd, from, msgs)
	}
	priv, err := privKey(cmd, from)
	if err != nil {
		return err
	}
	c, err := newClient(cmd)
	if err != nil {
		return err
	}
	ctx := context.Background()
	chainID, err := chainIDOf(ctx, cmd, c)
	if err != nil {
		return err
	}
	memo, _ := cmd.Flags().GetString("memo")
	async, _ := cmd.Flags().GetBool("async")
	if dry, _ := cmd.Flags().GetBool("dry-run"); dry {
		res, err := c.SignAndSimulate(ctx, priv, chainID, memo, msgs...)
		if res != nil {
			if perr := printResult(cmd, res); perr != nil {
				return perr
			}
		}
		return err
	}
	if err := confirmTx(cmd, from, chainID, memo, msgs); err != nil {
		return err
	}
	res, err := c.SignAndBroadcast(ctx, priv, chainID, memo, async, msgs...)
	if res != nil {
		if perr := printResult(cmd, res); perr != nil {
			return perr
		}
	}
	return err
}

// confirmTx shows what is about to be signed and asks for a yes when standard input is a terminal
// and --yes was not given; without a terminal (scripts) it proceeds, as it always did.
func confirmTx(cmd *cobra.Command, from, chainID, memo string, msgs []*auth.Msg) error {
	if yes, _ := cmd.Flags().GetBool("yes"); yes {
		return nil
	}
	in := cmd.InOrStdin()
	if !stdinIsTerminal(in) {
		return nil
	}
	w := cmd.ErrOrStderr()
	fmt.Fprintf(w, "signing as %s on chain %s:\n", from, chainID)
	m := jsonpb.Marshaler{OrigName: true, Indent: "  "}
	for _, msg := range msgs {
		s, err := m.MarshalToString(msg)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, s)
	}
	if memo != "" {
		fmt.Fprintf(w, "memo: %q\n", memo)
	}
	fmt.Fprint(w, "confirm? [y/N] ")
	line, _ := bufio.NewReader(in).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return fmt.Errorf("not confirmed; nothing was signed or sent (--yes skips the question)")
	}
	return nil
}

// stdinIsTerminal reports whether in is a terminal (a variable so that tests can stand in for one).
var stdinIsTerminal = func(in io.Reader) bool {
	f, ok := in.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func chainIDOf(ctx context.Context, cmd *cobra.Command, c *client.Client) (string, error) {
	if id, _ := cmd.Flags().GetString(flagChainID); id != "" {
		return id, nil
	}
	st, err := c.Status(ctx)
	if err != nil {
		return "", err
	}
	return st.NodeInfo.Network, nil
}

func printResult(cmd *cobra.Command, r *client.Result) error {
	return printOut(cmd, r, func(w io.Writer) {
		fmt.Fprintf(w, "txhash: %s\n", r.Hash)
		if r.Committed {
			fmt.Fprintf(w, "height: %d\n", r.Height)
		}
		fmt.Fprintf(w, "code:   %d", r.Code)
		if r.Code == 0 {
			fmt.Fprintln(w, " (ok)")
		} else {
			fmt.Fprintf(w, " (%s)\nlog:    %s\n", r.Codespace, r.Log)
		}
		switch {
		case r.Simulated && r.Code == 0:
			fmt.Fprintln(w, "status: dry run: the tx would pass now; nothing was sent")
		case r.Simulated:
			fmt.Fprintln(w, "status: dry run: nothing was sent")
		case !r.Committed && r.Code == 0:
			fmt.Fprintf(w, "status: accepted into the mempool; check it with `commonsd query tx %s`\n", r.Hash)
		}
		writeEvents(w, r.Events)
	})
}

// generateOnly prints the unsigned tx body (protobuf JSON) for signing elsewhere: the chain id and
// the signer's next sequence come from --chain-id and --sequence, or from the node.
func generateOnly(cmd *cobra.Command, from string, msgs []*auth.Msg) error {
	addr, err := resolveAddress(cmd, from)
	if err != nil {
		return err
	}
	body := &auth.TxBody{Msgs: msgs}
	body.Memo, _ = cmd.Flags().GetString("memo")
	body.ChainId, _ = cmd.Flags().GetString(flagChainID)
	f := cmd.Flags()
	if body.ChainId == "" || !f.Changed("sequence") {
		c, err := newClient(cmd)
		if err != nil {
			return err
		}
		ctx := context.Background()
		if body.ChainId, err = chainIDOf(ctx, cmd, c); err != nil {
			return err
		}
		if !f.Changed("sequence") {
			a, err := core.ParseAddress(addr)
			if err != nil {
				return err
			}
			acc, err := c.PendingAccount(ctx, a) // after the signer's txs already in the mempool
			if err != nil {
				return err
			}
			body.Sequence = acc.Account.GetSequence()
		}
	}
	if f.Changed("sequence") {
		body.Sequence, _ = f.GetUint64("sequence")
	}
	s, err := (&jsonpb.Marshaler{OrigName: true, Indent: "  "}).MarshalToString(body)
	if err != nil {
		return err
	}
	fmt.Fprintln(cmd.OutOrStdout(), s)
	return nil
}

func newTxSignCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sign FILE --from KEY [--sequence N] [--chain-id ID]",
		Short: "Sign an unsigned tx (from --generate-only) with a local key; needs no node",
		Long: `Sign the unsigned tx in FILE (or - for standard input), as --generate-only wrote it, with the key
--from, and print the signed tx in base64 for ` + "`commonsd tx broadcast`" + `. --sequence and --chain-id override
the body's; the node is never asked, so this runs on an offline machine.`,
		Example: `  commonsd tx transfer bob 2.5 --from commons1q…alice --generate-only > unsigned.json   # online
  commonsd tx sign unsigned.json --from alice > signed.txt                               # offline
  commonsd tx broadcast signed.txt                                                       # online`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bz, err := readFileOrStdin(cmd, args[0])
			if err != nil {
				return err
			}
			var body auth.TxBody
			if err := jsonpb.Unmarshal(bytes.NewReader(bz), &body); err != nil {
				return fmt.Errorf("%s is not an unsigned tx (JSON from --generate-only): %w", args[0], err)
			}
			f := cmd.Flags()
			if f.Changed("sequence") {
				body.Sequence, _ = f.GetUint64("sequence")
			}
			if id, _ := f.GetString(flagChainID); id != "" {
				body.ChainId = id
			}
			if body.ChainId == "" {
				return fmt.Errorf("the tx names no chain id; give --chain-id")
			}
			from, _ := f.GetString("from")
			if from == "" {
				return fmt.Errorf("--from is required: the name of the key that signs")
			}
			priv, err := privKey(cmd, from)
			if err != nil {
				return err
			}
			raw, err := auth.Sign(priv, &body)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), base64.StdEncoding.EncodeToString(raw))
			return nil
		},
	}
	return cmd
}

func newTxBroadcastCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "broadcast FILE",
		Short: "Send a signed tx (base64, from commonsd tx sign) to the node",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bz, err := readFileOrStdin(cmd, args[0])
			if err != nil {
				return err
			}
			raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(bz)))
			if err != nil {
				return fmt.Errorf("%s is not a signed tx in base64 (from commonsd tx sign): %w", args[0], err)
			}
			if _, err := auth.Decode(raw); err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			c, err := newClient(cmd)
			if err != nil {
				return err
			}
			async, _ := cmd.Flags().GetBool("async")
			res, err := c.Broadcast(context.Background(), raw, async)
			if res != nil {
				if perr := printResult(cmd, res); perr != nil {
					return perr
				}
			}
			return err
		},
	}
}

// readFileOrStdin reads path, or standard input for "-".
func readFileOrStdin(cmd *cobra.Command, path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(io.LimitReader(cmd.InOrStdin(), 1<<20))
	}
	return os.ReadFile(path)
}
