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
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/p2p"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
)

// TestLocalnetFifthNodeStateSync runs a 4-validator localnet whose nodes take snapshots, then brings
// a fifth node in by state sync: it restores a snapshot (it never holds the early blocks), reaches
// the tip, and answers queries exactly as node0 does at the same heights. Then governance makes it
// a validator (issue 14, must-show 1): a member proposes its `show-validator` key, six members vote
// yes, and CometBFT's /validators and the commit signatures show it signing; a second proposal
// removes node3; the chain never stops and all five nodes agree on the app hash.
func TestLocalnetFifthNodeStateSync(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process localnet test")
	}
	dir := t.TempDir()
	base := freeRange(t, 50)
	apiBase := freeRange(t, 5)
	kr, err := keyring.Open(dir, keyring.BackendTest, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := demoGenesis(kr)
	if err != nil {
		t.Fatal(err)
	}
	g.Gov.Params.VotingPeriod = 8 // seconds: the devnet's minute, shortened
	if err := writeLocalnetGenesis(dir, 4, base, apiBase, 300*time.Millisecond, g); err != nil {
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

	// Governance: node4 becomes a validator, then node3 leaves the set.
	all := append(append([]*netNode{}, nodes...), fifth)
	send := func(from string, msg *auth.Msg, async bool) {
		t.Helper()
		k, _ := kr.PrivKey(from)
		if _, err := nodes[0].c.SignAndBroadcast(context.Background(), k, LocalnetChainID, "", async, msg); err != nil {
			out, _ := os.ReadFile(filepath.Join(nodes[0].home, "node.log"))
			t.Fatalf("%s: %v\nnode0 log tail:\n%s", from, err, tail(out, 6000))
		}
	}
	change := func(id uint64, home, moniker string, power int64) []byte {
		t.Helper()
		pk, err := node.ConsensusPubKey(home)
		if err != nil {
			t.Fatal(err)
		}
		send("alice", apptest.ProposeValidator(pk, power, moniker, moniker), false)
		for _, m := range []string{"alice", "bob", "carol", "frank", "grace", "heidi"} { // one account each: sent at once
			send(m, apptest.Vote(id, gov.VoteOption_VOTE_OPTION_YES), true)
		}
		return pk
	}
	validatorSet := func() map[string]int64 {
		t.Helper()
		vs, err := nodes[0].c.RPC.Validators(context.Background(), nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int64{}
		for _, v := range vs.Validators {
			out[v.Address.String()] = v.VotingPower
		}
		return out
	}
	waitSet := func(what string, ok func(map[string]int64) bool) int64 {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for !ok(validatorSet()) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: CometBFT's validator set is still %v", what, validatorSet())
			}
			time.Sleep(200 * time.Millisecond)
		}
		return nodes[0].height()
	}
	pk4 := change(1, home5, "node4", 10)
	addr4 := ed25519.PubKey(pk4).Address().String()
	joined := waitSet("node4 joins", func(s map[string]int64) bool { return len(s) == 5 && s[addr4] == 10 })
	waitAll(t, all, joined+3)
	signed := false
	for h := joined; h <= joined+3 && !signed; h++ {
		hh := h
		c, err := nodes[0].c.RPC.Commit(context.Background(), &hh)
		if err != nil {
			t.Fatal(err)
		}
		for _, sig := range c.Commit.Signatures {
			signed = signed || (sig.ValidatorAddress.String() == addr4 && len(sig.Signature) > 0)
		}
	}
	if !signed {
		t.Fatalf("node4 is a validator from height %d but signed none of the next commits", joined)
	}
	pk3 := change(2, nodes[3].home, "node3", 0)
	addr3 := ed25519.PubKey(pk3).Address().String()
	left := waitSet("node3 leaves", func(s map[string]int64) bool { _, in := s[addr3]; return len(s) == 4 && !in })
	waitAll(t, all, left+3)
	for _, n := range all {
		if a, b := nodes[0].appHashAfter(t, left+2), n.appHashAfter(t, left+2); a != b {
			t.Fatalf("app hash after %d: node0 %s, %s %s", left+2, a, n.home, b)
		}
	}
	var vals gov.QueryValidatorsResponse
	bz, _, err := nodes[0].c.Query(context.Background(), "/gov/validators", nil, 0)
	if err != nil || vals.Unmarshal(bz) != nil || len(vals.Validators) != 4 || vals.TotalPower != 40 || vals.History[0].Moniker != "node3" {
		t.Fatalf("the app's validator set: %v %+v", err, &vals)
	}
	t.Logf("node4 joined the validator set at height %d and signed; node3 left at %d; five nodes agree", joined, left)
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
