package app_test

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/core"
)

// floodTxBytes is the size of a flood tx: just under auth.MaxTxBytes, as in the hardening finding.
const floodTxBytes = 15_800

// floodSource signs, for i = 0, 1, …, a correctly signed floodTxBytes-byte claim from the fresh key
// "flood-<i>", which has no account.
func floodSource(tb testing.TB) func(i int) []byte {
	start := apptest.GenesisTime.Add(-time.Hour)
	sign := func(i, summary int) []byte {
		k := apptest.NewKey("flood-" + strconv.Itoa(i))
		return k.Sign(tb, apptest.ChainID, 0, apptest.SubmitClaim(start, start.Add(time.Minute), "code", strings.Repeat("s", summary)))
	}
	// The size does not depend on the key, so fit the summary once.
	summary := floodTxBytes - len(sign(0, 0))
	for range 3 {
		summary -= len(sign(0, summary)) - floodTxBytes
	}
	if n := len(sign(0, summary)); n != floodTxBytes {
		tb.Fatalf("flood tx is %d bytes, want %d", n, floodTxBytes)
	}
	return func(i int) []byte { return sign(i, summary) }
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkCheckTxUnknownKeyFlood sends txs=N correctly signed 15.8 KB txs from distinct keys
// without an account through CheckTx, one op being the whole flood (run it with -benchtime 1x), and
// reports the live heap growth over it (heapMiB, the hardening issue's bound is 64 MiB) and the CPU
// and wall time per tx. Signing happens with the timer stopped, 1000 txs at a time.
func BenchmarkCheckTxUnknownKeyFlood(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run("txs="+strconv.Itoa(n), func(b *testing.B) {
			c := benchChain(b, "", benchKeys("founder", 10))
			next := floodSource(b)
			var cpu cpuMeter // its total only: the per-op figure would be per flood
			var growth int64
			var timed time.Duration
			for it := 0; it < b.N; it++ {
				b.StopTimer()
				heap0 := liveHeap()
				for done := 0; done < n; done += 1000 {
					txs := make([][]byte, min(1000, n-done))
					for i := range txs {
						txs[i] = next(it*n + done + i)
					}
					t0 := time.Now()
					b.StartTimer()
					cpu.begin()
					for _, tx := range txs {
						if _, code, _ := core.ABCIInfo(c.App.CheckTx(tx).Err); code != 107 {
							b.Fatalf("flood tx: code %d, want 107 (signer has no account)", code)
						}
					}
					cpu.end()
					b.StopTimer()
					timed += time.Since(t0)
				}
				growth = max(growth, int64(liveHeap())-int64(heap0))
				b.StartTimer()
			}
			b.ReportMetric(float64(growth)/(1<<20), "heapMiB")
			b.ReportMetric(float64(timed.Nanoseconds())/float64(b.N*n), "ns/tx")
			b.ReportMetric(float64(cpu.total.Nanoseconds())/float64(b.N*n), "cpu-ns/tx")
		})
	}
}
