package store

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// closedDB commits 30 random blocks to a new directory and closes it cleanly (Badger then flushes
// its memtable into a table file), returning the directory.
func closedDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	d := openDB(t, dir, 100)
	rng := rand.New(rand.NewPCG(1, 2))
	m := model{}
	for h := int64(1); h <= 30; h++ {
		m = commitRandom(t, d, rng, h, m)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// damage rewrites file name in dir.
func damage(t *testing.T, dir, name string, f func([]byte) []byte) {
	t.Helper()
	p := filepath.Join(dir, name)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if out := f(b); out == nil {
		err = os.Remove(p)
	} else {
		err = os.WriteFile(p, out, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func flipAt(frac float64) func([]byte) []byte {
	return func(b []byte) []byte {
		i := int(float64(len(b)-1) * frac)
		b[i] ^= 0x5a
		return b
	}
}

// TestOpenRefusesDamagedFiles: a table file deleted, truncated or with flipped bytes, and a
// MANIFEST deleted, truncated or overwritten, each make Open fail with ErrCorrupt and a message
// naming the file, instead of Badger's defaults (delete unlisted tables and open empty, skip a
// table whose checksum fails, or panic in a background goroutine).
func TestOpenRefusesDamagedFiles(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		f      func([]byte) []byte
		phrase string
	}{
		{"table deleted", "000001.sst", func([]byte) []byte { return nil }, "table 000001.sst listed in MANIFEST"},
		{"table truncated", "000001.sst", func(b []byte) []byte { return b[:len(b)/2] }, "000001.sst"},
		{"table emptied", "000001.sst", func(b []byte) []byte { return b[:0] }, "table 000001.sst is empty"},
		{"table byte flipped early", "000001.sst", flipAt(0.1), "000001.sst"},
		{"table byte flipped late", "000001.sst", flipAt(0.9), "000001.sst"},
		{"table byte flipped at the end", "000001.sst", flipAt(1), "000001.sst"},
		{"MANIFEST deleted", "MANIFEST", func([]byte) []byte { return nil }, "MANIFEST is missing but 1 table files remain (000001.sst)"},
		{"MANIFEST truncated", "MANIFEST", func(b []byte) []byte { return b[:len(b)/2] }, "table 000001.sst is not listed in MANIFEST"},
		{"MANIFEST overwritten", "MANIFEST", func(b []byte) []byte { return []byte("not a manifest at all") }, "MANIFEST is unreadable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := closedDB(t)
			damage(t, dir, tc.file, tc.f)
			d, err := Open(dir, Options{KeepRecent: 100})
			if err == nil {
				d.Close()
				t.Fatal("Open accepted a damaged database")
			}
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.phrase) || !strings.Contains(err.Error(), "restore") {
				t.Fatalf("Open error %q: want ErrCorrupt naming %q and saying what to do", err, tc.phrase)
			}
			// Nothing was deleted: the operator still has every file to salvage.
			if tc.file == "MANIFEST" {
				if _, err := os.Stat(filepath.Join(dir, "000001.sst")); err != nil {
					t.Fatalf("the table file is gone after the refused Open: %v", err)
				}
			}
		})
	}
	t.Run("undamaged", func(t *testing.T) {
		d, err := Open(closedDB(t), Options{KeepRecent: 100})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if h := d.Committed().Height; h != 30 {
			t.Fatalf("height %d", h)
		}
		if err := d.Verify(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestVerifyDetectsStateThatDisagreesWithItsHash: a pair written behind the store's back (the
// files are intact, the checksums pass) makes the recomputed app hash differ from the committed
// one. Verify reports it, and Open refuses the database when COMMONSD_VERIFY_STATE asks for it.
func TestVerifyDetectsStateThatDisagreesWithItsHash(t *testing.T) {
	dir := closedDB(t)
	d := openDB(t, dir, 100)
	h := d.Committed().Height
	txn := d.bdb.NewTransactionAt(uint64(h), true)
	if err := txn.Set([]byte("\x01stray"), []byte("value")); err != nil {
		t.Fatal(err)
	}
	if err := txn.CommitAt(uint64(h), nil); err != nil {
		t.Fatal(err)
	}
	err := d.Verify()
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "the pairs stored at height 30 hash to") {
		t.Fatalf("Verify: %v", err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if d, err := Open(dir, Options{KeepRecent: 100}); err != nil {
		t.Fatalf("without %s, Open runs only the file checks: %v", VerifyEnv, err)
	} else {
		d.Close()
	}
	t.Setenv(VerifyEnv, "1")
	if d, err := Open(dir, Options{KeepRecent: 100}); !errors.Is(err, ErrCorrupt) {
		if err == nil {
			d.Close()
		}
		t.Fatalf("with %s=1, Open: %v", VerifyEnv, err)
	}
}

// TestOpenInUseIsNotDamage: while one process (here, one DB) has the directory open and may be
// rewriting its files, a second Open gets Badger's lock error, not a report of damage.
func TestOpenInUseIsNotDamage(t *testing.T) {
	dir := closedDB(t)
	d := openDB(t, dir, 100)
	defer d.Close()
	_, err := Open(dir, Options{KeepRecent: 100})
	if err == nil || errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "lock") {
		t.Fatalf("second Open: %v; want Badger's directory lock error", err)
	}
}
