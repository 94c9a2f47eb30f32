package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2/z"

	"github.com/commonsledger/commons/x/core"
)

// VerifyEnv names an environment variable that makes Open also recompute the app hash from every
// stored pair of the latest height (COMMONSD_VERIFY_STATE=1). It reads the whole state, so it is
// off by default; the checks of checkFiles always run.
const VerifyEnv = "COMMONSD_VERIFY_STATE"

// ErrCorrupt marks a state database that must not be opened: its files are damaged or disagree.
var ErrCorrupt = errors.New("state database is damaged")

func corrupt(dir, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s; restore %s from a backup, or move it away and let the node "+
		"rebuild it (replay from genesis, or state sync)", ErrCorrupt, dir, fmt.Sprintf(format, args...), dir)
}

// checkFiles inspects a Badger directory before Badger opens it, because Badger itself treats
// damage leniently: it deletes table files its MANIFEST does not list (a lost or truncated
// MANIFEST silently empties the database), panics in a background goroutine on a truncated or
// bit-flipped table, and, with checksums verified at open, skips a table whose checksum fails.
// Every table the MANIFEST lists must exist, open, and
// pass its block checksums; no table may be unlisted. Value-log and memtable (WAL) files are
// checksummed by Badger as it replays them, and a torn tail is cut back to the last whole
// transaction, which is a whole block (CometBFT then replays the blocks after it).
func checkFiles(dir string) error {
	release, busy := lockDir(dir)
	defer release()
	if busy {
		return nil // in use by another process: Badger's open reports that
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read state database directory: %w", err)
	}
	var tables []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sst") {
			tables = append(tables, e.Name())
		}
	}
	mf, err := readManifest(dir)
	if errors.Is(err, os.ErrNotExist) {
		if len(tables) > 0 {
			return corrupt(dir, "MANIFEST is missing but %d table files remain (%s)", len(tables), strings.Join(tables, ", "))
		}
		return nil
	}
	if err != nil {
		return corrupt(dir, "MANIFEST is unreadable: %v", err)
	}
	for _, name := range tables {
		id, ok := table.ParseFileID(name)
		if !ok {
			return corrupt(dir, "unexpected table file %s", name)
		}
		if _, listed := mf.Tables[id]; !listed {
			return corrupt(dir, "table %s is not listed in MANIFEST (MANIFEST truncated or replaced?)", name)
		}
	}
	ids := make([]uint64, 0, len(mf.Tables))
	for id := range mf.Tables {
		ids = append(ids, id)
	}
	slices.Sort(ids) // deterministic: the first damaged table is the one reported
	for _, id := range ids {
		if err := checkTable(table.NewFilename(id, dir), mf.Tables[id]); err != nil {
			return corrupt(dir, "%v", err)
		}
	}
	return nil
}

func readManifest(dir string) (badger.Manifest, error) {
	f, err := os.Open(filepath.Join(dir, badger.ManifestFilename))
	if err != nil {
		return badger.Manifest{}, err
	}
	defer f.Close()
	mf, _, err := badger.ReplayManifestFile(f, 0)
	return mf, err
}

// checkTable opens one table read-only and verifies the checksum of its index and of every block.
// Badger's table code panics on some malformed files; that is a damaged table, not a crash.
func checkTable(path string, tm badger.TableManifest) (err error) {
	name := filepath.Base(path)
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("table %s listed in MANIFEST: %w", name, err)
	}
	if fi.Size() == 0 {
		return fmt.Errorf("table %s is empty", name)
	}
	mf, err := z.OpenMmapFile(path, os.O_RDONLY, 0)
	if err != nil && !errors.Is(err, z.NewFile) {
		return fmt.Errorf("table %s: %w", name, err)
	}
	defer mf.Close(-1)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("table %s is malformed (truncated or overwritten): Badger cannot read its index", name)
		}
	}()
	t, err := table.OpenTable(mf, table.Options{ReadOnly: true, ChkMode: options.OnTableAndBlockRead,
		Compression: tm.Compression, BlockSize: 4 << 10})
	if err != nil {
		return fmt.Errorf("table %s: %w", name, err)
	}
	if err := t.VerifyChecksum(); err != nil {
		return fmt.Errorf("table %s fails its checksum: %w", name, err)
	}
	return nil
}

// verifyOnOpenRequested reports whether VerifyEnv asks Open for the full check.
func verifyOnOpenRequested() bool {
	v := os.Getenv(VerifyEnv)
	return v != "" && v != "0" && v != "false"
}

// Verify checks the open database end to end: Badger's checksums of every table block, and the
// app hash of the latest height recomputed from every stored pair against the committed one. It
// reads the whole state. A storage failure while reading is reported, not raised.
func (d *DB) Verify() (err error) {
	if err := d.bdb.VerifyChecksum(); err != nil {
		return fmt.Errorf("%w: table checksums: %v", ErrCorrupt, err)
	}
	m := d.Committed()
	v := d.ReadLatest()
	defer v.Discard()
	l, err := recomputeReporting(v)
	if err != nil {
		return fmt.Errorf("%w: reading height %d: %v", ErrCorrupt, m.Height, err)
	}
	if got := l.Hash(); !bytes.Equal(got, m.AppHash) {
		return fmt.Errorf("%w: the pairs stored at height %d hash to %X, but the committed app hash is %X",
			ErrCorrupt, m.Height, got, m.AppHash)
	}
	return nil
}

// recomputeReporting is RecomputeLattice with a storage failure returned instead of raised.
func recomputeReporting(r core.Reader) (l Lattice, err error) {
	defer core.RecoverFatal(&err)
	return RecomputeLattice(r), nil
}
