package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
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
		Use:   "localnet --validators N --output DIR [--hosts H0,H1,…]",
		Short: "Write a ready N-validator network (one home per node, shared genesis), on 127.0.0.1 or given hosts",
		Long: `Write a ready-to-run N-validator network: DIR/node0 … DIR/node<N-1>, each with its own keys,
config and ports, one genesis listing every validator and the devnet's demo members (alice, bob and
carol funded, frank … victor not; keys in DIR/keyring-test), and every node peering with the others.

By default every node is on 127.0.0.1: node i listens on p2p base+10i, RPC base+10i+1, metrics
base+10i+4 and API api-base+i; node0's RPC is 26657 by default, so the CLI's default --node talks to
it. Start the nodes with 'make localnet' or 'commonsd start --home DIR/nodeI' each.

--hosts gives node i's address instead (as many as nodes; --validators may then be left out), for a
test network across machines: node i listens (p2p, RPC, API, metrics) on its host and the others dial
it there. A node's ports are offset by 10 (API by 1) for each earlier node on the same host, so nodes
on hosts of their own all use base, base+1, base+4 and api-base. Copy DIR/nodeI to host i and start it
there. The demo keys are in the test keyring: this is a test network, not a real one (for that, see
'commonsd genesis' and docs/new-network.md).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			n, _ := f.GetInt("validators")
			out, _ := f.GetString("output")
			base, _ := f.GetInt("base-port")
			apiBase, _ := f.GetInt("api-base-port")
			blockTime, _ := f.GetDuration("block-time")
			hosts, _ := f.GetStringSlice("hosts")
			if len(hosts) > 0 {
				if f.Changed("validators") && n != len(hosts) {
					return fmt.Errorf("--validators %d but %d --hosts: give one host per node", n, len(hosts))
				}
				n = len(hosts)
			}
			if n < 1 || n > 20 {
				return fmt.Errorf("--validators %d: use 1 to 20", n)
			}
			if len(hosts) == 0 {
				hosts = loopbackHosts(n)
			}
			for i, h := range hosts {
				if h == "" || strings.ContainsAny(h, " ,@/") || h == "0.0.0.0" || h == "::" {
					return fmt.Errorf("--hosts: host %d %q: give an address or name the other nodes can dial", i, h)
				}
			}
			if _, err := os.Stat(out); err == nil {
				return fmt.Errorf("%s already exists; remove it or pick another --output", out)
			}
			kr, err := keyring.Open(out, keyring.BackendTest, nil)
			if err != nil {
				return err
			}
			g, err := demoGenesis(kr)
			if err != nil {
				return err
			}
			if err := writeLocalnetHosts(out, hosts, base, apiBase, blockTime, g); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote a %d-validator localnet (chain %s) to %s\nnode0 RPC: http://%s\n", n, LocalnetChainID, out,
				net.JoinHostPort(hosts[0], strconv.Itoa(portsAt(hosts, base, 0).rpc)))
			return nil
		},
	}
	f := cmd.Flags()
	f.Int("validators", 4, "number of validators")
	f.String("output", ".localnet", "directory to write the network to")
	f.Int("base-port", 26656, "first port; node i uses base+10i … base+10i+4")
	f.Int("api-base-port", 1317, "API port of node0; node i uses api-base+i")
	f.Duration("block-time", time.Second, "target time between blocks")
	f.StringSlice("hosts", nil, "node i's `HOST` (comma-separated, one per node; default 127.0.0.1 for all)")
	return cmd
}

// loopbackHosts is n times 127.0.0.1.
func loopbackHosts(n int) []string {
	hosts := make([]string, n)
	for i := range hosts {
		hosts[i] = "127.0.0.1"
	}
	return hosts
}

// sameHostBefore counts the nodes before node i on node i's host: its port offset.
func sameHostBefore(hosts []string, i int) int {
	k := 0
	for j := 0; j < i; j++ {
		if hosts[j] == hosts[i] {
			k++
		}
	}
	return k
}

// portsAt are node i's ports when node j is on hosts[j]: portsFor(base, k) where k counts the
// earlier nodes on the same host (k = i when every node is on one host).
func portsAt(hosts []string, base, i int) localnetPorts {
	return portsFor(base, sameHostBefore(hosts, i))
}

// apiPortAt is node i's API port: api-base + k, k as in portsAt.
func apiPortAt(hosts []string, apiBase, i int) int { return apiBase + sameHostBefore(hosts, i) }

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

// writeLocalnetGenesis writes the homes of an n-validator network on 127.0.0.1 under dir that
// starts from g.
func writeLocalnetGenesis(dir string, n, base, apiBase int, blockTime time.Duration, g *app.GenesisState) error {
	return writeLocalnetHosts(dir, loopbackHosts(n), base, apiBase, blockTime, g)
}

// writeLocalnetHosts writes the homes of a network with node i on hosts[i] under dir that starts
// from g: every node listens on its host and peers with the others there.
func writeLocalnetHosts(dir string, hosts []string, base, apiBase int, blockTime time.Duration, g *app.GenesisState) error {
	n := len(hosts)
	var vals []cmttypes.GenesisValidator
	var peers []string
	var doc *cmttypes.GenesisDoc
	for i := 0; i < n; i++ {
		home := filepath.Join(dir, fmt.Sprintf("node%d", i))
		p, h := portsAt(hosts, base, i), hosts[i]
		addr := func(port int) string { return net.JoinHostPort(h, strconv.Itoa(port)) }
		cfg := config.Default()
		cfg.API.Address = addr(apiPortAt(hosts, apiBase, i))
		cfg.Metrics.Enable = true
		cfg.Metrics.Address = addr(p.metrics)
		d, err := node.Init(home, node.InitOptions{Moniker: fmt.Sprintf("node%d", i), ChainID: LocalnetChainID, Genesis: g,
			BlockTime: blockTime, RPCAddr: "tcp://" + addr(p.rpc), P2PAddr: "tcp://" + addr(p.p2p), App: cfg})
		if err != nil {
			return err
		}
		doc = d
		vals = append(vals, d.Validators...)
		nk, err := p2p.LoadNodeKey(filepath.Join(home, "config", "node_key.json"))
		if err != nil {
			return err
		}
		peers = append(peers, fmt.Sprintf("%s@%s", nk.ID(), addr(p.p2p)))
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
