package store

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// allPairs is every pair r holds, in key order.
func allPairs(r interface {
	Iterate([]byte, []byte, bool, func(k, v []byte) bool)
}) []kvPair {
	var out []kvPair
	r.Iterate(nil, nil, false, func(k, v []byte) bool {
		out = append(out, kvPair{string(k), string(v)})
		return true
	})
	return out
}

// requireState checks that d's latest committed state is exactly want at height, through point
// reads, full and random range iteration, and the app hash recomputed from the stored pairs.
func requireState(t *testing.T, d *DB, name string, height int64, want model) {
	t.Helper()
	if got := d.Committed().Height; got != height {
		t.Fatalf("%s: committed height %d, want %d", name, got, height)
	}
	v := d.ReadLatest()
	defer v.Discard()
	if got, exp := allPairs(v), allPairs(want); !slices.Equal(got, exp) {
		t.Fatalf("%s: latest state\n got  %s\n want %s", name, fmtPairs(got), fmtPairs(exp))
	}
	checkReader(t, rand.New(rand.NewPCG(3, uint64(height))), name, v, want)
	if err := d.Verify(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestDBCommitCrashBeforeMeta: a crash after some of block h's data is durable at version h, but
// before Meta(h), leaves a store that reopens at h-1 and reads exactly the h-1 state; committing
// block h again then gives exactly the right state, deletes included. The aborted attempt also
// leaves keys the retry does not write (a set over an existing key, a new key, a delete), which a
// deterministic replay never produces; the store undoes them anyway.
func TestDBCommitCrashBeforeMeta(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(11, 11))
	d := openDB(t, dir, 10)
	states := map[int64]model{0: {}}
	for h := int64(1); h <= 3; h++ {
		states[h] = commitRandom(t, d, rng, h, states[h-1])
	}
	prev := states[3]
	before := d.Committed()

	// Block 4: overwrite, delete and add, in the same small key space.
	block := func(base *View) (*Overlay, model) {
		o, next := NewOverlay(base), prev.clone()
		i := 0
		for _, k := range sortedKeys(prev) {
			switch i++; i % 3 {
			case 0:
				o.Delete([]byte(k))
				delete(next, k)
			case 1:
				o.Set([]byte(k), []byte("four-"+k))
				next[k] = []byte("four-" + k)
			}
		}
		for _, k := range [][]byte{{4, 4, 4}, {3, 3, 3}} {
			if _, ok := prev[string(k)]; !ok {
				o.Set(k, []byte("new"))
				next[string(k)] = []byte("new")
			}
		}
		return o, next
	}
	base := d.ReadLatest()
	o, next := block(base)
	if o.Len() < 4 {
		t.Fatalf("block 4 writes only %d keys; the test needs more", o.Len())
	}
	// The aborted attempt: the first half of the block's writes, then three strays, at version 4.
	wb := d.bdb.NewWriteBatchAt(4)
	n := 0
	o.Writes(func(k, v []byte, deleted bool) bool {
		if n++; n > o.Len()/2 {
			return false
		}
		if deleted {
			return wb.Delete(bytes.Clone(k)) == nil
		}
		return wb.Set(bytes.Clone(k), bytes.Clone(v)) == nil
	})
	var strayOld, strayDel, strayNew []byte
	for _, k := range everyKey() {
		if _, written := o.find(string(k)); written {
			continue
		}
		_, exists := prev[string(k)]
		switch {
		case exists && strayOld == nil:
			strayOld = k
		case exists && strayDel == nil:
			strayDel = k
		case !exists && strayNew == nil:
			strayNew = k
		}
	}
	if strayOld == nil || strayDel == nil || strayNew == nil {
		t.Fatalf("no room for strays: %x %x %x", strayOld, strayDel, strayNew)
	}
	for _, err := range []error{wb.Set(strayOld, []byte("stray")), wb.Set(strayNew, []byte("stray")), wb.Delete(strayDel), wb.Flush()} {
		if err != nil {
			t.Fatal(err)
		}
	}
	base.Discard()
	// "Crash": close without Meta(4). Close flushes the memtable, so the partial block is in a table.
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	d = openDB(t, dir, 10)
	defer func() { d.Close() }()
	if m := d.Committed(); m.Height != 3 || !bytes.Equal(m.AppHash, before.AppHash) {
		t.Fatalf("reopened at height %d hash %X; want 3 and %X", m.Height, m.AppHash, before.AppHash)
	}
	requireState(t, d, "after the crash", 3, prev)
	if _, err := d.ReadAt(4); !errors.Is(err, ErrHeightUnavailable) {
		t.Fatalf("ReadAt(4) after the crash: %v; want ErrHeightUnavailable", err)
	}

	// The replay: the same block on the same height-3 state.
	base = d.ReadLatest()
	o2, next2 := block(base)
	if !slices.Equal(writesOf(o2), writesOf(o)) || !slices.Equal(allPairs(next2), allPairs(next)) {
		t.Fatal("the replayed block differs from the aborted one")
	}
	if err := d.Commit(4, o2, metaFor(next, 4_000)); err != nil {
		t.Fatalf("re-commit of block 4: %v", err)
	}
	base.Discard()
	requireState(t, d, "after the replay", 4, next)
	if v, err := d.ReadAt(3); err != nil {
		t.Fatal(err)
	} else {
		if got := allPairs(v); !slices.Equal(got, allPairs(prev)) {
			t.Fatalf("height 3 changed by the replay: %s", fmtPairs(got))
		}
		v.Discard()
	}
	// And once more from disk, with the next block on top.
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = openDB(t, dir, 10)
	requireState(t, d, "after reopening", 4, next)
	states[5] = commitRandom(t, d, rng, 5, next)
	requireState(t, d, "block 5", 5, states[5])
}

// TestDBCommitCrashInFirstBlock: a first block that dies before its Meta leaves data but no
// committed height; the replayed first block drops the leftovers (nothing is committed, so all of
// it is garbage) and commits exactly its own state.
func TestDBCommitCrashInFirstBlock(t *testing.T) {
	dir := t.TempDir()
	d := openDB(t, dir, 10)
	wb := d.bdb.NewWriteBatchAt(1)
	for _, err := range []error{wb.Set([]byte{1}, []byte("partial")), wb.Set([]byte{2}, []byte("stray")), wb.Flush()} {
		if err != nil {
			t.Fatal(err)
		}
	}
	d.Close()
	d = openDB(t, dir, 10)
	defer d.Close()
	requireState(t, d, "after the crash", 0, model{})
	want := model{"\x01": []byte("one")}
	o := NewOverlay(model{})
	o.Set([]byte{1}, []byte("one"))
	if err := d.Commit(1, o, metaFor(want, 1)); err != nil {
		t.Fatal(err)
	}
	requireState(t, d, "after the replay", 1, want)
}

// TestDBCommitRefusesWritesAboveTheNextHeight: data at a version above the next height cannot come
// from this store's commits; Commit refuses to build on it instead of letting it surface later.
func TestDBCommitRefusesWritesAboveTheNextHeight(t *testing.T) {
	dir := t.TempDir()
	d := openDB(t, dir, 10)
	commitRandom(t, d, rand.New(rand.NewPCG(5, 5)), 1, model{})
	wb := d.bdb.NewWriteBatchAt(7)
	if err := wb.Set([]byte{1}, []byte("from elsewhere")); err != nil {
		t.Fatal(err)
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d = openDB(t, dir, 10)
	defer d.Close()
	err := d.Commit(2, NewOverlay(model{}), d.Committed())
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("version 7 above the committed height 1")) {
		t.Fatalf("Commit over writes at version 7: %v", err)
	}
}

// TestDBCommitLargerThanOneBadgerTxn: a block whose writes exceed what one Badger transaction takes
// (~15% of the 128 MiB memtable, ~20 MB) commits, survives a reopen and hashes to its state. The
// store committed each block in a single transaction before, and this failed with "Txn is too big".
func TestDBCommitLargerThanOneBadgerTxn(t *testing.T) {
	dir := t.TempDir()
	d := openDB(t, dir, 10)
	const keys, size = 30_000, 1024 // ~31 MB
	want := model{}
	o := NewOverlay(model{})
	for i := range keys {
		k := fmt.Appendf([]byte{1}, "%08d", i)
		v := bytes.Repeat([]byte{byte(i)}, size)
		o.Set(k, v)
		want[string(k)] = v
	}
	if err := d.Commit(1, o, metaFor(want, 1)); err != nil {
		t.Fatalf("commit of a %d MB block: %v", keys*size>>20, err)
	}
	d.Close()
	d = openDB(t, dir, 10)
	defer d.Close()
	if got := d.Committed(); got.Height != 1 || !bytes.Equal(got.AppHash, latticeOf(want).Hash()) {
		t.Fatalf("reopened at height %d hash %X", got.Height, got.AppHash)
	}
	if err := d.Verify(); err != nil {
		t.Fatal(err)
	}
	v := d.ReadLatest()
	defer v.Discard()
	if n := len(allPairs(v)); n != keys {
		t.Fatalf("%d keys stored, want %d", n, keys)
	}
}

// writesOf lists an overlay's writes, a delete as "<deleted>".
func writesOf(o *Overlay) []kvPair {
	var out []kvPair
	o.Writes(func(k, v []byte, deleted bool) bool {
		if deleted {
			v = []byte("<deleted>")
		}
		out = append(out, kvPair{string(k), string(v)})
		return true
	})
	return out
}

func sortedKeys(m model) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// everyKey lists randKey's whole key space in order.
func everyKey() [][]byte {
	var out [][]byte
	for a := byte(1); a <= 4; a++ {
		out = append(out, []byte{a})
		for b := byte(1); b <= 4; b++ {
			out = append(out, []byte{a, b})
			for c := byte(1); c <= 4; c++ {
				out = append(out, []byte{a, b, c})
			}
		}
	}
	return out
}
