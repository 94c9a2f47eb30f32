package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
)

// LocalnetChainID is the chain id of `commonsd localnet`.
const LocalnetChainID = "commons-localnet"

// localnetPorts are node i's listen ports: base+10i (p2p), +1 (rpc), +4 (metrics).
type localnetPorts struct{ p2p, rpc, metrics int }

func portsFor(base, i int) localnetPorts {
	return localnetPorts{p2p: base + 10*i, rpc: base + 10*i + 1, metrics: base + 10*i + 4}
}

func newLocalnetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "localnet --validators N --output DIR",
		Short: "Write a ready N-validator network on 127.0.0.1 (one home per node, shared genesis)",
		Long: `Write a ready-to-run N-validator network: DIR/node0 … DIR/node<N-1>, each with its own keys,
config and ports on 127.0.0.1, one genesis listing every validator and the devnet's demo members
(alice, bob and carol funded, frank … victor not; keys in DIR/keyring-test), and every node peering
with the others. Node i listens on p2p base+10i, RPC base+10i+1, metrics base+10i+4 and API
api-base+i; node0's RPC is 26657 by default, so the CLI's default --node talks to it. Start the
nodes with 'make localnet' or 'commonsd start --home DIR/nodeI' each.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			n, _ := f.GetInt("validators")
			out, _ := f.GetString("output")
			base, _ := f.GetInt("base-port")
			apiBase, _ := f.GetInt("api-base-port")
			blockTime, _ := f.GetDuration("block-time")
			if n < 1 || n > 20 {
				return fmt.Errorf("--validators %d: use 1 to 20", n)
			}
			if _, err := os.Stat(out); err == nil {
				return fmt.Errorf("%s already exists; remove it or pick another --output", out)
			}
			if err := writeLocalnet(out, n, base, apiBase, blockTime); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote a %d-validator localnet (chain %s) to %s\nnode0 RPC: http://127.0.0.1:%d\n", n, LocalnetChainID, out, base+1)
			return nil
		},
	}
	f := cmd.Flags()
	f.Int("validators", 4, "number of validators")
	f.String("output", ".localnet", "directory to write the network to")
	f.Int("base-port", 26656, "first port; node i uses base+10i … base+10i+4")
	f.Int("api-base-port", 1317, "API port of node0; node i uses api-base+i")
	f.Duration("block-time", time.Second, "target time between blocks")
	return cmd
}

// writeLocalnet writes the homes of an n-validator network under dir, with the demo members.
func writeLocalnet(dir string, n, base, apiBase int, blockTime time.Duration) error {
	kr, err := keyring.Open(dir, keyring.BackendTest, nil)
	if err != nil {
		return err
	}
	g, err := demoGenesis(kr)
	if err != nil {
		return err
	}
	return writeLocalnetGenesis(dir, n, base, apiBase, blockTime, g)
}

// writeLocalnetGenesis writes the homes of an n-validator network under dir that starts from g.
func writeLocalnetGenesis(dir string, n, base, apiBase int, blockTime time.Duration, g *app.GenesisState) error {
	var vals []cmttypes.GenesisValidator
	var peers []string
	var doc *cmttypes.GenesisDoc
	for i := 0; i < n; i++ {
		home := filepath.Join(dir, fmt.Sprintf("node%d", i))
		p := portsFor(base, i)
		cfg := config.Default()
		cfg.API.Address = fmt.Sprintf("127.0.0.1:%d", apiBase+i)
		cfg.Metrics.Enable = true
		cfg.Metrics.Address = fmt.Sprintf("127.0.0.1:%d", p.metrics)
		d, err := node.Init(home, node.InitOptions{Moniker: fmt.Sprintf("node%d", i), ChainID: LocalnetChainID, Genesis: g,
			BlockTime: blockTime, RPCAddr: fmt.Sprintf("tcp://127.0.0.1:%d", p.rpc), P2PAddr: fmt.Sprintf("tcp://127.0.0.1:%d", p.p2p), App: cfg})
		if err != nil {
			return err
		}
		doc = d
		vals = append(vals, d.Validators...)
		nk, err := p2p.LoadNodeKey(filepath.Join(home, "config", "node_key.json"))
		if err != nil {
			return err
		}
		peers = append(peers, fmt.Sprintf("%s@127.0.0.1:%d", nk.ID(), p.p2p))
	}
	doc.Validators = vals
	for i := 0; i < n; i++ {
		home := filepath.Join(dir, fmt.Sprintf("node%d", i))
		conf, err := node.LoadCometConfig(home)
		if err != nil {
			return err
		}
		var others []string
		for j, peer := range peers {
			if j != i {
				others = append(others, peer)
			}
		}
		conf.P2P.PersistentPeers = strings.Join(others, ",")
		cmtcfg.WriteConfigFile(filepath.Join(home, "config", "config.toml"), conf)
		if err := doc.SaveAs(conf.GenesisFile()); err != nil {
			return err
		}
	}
	return nil
}
