package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/cmd/commonsd/internal/ports"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// freeRange finds a base port with n consecutive free ports on 127.0.0.1 (see package ports).
func freeRange(t *testing.T, n int) int {
	t.Helper()
	base, err := ports.Range(n)
	if err != nil {
		t.Fatal(err)
	}
	return base
}

type netNode struct {
	home string
	cmd  *exec.Cmd
	c    *client.Client
}

func (n *netNode) start(t *testing.T) {
	t.Helper()
	log, err := os.OpenFile(filepath.Join(n.home, "node.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	n.cmd = exec.Command(binary, "start", "--home", n.home, "--api-enable=false")
	n.cmd.Stdout, n.cmd.Stderr = log, log
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { n.cmd.Wait(); log.Close() }()
}

// height is the last height the node's app has committed: what its queries answer for. CometBFT's
// status can already report the next block while the app is still applying it, so a query right
// after the status showed height h could still answer for h-1.
func (n *netNode) height() int64 {
	h, err := n.c.AppHeight(context.Background())
	if err != nil {
		return -1
	}
	return h
}

func (n *netNode) appHashAfter(t *testing.T, h int64) string {
	t.Helper()
	next := h + 1
	b, err := n.c.RPC.Block(context.Background(), &next)
	if err != nil {
		t.Fatalf("%s: block %d: %v", n.home, next, err)
	}
	return b.Block.AppHash.String()
}

func waitAll(t *testing.T, nodes []*netNode, h int64) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for _, n := range nodes {
		for n.height() < h {
			if time.Now().After(deadline) {
				out, _ := os.ReadFile(filepath.Join(n.home, "node.log"))
				t.Fatalf("%s did not reach height %d; log tail:\n%s", n.home, h, tail(out, 3000))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// TestLocalnetKillValidatorConverges runs a 4-validator localnet as separate processes, SIGKILLs one
// validator while txs flow, restarts it, and checks that all four converge on the same app hash at
// the same heights and that every tx committed before the kill is still there, at the same height.
func TestLocalnetKillValidatorConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process localnet test")
	}
	dir := t.TempDir()
	base := freeRange(t, 40)
	apiBase := freeRange(t, 4)
	if err := writeLocalnet(dir, 4, base, apiBase, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var nodes []*netNode
	for i := 0; i < 4; i++ {
		n := &netNode{home: filepath.Join(dir, fmt.Sprintf("node%d", i)), c: rpcTo(t, portsFor(base, i).rpc)}
		n.start(t)
		nodes = append(nodes, n)
	}
	t.Cleanup(func() { stopAll(nodes) })
	waitAll(t, nodes, 3)

	kr, _ := keyring.Open(dir, keyring.BackendTest, nil)
	alice, _ := kr.PrivKey("alice")
	bobRec, _ := kr.Show("bob")
	var sent []string
	var seq uint64
	send := func(count int) {
		for i := 0; i < count; i++ {
			raw, _ := auth.Sign(alice, &auth.TxBody{ChainId: LocalnetChainID, Sequence: seq,
				Msgs: []*auth.Msg{{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bobRec.Address, Amount: 1000}}}}})
			res, err := nodes[0].c.Broadcast(context.Background(), raw, true)
			if err != nil {
				if res != nil && res.Code == auth.ErrMempoolFull.Code {
					time.Sleep(100 * time.Millisecond)
					i--
					continue
				}
				t.Fatalf("broadcast: %v", err)
			}
			sent = append(sent, res.Hash)
			seq++
		}
	}
	send(40)
	victim := nodes[2]
	victim.cmd.Process.Signal(syscall.SIGKILL)
	time.Sleep(200 * time.Millisecond)
	send(40) // the other three keep committing (3 of 4 validators hold > 2/3 of the power)
	waitLast := func() *client.Result {
		last, err := nodes[0].c.WaitForTx(context.Background(), hexHash(t, sent[len(sent)-1]))
		if err != nil {
			t.Fatalf("last tx with one validator down: %v", err)
		}
		return last
	}
	last := waitLast()
	// Which blocks the txs land in is timing: when node0 happened to propose every one of them,
	// send a few more, block after block, so that another proposer's block can take some.
	st, err := nodes[0].c.RPC.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	self := st.ValidatorInfo.Address
	elsewhere := func(hash string) bool {
		a, err := nodes[0].c.Tx(context.Background(), hash)
		if err != nil {
			t.Fatalf("tx %s not committed on node0: %v", hash, err)
		}
		return proposedElsewhere(t, nodes[0], self, a.Height)
	}
	for tries := 0; tries < 10 && !slices.ContainsFunc(sent, elsewhere); tries++ {
		send(5)
		last = waitLast()
	}
	victim.start(t)
	target := nodes[0].height() + 3
	waitAll(t, nodes, target)

	for h := int64(1); h <= target-1; h++ {
		want := nodes[0].appHashAfter(t, h)
		for _, n := range nodes[1:] {
			if got := n.appHashAfter(t, h); got != want {
				t.Fatalf("app hash after height %d: node0 %s, %s %s", h, want, n.home, got)
			}
		}
	}
	gossiped := 0 // txs in blocks that node0, the only node they were sent to, did not propose
	for _, hash := range sent {
		a, err := nodes[0].c.Tx(context.Background(), hash)
		if err != nil {
			t.Fatalf("tx %s not committed on node0: %v", hash, err)
		}
		if proposedElsewhere(t, nodes[0], self, a.Height) {
			gossiped++
		}
		b, err := victim.c.Tx(context.Background(), hash)
		if err != nil || b.Height != a.Height {
			t.Fatalf("tx %s: node0 has it at %d, restarted node2 %v (err %v)", hash, a.Height, b, err)
		}
	}
	bob, _, err := victim.c.Account(context.Background(), mustAddr(t, bobRec.Address), 0)
	if err != nil || bob.Account.Balance != 100*core.MicroPerHour+uint64(len(sent))*1000 {
		t.Fatalf("bob on the restarted node: %+v %v", bob, err)
	}
	if gossiped == 0 {
		t.Fatal("node0 proposed every block with the txs sent to it, so nothing shows that the mempool gossips them")
	}
	t.Logf("4 validators converged to height %d; %d txs committed (last at %d, %d in blocks other validators proposed), all present on the restarted node",
		target, len(sent), last.Height, gossiped)
}

// proposedElsewhere says whether n's block at height was proposed by a validator other than self.
func proposedElsewhere(t *testing.T, n *netNode, self []byte, height int64) bool {
	t.Helper()
	blk, err := n.c.RPC.Block(context.Background(), &height)
	if err != nil {
		t.Fatal(err)
	}
	return !bytes.Equal(blk.Block.ProposerAddress, self)
}

func hexHash(t *testing.T, s string) []byte {
	t.Helper()
	var b []byte
	if _, err := fmt.Sscanf(s, "%X", &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func mustAddr(t *testing.T, s string) core.Address {
	t.Helper()
	a, err := core.ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
