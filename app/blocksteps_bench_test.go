package app_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
)

// BenchmarkBlockSteps measures what a validator does on consensus's critical path for each block,
// per tx, for blocks of 1,000 and 5,000 transfers on disk (the txs CheckTx'd first, as on a node):
// ProcessProposal executing the block, FinalizeBlock adopting it (end of block and the lattice
// update) and Commit (Badger, one fsync). Wall time, not CPU: Commit waits for the disk.
func BenchmarkBlockSteps(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			founders := benchKeys("founder", 1000)
			opts := app.DefaultOptions()
			opts.MaxPendingPerSender = 100
			c := benchChainWithOptions(b, b.TempDir(), founders, opts)
			next := transferSource(b, founders)
			c.Block()
			var pp, fb, cm time.Duration
			blocks := 0
			for done := 0; done < b.N; done += n {
				txs := signBlock(b, next, done, n)
				for _, tx := range txs {
					if r := c.App.CheckTx(tx); r.Err != nil {
						b.Fatal(r.Err)
					}
				}
				c.Height++
				c.Time = c.Time.Add(c.BlockInterval)
				t0 := time.Now()
				if err := c.App.ProcessProposal(c.Height, c.Time, txs); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				res, err := c.App.FinalizeBlock(c.Height, c.Time, apptest.BlockHash(c.Height, txs), txs)
				if err != nil || !res.Adopted {
					b.Fatal(err, res.Adopted)
				}
				t2 := time.Now()
				if err := c.App.Commit(); err != nil {
					b.Fatal(err)
				}
				t3 := time.Now()
				pp, fb, cm = pp+t1.Sub(t0), fb+t2.Sub(t1), cm+t3.Sub(t2)
				blocks++
			}
			tx := float64(blocks * n)
			b.ReportMetric(float64(pp.Nanoseconds())/tx, "pp-ns/tx")
			b.ReportMetric(float64(fb.Nanoseconds())/tx, "fb-ns/tx")
			b.ReportMetric(float64(cm.Nanoseconds())/tx, "commit-ns/tx")
		})
	}
}
