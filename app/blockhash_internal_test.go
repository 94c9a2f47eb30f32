package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
)

// testBlockHash stands in for CometBFT's header hash in this package's own tests (which cannot use
// apptest): distinct per height, the same on replay.
func testBlockHash(height int64) []byte {
	h := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("app-test/block-hash"), uint64(height)))
	return h[:]
}

// TestBlockHashReachesEndBlockOnly: the hash FinalizeBlock is given is in the end-of-block context
// of that block and of no other, and no tx handler ever sees one (core.Context.BlockHash).
func TestBlockHashReachesEndBlockOnly(t *testing.T) {
	db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := New(db, DefaultOptions())
	state, err := MarshalGenesis(DefaultGenesis())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := a.InitChain("draw-chain", 1, start, state, nil); err != nil {
		t.Fatal(err)
	}
	var seen []*core.Context
	a.onEndBlock = func(ctx *core.Context) { seen = append(seen, ctx) }
	for h := int64(1); h <= 3; h++ {
		if _, err := a.FinalizeBlock(h, start.Add(time.Duration(h)*time.Second), testBlockHash(h), nil); err != nil {
			t.Fatal(err)
		}
		if err := a.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != 3 {
		t.Fatalf("end of block ran %d times, want 3", len(seen))
	}
	for i, ctx := range seen {
		h := int64(i + 1)
		if ctx.Height != h || !bytes.Equal(ctx.BlockHash, testBlockHash(h)) {
			t.Fatalf("end of block %d saw height %d hash %X", h, ctx.Height, ctx.BlockHash)
		}
	}
	// A block finalized without a hash leaves it empty, so every draw fails closed.
	seen = nil
	if _, err := a.FinalizeBlock(4, start.Add(4*time.Second), nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || len(seen[0].BlockHash) != 0 {
		t.Fatalf("end of block without a hash saw %X", seen[0].BlockHash)
	}
	if _, err := core.Draw(seen[0].BlockHash, "test", 1, 5, 2); err == nil {
		t.Fatal("a draw with no block hash succeeded")
	}
}
