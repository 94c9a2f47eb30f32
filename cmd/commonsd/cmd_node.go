package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
)

func newInitCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init [MONIKER]",
		Short: "Create a node home: config, validator and node keys, and a single-validator genesis",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			chainID, _ := cmd.Flags().GetString(flagChainID)
			if chainID == "" {
				chainID = "commons-local"
			}
			moniker := "commons-node"
			if len(args) == 1 {
				moniker = args[0]
			}
			force, _ := cmd.Flags().GetBool("force")
			home := homeOf(cmd)
			doc, err := node.Init(home, node.InitOptions{Moniker: moniker, ChainID: chainID, App: config.Default(), Force: force})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "initialised node %q for chain %q in %s\ngenesis: %s\nstart it with: commonsd start --home %s\n",
				moniker, doc.ChainID, home, home+"/config/genesis.json", home)
			return nil
		},
	}
	cmd.Flags().Bool("force", false, "overwrite an existing genesis")
	return cmd
}

// addConfigFlags registers a flag for each app.toml key that operators commonly override.
func addConfigFlags(cmd *cobra.Command) {
	d := config.Default()
	f := cmd.Flags()
	f.Bool(config.FlagName("api.enable"), d.API.Enable, "serve the JSON API and web explorer")
	f.String(config.FlagName("api.address"), d.API.Address, "API and explorer listen address")
	f.Int64(config.FlagName("state.keep_recent"), d.State.KeepRecent, "recent heights kept queryable")
	f.Uint64(config.FlagName("snapshot.interval"), d.Snapshot.Interval, "state-sync snapshot every N heights (0 = off)")
	f.Uint32(config.FlagName("snapshot.keep_recent"), d.Snapshot.KeepRecent, "snapshots kept")
	f.String(config.FlagName("log.level"), d.Log.Level, "log level: debug, info, warn, error, none")
	f.String(config.FlagName("log.format"), d.Log.Format, "log format: plain or json")
	f.Bool(config.FlagName("metrics.enable"), d.Metrics.Enable, "serve Prometheus metrics")
	f.String(config.FlagName("metrics.address"), d.Metrics.Address, "Prometheus listen address")
	f.Uint64(config.FlagName("mempool.max_pending_per_sender"), d.Mempool.MaxPendingPerSender, "mempool txs per sender beyond its committed sequence")
}

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

// runUntilSignal blocks until SIGINT/SIGTERM, then stops the node gracefully.
func runUntilSignal(n *node.Node, onStart func()) error {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	if onStart != nil {
		onStart()
	}
	s := <-sig
	n.Log.Info("shutting down", "signal", s.String())
	done := make(chan error, 1)
	go func() { done <- n.Stop() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		return fmt.Errorf("node did not stop within 30s")
	}
}
