package store

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func openDB(t *testing.T, dir string, keep int64) *DB {
	t.Helper()
	d, err := Open(dir, Options{KeepRecent: keep, InMemory: dir == ""})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return d
}

// latticeOf computes the accumulator of a whole state from scratch.
func latticeOf(m model) *Lattice {
	var l Lattice
	for k, v := range m { // lane addition commutes, so map order does not matter here
		l.Add([]byte(k), v)
	}
	return &l
}

func metaFor(m model, unixTime int64) Meta {
	l := latticeOf(m)
	return Meta{Time: unixTime, Lattice: *l, AppHash: l.Hash()}
}

// commitRandom commits one block of random writes on top of prev and returns the new state.
func commitRandom(t *testing.T, d *DB, rng *rand.Rand, height int64, prev model) model {
	t.Helper()
	base := d.ReadLatest()
	defer base.Discard()
	o := NewOverlay(base)
	next := prev.clone()
	for range 1 + rng.IntN(20) {
		k := randKey(rng)
		if rng.IntN(4) == 0 {
			o.Delete(k)
			delete(next, string(k))
		} else {
			v := randValue(rng)
			o.Set(k, v)
			next[string(k)] = v
		}
	}
	if err := d.Commit(height, o, metaFor(next, 1_000*height)); err != nil {
		t.Fatalf("commit %d: %v", height, err)
	}
	return next
}

func TestDBFreshIsEmpty(t *testing.T) {
	d := openDB(t, "", 1)
	defer d.Close()
	m := d.Committed()
	if m.Height != 0 || m.Time != 0 {
		t.Fatalf("fresh db at height %d time %d", m.Height, m.Time)
	}
	if want := (&Lattice{}).Hash(); !bytes.Equal(m.AppHash, want) {
		t.Fatalf("fresh app hash %X, want the empty lattice's %X", m.AppHash, want)
	}
}

// TestDBReopenRestoresHistory commits several heights on disk, closes, reopens, and checks the
// last Meta and every kept height against the model; older and future heights are unavailable.
func TestDBReopenRestoresHistory(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 7))
	d := openDB(t, dir, 3)
	states := map[int64]model{0: {}}
	for h := int64(1); h <= 6; h++ {
		states[h] = commitRandom(t, d, rng, h, states[h-1])
	}
	before := d.Committed()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	d = openDB(t, dir, 3)
	defer d.Close()
	after := d.Committed()
	if after.Height != 6 || after.Time != 6_000 || !bytes.Equal(after.AppHash, before.AppHash) || after.Lattice != before.Lattice {
		t.Fatalf("reopened meta height %d time %d hash %X; want height 6 time 6000 hash %X",
			after.Height, after.Time, after.AppHash, before.AppHash)
	}
	if want := latticeOf(states[6]).Hash(); !bytes.Equal(after.AppHash, want) {
		t.Fatalf("app hash %X does not commit to the stored state (%X)", after.AppHash, want)
	}

	latest := d.ReadLatest()
	checkReader(t, rng, "latest", latest, states[6])
	checkReader(t, rng, "overlay over latest", NewOverlay(latest), states[6])
	latest.Discard()

	for h := int64(4); h <= 6; h++ {
		t.Run(fmt.Sprintf("ReadAt(%d)", h), func(t *testing.T) {
			v, err := d.ReadAt(h)
			if err != nil {
				t.Fatal(err)
			}
			defer v.Discard()
			if v.Height() != h {
				t.Fatalf("view height %d", v.Height())
			}
			checkReader(t, rng, "historical", v, states[h])
			m, err := d.MetaAt(h)
			if err != nil {
				t.Fatal(err)
			}
			if m.Height != h || m.Time != 1_000*h || !bytes.Equal(m.AppHash, latticeOf(states[h]).Hash()) {
				t.Fatalf("MetaAt(%d) = height %d time %d hash %X", h, m.Height, m.Time, m.AppHash)
			}
		})
	}

	unavailable := []struct {
		name   string
		height int64
		phrase string
	}{
		{"pruned", 3, "height 3 is pruned; heights 4..6 are kept"},
		{"long pruned", 1, "height 1 is pruned"},
		{"negative", -1, "pruned"},
		{"future", 7, "height 7 is above the last committed height 6"},
	}
	for _, tc := range unavailable {
		t.Run("unavailable/"+tc.name, func(t *testing.T) {
			v, err := d.ReadAt(tc.height)
			if !errors.Is(err, ErrHeightUnavailable) {
				if v != nil {
					v.Discard()
				}
				t.Fatalf("ReadAt(%d) err = %v, want ErrHeightUnavailable", tc.height, err)
			}
			if !strings.Contains(err.Error(), tc.phrase) {
				t.Fatalf("ReadAt(%d) err %q does not say %q", tc.height, err, tc.phrase)
			}
			if _, err := d.MetaAt(tc.height); !errors.Is(err, ErrHeightUnavailable) {
				t.Fatalf("MetaAt(%d) err = %v, want ErrHeightUnavailable", tc.height, err)
			}
		})
	}
}

func TestDBCommitHeights(t *testing.T) {
	d := openDB(t, "", 10)
	defer d.Close()
	empty := metaFor(model{}, 0)
	steps := []struct {
		name   string
		height int64
		errMsg string // "" means the commit succeeds
	}{
		{"height 0 is not a block", 0, "commit height 0 does not follow committed height 0"},
		{"negative height", -3, "commit height -3 does not follow committed height 0"},
		{"first block may start above 1 (InitialHeight)", 5, ""},
		{"gap", 7, "commit height 7 does not follow committed height 5"},
		{"same height again", 5, "commit height 5 does not follow committed height 5"},
		{"going back", 4, "commit height 4 does not follow committed height 5"},
		{"next height", 6, ""},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			before := d.Committed().Height
			err := d.Commit(s.height, NewOverlay(model{}), empty)
			switch {
			case s.errMsg == "" && err != nil:
				t.Fatalf("Commit(%d): %v", s.height, err)
			case s.errMsg != "" && (err == nil || err.Error() != s.errMsg):
				t.Fatalf("Commit(%d) err = %v, want %q", s.height, err, s.errMsg)
			}
			want := s.height
			if s.errMsg != "" {
				want = before
			}
			if got := d.Committed().Height; got != want {
				t.Fatalf("committed height %d, want %d", got, want)
			}
		})
	}
}

// TestDBCommitIsAtomic: a block that cannot be written leaves no trace, not even its valid keys.
func TestDBCommitIsAtomic(t *testing.T) {
	d := openDB(t, "", 10)
	defer d.Close()
	state := model{"\x01a": []byte("1")}
	o := NewOverlay(model{})
	o.Set([]byte("\x01a"), []byte("1"))
	if err := d.Commit(1, o, metaFor(state, 10)); err != nil {
		t.Fatal(err)
	}
	before := d.Committed()

	bad := NewOverlay(model{})
	bad.Set([]byte("\x01b"), []byte("2"))
	bad.Set(metaKey, []byte("forged meta"))
	bad.Delete([]byte("\x01a"))
	err := d.Commit(2, bad, metaFor(model{"\x01b": []byte("2")}, 20))
	if err == nil || !strings.Contains(err.Error(), "stage block 2: write to reserved key") {
		t.Fatalf("Commit with a reserved key: err = %v", err)
	}
	after := d.Committed()
	if after.Height != 1 || !bytes.Equal(after.AppHash, before.AppHash) {
		t.Fatalf("failed commit moved meta to height %d hash %X", after.Height, after.AppHash)
	}
	v := d.ReadLatest()
	defer v.Discard()
	checkReader(t, rand.New(rand.NewPCG(1, 1)), "after failed commit", v, state)
	// The next height is still 2.
	if err := d.Commit(2, NewOverlay(model{}), metaFor(state, 20)); err != nil {
		t.Fatalf("commit after a failed commit: %v", err)
	}
}

// TestOpenRejectsCorruptMeta writes a damaged meta record behind the store's back and checks that
// Open refuses the database with a message that says what is wrong and what to do.
func TestOpenRejectsCorruptMeta(t *testing.T) {
	good := metaFor(model{"\x01a": []byte("1")}, 10)
	good.Height = 1
	wrongHash := good
	wrongHash.AppHash = bytes.Repeat([]byte{0xAB}, 32)
	tests := []struct {
		name    string
		value   []byte
		phrases []string
	}{
		{"truncated", []byte{0, 1, 2}, []string{"state database is corrupt", "meta too short (3 bytes)", "restore from a backup or state sync"}},
		{"wrong length", encodeMeta(good)[:100], []string{"state database is corrupt", "meta has 100 bytes"}},
		{"hash does not match lattice", encodeMeta(wrongHash), []string{"state database is corrupt", "does not match its lattice"}},
		{"height does not match version", encodeMeta(good), []string{"state database is corrupt: meta at version 2 claims height 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			d := openDB(t, dir, 5)
			o := NewOverlay(model{})
			o.Set([]byte("\x01a"), []byte("1"))
			if err := d.Commit(1, o, good); err != nil {
				t.Fatal(err)
			}
			// Forge the meta of a height-2 block directly in Badger.
			txn := d.bdb.NewTransactionAt(2, true)
			if err := txn.Set(metaKey, tc.value); err != nil {
				t.Fatal(err)
			}
			if err := txn.CommitAt(2, nil); err != nil {
				t.Fatal(err)
			}
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
			d, err := Open(dir, Options{KeepRecent: 5})
			if err == nil {
				d.Close()
				t.Fatal("Open accepted a corrupt meta record")
			}
			for _, p := range tc.phrases {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("Open error %q does not say %q", err, p)
				}
			}
		})
	}
}

// TestDBCommitRejectsInconsistentMeta: a Meta whose app hash is not its lattice's hash would be
// written, and the next Open would then refuse the database as corrupt; Commit must refuse it first.
func TestDBCommitRejectsInconsistentMeta(t *testing.T) {
	dir := t.TempDir()
	d := openDB(t, dir, 5)
	state := model{"\x01a": []byte("1")}
	o := NewOverlay(model{})
	o.Set([]byte("\x01a"), []byte("1"))
	bad := metaFor(state, 10)
	bad.AppHash = bytes.Repeat([]byte{0x11}, 32)
	err := d.Commit(1, o, bad)
	if err == nil || !strings.Contains(err.Error(), "does not match its lattice") {
		t.Fatalf("Commit with an app hash that is not the lattice's: err = %v", err)
	}
	if h := d.Committed().Height; h != 0 {
		t.Fatalf("rejected commit moved the height to %d", h)
	}
	if err := d.Commit(1, o, metaFor(state, 10)); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d = openDB(t, dir, 5)
	defer d.Close()
	if h := d.Committed().Height; h != 1 {
		t.Fatalf("reopened at height %d, want 1", h)
	}
}

// TestDBReadBeforeFirstBlock: a chain that starts at InitialHeight 5 has no state at heights 0–4,
// even though they are inside the kept window; reading them must not return an empty state.
func TestDBReadBeforeFirstBlock(t *testing.T) {
	d := openDB(t, "", 100)
	defer d.Close()
	if v, err := d.ReadAt(0); err != nil {
		t.Fatalf("ReadAt(0) on an empty database: %v", err)
	} else {
		v.Discard()
	}
	state := model{"\x01a": []byte("1")}
	o := NewOverlay(model{})
	o.Set([]byte("\x01a"), []byte("1"))
	if err := d.Commit(5, o, metaFor(state, 50)); err != nil {
		t.Fatal(err)
	}
	for _, h := range []int64{0, 1, 4} {
		t.Run(fmt.Sprintf("height %d", h), func(t *testing.T) {
			v, err := d.ReadAt(h)
			if !errors.Is(err, ErrHeightUnavailable) {
				if v != nil {
					v.Discard()
				}
				t.Fatalf("ReadAt(%d) err = %v, want ErrHeightUnavailable", h, err)
			}
			if want := fmt.Sprintf("height %d is before the first block of this chain", h); !strings.Contains(err.Error(), want) {
				t.Fatalf("err %q does not say %q", err, want)
			}
		})
	}
	v, err := d.ReadAt(5)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Discard()
	checkReader(t, rand.New(rand.NewPCG(5, 5)), "height 5", v, state)
}

func TestDBLSMDescribesTheTree(t *testing.T) {
	d := openDB(t, t.TempDir(), 1)
	defer d.Close()
	commitRandom(t, d, rand.New(rand.NewPCG(1, 2)), 1, model{})
	shape, due := d.LSM()
	if due {
		t.Errorf("a one-block database has a compaction due:%s", shape)
	}
	for l := range 7 { // Badger's default MaxLevels
		if !strings.Contains(shape, fmt.Sprintf("Level %d ", l)) {
			t.Errorf("shape does not describe level %d:%s", l, shape)
		}
	}
}
