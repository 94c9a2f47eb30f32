package app_test

import (
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// The benchmarks drive one in-memory app the way CometBFT does. Each reports tx/s (or blocks/s)
// next to ns/op, where one op is one tx (or one block). Signing happens with the timer stopped.
// `make bench` runs them; `go test -run '^$' -bench . -cpuprofile cpu.out ./app` profiles them.

// cpuMeter sums the process CPU time (user+system, all threads) spent inside timed sections. On a
// shared machine wall-clock tx/s swings with other load; CPU time per tx is the steadier figure.
type cpuMeter struct{ total, start time.Duration }

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (m *cpuMeter) begin() { m.start = processCPU() }
func (m *cpuMeter) end()   { m.total += processCPU() - m.start }

// report adds the CPU microseconds per op.
func (m *cpuMeter) report(b *testing.B, ops int) {
	b.ReportMetric(float64(m.total.Microseconds())/float64(ops), "cpu-us/op")
}

// benchBlockTxs is the number of txs per block in the FinalizeBlock and Commit benchmarks.
const benchBlockTxs = 1000

// benchKeys returns n deterministic keys named prefix0 … prefix<n-1>.
func benchKeys(prefix string, n int) []apptest.Key {
	keys := make([]apptest.Key, n)
	for i := range keys {
		keys[i] = apptest.NewKey(prefix + strconv.Itoa(i))
	}
	return keys
}

// benchChain starts a chain whose founders are members and funded, with the shortest vouch cooldown (1 s) and a
// long attestation window, so every tx type can be repeated block after block. dir "" is in memory.
func benchChain(b *testing.B, dir string, founders []apptest.Key) *apptest.Chain {
	b.Helper()
	return benchChainWithOptions(b, dir, founders, app.DefaultOptions())
}

func benchChainWithOptions(b *testing.B, dir string, founders []apptest.Key, opts app.Options) *apptest.Chain {
	b.Helper()
	g := apptest.ContribGenesis(1_000_000*core.MicroPerHour, founders...)
	g.Members.Params.VouchCooldown = members.MinVouchCooldown // one vouch per founder per block (blocks are 1 s apart)
	g.Members.Params.VouchesToJoin = 100                      // candidates stay candidates: every vouch creates one
	// Every founder adds a pending claim per block in the claim benchmarks.
	g.Claims.Params.MaxPendingClaims = claims.MaxPendingClaimsLimit
	return apptest.NewChainWithOptions(b, dir, g, opts)
}

// txSource signs the i-th tx of a benchmark; seqs tracks each key's next sequence.
type txSource func(i int) []byte

// signBlock signs n txs with the timer stopped.
func signBlock(b *testing.B, next txSource, from, n int) [][]byte {
	b.StopTimer()
	defer b.StartTimer()
	txs := make([][]byte, n)
	for i := range txs {
		txs[i] = next(from + i)
	}
	return txs
}

// transferSource has sender i%len(keys) send to its neighbour.
func transferSource(b *testing.B, keys []apptest.Key) txSource {
	seqs := make([]uint64, len(keys))
	return func(i int) []byte {
		k := i % len(keys)
		to := keys[(k+1)%len(keys)].Addr
		tx := keys[k].Sign(b, apptest.ChainID, seqs[k], apptest.Transfer(to, 1))
		seqs[k]++
		return tx
	}
}

// vouchSource has member i%len(keys) vouch for a fresh candidate.
func vouchSource(b *testing.B, keys []apptest.Key) txSource {
	seqs := make([]uint64, len(keys))
	return func(i int) []byte {
		k := i % len(keys)
		cand := apptest.NewKey("cand" + strconv.Itoa(i))
		tx := keys[k].Sign(b, apptest.ChainID, seqs[k], apptest.Vouch(cand, "cand-"+strconv.Itoa(i)))
		seqs[k]++
		return tx
	}
}

// claimSource has member i%len(keys) claim its next free minute, going back from the genesis time.
func claimSource(b *testing.B, keys []apptest.Key) txSource {
	seqs := make([]uint64, len(keys))
	return func(i int) []byte {
		k := i % len(keys)
		end := apptest.GenesisTime.Add(-time.Duration(seqs[k]) * time.Minute)
		tx := keys[k].Sign(b, apptest.ChainID, seqs[k], apptest.SubmitClaim(end.Add(-time.Minute), end, "code", "benchmark work"))
		seqs[k]++
		return tx
	}
}

// finalize runs b.N txs of next through FinalizeBlock in blocks of benchBlockTxs, timing only
// FinalizeBlock (and, when precheck, not the CheckTx that warms the signature cache first).
func finalize(b *testing.B, c *apptest.Chain, next txSource, precheck bool) {
	var cpu cpuMeter
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += benchBlockTxs {
		txs := signBlock(b, next, done, min(benchBlockTxs, b.N-done))
		if precheck {
			b.StopTimer()
			for _, tx := range txs {
				if r := c.App.CheckTx(tx); r.Err != nil {
					b.Fatal(r.Err)
				}
			}
			b.StartTimer()
		}
		c.Height++
		c.Time = c.Time.Add(c.BlockInterval)
		cpu.begin()
		res, err := c.App.FinalizeBlock(c.Height, c.Time, apptest.BlockHash(c.Height, txs), txs)
		cpu.end()
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		for i, r := range res.TxResults {
			if r.Err != nil {
				b.Fatalf("tx %d: %v", i, r.Err)
			}
		}
		if err := c.App.Commit(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
	cpu.report(b, b.N)
}

// BenchmarkFinalizeBlock measures executing decided blocks of 1000 txs of one type. "cold" blocks
// were never seen by CheckTx (every signature is verified inside FinalizeBlock, in parallel);
// "cached" ones were, as on a node whose mempool received them.
func BenchmarkFinalizeBlock(b *testing.B) {
	founders := benchKeys("founder", 1000)
	// Vouchers vouch every other block: CheckTx judges the vouch cooldown (1 s) at the last block's
	// time, when a founder that vouched in that block has to wait.
	vouchers := benchKeys("founder", 2*benchBlockTxs)
	cases := []struct {
		name string
		keys []apptest.Key
		src  func(*testing.B, []apptest.Key) txSource
	}{
		{"transfer", founders, transferSource},
		{"vouch", vouchers, vouchSource},
		{"submit_claim", founders, claimSource},
	}
	for _, tc := range cases {
		for _, precheck := range []bool{false, true} {
			name := tc.name + "/cold"
			if precheck {
				name = tc.name + "/cached"
			}
			b.Run(name, func(b *testing.B) {
				c := benchChain(b, "", tc.keys)
				finalize(b, c, tc.src(b, tc.keys), precheck)
			})
		}
	}
	b.Run("attest/cold", func(b *testing.B) { benchAttest(b, founders, false) })
	b.Run("attest/cached", func(b *testing.B) { benchAttest(b, founders, true) })
}

// benchAttest submits one claim per founder, then has founder j attest the claim of founder
// j+1+round, so that no one attests their own claim or one claim twice.
func benchAttest(b *testing.B, founders []apptest.Key, precheck bool) {
	n := len(founders)
	c := benchChain(b, "", founders)
	claimTxs := signBlock(b, claimSource(b, founders), 0, n)
	b.StopTimer()
	res := c.Block(claimTxs...)
	ids := make([]uint64, n) // ids[k] is founder k's claim
	for k, r := range res.TxResults {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
		ids[k] = claimID(b, r)
	}
	b.StartTimer()
	if b.N > n*(n-1) {
		b.Fatalf("at most %d attestations", n*(n-1))
	}
	finalize(b, c, func(i int) []byte {
		j, round := i%n, i/n
		target := (j + 1 + round) % n
		return founders[j].Sign(b, apptest.ChainID, uint64(1+round), apptest.Approve(ids[target]))
	}, precheck)
}

func claimID(b *testing.B, r core.TxResult) uint64 {
	for _, ev := range r.Events {
		if ev.Type != "claim_submitted" {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == "claim_id" {
				id, err := strconv.ParseUint(a.Value, 10, 64)
				if err != nil {
					b.Fatal(err)
				}
				return id
			}
		}
	}
	b.Fatal("no claim_submitted event")
	return 0
}

// BenchmarkCheckTx measures mempool admission of fresh transfers (signature verified, executed on
// the check state), one tx per op, from 1000 senders.
func BenchmarkCheckTx(b *testing.B) { benchCheckTx(b, app.DefaultOptions()) }

// BenchmarkCheckTxPool is BenchmarkCheckTx with the app keeping the mempool (mempool.type = "app"):
// each accepted tx also joins the pool, and each commit's block is dropped from it.
func BenchmarkCheckTxPool(b *testing.B) {
	opts := app.DefaultOptions()
	opts.Pool = app.PoolOptions{Size: 20000}
	benchCheckTx(b, opts)
}

func benchCheckTx(b *testing.B, opts app.Options) {
	founders := benchKeys("founder", 1000)
	c := benchChainWithOptions(b, "", founders, opts)
	next := transferSource(b, founders)
	var cpu cpuMeter
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += benchBlockTxs {
		txs := signBlock(b, next, done, min(benchBlockTxs, b.N-done))
		cpu.begin()
		for _, tx := range txs {
			if r := c.App.CheckTx(tx); r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		cpu.end()
		// Commit what was checked so senders stay under the pending-tx cap.
		b.StopTimer()
		c.Block(txs...)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
	cpu.report(b, b.N)
}

// BenchmarkCommit measures persisting one block of 1000 transfers to an on-disk store (one fsync
// per block), one block per op.
func BenchmarkCommit(b *testing.B) {
	founders := benchKeys("founder", 1000)
	c := benchChain(b, b.TempDir(), founders)
	next := transferSource(b, founders)
	var cpu cpuMeter
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		txs := signBlock(b, next, i*benchBlockTxs, benchBlockTxs)
		b.StopTimer()
		c.Height++
		c.Time = c.Time.Add(c.BlockInterval)
		if _, err := c.App.FinalizeBlock(c.Height, c.Time, apptest.BlockHash(c.Height, txs), txs); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu.begin()
		if err := c.App.Commit(); err != nil {
			b.Fatal(err)
		}
		cpu.end()
	}
	cpu.report(b, b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "blocks/s")
	b.ReportMetric(float64(b.N*benchBlockTxs)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkProcessProposal measures validating a proposed block of 1000 transfers that the
// mempool already checked (the cached-signature path), one tx per op.
func BenchmarkProcessProposal(b *testing.B) {
	founders := benchKeys("founder", 1000)
	c := benchChain(b, "", founders)
	next := transferSource(b, founders)
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += benchBlockTxs {
		txs := signBlock(b, next, done, min(benchBlockTxs, b.N-done))
		b.StopTimer()
		for _, tx := range txs {
			c.App.CheckTx(tx)
		}
		b.StartTimer()
		if err := c.App.ProcessProposal(c.Height+1, c.Time.Add(c.BlockInterval), txs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		c.Block(txs...)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}
