package main

import (
	"context"
	"fmt"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// binary is the commonsd built once for the process-level tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "commonsd-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "commonsd")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build commonsd: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// procNode is a devnet node running as a separate commonsd process.
type procNode struct {
	t    *testing.T
	home string
	rpc  string
	cmd  *exec.Cmd
	log  *os.File
	c    *client.Client
}

func newProcNode(t *testing.T) *procNode {
	home := t.TempDir()
	rpc := freePort(t)
	if err := initDevnet(home, node.InitOptions{BlockTime: 150 * time.Millisecond, RPCAddr: "tcp://" + rpc, P2PAddr: "tcp://" + freePort(t)}); err != nil {
		t.Fatal(err)
	}
	c, err := client.New("tcp://" + rpc)
	if err != nil {
		t.Fatal(err)
	}
	c.CommitTimeout = 20 * time.Second
	p := &procNode{t: t, home: home, rpc: rpc, c: c}
	t.Cleanup(func() {
		if p.cmd != nil && p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	return p
}

// start launches the node with extra environment (e.g. a crash point).
func (p *procNode) start(env ...string) {
	p.t.Helper()
	log, err := os.OpenFile(filepath.Join(p.home, "node.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		p.t.Fatal(err)
	}
	p.log = log
	p.cmd = exec.Command(binary, "start", "--home", p.home, "--api-enable=false", "--log-level", "info")
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = log, log
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
}

func (p *procNode) height() int64 {
	st, err := p.c.Status(context.Background())
	if err != nil {
		return -1
	}
	return st.SyncInfo.LatestBlockHeight
}

func (p *procNode) waitHeight(h int64) {
	p.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if p.height() >= h {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	out, _ := os.ReadFile(filepath.Join(p.home, "node.log"))
	p.t.Fatalf("node did not reach height %d; log tail:\n%s", h, tail(out, 3000))
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

func (p *procNode) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	p.log.Close()
}

func (p *procNode) key(name string) ed25519.PrivKey {
	kr, _ := keyring.Open(p.home, keyring.BackendTest, nil)
	k, err := kr.PrivKey(name)
	if err != nil {
		p.t.Fatal(err)
	}
	return k
}

// appHashes returns the app hash after each height in [1, upTo], read from block headers (the
// header at h+1 carries the app hash after h).
func (p *procNode) appHashes(upTo int64) map[int64]string {
	out := map[int64]string{}
	for h := int64(2); h <= upTo+1; h++ {
		hh := h
		b, err := p.c.RPC.Block(context.Background(), &hh)
		if err != nil {
			p.t.Fatalf("block %d: %v", h, err)
		}
		out[h-1] = b.Block.AppHash.String()
	}
	return out
}

// loader sends transfers alice→bob of 1..k uhour back to back, tracking sequences itself.
type loader struct {
	p      *procNode
	priv   ed25519.PrivKey
	to     string
	seq    uint64
	sent   map[string]uint64 // tx hash → amount
	stop   chan struct{}
	done   chan struct{}
	amount uint64
}

func startLoad(p *procNode, seq uint64) *loader {
	l := &loader{p: p, priv: p.key("alice"), seq: seq, sent: map[string]uint64{}, stop: make(chan struct{}), done: make(chan struct{})}
	bobKey := p.key("bob")
	l.to = core.AddressFromPubKey(bobKey.PubKey().Bytes()).String()
	go l.run()
	return l
}

func (l *loader) run() {
	defer close(l.done)
	for {
		select {
		case <-l.stop:
			return
		default:
		}
		l.amount++
		raw, _ := auth.Sign(l.priv, &auth.TxBody{ChainId: DevnetChainID, Sequence: l.seq,
			Msgs: []*auth.Msg{{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: l.to, Amount: l.amount}}}}})
		res, err := l.p.c.Broadcast(context.Background(), raw, true)
		if err != nil {
			if res != nil && res.Code == auth.ErrMempoolFull.Code {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			time.Sleep(20 * time.Millisecond) // node down or busy: try the same sequence again
			continue
		}
		l.sent[res.Hash] = l.amount
		l.seq++
	}
}

func (l *loader) halt() { close(l.stop); <-l.done }

// committed returns the sent txs the node reports as committed, with their heights.
func (p *procNode) committed(sent map[string]uint64) map[string]int64 {
	out := map[string]int64{}
	for hash := range sent {
		if r, err := p.c.Tx(context.Background(), hash); err == nil {
			out[hash] = r.Height
		}
	}
	return out
}

// TestCrashRecoverySIGKILL kills the node with SIGKILL at random instants while it commits blocks
// under load, restarts it each time, and checks that no committed tx is lost, that the app-hash
// history is unchanged, and that the balances add up.
func TestCrashRecoverySIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("process-level crash test")
	}
	p := newProcNode(t)
	p.start()
	p.waitHeight(2)
	rng := rand.New(rand.NewSource(1))
	var seq uint64
	allSent := map[string]uint64{}
	for round := 0; round < 3; round++ {
		l := startLoad(p, seq)
		time.Sleep(time.Duration(500+rng.Intn(1500)) * time.Millisecond)
		before := p.height()
		hashes := p.appHashes(before - 1)
		known := p.committed(l.sent)
		p.kill()
		l.halt()
		seq = l.seq
		for h, a := range l.sent {
			allSent[h] = a
		}
		p.start()
		p.waitHeight(before + 3)
		for h, hash := range p.appHashes(before - 1) {
			if hashes[h] != hash {
				t.Fatalf("round %d: app hash at height %d changed across the crash: %s → %s", round, h, hashes[h], hash)
			}
		}
		after := p.committed(l.sent)
		for hash, height := range known {
			if after[hash] != height {
				t.Fatalf("round %d: tx %s committed at height %d before the crash is now at %d", round, hash, height, after[hash])
			}
		}
		t.Logf("round %d: killed at height %d with %d txs sent, %d known committed; resumed to %d", round, before, len(l.sent), len(known), p.height())
		// Resume the sequence from the chain: txs in the killed node's mempool may be lost (never committed).
		acc, _, err := p.c.Account(context.Background(), core.AddressFromPubKey(p.key("alice").PubKey().Bytes()), 0)
		if err != nil {
			t.Fatal(err)
		}
		seq = acc.Account.Sequence
	}
	// Balances: bob received exactly the committed transfers; nothing was created or lost.
	var moved uint64
	for hash := range p.committed(allSent) {
		moved += allSent[hash]
	}
	bob, _, _ := p.c.Account(context.Background(), core.AddressFromPubKey(p.key("bob").PubKey().Bytes()), 0)
	alice, _, _ := p.c.Account(context.Background(), core.AddressFromPubKey(p.key("alice").PubKey().Bytes()), 0)
	if bob.Account.Balance != 100*core.MicroPerHour+moved || alice.Account.Balance+bob.Account.Balance != 200*core.MicroPerHour {
		t.Fatalf("balances after crashes: alice %d, bob %d, committed transfers %d", alice.Account.Balance, bob.Account.Balance, moved)
	}
}

// TestCrashPoints stops the process at each failpoint of block execution and commit, and checks
// that the restarted node continues the same chain with the committed tx in place.
func TestCrashPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("process-level crash test")
	}
	for _, point := range []string{"after-finalize", "before-commit", "after-commit"} {
		t.Run(point, func(t *testing.T) {
			p := newProcNode(t)
			p.start()
			p.waitHeight(2)
			h := p.height() + 5 // crash a few blocks after the restart below
			p.kill()
			p.start(crashEnv(point, h))
			p.waitHeight(h - 4)
			// Send a tx so the crashing block is not empty; it may land before or in height h.
			alice := p.key("alice")
			bob := core.AddressFromPubKey(p.key("bob").PubKey().Bytes())
			res, err := p.c.SignAndBroadcast(context.Background(), alice, DevnetChainID, "", true,
				&auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bob.String(), Amount: 7}}})
			if err != nil {
				t.Fatal(err)
			}
			if err := p.cmd.Wait(); err == nil {
				t.Fatalf("node did not stop at crash point %s", point)
			}
			if code := p.cmd.ProcessState.ExitCode(); code != 137 {
				t.Fatalf("exit code %d, want 137 from the crash point", code)
			}
			p.log.Close()
			p.start()
			p.waitHeight(h + 3)
			tx, err := p.c.Tx(context.Background(), res.Hash)
			if err != nil || tx.TxResult.Code != 0 {
				t.Fatalf("tx sent before the crash: %v %+v", err, tx)
			}
			acc, _, _ := p.c.Account(context.Background(), bob, 0)
			if acc.Account.Balance != 100*core.MicroPerHour+7 {
				t.Fatalf("bob balance %d after restart", acc.Account.Balance)
			}
		})
	}
}

func crashEnv(point string, h int64) string {
	return fmt.Sprintf("COMMONSD_CRASH_AT=%s@%d", point, h)
}
