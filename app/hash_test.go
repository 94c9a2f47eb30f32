package app

// These tests are internal because they check the app's incremental lattice update (the expansion
// cache's Update, as InitChain and FinalizeBlock call it) directly against RecomputeLattice. They cannot use apptest (it imports this package).

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

func TestUpdateLatticeMatchesRecompute(t *testing.T) {
	db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Raw keys in the app's own key space: the lattice does not care whose keys they are, and a
	// module's key space is the module's (boundary_test.go).
	k1, k2, k3 := []byte{PrefixApp, 0xf1}, []byte{PrefixApp, 0xf2}, []byte{PrefixApp, 0xf3}
	seed := store.NewOverlay(db.ReadLatest())
	seed.Set(k1, []byte("one"))
	seed.Set(k2, []byte("two"))
	l := store.RecomputeLattice(seed)
	if err := db.Commit(1, seed, store.Meta{Lattice: l, AppHash: l.Hash()}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		writes    func(o *store.Overlay)
		unchanged bool
	}{
		{"set a key to its current value", func(o *store.Overlay) { o.Set(k1, []byte("one")) }, true},
		{"delete a missing key", func(o *store.Overlay) { o.Delete(k3) }, true},
		{"add then delete a new key", func(o *store.Overlay) { o.Set(k3, []byte("x")); o.Delete(k3) }, true},
		{"delete then restore a key", func(o *store.Overlay) { o.Delete(k2); o.Set(k2, []byte("two")) }, true},
		{"change a value", func(o *store.Overlay) { o.Set(k1, []byte("uno")) }, false},
		{"add a key", func(o *store.Overlay) { o.Set(k3, []byte("three")) }, false},
		{"delete a key", func(o *store.Overlay) { o.Delete(k2) }, false},
		{"swap two values", func(o *store.Overlay) { o.Set(k1, []byte("two")); o.Set(k2, []byte("one")) }, false},
		{"empty value differs from no value", func(o *store.Overlay) { o.Set(k3, nil) }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := db.ReadLatest()
			defer base.Discard()
			committed := db.Committed()
			o := store.NewOverlay(base)
			tc.writes(o)
			got := store.NewExpansionCache(expansionCacheSize).Update(committed.Lattice, base, o)
			if want := store.RecomputeLattice(o); got != want {
				t.Fatal("incremental lattice differs from the lattice recomputed over the new state")
			}
			if (got == committed.Lattice) != tc.unchanged {
				t.Fatalf("lattice unchanged = %v, want %v", got == committed.Lattice, tc.unchanged)
			}
		})
	}
}

// TestAppHashChangesExactlyWithState: blocks that change no state keep the app hash; a block that
// changes state moves it.
func TestAppHashChangesExactlyWithState(t *testing.T) {
	ka, kb := hashTestKey("hash-a"), hashTestKey("hash-b")
	addrA, addrB := core.AddressFromPubKey(ka.PubKey().Bytes()), core.AddressFromPubKey(kb.PubKey().Bytes())
	g := DefaultGenesis()
	g.Bank.Accounts = []*bank.GenesisAccount{{Address: addrA.String(), Balance: 5_000_000}, {Address: addrB.String()}}
	c := newHashChain(t, g)
	transfer := func(k ed25519.PrivKey, seq, amount uint64, to core.Address) []byte {
		raw, err := auth.Sign(k, &auth.TxBody{ChainId: c.a.chainID, Sequence: seq,
			Msgs: []*auth.Msg{{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: to.String(), Amount: amount}}}}})
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	steps := []struct {
		name    string
		txs     [][]byte
		changes bool
	}{
		{"first block commits genesis as is", nil, false},
		{"empty block", nil, false},
		{"only failing txs", [][]byte{
			transfer(ka, 0, 0, addrB),                    // zero amount
			transfer(ka, 0, 6_000_000, addrB),            // above balance
			transfer(ka, 1, 1, addrB),                    // sequence gap
			transfer(kb, 0, 1, addrA),                    // b has nothing to send
			transfer(ka, 0, 1, addrA),                    // to self
			{0x0a, 0x03, 'b', 'a', 'd'},                  // malformed
			transfer(hashTestKey("nobody"), 0, 1, addrA), // no account
		}, false},
		{"a transfer", [][]byte{transfer(ka, 0, 1_000_000, addrB)}, true},
		{"empty block after a transfer", nil, false},
		{"a replayed transfer", [][]byte{transfer(ka, 0, 1_000_000, addrB)}, false},
		{"a transfer back", [][]byte{transfer(kb, 0, 1_000_000, addrA)}, true},
	}
	prev := c.hash
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			got := c.block(s.txs...)
			if changed := !bytes.Equal(got, prev); changed != s.changes {
				t.Fatalf("app hash changed = %v, want %v (%X -> %X)", changed, s.changes, prev, got)
			}
			prev = got
		})
	}
}

func hashTestKey(name string) ed25519.PrivKey {
	seed := sha256.Sum256([]byte("hash-test/" + name))
	return ed25519.GenPrivKeyFromSecret(seed[:])
}

// hashChain drives an in-memory App block by block, as CometBFT would.
type hashChain struct {
	t      *testing.T
	a      *App
	height int64
	time   time.Time
	hash   []byte
}

func newHashChain(t *testing.T, g *GenesisState) *hashChain {
	t.Helper()
	db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := New(db, DefaultOptions())
	state, err := MarshalGenesis(g)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	hash, err := a.InitChain("hash-chain", 1, start, state, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &hashChain{t: t, a: a, time: start, hash: hash}
}

func (c *hashChain) block(txs ...[]byte) []byte {
	c.t.Helper()
	c.height++
	c.time = c.time.Add(time.Second)
	res, err := c.a.FinalizeBlock(c.height, c.time, testBlockHash(c.height), txs)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.a.Commit(); err != nil {
		c.t.Fatal(err)
	}
	return res.AppHash
}
