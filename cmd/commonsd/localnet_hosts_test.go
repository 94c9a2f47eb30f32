package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
)

// TestLocalnetHosts: `commonsd localnet --hosts` writes a network whose node i listens on host i and
// is dialled there by the others, every node on the same ports (each has a host of its own). The
// hosts here are 127.0.0.2, .3 and .4, which Linux routes to the loopback interface; the three nodes
// start as separate processes and make blocks.
func TestLocalnetHosts(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process localnet test")
	}
	hosts := []string{"127.0.0.2", "127.0.0.3", "127.0.0.4"}
	base, apiBase := freeRange(t, 5), freeRange(t, 1)
	dir := filepath.Join(t.TempDir(), "net")
	flags := []string{"localnet", "--output", dir, "--base-port", fmt.Sprint(base), "--api-base-port", fmt.Sprint(apiBase), "--block-time", "300ms"}
	if out, err := cli(t, append(flags, "--hosts", strings.Join(hosts, ","), "--validators", "4")...); err == nil {
		t.Fatalf("--validators 4 with 3 hosts was accepted:\n%s", out)
	}
	if out, err := cli(t, append(flags, "--hosts", "127.0.0.2,0.0.0.0")...); err == nil {
		t.Fatalf("a wildcard host was accepted:\n%s", out)
	}
	mustCLI(t, []string{"wrote a 3-validator localnet", fmt.Sprintf("node0 RPC: http://127.0.0.2:%d", base+1)},
		append(flags, "--hosts", strings.Join(hosts, ","))...)
	var nodes []*netNode
	for i, h := range hosts {
		home := filepath.Join(dir, fmt.Sprintf("node%d", i))
		conf, err := node.LoadCometConfig(home)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("tcp://%s:%d", h, base); conf.P2P.ListenAddress != want {
			t.Fatalf("node%d p2p laddr %s, want %s", i, conf.P2P.ListenAddress, want)
		}
		if want := fmt.Sprintf("tcp://%s:%d", h, base+1); conf.RPC.ListenAddress != want {
			t.Fatalf("node%d rpc laddr %s, want %s", i, conf.RPC.ListenAddress, want)
		}
		for j, o := range hosts {
			if has := strings.Contains(conf.P2P.PersistentPeers, fmt.Sprintf("@%s:%d", o, base)); has != (i != j) {
				t.Fatalf("node%d persistent_peers %q: host %s listed %v", i, conf.P2P.PersistentPeers, o, has)
			}
		}
		cfg, err := config.Load(home, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("%s:%d", h, apiBase); cfg.API.Address != want || cfg.Metrics.Address != fmt.Sprintf("%s:%d", h, base+4) {
			t.Fatalf("node%d app.toml: api %s (want %s), metrics %s", i, cfg.API.Address, want, cfg.Metrics.Address)
		}
		n := &netNode{home: home, c: rpcAt(t, fmt.Sprintf("%s:%d", h, base+1))}
		n.start(t)
		nodes = append(nodes, n)
	}
	t.Cleanup(func() { stopAll(nodes) })
	waitAll(t, nodes, 3)
	if a, b := nodes[0].appHashAfter(t, 2), nodes[2].appHashAfter(t, 2); a != b {
		t.Fatalf("app hash after 2: %s and %s", a, b)
	}
}
