package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// TestAdversarialLocalnet is the process-level adversarial run of the hardening work: a 4-validator
// localnet of real processes on 127.0.0.1, a ring of colluding members that each keep the per-sender
// maximum of maximal txs (16 KB claims, attestations with maximal notes, transfers packed to the size
// cap) in the mempools, and a stranger flooding 15.8 KB txs signed by fresh unknown keys at every
// node, while an honest member sends one transfer a second. It checks that no node halts, that every
// node's memory stays under a bound, that every honest transfer commits, and that the nodes agree on
// the app hash. `make adversarial` runs it for 5 minutes (ADVERSARIAL_DURATION) and prints the
// figures that RELIABILITY.md records; `make test` runs it for 20 seconds.
func TestAdversarialLocalnet(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process localnet test")
	}
	duration := 20 * time.Second
	if s := os.Getenv("ADVERSARIAL_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("ADVERSARIAL_DURATION=%q: %v", s, err)
		}
		duration = d
	}
	const ringSize = 5
	dir := t.TempDir()
	base, apiBase := freeRange(t, 40), freeRange(t, 4)
	kr, err := keyring.Open(dir, keyring.BackendTest, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := demoGenesis(kr)
	if err != nil {
		t.Fatal(err)
	}
	var ring []*adversary
	for i := range ringSize {
		secret := sha256.Sum256([]byte("commonsd/adversarial/" + strconv.Itoa(i)))
		a := &adversary{priv: ed25519.GenPrivKeyFromSecret(secret[:]), rejected: map[string]int{}, attested: map[uint64]bool{}, byKind: map[string]int64{}}
		a.addr = core.AddressFromPubKey(a.priv.PubKey().Bytes())
		g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: a.addr.String(), Balance: 1000 * core.MicroPerHour})
		g.Members.Members = append(g.Members.Members, &members.Member{Address: a.addr.String(), Handle: fmt.Sprintf("ring-%d", i)})
		ring = append(ring, a)
	}
	if err := writeLocalnetGenesis(dir, 4, base, apiBase, 500*time.Millisecond, g); err != nil {
		t.Fatal(err)
	}
	heapDir, pprofAddr := os.Getenv("ADVERSARIAL_HEAP_DIR"), fmt.Sprintf("127.0.0.1:%d", base+5)
	if heapDir != "" { // node0 serves pprof on a port of its own range that nothing else uses
		cfg := filepath.Join(dir, "node0", "config", "config.toml")
		b, err := os.ReadFile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), `pprof_laddr = ""`, `pprof_laddr = "`+pprofAddr+`"`, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var nodes []*netNode
	for i := range 4 {
		n := &netNode{home: filepath.Join(dir, fmt.Sprintf("node%d", i)), c: rpcTo(t, portsFor(base, i).rpc)}
		n.start(t)
		nodes = append(nodes, n)
	}
	t.Cleanup(func() { stopAll(nodes) })
	waitAll(t, nodes, 2)
	startHeight := nodes[0].height()

	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var wg sync.WaitGroup
	run := func(f func()) { wg.Add(1); go func() { defer wg.Done(); f() }() }
	for i, a := range ring {
		a.node, a.ring, a.nextEnd = nodes[i%len(nodes)].c, ring, time.Now().Unix()-60
		run(func() { a.attack(ctx) })
	}
	stranger := &strangerFlood{rejected: map[string]int{}}
	for _, n := range nodes {
		run(func() { stranger.flood(ctx, n.c) })
	}
	mem := &memWatch{peak: make([]int64, len(nodes)), first: make([]int64, len(nodes)), last: make([]int64, len(nodes))}
	run(func() { mem.watch(ctx, nodes) })
	if heapDir != "" {
		run(func() { heapProfiles(ctx, t, pprofAddr, heapDir) })
	}
	honest := honestSender(ctx, t, kr, nodes[0].c)
	wg.Wait()

	// No node halted: each process is alive and all reach a height past the end of the attack.
	for _, n := range nodes {
		if n.cmd.ProcessState != nil {
			t.Fatalf("%s exited during the attack: %v; log tail:\n%s", n.home, n.cmd.ProcessState, logTail(n.home))
		}
	}
	endHeight := nodes[0].height()
	waitAll(t, nodes, endHeight+2)
	want := nodes[0].appHashAfter(t, endHeight)
	for _, n := range nodes[1:] {
		if got := n.appHashAfter(t, endHeight); got != want {
			t.Fatalf("app hash after height %d: node0 %s, %s %s", endHeight, want, n.home, got)
		}
	}
	if honest.failed > 0 || honest.committed < int(duration/time.Second)/3 {
		t.Fatalf("honest transfers: %d committed, %d failed (%s); want all of them, about one a second",
			honest.committed, honest.failed, honest.firstErr)
	}
	const rssLimit = 2 << 30
	for i, peak := range mem.peak {
		if peak > rssLimit {
			t.Fatalf("node%d's memory peaked at %d MiB; the bound is %d MiB", i, peak>>20, rssLimit>>20)
		}
	}

	var accepted, ringTxBytes int64
	ringRejected, byKind := map[string]int{}, map[string]int{}
	for _, a := range ring {
		accepted += a.accepted
		ringTxBytes += a.acceptedBytes
		for k, v := range a.byKind {
			byKind[k] += int(v)
		}
		for k, v := range a.rejected {
			ringRejected[k] += v
		}
	}
	t.Logf("adversarial run: %s, 4 validators, blocks %d..%d (%d)", duration, startHeight, endHeight, endHeight-startHeight)
	t.Logf("ring of %d members: %d txs accepted into mempools (%.1f MiB; %s); rejections by reason: %s",
		ringSize, accepted, float64(ringTxBytes)/(1<<20), fmtCounts(byKind), fmtCounts(ringRejected))
	t.Logf("stranger: %d txs of %d bytes from unknown keys sent (%.1f MiB), %d accepted; rejections: %s",
		stranger.sent.Load(), strangerTxBytes, float64(stranger.sent.Load()*strangerTxBytes)/(1<<20), stranger.accepted.Load(), fmtCounts(stranger.rejected))
	t.Logf("honest transfers: %d committed, 0 failed; commit latency p50 %s, max %s",
		honest.committed, honest.percentile(0.5), honest.percentile(1))
	for i := range nodes {
		t.Logf("node%d RSS: first %d MiB, peak %d MiB, last %d MiB; at each minute (MiB): %v", i, mem.first[i]>>20, mem.peak[i]>>20, mem.last[i]>>20, mem.minutes[i])
	}
}

// adversary is one colluding member: it keeps the per-sender maximum of maximal txs in flight.
type adversary struct {
	priv          ed25519.PrivKey
	addr          core.Address
	node          *client.Client
	ring          []*adversary
	seq           uint64
	nextEnd       int64 // its next claim ends here; claims walk back in time so they never overlap
	turn          int
	kind          string           // of the tx being sent: "claims", "attestations" or "transfers"
	byKind        map[string]int64 // txs accepted by kind
	accepted      int64
	acceptedBytes int64
	rejected      map[string]int
	attested      map[uint64]bool
	toAttest      []uint64
	lastLearn     time.Time
}

func (a *adversary) attack(ctx context.Context) {
	for ctx.Err() == nil {
		raw := a.nextTx(ctx)
		res, err := a.node.Broadcast(ctx, raw, true)
		var te *client.TxError
		switch {
		case err == nil:
			a.seq++
			a.accepted++
			a.byKind[a.kind]++
			a.acceptedBytes += int64(len(raw))
			if a.kind == "claims" {
				a.nextEnd -= 3 * 600 // the next claims start where these did; refused ones are tried again
			}
		case errors.As(err, &te) && te.Result.Code == auth.ErrMempoolFull.Code && te.Result.Codespace == auth.ErrMempoolFull.Codespace:
			a.rejected["mempool cap (waiting)"]++
			sleepCtx(ctx, 200*time.Millisecond) // at the per-sender maximum: wait for a commit
		case errors.As(err, &te):
			a.rejected[res.Codespace+"/"+strconv.Itoa(int(res.Code))]++
			if strings.Contains(res.Log, "sequence") {
				a.resync(ctx)
			}
		default:
			a.rejected["rpc error"]++
			sleepCtx(ctx, 200*time.Millisecond)
		}
	}
}

func (a *adversary) resync(ctx context.Context) {
	if acc, _, err := a.node.Account(ctx, a.addr, 0); err == nil && acc.Exists {
		a.seq = acc.Account.Sequence
	}
}

// nextTx builds the next maximal tx, in turn a tx of three maximal claims, a tx of maximal-note
// attestations on the ring's pending claims, and a tx of the most transfers a tx may carry.
func (a *adversary) nextTx(ctx context.Context) []byte {
	a.turn++
	var msgs []*auth.Msg
	switch a.turn % 3 {
	case 0:
		a.kind = "claims"
		for i := range int64(3) {
			end := a.nextEnd - 600*i
			msgs = append(msgs, apptest.MaximalClaim(LocalnetChainID, a.addr, time.Unix(end-600, 0), time.Unix(end, 0), "ring"))
		}
	case 1:
		a.kind = "attestations"
		a.learnClaims(ctx)
		for len(a.toAttest) > 0 && len(msgs) < auth.MaxMsgsPerTx {
			id := a.toAttest[0]
			a.toAttest = a.toAttest[1:]
			a.attested[id] = true
			msgs = append(msgs, &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{
				ClaimId: id, Verdict: claims.Verdict_VERDICT_APPROVE, Note: strings.Repeat("n", 512)}}})
		}
	}
	if len(msgs) == 0 {
		a.kind = "transfers"
		for len(msgs) < auth.MaxMsgsPerTx {
			to := a.ring[len(msgs)%len(a.ring)].addr
			if to.Equal(a.addr) {
				to = a.ring[(len(msgs)+1)%len(a.ring)].addr
			}
			msgs = append(msgs, &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: to.String(), Amount: 1}}})
		}
	}
	raw, err := auth.Sign(a.priv, &auth.TxBody{ChainId: LocalnetChainID, Sequence: a.seq, Msgs: msgs, Memo: strings.Repeat("m", auth.MaxMemoBytes)})
	if err != nil {
		panic(err)
	}
	return raw
}

// learnClaims queues the pending claims of the other ring members that this one has not attested.
func (a *adversary) learnClaims(ctx context.Context) {
	if len(a.toAttest) > 0 || time.Since(a.lastLearn) < 2*time.Second {
		return
	}
	a.lastLearn = time.Now()
	for _, other := range a.ring {
		if other == a {
			continue
		}
		req := &claims.QueryClaimsRequest{Claimant: other.addr.String(), Status: claims.ClaimStatus_CLAIM_STATUS_PENDING, Limit: 50}
		data, _ := req.Marshal()
		var out claims.QueryClaimsResponse
		if _, err := a.node.QueryProto(ctx, "/claims/claims", data, 0, &out); err != nil {
			continue
		}
		for _, c := range out.Claims {
			if !a.attested[c.Id] {
				a.toAttest = append(a.toAttest, c.Id)
			}
		}
	}
}

// strangerTxBytes is the size of the stranger's txs (just under auth.MaxTxBytes).
const strangerTxBytes = 15_800

// strangerFlood sends well-formed, validly signed txs from fresh keys that have no account.
type strangerFlood struct {
	sent, accepted atomic.Int64
	mu             sync.Mutex
	rejected       map[string]int
}

func (s *strangerFlood) flood(ctx context.Context, node *client.Client) {
	for ctx.Err() == nil {
		var seed [32]byte
		rand.Read(seed[:])
		priv := ed25519.GenPrivKeyFromSecret(seed[:])
		body := &auth.TxBody{ChainId: LocalnetChainID, Msgs: []*auth.Msg{{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{
			Start: 1, End: 2, Category: "care"}}}}}
		raw, _ := auth.Sign(priv, body)
		body.Msgs[0].GetSubmitClaim().Summary = strings.Repeat("x", strangerTxBytes-len(raw)-3)
		raw, _ = auth.Sign(priv, body)
		res, err := node.Broadcast(ctx, raw, true)
		s.sent.Add(1)
		var te *client.TxError
		switch {
		case err == nil:
			s.accepted.Add(1)
		case errors.As(err, &te):
			s.mu.Lock()
			s.rejected[res.Codespace+"/"+strconv.Itoa(int(res.Code))]++
			s.mu.Unlock()
		default:
			s.mu.Lock()
			s.rejected["rpc error"]++
			s.mu.Unlock()
			sleepCtx(ctx, 100*time.Millisecond)
		}
	}
}

// honestResult is what the honest member saw.
type honestResult struct {
	committed, failed int
	firstErr          error
	latencies         []time.Duration
}

func (h *honestResult) percentile(p float64) time.Duration {
	if len(h.latencies) == 0 {
		return 0
	}
	s := slices.Clone(h.latencies)
	slices.Sort(s)
	return s[int(p*float64(len(s)-1))]
}

// honestSender sends alice → bob transfers, one a second, each waited for until it commits, until
// ctx ends.
func honestSender(ctx context.Context, t *testing.T, kr *keyring.Keyring, node *client.Client) *honestResult {
	alice, err := kr.PrivKey("alice")
	if err != nil {
		t.Fatal(err)
	}
	bob, _ := kr.Show("bob")
	h := &honestResult{}
	for ctx.Err() == nil {
		start := time.Now()
		wctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		_, err := node.SignAndBroadcast(wctx, alice, LocalnetChainID, "", false, &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bob.Address, Amount: 1}}})
		cancel()
		if err != nil {
			h.failed++
			if h.firstErr == nil {
				h.firstErr = err
			}
		} else {
			h.committed++
			h.latencies = append(h.latencies, time.Since(start))
		}
		sleepCtx(ctx, time.Second-time.Since(start))
	}
	return h
}

// memWatch samples every node's resident memory from /proc every 2 s; minutes holds each node's
// RSS at every full minute of the run.
type memWatch struct {
	first, peak, last []int64
	minutes           [][]int64
}

func (m *memWatch) watch(ctx context.Context, nodes []*netNode) {
	m.minutes = make([][]int64, len(nodes))
	start := time.Now()
	for {
		minute := time.Since(start) >= time.Duration(len(m.minutes[0])+1)*time.Minute
		for i, n := range nodes {
			rss := processRSS(n.cmd.Process.Pid)
			if m.first[i] == 0 {
				m.first[i] = rss
			}
			m.peak[i] = max(m.peak[i], rss)
			if rss > 0 {
				m.last[i] = rss
			}
			if minute {
				m.minutes[i] = append(m.minutes[i], rss>>20)
			}
		}
		if !sleepCtx(ctx, 2*time.Second) {
			return
		}
	}
}

// heapProfiles saves node0's heap profile (after a forced GC) at each full minute of the attack as
// dir/heap-<minute>.pb.gz, for `go tool pprof` (ADVERSARIAL_HEAP_DIR; RELIABILITY.md).
func heapProfiles(ctx context.Context, t *testing.T, addr, dir string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Error(err)
		return
	}
	for minute := 1; sleepCtx(ctx, time.Minute); minute++ {
		resp, err := http.Get("http://" + addr + "/debug/pprof/heap?gc=1")
		if err != nil {
			t.Errorf("heap profile at minute %d: %v", minute, err)
			continue
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, fmt.Sprintf("heap-%d.pb.gz", minute)), b, 0o644)
		}
		if err != nil {
			t.Errorf("heap profile at minute %d: %v", minute, err)
		}
	}
}

// processRSS is VmRSS of pid in bytes (0 if unreadable).
func processRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// sleepCtx sleeps for d or until ctx ends; it reports whether ctx is still live.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

func fmtCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func logTail(home string) string {
	out, _ := os.ReadFile(filepath.Join(home, "node.log"))
	return string(tail(out, 3000))
}
