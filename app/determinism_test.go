package app_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// randomBlocks generates blocks of transfers between keys from a seeded rng, reading sequences
// from c's committed state. About a third of the txs are invalid in one way or another.
type randomBlocks struct {
	t    *testing.T
	rng  *rand.Rand
	keys []apptest.Key
}

func (g *randomBlocks) block(c *apptest.Chain) [][]byte {
	seqs := make([]uint64, len(g.keys))
	for i, k := range g.keys {
		seqs[i] = c.Seq(k.Addr)
	}
	var txs [][]byte
	for range g.rng.IntN(12) {
		i := g.rng.IntN(len(g.keys))
		from, to := g.keys[i], g.keys[g.rng.IntN(len(g.keys))]
		amount := g.rng.Uint64N(3_000_000)
		seq, chain := seqs[i], apptest.ChainID
		msg := apptest.Transfer(to.Addr, amount)
		var raw []byte
		switch g.rng.IntN(14) {
		case 0:
			seq += 1 + g.rng.Uint64N(3) // gap
		case 1:
			if seq > 0 {
				seq-- // replay
			}
		case 2:
			chain = "other-chain"
		case 3:
			msg = &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: "commons1notanaddress", Amount: 1}}}
		case 4:
			raw = make([]byte, 1+g.rng.IntN(200))
			for j := range raw {
				raw[j] = byte(g.rng.UintN(256))
			}
		case 5:
			amount = 0
		case 6:
			amount = 1 << 40 // far above any balance
		}
		if raw == nil {
			raw = from.Sign(g.t, chain, seq, msg)
			if chain == apptest.ChainID && seq == seqs[i] {
				seqs[i]++ // optimistic: if the tx fails, the sender's later txs in this block fail too
			}
		}
		txs = append(txs, raw)
	}
	return txs
}

// interval is the next block interval: mostly seconds, sometimes days, so demurrage is realised.
func (g *randomBlocks) interval() time.Duration {
	if g.rng.IntN(8) == 0 {
		return time.Duration(1+g.rng.IntN(40)) * 24 * time.Hour
	}
	return time.Duration(1+g.rng.IntN(10)) * time.Second
}

func determinismKeys() []apptest.Key {
	keys := make([]apptest.Key, 6)
	for i := range keys {
		keys[i] = apptest.NewKey(fmt.Sprintf("det-%d", i))
	}
	return keys
}

// TestDeterminism runs two independent apps on the same seeded random blocks and requires identical
// app hashes and tx codes at every height. It also checks, at every height, that the incremental
// lattice equals the lattice recomputed from scratch over the committed state, and ends with the
// supply invariants. The first app checks every tx before its block, as a node's mempool does, so its
// blocks read much of the committed state from the check state's cache (App.checkedRead); the
// second checks nothing and reads Badger.
func TestDeterminism(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			keys := determinismKeys()
			genesis := func() *app.GenesisState { return apptest.Genesis(20_000_000, keys[:4]...) } // keys 4, 5 start unfunded
			a, b := apptest.NewChain(t, "", genesis()), apptest.NewChain(t, "", genesis())
			if !bytes.Equal(a.Hashes[0], b.Hashes[0]) {
				t.Fatalf("genesis hashes differ: %X vs %X", a.Hashes[0], b.Hashes[0])
			}
			gen := &randomBlocks{t: t, rng: rand.New(rand.NewPCG(seed, 99)), keys: keys}
			var okTxs, failedTxs int
			for h := 1; h <= 40; h++ {
				txs := gen.block(a)
				a.BlockInterval = gen.interval()
				b.BlockInterval = a.BlockInterval
				for _, tx := range txs {
					a.App.CheckTx(tx) // many fail: the block runs them all the same
				}
				ra, rb := a.Block(txs...), b.Block(txs...)
				if !bytes.Equal(ra.AppHash, rb.AppHash) {
					t.Fatalf("height %d: app hashes differ: %X vs %X", h, ra.AppHash, rb.AppHash)
				}
				for i := range ra.TxResults {
					_, ca, la := core.ABCIInfo(ra.TxResults[i].Err)
					_, cb, lb := core.ABCIInfo(rb.TxResults[i].Err)
					if ca != cb || la != lb {
						t.Fatalf("height %d tx %d: (%d %q) vs (%d %q)", h, i, ca, la, cb, lb)
					}
					if ca == 0 {
						okTxs++
					} else {
						failedTxs++
					}
				}
				checkRecomputedLattice(t, a)
			}
			if okTxs < 50 || failedTxs < 20 {
				t.Fatalf("weak workload: %d successful and %d failed txs", okTxs, failedTxs)
			}
			if err := a.Invariants(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// checkRecomputedLattice requires the committed app hash to equal the lattice rebuilt from every
// stored (key, value) pair, as a state-synced node would rebuild it.
func checkRecomputedLattice(t *testing.T, c *apptest.Chain) {
	t.Helper()
	v := c.DB.ReadLatest()
	defer v.Discard()
	l := store.RecomputeLattice(v)
	m := c.DB.Committed()
	if l != m.Lattice {
		t.Fatalf("height %d: incremental lattice differs from the recomputed one", m.Height)
	}
	if got := l.Hash(); !bytes.Equal(got, m.AppHash) || !bytes.Equal(got, c.Hashes[c.Height]) {
		t.Fatalf("height %d: recomputed hash %X, stored %X, returned %X", m.Height, got, m.AppHash, c.Hashes[c.Height])
	}
}
