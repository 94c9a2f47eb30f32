package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
)

func newInitCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init MONIKER --genesis FILE",
		Short: "Create a node home for a network's genesis: config, node and validator keys, and that genesis",
		Long: `Create a node home: config/config.toml, config/app.toml, the node key, the validator key and
the genesis FILE, installed byte for byte (its ` + "`commonsd genesis hash`" + ` stays the same). FILE is
a running network's genesis, or a new network's draft during the genesis ceremony, where the node's
keys are needed for ` + "`commonsd genesis gentx`" + ` before the genesis is final.

In a home that already has its config and keys, init only installs FILE (--force replaces the
genesis there) and leaves config.toml (persistent_peers from ` + "`genesis collect`" + `) and the keys as they are.

Without --genesis, init prints the steps of the genesis ceremony and exits non-zero: a genesis
without founders is a chain nobody can use (` + "`commonsd devnet`" + ` runs a demo chain on one machine).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			genesis, _ := f.GetString("genesis")
			if genesis == "" {
				fmt.Fprint(cmd.OutOrStdout(), ceremonySteps)
				return errNoGenesis
			}
			bz, err := os.ReadFile(genesis)
			if err != nil {
				return err
			}
			doc, err := node.ParseGenesisDoc(bz)
			if err != nil {
				return fmt.Errorf("%s: %w", genesis, err)
			}
			if chainID, _ := f.GetString(flagChainID); chainID != "" && chainID != doc.ChainID {
				return fmt.Errorf("--chain-id %s, but %s is the genesis of %s", chainID, genesis, doc.ChainID)
			}
			force, _ := f.GetBool("force")
			home := homeOf(cmd)
			w := cmd.OutOrStdout()
			if _, err := os.Stat(filepath.Join(home, "config", "config.toml")); err == nil {
				for _, fl := range []string{"p2p-laddr", "rpc-laddr"} {
					if f.Changed(fl) {
						return fmt.Errorf("%s already has a config; change [p2p] laddr or [rpc] laddr in config/config.toml instead of --%s", home, fl)
					}
				}
				if _, err := node.InstallGenesis(home, bz, force); err != nil {
					return err
				}
				fmt.Fprintf(w, "installed the genesis of %s in %s (config and keys unchanged)\n", doc.ChainID, home)
			} else {
				moniker := "commons-node"
				if len(args) == 1 {
					moniker = args[0]
				}
				p2pAddr, _ := f.GetString("p2p-laddr")
				rpcAddr, _ := f.GetString("rpc-laddr")
				if _, err := node.Init(home, node.InitOptions{Moniker: moniker, GenesisJSON: bz, P2PAddr: p2pAddr, RPCAddr: rpcAddr,
					App: config.Default(), Force: force}); err != nil {
					return err
				}
				fmt.Fprintf(w, "initialised node %q for chain %q in %s\n", moniker, doc.ChainID, home)
			}
			fmt.Fprintf(w, "genesis: %s\nsha256:  %s\n", filepath.Join(home, "config", "genesis.json"), FileHash(bz))
			if len(doc.Validators) == 0 {
				fmt.Fprintf(w, "the genesis has no validators yet: next, commonsd genesis gentx --moniker NAME --from KEY --p2p HOST:PORT --home %s\n", home)
			} else {
				fmt.Fprintf(w, "start it with: commonsd start --home %s\n", home)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.String("genesis", "", "the network's genesis `FILE` (its draft during the genesis ceremony)")
	f.Bool("force", false, "replace an existing genesis")
	f.String("p2p-laddr", "", "p2p listen `ADDRESS` (default tcp://0.0.0.0:26656)")
	f.String("rpc-laddr", "", "RPC listen `ADDRESS` (default tcp://127.0.0.1:26657)")
	return cmd
}

// checkGenesisHasValidators refuses to start from a ceremony's draft, whose validators collect has
// not added yet (CometBFT would stop at InitChain with a less helpful message).
func checkGenesisHasValidators(home string) error {
	conf, err := node.LoadCometConfig(home)
	if err != nil {
		return err
	}
	doc, err := cmttypes.GenesisDocFromFile(conf.GenesisFile())
	if err != nil {
		return err
	}
	if len(doc.Validators) == 0 {
		return fmt.Errorf("%s has no validators: it is a genesis ceremony's draft; once `commonsd genesis collect` has added them, install the final file with `commonsd init --genesis FILE --force`", conf.GenesisFile())
	}
	return nil
}

// addConfigFlags registers a flag for every app.toml key (config.Keys).
func addConfigFlags(cmd *cobra.Command) { config.AddFlags(cmd.Flags(), config.Default()) }

func newStartCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Run the node (CometBFT with the app in-process) until SIGINT or SIGTERM",
		Long: `Run the node. Configuration comes from <home>/config/app.toml, then COMMONSD_* environment
variables, then these flags. CometBFT's own settings are in <home>/config/config.toml.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home := homeOf(cmd)
			cfg, err := config.Load(home, cmd.Flags())
			if err != nil {
				return err
			}
			if err := checkGenesisHasValidators(home); err != nil {
				return err
			}
			n, err := node.Start(home, cfg, os.Stdout, node.StartOptions{})
			if err != nil {
				return err
			}
			return runUntilSignal(n, nil)
		},
	}
	addConfigFlags(cmd)
	return cmd
}

// runUntilSignal blocks until SIGINT/SIGTERM, or until the node halts at a block it cannot execute
// (a scheduled upgrade this binary does not know), then stops the node gracefully. A halt is
// returned as the error, so the process exits non-zero with the reason.
func runUntilSignal(n *node.Node, onStart func()) error {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	if onStart != nil {
		onStart()
	}
	var halt error
	select {
	case s := <-sig:
		n.Log.Info("shutting down", "signal", s.String())
	case halt = <-n.Halted:
		n.Log.Info("shutting down: the node cannot go on", "reason", halt.Error())
	}
	done := make(chan error, 1)
	go func() { done <- n.Stop() }()
	select {
	case err := <-done:
		return errors.Join(halt, err)
	case <-time.After(30 * time.Second):
		return errors.Join(halt, fmt.Errorf("node did not stop within 30s"))
	}
}
