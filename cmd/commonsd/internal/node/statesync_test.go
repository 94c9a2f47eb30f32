package node_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	abcitypes "github.com/cometbft/cometbft/abci/types"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
	"github.com/commonsledger/commons/x/auth"
)

// TestStateSyncJoin: a validator takes snapshots every few heights; a second node with the same
// genesis and state sync enabled joins from one of them (never executing the blocks before it),
// catches up to the tip, follows new blocks, and answers queries exactly as the validator does.
func TestStateSyncJoin(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two nodes")
	}
	alice, bob, erin := apptest.NewKey("alice"), apptest.NewKey("bob"), apptest.NewKey("erin")
	const chainID = "statesync-chain"
	ctx := context.Background()

	// The validator.
	home1, rpc1, p2p1 := t.TempDir(), freeAddr(t), freeAddr(t)
	cfg1 := config.Default()
	cfg1.API.Enable = false
	// A snapshot must outlive discovery (5 s) and the restore: 10 heights × 5 kept ≈ 10 s of blocks.
	cfg1.Snapshot = config.SnapshotConfig{Interval: 10, KeepRecent: 5}
	g := apptest.ContribGenesis(10_000_000, alice, bob)
	if _, err := node.Init(home1, node.InitOptions{ChainID: chainID, Genesis: g, BlockTime: 200 * time.Millisecond,
		RPCAddr: "tcp://" + rpc1, P2PAddr: "tcp://" + p2p1, App: cfg1}); err != nil {
		t.Fatal(err)
	}
	n1 := startNode(t, home1, cfg1)
	c1 := rpcClient(t, rpc1)
	waitForHeight(t, c1, 2) // the app has committed a block once CometBFT reports the next
	mustCommit(t, c1, alice, chainID, apptest.Transfer(bob.Addr, 2_000_000))
	mustCommit(t, c1, alice, chainID, apptest.Vouch(erin, "erin"))
	mustCommit(t, c1, bob, chainID, apptest.Vouch(erin, ""))
	mustCommit(t, c1, alice, chainID, apptest.Transfer(erin.Addr, 1_000_000))
	mustCommit(t, c1, erin, chainID, apptest.Transfer(bob.Addr, 250_000))

	// Wait for a snapshot taken after those txs, and for the two blocks above it that the light
	// client needs to verify its app hash.
	snapHeight := waitForSnapshot(t, n1, c1)
	waitForHeight(t, c1, snapHeight+2)
	trustHeight := int64(2)
	blk, err := c1.RPC.Block(ctx, &trustHeight)
	if err != nil {
		t.Fatal(err)
	}

	// The joiner: same genesis, not a validator, state sync on.
	home2, rpc2 := t.TempDir(), freeAddr(t)
	cfg2 := config.Default()
	cfg2.API.Enable = false
	if _, err := node.Init(home2, node.InitOptions{ChainID: chainID, Genesis: g, BlockTime: 200 * time.Millisecond,
		RPCAddr: "tcp://" + rpc2, P2PAddr: "tcp://" + freeAddr(t), App: cfg2}); err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(home1, "config", "genesis.json"), filepath.Join(home2, "config", "genesis.json"))
	key1, err := p2p.LoadNodeKey(filepath.Join(home1, "config", "node_key.json"))
	if err != nil {
		t.Fatal(err)
	}
	conf2, err := node.LoadCometConfig(home2)
	if err != nil {
		t.Fatal(err)
	}
	conf2.P2P.PersistentPeers = fmt.Sprintf("%s@%s", key1.ID(), p2p1)
	conf2.StateSync.Enable = true
	conf2.StateSync.RPCServers = []string{"tcp://" + rpc1, "tcp://" + rpc1}
	conf2.StateSync.TrustHeight = trustHeight
	conf2.StateSync.TrustHash = blk.BlockID.Hash.String()
	conf2.StateSync.TrustPeriod = 168 * time.Hour
	conf2.StateSync.DiscoveryTime = 5 * time.Second // CometBFT's minimum
	cmtcfg.WriteConfigFile(filepath.Join(home2, "config", "config.toml"), conf2)

	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("joiner log:\n%s", logs.String())
		}
	})
	n2, err := node.Start(home2, cfg2, logs, node.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n2.Stop() })
	c2 := rpcClient(t, rpc2)

	// It restores a snapshot (so it never had the early heights) and then follows the chain.
	deadline := time.Now().Add(40 * time.Second)
	for n2.DB.Committed().Height == 0 {
		if time.Now().After(deadline) {
			t.Fatal("joiner did not restore a snapshot in 40s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := n2.DB.ReadAt(1); err == nil {
		t.Fatal("joiner holds height 1: it replayed blocks instead of restoring a snapshot")
	}
	st1, _ := c1.Status(ctx)
	waitForHeight(t, c2, st1.SyncInfo.LatestBlockHeight+1)

	// A tx sent through the joiner commits on the chain.
	mustCommit(t, c2, bob, chainID, apptest.Transfer(erin.Addr, 123))
	tip := n2.DB.Committed().Height
	waitForHeight(t, c1, tip)

	for _, h := range []int64{n2Restored(t, n2), tip} {
		for _, path := range []string{"/app/supply", "/members/members", "/bank/supply",
			"/bank/account/" + alice.Addr.String(), "/bank/account/" + bob.Addr.String(), "/bank/account/" + erin.Addr.String()} {
			want, wh, werr := n1.App.Query(path, nil, h)
			got, gh, gerr := n2.App.Query(path, nil, h)
			if werr != nil || gerr != nil || wh != h || gh != h || !bytes.Equal(want, got) {
				t.Fatalf("%s at %d: joiner (%x, %v), validator (%x, %v)", path, h, got, gerr, want, werr)
			}
		}
		m1, err1 := n1.DB.MetaAt(h)
		m2, err2 := n2.DB.MetaAt(h)
		if err1 != nil || err2 != nil || !bytes.Equal(m1.AppHash, m2.AppHash) || m1.Time != m2.Time {
			t.Fatalf("meta at %d: joiner %X/%d (%v), validator %X/%d (%v)", h, m2.AppHash, m2.Time, err2, m1.AppHash, m1.Time, err1)
		}
	}
	var supply app.QuerySupplyResponse
	bz, _, _ := n2.App.Query("/app/supply", nil, tip)
	if err := supply.Unmarshal(bz); err != nil || supply.Members+supply.Probation != 3 {
		t.Fatalf("joiner supply at %d: %v (%v); want 3 members", tip, &supply, err)
	}
	if n2.App.ChainID() != chainID {
		t.Fatalf("joiner chain id %q", n2.App.ChainID())
	}
}

func startNode(t *testing.T, home string, cfg config.Config) *node.Node {
	t.Helper()
	n, err := node.Start(home, cfg, io.Discard, node.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Stop(); err != nil {
			t.Error(err)
		}
	})
	return n
}

func rpcClient(t *testing.T, addr string) *client.Client {
	t.Helper()
	c, err := client.New("tcp://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	c.CommitTimeout = 20 * time.Second
	return c
}

func mustCommit(t *testing.T, c *client.Client, from apptest.Key, chainID string, msg *auth.Msg) {
	t.Helper()
	res, err := c.SignAndBroadcast(context.Background(), from.Priv, chainID, "", false, msg)
	if err != nil || !res.Committed || res.Code != 0 {
		t.Fatalf("%s: %+v, %v", from.Name, res, err)
	}
}

// waitForSnapshot waits until the node lists a snapshot and returns the newest one's height.
func waitForSnapshot(t *testing.T, n *node.Node, c *client.Client) int64 {
	t.Helper()
	st, _ := c.Status(context.Background())
	after := st.SyncInfo.LatestBlockHeight
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		res, err := n.Comet.ProxyApp().Snapshot().ListSnapshots(context.Background(), &abcitypes.RequestListSnapshots{})
		if err == nil && len(res.Snapshots) > 0 && int64(res.Snapshots[0].Height) >= after {
			return int64(res.Snapshots[0].Height)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no snapshot at or above height %d in 20s", after)
	return 0
}

// n2Restored is the first height the joiner has: the snapshot it restored.
func n2Restored(t *testing.T, n *node.Node) int64 {
	t.Helper()
	for h := int64(1); h <= n.DB.Committed().Height; h++ {
		if _, err := n.DB.MetaAt(h); err == nil {
			return h
		}
	}
	t.Fatal("joiner has no height")
	return 0
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer collects a node's log for printing when the test fails.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
