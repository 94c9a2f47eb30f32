package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"

	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/members"
)

// TestLocalnetFifthNodeStateSync runs a 4-validator localnet whose nodes take snapshots, then brings
// a fifth node in by state sync: it restores a snapshot (it never holds the early blocks), reaches
// the tip, and answers queries exactly as node0 does at the same heights.
func TestLocalnetFifthNodeStateSync(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process localnet test")
	}
	dir := t.TempDir()
	base := freeRange(t, 50)
	apiBase := freeRange(t, 5)
	if err := writeLocalnet(dir, 4, base, apiBase, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var nodes []*netNode
	var peers []string
	for i := 0; i < 4; i++ {
		home := filepath.Join(dir, fmt.Sprintf("node%d", i))
		cfg, err := config.Load(home, nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Snapshot = config.SnapshotConfig{Interval: 10, KeepRecent: 5}
		if err := config.Write(config.Path(home), cfg); err != nil {
			t.Fatal(err)
		}
		nk, err := p2p.LoadNodeKey(filepath.Join(home, "config", "node_key.json"))
		if err != nil {
			t.Fatal(err)
		}
		peers = append(peers, fmt.Sprintf("%s@127.0.0.1:%d", nk.ID(), portsFor(base, i).p2p))
		nodes = append(nodes, &netNode{home: home, c: rpcTo(t, portsFor(base, i).rpc)})
	}
	for _, n := range nodes {
		n.start(t)
	}
	t.Cleanup(func() { stopAll(nodes) })
	waitAll(t, nodes, 2)

	// Some state worth syncing: a transfer and a newcomer vouched in by two members.
	kr, _ := keyring.Open(dir, keyring.BackendTest, nil)
	erin, _ := kr.Add("erin")
	bobRec, _ := kr.Show("bob")
	for _, tx := range []struct {
		from string
		msg  *auth.Msg
	}{
		{"alice", &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bobRec.Address, Amount: 2_500_000}}}},
		{"alice", &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: erin.Address, Handle: "erin"}}}},
		{"carol", &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: erin.Address}}}},
	} {
		k, _ := kr.PrivKey(tx.from)
		if _, err := nodes[0].c.SignAndBroadcast(context.Background(), k, LocalnetChainID, "", false, tx.msg); err != nil {
			t.Fatalf("%s: %v", tx.from, err)
		}
	}
	waitAll(t, nodes, 22) // snapshots at 10 and 20
	trust := int64(2)
	blk, err := nodes[0].c.RPC.Block(context.Background(), &trust)
	if err != nil {
		t.Fatal(err)
	}

	// The fifth node: same genesis, not a validator, state sync from two validators' RPC.
	home5 := filepath.Join(dir, "node4")
	p := portsFor(base, 4)
	cfg5 := config.Default()
	cfg5.API.Enable = false
	if _, err := node.Init(home5, node.InitOptions{Moniker: "node4", ChainID: LocalnetChainID, BlockTime: 300 * time.Millisecond,
		RPCAddr: fmt.Sprintf("tcp://127.0.0.1:%d", p.rpc), P2PAddr: fmt.Sprintf("tcp://127.0.0.1:%d", p.p2p), App: cfg5}); err != nil {
		t.Fatal(err)
	}
	genesis, _ := os.ReadFile(filepath.Join(dir, "node0", "config", "genesis.json"))
	os.WriteFile(filepath.Join(home5, "config", "genesis.json"), genesis, 0o644)
	conf, err := node.LoadCometConfig(home5)
	if err != nil {
		t.Fatal(err)
	}
	conf.P2P.PersistentPeers = peers[0] + "," + peers[1] + "," + peers[2] + "," + peers[3]
	conf.StateSync.Enable = true
	conf.StateSync.RPCServers = []string{fmt.Sprintf("tcp://127.0.0.1:%d", portsFor(base, 0).rpc), fmt.Sprintf("tcp://127.0.0.1:%d", portsFor(base, 1).rpc)}
	conf.StateSync.TrustHeight = trust
	conf.StateSync.TrustHash = blk.BlockID.Hash.String()
	conf.StateSync.TrustPeriod = 168 * time.Hour
	conf.StateSync.DiscoveryTime = 5 * time.Second
	cmtcfg.WriteConfigFile(filepath.Join(home5, "config", "config.toml"), conf)
	fifth := &netNode{home: home5, c: rpcTo(t, p.rpc)}
	fifth.start(t)
	t.Cleanup(func() { stopAll([]*netNode{fifth}) })

	tip := nodes[0].height()
	waitAll(t, []*netNode{fifth}, tip)
	one := int64(1)
	if _, err := fifth.c.RPC.Block(context.Background(), &one); err == nil {
		t.Fatal("the fifth node holds block 1: it replayed the chain instead of restoring a snapshot")
	}
	h := fifth.height() - 1
	waitAll(t, nodes, h)
	paths := []string{"/app/supply", "/app/params", "/members/members", "/claims/stats", "/bank/supply",
		"/members/member/" + erin.Address, "/bank/account/" + bobRec.Address, "/bank/account/" + erin.Address}
	for _, path := range paths {
		want, _, werr := nodes[0].c.Query(context.Background(), path, nil, h)
		got, _, gerr := fifth.c.Query(context.Background(), path, nil, h)
		if werr != nil || gerr != nil || !bytes.Equal(want, got) {
			t.Fatalf("%s at height %d: node0 (%v) and the state-synced node (%v) differ", path, h, werr, gerr)
		}
	}
	if a, b := nodes[0].appHashAfter(t, h), fifth.appHashAfter(t, h); a != b {
		t.Fatalf("app hash after %d: node0 %s, fifth %s", h, a, b)
	}
	t.Logf("fifth node state-synced and follows: %d queries identical at height %d", len(paths), h)
}

func rpcTo(t *testing.T, port int) *client.Client {
	t.Helper()
	c, err := client.New(fmt.Sprintf("tcp://127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	c.CommitTimeout = 30 * time.Second
	return c
}

func stopAll(nodes []*netNode) {
	for _, n := range nodes {
		if n.cmd != nil && n.cmd.Process != nil {
			n.cmd.Process.Kill()
		}
	}
}
