package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtlog "github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/privval"
	"github.com/spf13/cobra"
)

// newSignerCmd is a remote signer: it keeps a validator's consensus key off the node. The node sets
// priv_validator_laddr in its config.toml and listens there; the signer dials it and signs its
// votes and proposals with the key in its own home, keeping CometBFT's double-sign protection state
// (priv_validator_state.json) beside it.
func newSignerCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "signer --validator-addr tcp://HOST:PORT --chain-id ID",
		Short: "Run a remote signer for a validator node (its key stays in this home, not on the node)",
		Long: `Sign a validator node's votes and proposals from another process or machine. The validator key is
<home>/config/priv_validator_key.json and its last-signed state <home>/data/priv_validator_state.json
(copy both from the node, then delete the key there). The node sets priv_validator_laddr in its
config.toml to the address given here as --validator-addr; the signer dials it, over CometBFT's
authenticated encryption, and redials when the connection drops. See docs/operating.md, "Remote signer".`,
		Example: `  commonsd signer --home ~/.commons-signer --validator-addr tcp://10.0.0.5:26659 --chain-id commons-1`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home := homeOf(cmd)
			addr, _ := cmd.Flags().GetString("validator-addr")
			chainID, _ := cmd.Flags().GetString(flagChainID)
			if addr == "" || chainID == "" {
				return fmt.Errorf("--validator-addr (the node's priv_validator_laddr) and --chain-id are required")
			}
			keyFile := filepath.Join(home, "config", "priv_validator_key.json")
			stateFile := filepath.Join(home, "data", "priv_validator_state.json")
			for _, f := range []string{keyFile, stateFile} {
				if _, err := os.Stat(f); err != nil {
					return fmt.Errorf("no %s: copy the validator's key and state from the node's home (config/ and data/): %w", f, err)
				}
			}
			pv := privval.LoadFilePV(keyFile, stateFile)
			logger := cmtlog.NewTMLogger(cmtlog.NewSyncWriter(cmd.ErrOrStderr()))
			endpoint := privval.NewSignerDialerEndpoint(logger, privval.DialTCPFn(addr, 3*time.Second, ed25519.GenPrivKey()),
				privval.SignerDialerEndpointConnRetries(1_000_000), privval.SignerDialerEndpointRetryWaitInterval(time.Second))
			server := privval.NewSignerServer(endpoint, chainID, pv)
			if err := server.Start(); err != nil {
				return fmt.Errorf("signer: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "signing for chain %s as %X, dialing %s\n", chainID, pv.Key.Address, addr)
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
			<-sig
			return server.Stop()
		},
	}
	cmd.Flags().String("validator-addr", "", "the node's priv_validator_laddr to dial, `tcp://HOST:PORT`")
	return cmd
}
