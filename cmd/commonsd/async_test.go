package main

import (
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
)

// Back-to-back --async txs from one key all go in: the second and third are signed with the
// committed sequence, refused as used (auth/105, naming the next one from the mempool's state), and
// signed again with it. Before, they failed with "sequence already used".
func TestBackToBackAsyncTxs(t *testing.T) {
	if testing.Short() {
		t.Skip("node-level test")
	}
	home := t.TempDir()
	rpc := freePort(t)
	if err := initDevnet(home, node.InitOptions{BlockTime: time.Second, RPCAddr: "tcp://" + rpc, P2PAddr: "tcp://" + freePort(t)}); err != nil {
		t.Fatal(err)
	}
	n, c := startInProcess(t, home)
	defer n.Stop()
	waitHeightC(t, c, 2)
	F := []string{"--home", home, "--keyring-backend", "test", "--node", "tcp://" + rpc}
	for i := 0; i < 3; i++ {
		mustCLI(t, []string{"code:   0 (ok)"}, append([]string{"tx", "transfer", "bob", "1", "--from", "alice", "--async"}, F...)...)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		out := mustCLI(t, nil, append([]string{"query", "account", "bob"}, F...)...)
		if strings.Contains(out, "balance:  103 hours") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("bob did not receive the three hours:\n%s", out)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
