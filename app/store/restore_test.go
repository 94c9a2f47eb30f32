package store

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// restoreModel writes m (in key order) into a fresh restore at height and returns the writer.
func restoreModel(t *testing.T, d *DB, height int64, m model) *Restore {
	t.Helper()
	r, err := d.BeginRestore(height)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // a restore takes keys in order, as a snapshot holds them
	for _, k := range keys {
		if err := r.Set([]byte(k), m[k]); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRestoreIsInvisibleUntilFinish(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	src := openDB(t, "", 10)
	defer src.Close()
	state := model{}
	for h := int64(1); h <= 5; h++ {
		state = commitRandom(t, src, rng, h, state)
	}
	d := openDB(t, t.TempDir(), 10)
	defer d.Close()
	r := restoreModel(t, d, 5, state)

	if got := d.Committed().Height; got != 0 {
		t.Fatalf("height during restore = %d, want 0", got)
	}
	v := d.ReadLatest()
	checkReader(t, rng, "latest during restore", v, model{})
	v.Discard()
	if _, err := d.ReadAt(5); !errors.Is(err, ErrHeightUnavailable) {
		t.Fatalf("ReadAt(5) during restore: %v", err)
	}
	if !d.HasOrphans() {
		t.Fatal("a restore in progress must count as orphaned data")
	}
	rv := r.View()
	checkReader(t, rng, "restore view", rv, state)
	rv.Discard()

	if err := r.Finish(metaFor(state, 5_000)); err != nil {
		t.Fatal(err)
	}
	want := metaFor(state, 5_000)
	if m := d.Committed(); m.Height != 5 || string(m.AppHash) != string(want.AppHash) || m.Time != 5_000 {
		t.Fatalf("committed after restore: height %d time %d hash %X", m.Height, m.Time, m.AppHash)
	}
	if d.HasOrphans() {
		t.Fatal("finished restore reported as orphaned")
	}
	v = d.ReadLatest()
	checkReader(t, rng, "latest after restore", v, state)
	v.Discard()
	// The restored store follows blocks like any other.
	state = commitRandom(t, d, rng, 6, state)
	v, err := d.ReadAt(6)
	if err != nil {
		t.Fatal(err)
	}
	checkReader(t, rng, "block after restore", v, state)
	v.Discard()
}

func TestRestoreAbortLeavesEmptyStore(t *testing.T) {
	d := openDB(t, "", 10)
	defer d.Close()
	r := restoreModel(t, d, 7, model{"\x01a": []byte("1"), "\x01b": []byte("2")})
	if err := r.Abort(); err != nil {
		t.Fatal(err)
	}
	if d.HasOrphans() || d.Committed().Height != 0 {
		t.Fatalf("after abort: orphans %v, height %d", d.HasOrphans(), d.Committed().Height)
	}
	if err := r.Set([]byte("\x01c"), nil); err == nil {
		t.Fatal("Set after Abort succeeded")
	}
	// A chain can start from genesis on the wiped store.
	o := NewOverlay(d.ReadLatest())
	o.Set([]byte("\x01z"), []byte("z"))
	if err := d.Commit(1, o, metaFor(model{"\x01z": []byte("z")}, 1)); err != nil {
		t.Fatal(err)
	}
}

func TestRestoreRejects(t *testing.T) {
	d := openDB(t, "", 10)
	defer d.Close()
	r, err := d.BeginRestore(3)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		key  []byte
	}{
		{"reserved key", []byte{0x00, 'm', 'e', 't', 'a'}},
		{"empty key", []byte{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := r.Set(tc.key, []byte("v")); err == nil {
				t.Fatalf("Set(%x) succeeded", tc.key)
			}
		})
	}
	if err := r.Set([]byte("\x01b"), nil); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"\x01b", "\x01a"} {
		if err := r.Set([]byte(k), nil); err == nil {
			t.Fatalf("Set(%x) after \\x01b succeeded; keys must strictly increase", k)
		}
	}
	bad := metaFor(model{"\x01b": {}}, 1)
	bad.AppHash = []byte("not the lattice hash")
	if err := r.Finish(bad); err == nil || d.Committed().Height != 0 {
		t.Fatalf("Finish with an inconsistent meta: err %v, height %d", err, d.Committed().Height)
	}
	if _, err := d.BeginRestore(0); err == nil {
		t.Fatal("restore at height 0 accepted")
	}
}

func TestBeginRestoreRefusesCommittedState(t *testing.T) {
	d := openDB(t, "", 10)
	defer d.Close()
	commitRandom(t, d, rand.New(rand.NewPCG(3, 4)), 1, model{})
	if _, err := d.BeginRestore(10); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("BeginRestore on a store at height 1: %v, want ErrNotEmpty", err)
	}
	if d.Committed().Height != 1 {
		t.Fatal("refused restore changed the store")
	}
}
