package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
)

// openStoppedApp opens a node's state for offline commands. Badger allows one process at a time, so
// the node must be stopped.
func openStoppedApp(home string) (*app.App, func(), error) {
	db, err := store.Open(node.AppDBDir(home), store.Options{KeepRecent: config.Default().State.KeepRecent})
	if err != nil {
		if strings.Contains(err.Error(), "lock") {
			return nil, nil, fmt.Errorf("the state in %s is in use: stop the node first (%v)", home, err)
		}
		return nil, nil, err
	}
	return app.New(db, app.DefaultOptions()), func() { db.Close() }, nil
}

func newExportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export [--height H] [--output-file FILE]",
		Short: "Write the state as a genesis JSON from which a new chain can start (node must be stopped)",
		Long: `Export the committed state (at --height, default the latest) as a complete CometBFT genesis
document: this node's genesis with app_state replaced by the exported state. Pending demurrage is
realised as of the exported block's time. Start a new chain from it with a new --chain-id.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home := homeOf(cmd)
			conf, err := node.LoadCometConfig(home)
			if err != nil {
				return err
			}
			doc, err := cmttypes.GenesisDocFromFile(conf.GenesisFile())
			if err != nil {
				return err
			}
			a, done, err := openStoppedApp(home)
			if err != nil {
				return err
			}
			defer done()
			height, _ := cmd.Flags().GetInt64("height")
			g, err := a.ExportGenesis(height)
			if err != nil {
				return err
			}
			state, err := app.MarshalGenesis(g)
			if err != nil {
				return err
			}
			doc.AppState = json.RawMessage(state)
			doc.AppHash = nil
			if id, _ := cmd.Flags().GetString(flagChainID); id != "" {
				doc.ChainID = id
			}
			if err := doc.ValidateAndComplete(); err != nil {
				return err
			}
			bz, err := cmtjson(doc)
			if err != nil {
				return err
			}
			out, _ := cmd.Flags().GetString("output-file")
			if out == "" {
				_, err = cmd.OutOrStdout().Write(append(bz, '\n'))
				return err
			}
			if err := os.WriteFile(out, append(bz, '\n'), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "exported state at height %d to %s\n", max(height, a.DB().Committed().Height), out)
			return nil
		},
	}
	cmd.Flags().Int64("height", 0, "height to export (0 = latest; recent heights only)")
	cmd.Flags().String("output-file", "", "write to this file instead of stdout")
	return cmd
}

func newDebugCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "debug", Short: "Inspect a node's state offline"}
	inv := &cobra.Command{
		Use:   "invariants",
		Short: "Check the ledger's invariants against a node's state (node must be stopped)",
		Long: `Check, at the latest committed height: the sum of balances equals genesis + minted − decayed;
minted equals the sum of VERIFIED claims' durations; no member has overlapping pending or verified
claims; every attestation belongs to an existing claim and is not by its claimant. It also recomputes
the app hash from scratch and compares it with the stored one.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, done, err := openStoppedApp(homeOf(cmd))
			if err != nil {
				return err
			}
			defer done()
			m := a.DB().Committed()
			v := a.DB().ReadLatest()
			defer v.Discard()
			if err := a.CheckInvariants(v); err != nil {
				return fmt.Errorf("invariant broken at height %d: %w", m.Height, err)
			}
			l := store.RecomputeLattice(v)
			if string(l.Hash()) != string(m.AppHash) {
				return fmt.Errorf("app hash at height %d is %X but the state hashes to %X", m.Height, m.AppHash, l.Hash())
			}
			fmt.Fprintf(cmd.OutOrStdout(), "all invariants hold at height %d; app hash %X recomputed from scratch matches\n", m.Height, m.AppHash)
			return nil
		},
	}
	cmd.AddCommand(inv)
	return cmd
}

func newConfigCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Client settings (set, get, list) and the node configuration (show)"}
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration: app.toml, then COMMONSD_* variables, then flags",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(homeOf(cmd), cmd.Flags())
			if err != nil {
				return err
			}
			return printOut(cmd, cfg, func(w io.Writer) { fmt.Fprint(w, cfg.TOML()) })
		},
	}
	addConfigFlags(show)
	cmd.AddCommand(show)
	cmd.AddCommand(clientConfigCmds()...)
	return cmd
}
