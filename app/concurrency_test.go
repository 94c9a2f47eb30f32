package app_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
)

// The node gives each ABCI connection its own lock, so CheckTx (and dry runs) run beside
// FinalizeBlock and Commit. They must neither race (run it with -race) nor leak into a block: a
// chain whose blocks ran beside a stream of CheckTx calls ends with the same app hashes as one
// that ran the same blocks alone.
func TestCheckTxBesideBlocks(t *testing.T) {
	checked, blocks := benchKeys("checked", 8), benchKeys("blocks", 8)
	run := func(beside bool) [][]byte {
		c := apptest.NewChain(t, "", apptest.Genesis(1_000*core.MicroPerHour, append(checked, blocks...)...))
		c.Block()
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var accepted, calls atomic.Int64
		if beside {
			wg.Add(1)
			go func() {
				defer wg.Done()
				seqs := make([]uint64, len(checked))
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					k := i % len(checked)
					tx := checked[k].Sign(t, apptest.ChainID, seqs[k], apptest.Transfer(blocks[k].Addr, 1))
					c.App.Simulate(tx)
					r := c.App.CheckTx(tx)
					calls.Add(1)
					switch {
					case r.Err == nil:
						accepted.Add(1)
						seqs[k]++
					case errors.Is(r.Err, auth.ErrSequenceReused) || errors.Is(r.Err, auth.ErrSequenceGap):
						seqs[k] = 0 // a commit reset the check state: these txs never enter a block
					case errors.Is(r.Err, auth.ErrMempoolFull):
						seqs[k] = 0
					default:
						t.Errorf("CheckTx beside a block: %v", r.Err)
						return
					}
					c.App.PendingAccount(checked[k].Addr)
				}
			}()
		}
		for h := range 30 {
			txs := make([][]byte, len(blocks))
			for i, k := range blocks {
				txs[i] = k.Sign(t, apptest.ChainID, uint64(h), apptest.Transfer(checked[i].Addr, core.MicroPerHour))
			}
			for i, r := range c.Block(txs...).TxResults {
				if r.Err != nil {
					t.Fatalf("block %d tx %d: %v", c.Height, i, r.Err)
				}
			}
		}
		close(stop)
		wg.Wait()
		if beside && accepted.Load() == 0 {
			t.Fatalf("none of %d CheckTx calls beside the blocks was accepted", calls.Load())
		}
		if beside {
			t.Logf("%d CheckTx calls beside 30 blocks, %d accepted", calls.Load(), accepted.Load())
		}
		return c.Hashes
	}
	alone, beside := run(false), run(true)
	for h := range alone {
		if string(alone[h]) != string(beside[h]) {
			t.Fatalf("app hash at height %d differs when CheckTx ran beside the blocks", h)
		}
	}
}
