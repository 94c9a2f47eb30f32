package node_test

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
)

// metric reads one sample (by its full name with labels, as exposed) from a Prometheus scrape.
func metric(t *testing.T, url, name string) float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` ([0-9.e+]+)$`).FindSubmatch(body)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}

// TestMetricsMoveWithTxs enables metrics, scrapes the endpoint, sends transfers and scrapes again:
// the app's counters and histograms move, on the same endpoint as CometBFT's own metrics.
func TestMetricsMoveWithTxs(t *testing.T) {
	alice, bob := apptest.NewKey("alice"), apptest.NewKey("bob")
	home, rpc, metricsAddr := t.TempDir(), freeAddr(t), freeAddr(t)
	g := app.DefaultGenesis()
	// bob has an account, so 0.001-hour transfers reach it (opening one takes min_new_account_amount).
	g.Bank.Accounts = []*bank.GenesisAccount{{Address: alice.Addr.String(), Balance: 10_000_000}, {Address: bob.Addr.String(), Balance: 1}}
	cfg := config.Default()
	cfg.API.Enable = false
	cfg.Metrics = config.MetricsConfig{Enable: true, Address: metricsAddr}
	if _, err := node.Init(home, node.InitOptions{ChainID: "metrics-chain", Genesis: g, BlockTime: 200 * time.Millisecond,
		RPCAddr: "tcp://" + rpc, P2PAddr: "tcp://" + freeAddr(t), App: cfg}); err != nil {
		t.Fatal(err)
	}
	n, err := node.Start(home, cfg, io.Discard, node.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Stop()
	c, _ := client.New("tcp://" + rpc)
	c.CommitTimeout = 20 * time.Second
	waitForHeight(t, c, 2)
	url := "http://" + metricsAddr + "/metrics"
	txs := `commons_app_txs_total{result="ok",type="transfer"}`
	before, heightBefore := metric(t, url, txs), metric(t, url, "commons_app_height")
	for i := 0; i < 3; i++ {
		if _, err := c.SignAndBroadcast(context.Background(), alice.Priv, "metrics-chain", "", false,
			&auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bob.Addr.String(), Amount: 1000}}}); err != nil {
			t.Fatal(err)
		}
	}
	if got := metric(t, url, txs) - before; got != 3 {
		t.Fatalf("%s moved by %v, want 3", txs, got)
	}
	if metric(t, url, "commons_app_height") <= heightBefore {
		t.Fatal("commons_app_height did not advance")
	}
	if metric(t, url, "commons_app_commit_seconds_count") == 0 || metric(t, url, "commons_app_finalize_block_seconds_count") == 0 {
		t.Fatal("block duration histograms are empty")
	}
	// A tx a sequence ahead is held in the app's mempool for a few blocks: the gauges count it.
	held := alice.Sign(t, "metrics-chain", 4, apptest.Transfer(bob.Addr, 1000)) // alice's next is 3
	if _, err := c.Broadcast(context.Background(), held, true); err != nil {
		t.Fatal(err)
	}
	if got, size := metric(t, url, "commons_app_mempool_txs"), metric(t, url, "commons_app_mempool_bytes"); got != 1 || size != float64(len(held)) {
		t.Fatalf("commons_app_mempool_txs %v, _bytes %v with one held tx of %d bytes", got, size, len(held))
	}
	if metric(t, url, `cometbft_consensus_height{chain_id="metrics-chain"}`) == 0 {
		t.Fatal("CometBFT's own metrics are not on the same endpoint")
	}
}
