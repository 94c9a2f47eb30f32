package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/cmd/commonsd/internal/ports"
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
	a, err := ports.Addr()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// procNode is a devnet node running as a separate commonsd process.
type procNode struct {
	t    *testing.T
	home string
	rpc  string
	cmd  *exec.Cmd
	log  *os.File
	c    *client.Client
	env  []string // added to every start's environment
	bin  string   // the commonsd to start ("" for binary)
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
	bin := binary
	if p.bin != "" {
		bin = p.bin
	}
	p.cmd = exec.Command(bin, "start", "--home", p.home, "--api-enable=false", "--log-level", "info")
	p.cmd.Env = append(append(os.Environ(), p.env...), env...)
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
	p.t.Fatalf("node did not reach height %d; log tail:\n%s", h, p.logTail(3000))
}

// logTail is the last n bytes of the node's log (all runs of the process append to it).
func (p *procNode) logTail(n int) []byte {
	out, _ := os.ReadFile(filepath.Join(p.home, "node.log"))
	return tail(out, n)
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

// exited waits for the process to end on its own and returns its exit code.
func (p *procNode) exited() int {
	p.cmd.Wait()
	p.log.Close()
	return p.cmd.ProcessState.ExitCode()
}

func (p *procNode) key(name string) ed25519.PrivKey {
	kr, _ := keyring.Open(p.home, keyring.BackendTest, nil)
	k, err := kr.PrivKey(name)
	if err != nil {
		p.t.Fatal(err)
	}
	return k
}

func (p *procNode) addr(name string) core.Address {
	return core.AddressFromPubKey(p.key(name).PubKey().Bytes())
}

// appHashes returns the app hash after each height in [1, upTo], read from block headers (the
// header at h+1 carries the app hash after h).
func (p *procNode) appHashes(upTo int64) map[int64]string {
	return p.appHashRange(1, upTo)
}

// appHashRange is appHashes for heights [from, upTo], fetched 20 headers per RPC call.
func (p *procNode) appHashRange(from, upTo int64) map[int64]string {
	p.t.Helper()
	out := map[int64]string{}
	for lo := from + 1; lo <= upTo+1; lo += 20 {
		hi := min(lo+19, upTo+1)
		res, err := p.c.RPC.BlockchainInfo(context.Background(), lo, hi)
		if err != nil {
			p.t.Fatalf("headers %d..%d: %v", lo, hi, err)
		}
		for _, m := range res.BlockMetas {
			out[m.Header.Height-1] = m.Header.AppHash.String()
		}
	}
	for h := from; h <= upTo; h++ {
		if _, ok := out[h]; !ok {
			p.t.Fatalf("no header at height %d", h+1)
		}
	}
	return out
}

// loader sends transfers alice→bob of 1 to 1,000 uhour back to back, tracking sequences itself.
// When the node reports a sequence gap (its mempool was lost in a crash) it resumes from the
// committed sequence; when it reports a reused sequence it moves past it. Every attempt carries its
// own number in the memo, so each tx has its own hash (a resend is never refused as a duplicate).
type loader struct {
	p      *procNode
	priv   ed25519.PrivKey
	from   core.Address
	to     string
	seq    uint64
	amount uint64
	tries  uint64 // attempts so far, the memo of the next one
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once

	mu   sync.Mutex
	sent map[string]uint64 // tx hash → amount, of the txs the node accepted
	// tried holds every tx broadcast, whatever the answer: a broadcast whose answer was lost (an
	// RPC timeout under load) may still have entered the mempool and commit.
	tried map[string]uint64

	full, gaps, reused, down int // rejections seen, for the test log
}

func startLoad(p *procNode, seq uint64) *loader {
	l := &loader{p: p, priv: p.key("alice"), seq: seq, sent: map[string]uint64{}, tried: map[string]uint64{}, stop: make(chan struct{}), done: make(chan struct{})}
	l.from = core.AddressFromPubKey(l.priv.PubKey().Bytes())
	l.to = p.addr("bob").String()
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
		// 1 to 1,000 uhour by sequence: a long run (13,000+ txs and many retries across 100 kills)
		// stays far inside alice's 100 hours, which a growing amount once used up.
		l.amount = 1 + l.seq%1000
		l.tries++
		raw, _ := auth.Sign(l.priv, &auth.TxBody{ChainId: DevnetChainID, Sequence: l.seq, Memo: strconv.FormatUint(l.tries, 10),
			Msgs: []*auth.Msg{{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: l.to, Amount: l.amount}}}}})
		h := sha256.Sum256(raw)
		l.mu.Lock()
		l.tried[strings.ToUpper(hex.EncodeToString(h[:]))] = l.amount
		l.mu.Unlock()
		res, err := l.p.c.Broadcast(context.Background(), raw, true)
		if err == nil {
			l.mu.Lock()
			l.sent[res.Hash] = l.amount
			l.mu.Unlock()
			l.seq++
			continue
		}
		switch {
		case res != nil && res.Code == auth.ErrMempoolFull.Code:
			// Also what a node answers for a sequence 64 or more past the committed one: after a
			// crash emptied the mempool, "full" with nothing pending means start over.
			l.full++
			if n, err := l.p.c.RPC.NumUnconfirmedTxs(context.Background()); err == nil && n.Total == 0 {
				l.resync()
			} else {
				time.Sleep(50 * time.Millisecond)
			}
		case res != nil && res.Code == auth.ErrSequenceGap.Code:
			l.gaps++
			l.resync()
		case res != nil && res.Code == auth.ErrSequenceReused.Code:
			l.reused++
			l.seq++
		default:
			l.down++
			time.Sleep(20 * time.Millisecond) // node down or busy: try the same sequence again
		}
	}
}

// resync continues from the committed sequence.
func (l *loader) resync() {
	if acc, _, err := l.p.c.Account(context.Background(), l.from, 0); err == nil {
		l.seq = acc.Account.Sequence
	}
}

// halt stops the load and waits for the last broadcast; it may be called more than once.
func (l *loader) halt() {
	l.once.Do(func() { close(l.stop) })
	<-l.done
}

// stats describes the load after halt.
func (l *loader) stats() string {
	return fmt.Sprintf("%d txs accepted; rejected: %d mempool full, %d sequence gaps, %d reused sequences; %d failed sends",
		len(l.sentTxs()), l.full, l.gaps, l.reused, l.down)
}

// sentTxs is a copy of the txs the node accepted so far (hash → amount).
func (l *loader) sentTxs() map[string]uint64 { return l.copyOf(l.sent) }

// triedTxs is a copy of every tx broadcast so far, accepted or not (hash → amount).
func (l *loader) triedTxs() map[string]uint64 { return l.copyOf(l.tried) }

func (l *loader) copyOf(m map[string]uint64) map[string]uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]uint64, len(m))
	for h, a := range m {
		out[h] = a
	}
	return out
}

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

// waitMempoolEmpty waits until every accepted tx has left the mempool (committed or dropped).
func (p *procNode) waitMempoolEmpty() {
	p.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := p.c.RPC.NumUnconfirmedTxs(context.Background()); err == nil && r.Total == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatal("mempool did not drain")
}

// logHas reports whether the node's log contains s.
func (p *procNode) logHas(s string) bool {
	out, _ := os.ReadFile(filepath.Join(p.home, "node.log"))
	return strings.Contains(string(out), s)
}
