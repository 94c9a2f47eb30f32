package node_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/crypto/tmhash"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/cmd/commonsd/internal/ports"
	"github.com/commonsledger/commons/config"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	a, err := ports.Addr()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestNodeEndToEnd starts a real CometBFT node with the app in-process, sends signed transfers over
// its RPC, waits for them to commit and checks the resulting state through RPC queries.
// TestNodeEndToEnd runs a node as `commonsd init` writes it, with the app keeping the mempool, and
// with CometBFT's flood mempool instead (mempool.type = "flood" in config.toml).
func TestNodeEndToEnd(t *testing.T) {
	for _, mempool := range []string{cmtcfg.MempoolTypeApp, cmtcfg.MempoolTypeFlood} {
		t.Run(mempool, func(t *testing.T) { nodeEndToEnd(t, mempool) })
	}
}

func nodeEndToEnd(t *testing.T, mempool string) {
	alice, bob := apptest.NewKey("alice"), apptest.NewKey("bob")
	home := t.TempDir()
	rpc := freeAddr(t)
	g := app.DefaultGenesis()
	g.Bank.Accounts = []*bank.GenesisAccount{{Address: alice.Addr.String(), Balance: 10_000_000}}
	cfg := config.Default()
	cfg.API.Enable = false
	if _, err := node.Init(home, node.InitOptions{ChainID: "e2e-chain", Genesis: g, BlockTime: 200 * time.Millisecond,
		RPCAddr: "tcp://" + rpc, P2PAddr: "tcp://" + freeAddr(t), App: cfg}); err != nil {
		t.Fatal(err)
	}
	if mempool != cmtcfg.MempoolTypeApp { // init writes "app"
		path := filepath.Join(home, "config", "config.toml")
		toml, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		edited := strings.Replace(string(toml), `type = "app"`, `type = "`+mempool+`"`, 1)
		if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	n, err := node.Start(home, cfg, io.Discard, node.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n.Conf.Mempool.Type != mempool {
		t.Fatalf("the node runs mempool.type %q; want %q", n.Conf.Mempool.Type, mempool)
	}
	t.Cleanup(func() {
		if err := n.Stop(); err != nil {
			t.Error(err)
		}
	})
	c, err := client.New("tcp://" + rpc)
	if err != nil {
		t.Fatal(err)
	}
	c.CommitTimeout = 20 * time.Second
	ctx := context.Background()
	waitForHeight(t, c, 2) // CometBFT reports a height before the app has committed it

	var heights []int64
	for i, amount := range []uint64{2_500_000, 1_000_000} {
		res, err := c.SignAndBroadcast(ctx, alice.Priv, "e2e-chain", "", false,
			&auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bob.Addr.String(), Amount: amount}}})
		if err != nil {
			t.Fatalf("transfer %d: %v", i, err)
		}
		if !res.Committed || res.Code != 0 || res.Height < 1 {
			t.Fatalf("transfer %d: result %+v", i, res)
		}
		if !hasEvent(res, "transfer", "amount", fmtUhour(amount)) {
			t.Fatalf("transfer %d: no transfer event with amount %d in %+v", i, amount, res.Events)
		}
		heights = append(heights, res.Height)
	}
	acc, _, err := c.Account(ctx, bob.Addr, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !acc.Exists || acc.Account.Balance != 3_500_000 {
		t.Fatalf("bob after two transfers: %+v", acc)
	}
	sender, _, _ := c.Account(ctx, alice.Addr, 0)
	if sender.Account.Balance != 6_500_000 || sender.Account.Sequence != 2 {
		t.Fatalf("alice after two transfers: %+v", sender.Account)
	}
	// Historical query: before the first transfer bob had nothing.
	old, h, err := c.Account(ctx, bob.Addr, heights[0]-1)
	if err != nil {
		t.Fatal(err)
	}
	if old.Exists || h != heights[0]-1 {
		t.Fatalf("bob at height %d: %+v (answered at %d)", heights[0]-1, old, h)
	}
	// tx_search finds the transfers by the indexed attributes (core.Indexed) and not by the others:
	// the amount is delivered with the event but costs the indexer no key.
	for _, q := range []struct {
		query string
		want  int
	}{
		{"transfer.recipient='" + bob.Addr.String() + "'", 2},
		{"message.sender='" + alice.Addr.String() + "'", 2},
		{"transfer.amount='" + fmtUhour(2_500_000) + "'", 0},
		{"message.action='transfer'", 0},
		{"transfer.sender='" + alice.Addr.String() + "'", 0}, // message.sender finds them
	} {
		res, err := c.RPC.TxSearch(ctx, q.query, false, nil, nil, "")
		if err != nil || res.TotalCount != q.want {
			t.Fatalf("tx_search %s: %v, %v; want %d txs", q.query, res, err, q.want)
		}
	}
	// A replayed tx (same sequence) is refused by CheckTx over RPC with the stable code.
	raw := alice.Sign(t, "e2e-chain", 0, apptest.Transfer(bob.Addr, 1))
	_, err = c.Broadcast(ctx, raw, false)
	var txErr *client.TxError
	if !asTxErr(err, &txErr) || txErr.Result.Code != auth.ErrSequenceReused.Code {
		t.Fatalf("replay: want code %d, got %v", auth.ErrSequenceReused.Code, err)
	}
	// The same bytes twice: the second send is refused as already known, with an error that says
	// so (not that the node is unreachable).
	again := alice.Sign(t, "e2e-chain", 2, apptest.Transfer(bob.Addr, 1))
	if _, err := c.Broadcast(ctx, again, true); err != nil {
		t.Fatal(err)
	}
	if _, err = c.Broadcast(ctx, again, true); err == nil || !strings.Contains(err.Error(), "already has this exact tx") {
		t.Fatalf("the same tx sent twice: %v", err)
	}
	if _, err := c.WaitForTx(ctx, tmhash.Sum(again)); err != nil {
		t.Fatal(err)
	}
	// The chain keeps going.
	st, _ := c.Status(ctx)
	waitForHeight(t, c, st.SyncInfo.LatestBlockHeight+2)
}

func waitForHeight(t *testing.T, c *client.Client, h int64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if got, err := c.AppHeight(context.Background()); err == nil && got >= h {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("node did not reach height %d in 30s", h)
}
