package cometdb

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dbm "github.com/cometbft/cometbft-db"
	cmtcfg "github.com/cometbft/cometbft/config"
)

func open(t *testing.T, dir string) *DB {
	t.Helper()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// collect walks an iterator to its end.
func collect(t *testing.T, it dbm.Iterator, err error) []string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var out []string
	for ; it.Valid(); it.Next() {
		out = append(out, fmt.Sprintf("%x=%x", it.Key(), it.Value()))
	}
	if err := it.Error(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDBAgreesWithMemDB runs the same random writes, batches, reads and bounded walks (both
// directions) on this Pebble DB and on cometbft-db's in-memory reference, and compares every answer.
func TestDBAgreesWithMemDB(t *testing.T) {
	d := open(t, t.TempDir())
	defer d.Close()
	ref := dbm.NewMemDB()
	rng := rand.New(rand.NewSource(7))
	key := func() []byte { return []byte{byte(rng.Intn(40)), byte(rng.Intn(4))} }
	bound := func() []byte {
		if rng.Intn(4) == 0 {
			return nil
		}
		return key()
	}
	for step := 0; step < 3000; step++ {
		switch op := rng.Intn(10); {
		case op < 3:
			k, v := key(), []byte(fmt.Sprint(step))
			must(t, d.Set(k, v), ref.Set(k, v))
		case op < 4:
			k := key()
			must(t, d.DeleteSync(k), ref.Delete(k))
		case op < 6:
			b, rb := d.NewBatch(), ref.NewBatch()
			for i := rng.Intn(6); i >= 0; i-- {
				k := key()
				if rng.Intn(3) == 0 {
					must(t, b.Delete(k), rb.Delete(k))
				} else {
					v := []byte(fmt.Sprint(step, i))
					must(t, b.Set(k, v), rb.Set(k, v))
				}
			}
			if rng.Intn(5) == 0 { // closed unwritten: nothing lands
				must(t, b.Close(), rb.Close())
				continue
			}
			must(t, b.WriteSync(), rb.WriteSync())
			must(t, b.Close(), rb.Close()) // Close after Write is allowed
		case op < 8:
			k := key()
			got, err := d.Get(k)
			want, _ := ref.Get(k)
			has, _ := d.Has(k)
			if err != nil || !bytes.Equal(got, want) || has != (want != nil) {
				t.Fatalf("step %d: Get %x = %q, %v (has %v); want %q", step, k, got, err, has, want)
			}
		default:
			start, end := bound(), bound()
			if start != nil && end != nil && bytes.Compare(start, end) > 0 {
				start, end = end, start
			}
			it, err := d.Iterator(start, end)
			rit, _ := ref.Iterator(start, end)
			if got, want := collect(t, it, err), collect(t, rit, nil); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("step %d: Iterator(%x, %x) = %v, want %v", step, start, end, got, want)
			}
			it, err = d.ReverseIterator(start, end)
			rit, _ = ref.ReverseIterator(start, end)
			if got, want := collect(t, it, err), collect(t, rit, nil); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("step %d: ReverseIterator(%x, %x) = %v, want %v", step, start, end, got, want)
			}
		}
	}
	it, _ := d.Iterator(nil, nil)
	if n := len(collect(t, it, nil)); n < 20 {
		t.Fatalf("the random walk left only %d keys; the comparison covered too little", n)
	}
}

func must(t *testing.T, errs ...error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestDBRefusesWhatCometBFTsBackendsRefuse: empty keys, nil values and a used batch are errors,
// never panics or writes; an iterator past its end panics on Key as the interface says.
func TestDBRefusesWhatCometBFTsBackendsRefuse(t *testing.T) {
	d := open(t, t.TempDir())
	defer d.Close()
	for name, err := range map[string]error{
		"Set empty key":   d.Set(nil, []byte("v")),
		"Set nil value":   d.Set([]byte("k"), nil),
		"Get empty key":   func() error { _, err := d.Get([]byte{}); return err }(),
		"Delete empty":    d.Delete(nil),
		"Iterator empty":  func() error { _, err := d.Iterator([]byte{}, nil); return err }(),
		"Reverse empty":   func() error { _, err := d.ReverseIterator(nil, []byte{}); return err }(),
		"batch nil value": d.NewBatch().Set([]byte("k"), nil),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	b := d.NewBatch()
	must(t, b.Set([]byte("a"), []byte("1")), b.Write())
	if err := b.Set([]byte("b"), []byte("2")); err != errBatchClosed {
		t.Errorf("Set on a written batch: %v, want %v", err, errBatchClosed)
	}
	if err := b.Write(); err != errBatchClosed {
		t.Errorf("second Write: %v, want %v", err, errBatchClosed)
	}
	if v, _ := d.Get([]byte("b")); v != nil {
		t.Errorf("a write to a written batch landed: %q", v)
	}
	it, _ := d.Iterator([]byte("a"), []byte("b"))
	defer it.Close()
	it.Next()
	defer func() {
		if recover() == nil {
			t.Error("Key on an exhausted iterator did not panic")
		}
	}()
	it.Key()
}

// TestDBKeepsSyncedWritesAcrossReopen: what a synced write (and the unsynced writes before it)
// stored is there after closing and opening again, and Compact keeps every key.
func TestDBKeepsSyncedWritesAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir)
	for i := 0; i < 500; i++ {
		must(t, d.Set([]byte(fmt.Sprintf("k%04d", i)), []byte(fmt.Sprint(i))))
	}
	must(t, d.SetSync([]byte("last"), []byte("x")), d.Compact(nil, nil), d.Close())
	d = open(t, dir)
	defer d.Close()
	it, err := d.Iterator(nil, nil)
	if n := len(collect(t, it, err)); n != 501 {
		t.Fatalf("%d keys after reopening, want 501", n)
	}
	if v, _ := d.Get([]byte("k0499")); string(v) != "499" {
		t.Fatalf("k0499 = %q after reopening", v)
	}
	if s := d.Stats()["pebble.metrics"]; s == "" {
		t.Error("Stats reported nothing")
	}
}

// TestProviderOpensTheConfiguredBackend: "pebbledb" homes get Pebble under data/<id>.db, others
// get CometBFT's own backend (goleveldb here).
func TestProviderOpensTheConfiguredBackend(t *testing.T) {
	for _, backend := range []string{Backend, "goleveldb"} {
		conf := cmtcfg.DefaultConfig()
		conf.SetRoot(t.TempDir())
		conf.DBBackend = backend
		db, err := Provider(&cmtcfg.DBContext{ID: "tx_index", Config: conf})
		if err != nil {
			t.Fatal(err)
		}
		_, isPebble := db.(*DB)
		must(t, db.SetSync([]byte("k"), []byte("v")), db.Close())
		if isPebble != (backend == Backend) {
			t.Errorf("%s: opened %T", backend, db)
		}
		if _, err := os.Stat(filepath.Join(conf.DBDir(), "tx_index.db")); err != nil {
			t.Errorf("%s: %v", backend, err)
		}
	}
}

// TestProviderRefusesTheOtherBackendsStore: a goleveldb store under db_backend = "pebbledb", and a
// Pebble store under "goleveldb", are refused with the fix named, and left as they were.
func TestProviderRefusesTheOtherBackendsStore(t *testing.T) {
	conf := cmtcfg.DefaultConfig()
	conf.SetRoot(t.TempDir())
	ctx := func(id, backend string) *cmtcfg.DBContext {
		conf.DBBackend = backend
		return &cmtcfg.DBContext{ID: id, Config: conf}
	}
	for _, c := range []struct{ id, writer, reader string }{
		{"state", "goleveldb", Backend},
		{"blockstore", Backend, "goleveldb"},
	} {
		db, err := Provider(ctx(c.id, c.writer))
		if err != nil {
			t.Fatal(err)
		}
		must(t, db.SetSync([]byte("k"), []byte("v")), db.Close())
		_, err = Provider(ctx(c.id, c.reader))
		if err == nil || !strings.Contains(err.Error(), "was written by "+c.writer) ||
			!strings.Contains(err.Error(), "state sync") {
			t.Fatalf("%s store opened as %s: %v", c.writer, c.reader, err)
		}
		db, err = Provider(ctx(c.id, c.writer)) // untouched: its own backend still reads it
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := db.Get([]byte("k")); string(v) != "v" {
			t.Fatalf("%s store after the refusal: k = %q", c.writer, v)
		}
		must(t, db.Close())
	}
}

// TestDBAfterClose: goleveldb answers calls on a closed database with an error, and Pebble would
// panic; here every call says the database is closed, a batch begun before Close cannot write,
// and closing again does nothing.
func TestDBAfterClose(t *testing.T) {
	d := open(t, t.TempDir())
	must(t, d.SetSync([]byte("k"), []byte("v")))
	early := d.NewBatch()
	must(t, early.Set([]byte("e"), []byte("1")), d.Close(), d.Close())
	_, getErr := d.Get([]byte("k"))
	_, iterErr := d.Iterator(nil, nil)
	late := d.NewBatch()
	for name, err := range map[string]error{
		"Get":            getErr,
		"Set":            d.Set([]byte("k"), []byte("w")),
		"DeleteSync":     d.DeleteSync([]byte("k")),
		"Iterator":       iterErr,
		"Compact":        d.Compact(nil, nil),
		"early batch":    early.WriteSync(),
		"late batch Set": late.Set([]byte("l"), []byte("1")),
		"late batch":     late.Write(),
	} {
		if err != errClosed {
			t.Errorf("%s after Close: %v, want %v", name, err, errClosed)
		}
	}
	must(t, early.Close(), late.Close())
	if d.Stats() != nil {
		t.Error("Stats after Close reported figures")
	}
}
