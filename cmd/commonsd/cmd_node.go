package main

import (
	"errors"
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
