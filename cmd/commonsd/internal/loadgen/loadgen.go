// Package loadgen sends signed txs to Commons Ledger nodes (or raw key=value txs to CometBFT's
// kvstore) at a target rate, watches the chain for their commits, and reports committed tx/s,
// send→commit latency percentiles and rejections by code. `commonsd loadgen` is its command line;
// `make bench` drives it against localnets and kvstore.
package loadgen

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
)

// Mixes of generated txs.
const (
	MixTransfer = "transfer" // transfers between the load accounts
	MixContrib  = "contrib"  // claims, attestations and vouches by members, and transfers
	MixKVStore  = "kvstore"  // random key=value txs for CometBFT's kvstore app (no signing)
)

// Config is one load run.
type Config struct {
	Nodes       []string          // RPC addresses; account i's txs always go to node i%len(Nodes)
	Rates       []float64         // offered tx/s, one step each, in order
	Duration    time.Duration     // length of each step
	Drain       time.Duration     // longest wait after a step for its txs to commit
	Accounts    int               // load accounts (transfer and contrib mixes)
	Mix         string            // MixTransfer, MixContrib or MixKVStore
	TxSize      int               // kvstore tx size in bytes (0: the size of a transfer)
	Funder      ed25519.PrivKey   // funds the load accounts (transfer and contrib mixes)
	Members     []ed25519.PrivKey // active members (contrib mix): claim, attest and vouch
	Seed        string            // derives the load accounts' keys
	Concurrency int               // concurrent broadcasts
	Async       bool              // broadcast_tx_async (CheckTx codes are then not seen)
	// SkipResults does not fetch block_results: every included tx counts as committed. Honest
	// proposers (ours and kvstore's) include only txs that pass, and JSON-encoding every block's
	// results is a large share of a loaded node's CPU, which would otherwise be measured too.
	SkipResults      bool
	StopAtSaturation bool      // skip the remaining steps once a step falls behind (Step.Behind)
	Log              io.Writer // progress lines; nil for silence
}

// Step is the outcome of one offered rate.
type Step struct {
	OfferedTPS   float64        `json:"offered_tps"`
	Sent         int            `json:"sent"`
	SentTPS      float64        `json:"sent_tps"` // achieved offer: below offered_tps when broadcasts could not keep up
	Committed    int            `json:"committed"`
	CommittedTPS float64        `json:"committed_tps"`
	P50ms        float64        `json:"p50_ms"`
	P95ms        float64        `json:"p95_ms"`
	P99ms        float64        `json:"p99_ms"`
	Rejected     map[string]int `json:"rejected"` // by "checktx:codespace/code", "block:codespace/code", "rpc:<error>"
	Uncommitted  int            `json:"uncommitted"`
	Blocks       int            `json:"blocks"`
	// Behind: the chain committed, or the generator sent, less than 90 % of the offer. A higher
	// offer cannot commit more, so --stop-at-saturation ends the run here.
	Behind bool `json:"behind"`
	// Saturated: Behind, or the node refused or lost more than 1 % of what was sent (refused txs
	// are sent again, so a step can be saturated and still commit its offer). Latency is compared
	// only at steps that are not.
	Saturated bool `json:"saturated"`
}

// Report is a whole run.
type Report struct {
	Mix      string  `json:"mix"`
	Nodes    int     `json:"nodes"`
	Accounts int     `json:"accounts"`
	TxBytes  int     `json:"tx_bytes"`
	Steps    []*Step `json:"steps"`
	// MaxCommittedTPS is the highest committed tx/s of any step.
	MaxCommittedTPS float64 `json:"max_committed_tps"`
}

func (c *Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}

// pending is a sent tx waiting for its commit.
type pending struct {
	sent     time.Time
	step     *stepState
	onCommit func(txResult) // contrib mix: learn claim ids
}

type blockObs struct {
	seen time.Time
	txs  int
}

type stepState struct {
	mu        sync.Mutex
	step      *Step
	start     time.Time
	end       time.Time
	latencies []time.Duration
	// blocks are the blocks that committed this step's txs, in height order. Throughput is taken
	// over the blocks between the first and the last (each of which commits a whole block interval's
	// worth of sends), divided by the time between the first and the second-to-last: the first and
	// last blocks hold only part of an interval's sends and would bias it low.
	blocks      []blockObs
	outstanding int
}

func (s *stepState) reject(key string) {
	s.mu.Lock()
	s.step.Rejected[key]++
	s.outstanding--
	s.mu.Unlock()
}

// Run performs the configured steps and returns the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if len(cfg.Nodes) == 0 || len(cfg.Rates) == 0 {
		return nil, fmt.Errorf("need at least one node and one rate")
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 64
	}
	if cfg.Drain <= 0 {
		cfg.Drain = 15 * time.Second
	}
	r := &runner{cfg: cfg, pend: map[[32]byte]*pending{}}
	for _, n := range cfg.Nodes {
		r.rpcs = append(r.rpcs, newRPC(n, cfg.Concurrency))
	}
	chainID, _, err := r.rpcs[0].status(ctx)
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", cfg.Nodes[0], err)
	}
	r.chainID = chainID
	var gen generator
	switch cfg.Mix {
	case MixKVStore:
		gen = newKVGen(cfg)
	case MixTransfer, MixContrib:
		if gen, err = newSignedGen(ctx, r, cfg); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown mix %q: use transfer, contrib or kvstore", cfg.Mix)
	}
	_, height, err := r.rpcs[0].status(ctx)
	if err != nil {
		return nil, err
	}
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go r.watch(watchCtx, height+1)
	rep := &Report{Mix: cfg.Mix, Nodes: len(cfg.Nodes), Accounts: cfg.Accounts, TxBytes: gen.txBytes()}
	for _, rate := range cfg.Rates {
		st := r.runStep(ctx, gen, rate)
		rep.Steps = append(rep.Steps, st)
		rep.MaxCommittedTPS = max(rep.MaxCommittedTPS, st.CommittedTPS)
		cfg.logf("offered %6.0f tx/s: committed %7.1f tx/s, p50 %6.0f ms, p99 %6.0f ms, rejected %d, uncommitted %d",
			rate, st.CommittedTPS, st.P50ms, st.P99ms, sum(st.Rejected), st.Uncommitted)
		if ctx.Err() != nil {
			break
		}
		if cfg.StopAtSaturation && st.Behind {
			break
		}
	}
	return rep, nil
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

type runner struct {
	cfg     Config
	rpcs    []*rpc
	chainID string

	mu   sync.Mutex
	pend map[[32]byte]*pending
	cur  *stepState
}

// generator produces the txs of a run. next returns the tx for a lane (accounts are partitioned
// over lanes, and each lane sends in order, so one account's sequences arrive in order) or nil when
// the lane has nothing to send right now.
type generator interface {
	lanes() int
	next(lane int) (tx []byte, onCommit func(txResult))
	// presign prepares about n txs ahead of a step, so that signing does not compete with the
	// nodes for CPU while the step runs.
	presign(n int)
	// rejected tells the generator that the lane's last tx was refused (its sequence is free again).
	rejected(lane int)
	txBytes() int
}

func (r *runner) runStep(ctx context.Context, gen generator, rate float64) *Step {
	gen.presign(int(rate*r.cfg.Duration.Seconds()*1.05) + 1)
	st := &stepState{step: &Step{OfferedTPS: rate, Rejected: map[string]int{}}, start: time.Now()}
	st.end = st.start.Add(r.cfg.Duration)
	r.mu.Lock()
	r.cur = st
	r.mu.Unlock()
	stepCtx, cancel := context.WithDeadline(ctx, st.end)
	defer cancel()
	workers := min(r.cfg.Concurrency, gen.lanes())
	r.sendAll(ctx, gen, st, workers, releaseTokens(stepCtx, rate, st.start, workers*4))
	r.drain(ctx, st)
	return r.summarize(st, rate)
}

// releaseTokens returns a channel that yields rate tokens a second from start until ctx ends, then
// closes.
func releaseTokens(ctx context.Context, rate float64, start time.Time, buffer int) <-chan struct{} {
	tokens := make(chan struct{}, buffer)
	go func() {
		defer close(tokens)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		released := 0
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				for due := int(rate * now.Sub(start).Seconds()); released < due; released++ {
					select {
					case tokens <- struct{}{}:
					case <-ctx.Done():
						return
					}
				}
			}
		}
	}()
	return tokens
}

// sendAll sends one tx per token until tokens closes. Each of the workers serves its own lanes in
// turn, skipping lanes that have nothing to send.
func (r *runner) sendAll(ctx context.Context, gen generator, st *stepState, workers int, tokens <-chan struct{}) {
	lanes := gen.lanes()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			lane := w
			for range tokens {
				for tries := 0; tries < lanes/workers+1; tries++ {
					l := lane
					lane += workers
					if lane >= lanes {
						lane = w
					}
					if tx, onCommit := gen.next(l); tx != nil {
						if !r.send(ctx, l%len(r.rpcs), st, tx, onCommit) {
							gen.rejected(l)
						}
						break
					}
				}
			}
		}(w)
	}
	wg.Wait()
}

// drain waits for the step's txs to commit (or gives up after Drain), then forgets the rest.
func (r *runner) drain(ctx context.Context, st *stepState) {
	deadline := time.Now().Add(r.cfg.Drain)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		st.mu.Lock()
		left := st.outstanding
		st.mu.Unlock()
		if left <= 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.mu.Lock()
	for h, p := range r.pend {
		if p.step == st {
			delete(r.pend, h)
		}
	}
	r.mu.Unlock()
}

// summarize computes the step's rates, latency percentiles and saturation verdict.
func (r *runner) summarize(st *stepState, rate float64) *Step {
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.step
	s.Uncommitted = st.outstanding
	s.Committed = len(st.latencies)
	s.CommittedTPS = float64(s.Committed) / r.cfg.Duration.Seconds()
	if b := st.blocks; len(b) >= 3 {
		n := 0
		for _, x := range b[1 : len(b)-1] {
			n += x.txs
		}
		s.CommittedTPS = float64(n) / b[len(b)-2].seen.Sub(b[0].seen).Seconds()
	}
	s.P50ms, s.P95ms, s.P99ms = percentile(st.latencies, 50), percentile(st.latencies, 95), percentile(st.latencies, 99)
	s.SentTPS = float64(s.Sent) / r.cfg.Duration.Seconds()
	s.Behind = s.CommittedTPS < 0.9*rate || s.SentTPS < 0.9*rate
	s.Saturated = s.Behind || s.Uncommitted+sum(s.Rejected) > s.Sent/100
	return s
}

// send broadcasts tx and reports whether the node accepted it.
func (r *runner) send(ctx context.Context, node int, st *stepState, tx []byte, onCommit func(txResult)) bool {
	h := sha256.Sum256(tx)
	p := &pending{sent: time.Now(), step: st, onCommit: onCommit}
	r.mu.Lock()
	r.pend[h] = p
	r.mu.Unlock()
	st.mu.Lock()
	st.step.Sent++
	st.outstanding++
	st.mu.Unlock()
	method := "broadcast_tx_sync"
	if r.cfg.Async {
		method = "broadcast_tx_async"
	}
	res, err := r.rpcs[node].broadcast(ctx, method, tx)
	var key string
	switch {
	case err != nil:
		key = "rpc:" + shortErr(err)
	case res.Code != 0:
		key = fmt.Sprintf("checktx:%s/%d", res.Codespace, res.Code)
	default:
		return true
	}
	r.mu.Lock()
	_, still := r.pend[h]
	delete(r.pend, h)
	r.mu.Unlock()
	if still {
		st.reject(key)
	}
	return false
}

// shortErr names an RPC failure for the rejection counts: the node's message up to its first
// colon ("mempool is full"), without the varying details after it.
func shortErr(err error) string {
	msg := err.Error()
	if e, ok := err.(*rpcError); ok {
		msg = e.Data
	}
	if i := strings.IndexByte(msg, ':'); i > 0 {
		msg = msg[:i]
	}
	if len(msg) > 60 {
		msg = msg[:60]
	}
	return msg
}

// watch follows the chain block by block from height, matching txs to sends.
func (r *runner) watch(ctx context.Context, height int64) {
	node := r.rpcs[0]
	for ctx.Err() == nil {
		txs, err := node.blockTxs(ctx, height)
		if err != nil {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		seen := time.Now()
		var results []txResult
		if len(txs) > 0 && !r.cfg.SkipResults {
			for tries := 0; ctx.Err() == nil; tries++ {
				if results, err = node.blockResults(ctx, height); err == nil || tries > 100 {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		r.mu.Lock()
		cur := r.cur
		r.mu.Unlock()
		if cur != nil {
			cur.mu.Lock()
			if seen.Before(cur.end) && seen.After(cur.start) {
				cur.step.Blocks++
			}
			cur.mu.Unlock()
		}
		for i, tx := range txs {
			h := sha256.Sum256(tx)
			r.mu.Lock()
			p, ok := r.pend[h]
			delete(r.pend, h)
			r.mu.Unlock()
			if !ok {
				continue
			}
			var res txResult
			if i < len(results) {
				res = results[i]
			}
			st := p.step
			st.mu.Lock()
			st.outstanding--
			if res.Code != 0 {
				st.step.Rejected[fmt.Sprintf("block:%s/%d", res.Codespace, res.Code)]++
			} else {
				st.latencies = append(st.latencies, seen.Sub(p.sent))
				if n := len(st.blocks); n == 0 || !st.blocks[n-1].seen.Equal(seen) {
					st.blocks = append(st.blocks, blockObs{seen: seen})
				}
				st.blocks[len(st.blocks)-1].txs++
			}
			st.mu.Unlock()
			if p.onCommit != nil && res.Code == 0 {
				p.onCommit(res)
			}
		}
		height++
	}
}

func percentile(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s)-1) * p / 100)
	return float64(s[i].Microseconds()) / 1000
}
