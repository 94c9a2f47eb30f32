package store

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"github.com/commonsledger/commons/app/failpoint"
	"github.com/commonsledger/commons/x/core"
)

// metaKey is outside every module's prefix space (module prefixes start at 0x01) and is excluded from
// the app hash: it *is* the app hash.
var metaKey = []byte{0x00, 'm', 'e', 't', 'a'}

// IsReserved reports whether key belongs to the store itself rather than to application state.
func IsReserved(key []byte) bool { return len(key) > 0 && key[0] == 0x00 }

// Meta is what the store persists atomically with each block.
type Meta struct {
	Height  int64
	Time    int64 // block time of Height, unix seconds (not part of the app hash; the header has it)
	AppHash []byte
	Lattice Lattice
}

// Options configure the store.
type Options struct {
	// KeepRecent is how many recent heights stay readable for historical queries (>= 1).
	KeepRecent int64
	// InMemory keeps everything in RAM (tests and benchmarks only).
	InMemory bool
	// Logger receives Badger's warnings and errors; nil discards them.
	Logger badger.Logger
}

// DB is the versioned application database.
type DB struct {
	bdb  *badger.DB
	opts Options

	mu   sync.RWMutex
	meta Meta
	// dirty is the highest version that may hold writes of an unfinished commit or restore (0:
	// none). Open sets it from Badger's MaxVersion; Commit sets it while writing and clears it with
	// Meta; Wipe clears it. Only the ABCI goroutine (Open, Commit, restore) touches it.
	dirty int64
}

// ErrHeightUnavailable is returned for reads at a height that is pruned or not yet committed.
var ErrHeightUnavailable = errors.New("height not available")

// Open opens (or creates) the database in dir and loads the last committed Meta.
func Open(dir string, opts Options) (*DB, error) {
	if opts.KeepRecent < 1 {
		opts.KeepRecent = 1
	}
	bo := badger.DefaultOptions(dir).
		WithSyncWrites(true). // one fsync per block commit, never per tx
		WithNumVersionsToKeep(1).
		WithMemTableSize(128 << 20). // a block larger than ~15% of it commits in several transactions (Commit)
		WithCompression(options.None).
		// Uncompressed tables are read in place from their memory map, so a block cache holds
		// nothing a read needs: each lookup would only pay ristretto's hashing and admission on
		// top (a tenth of a 1M-member block's time, BENCHMARKS.md "Scale, round 3").
		WithBlockCacheSize(0).
		// One writer (Commit), so no write can conflict with another. With detection on, Badger
		// keeps every committed write transaction's key fingerprints until the discard timestamp
		// passes it, i.e. for keep_recent blocks: 160 MB of heap in the 1-hour soak (BENCHMARKS.md).
		WithDetectConflicts(false).
		WithLogger(opts.Logger).
		WithInMemory(opts.InMemory)
	if opts.InMemory {
		bo = bo.WithDir("").WithValueDir("")
	}
	if !opts.InMemory {
		if err := checkFiles(dir); err != nil { // verify.go: damage Badger would hide
			return nil, err
		}
	}
	bdb, err := badger.OpenManaged(bo)
	if err != nil {
		return nil, fmt.Errorf("open state database %s: %w", dir, err)
	}
	d := &DB{bdb: bdb, opts: opts}
	if err := d.loadMeta(); err != nil {
		bdb.Close()
		return nil, err
	}
	if mv := int64(bdb.MaxVersion()); mv > d.meta.Height { // a commit or restore died before its Meta
		d.dirty = mv
	}
	if !opts.InMemory && verifyOnOpenRequested() {
		if err := d.Verify(); err != nil {
			bdb.Close()
			return nil, err
		}
	}
	return d, nil
}

func (d *DB) loadMeta() error {
	txn := d.bdb.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	item, err := txn.Get(metaKey)
	if errors.Is(err, badger.ErrKeyNotFound) {
		d.meta = Meta{Lattice: Lattice{}, AppHash: (&Lattice{}).Hash()}
		return nil
	}
	if err != nil {
		return fmt.Errorf("read store meta: %w", err)
	}
	raw, err := item.ValueCopy(nil)
	if err != nil {
		return fmt.Errorf("read store meta: %w", err)
	}
	m, err := decodeMeta(raw)
	if err != nil {
		return fmt.Errorf("state database is corrupt (store meta unreadable): %w; restore from a backup or state sync", err)
	}
	if int64(item.Version()) != m.Height {
		return fmt.Errorf("state database is corrupt: meta at version %d claims height %d", item.Version(), m.Height)
	}
	d.meta = m
	return nil
}

// Close flushes and closes the database.
func (d *DB) Close() error { return d.bdb.Close() }

// LSM describes Badger's log-structured tree: per level, its tables, size and compaction score.
// For benchmarks and diagnostics (the scale benchmark waits for no compaction to be due); nothing
// in state depends on it. The two results come from two reads of Badger's levels.
func (d *DB) LSM() (shape string, compactionDue bool) {
	levels := d.bdb.Levels()
	// A level above the last with a score of 1 or more is due a compaction (level 0 counts tables,
	// the others size against their target); the last level's target is its own size.
	for _, l := range levels[:len(levels)-1] {
		compactionDue = compactionDue || l.Score >= 1
	}
	return d.bdb.LevelsToString(), compactionDue
}

// Committed returns the last committed Meta.
func (d *DB) Committed() Meta {
	d.mu.RLock()
	defer d.mu.RUnlock()
	m := d.meta
	m.AppHash = append([]byte(nil), m.AppHash...)
	return m
}

// ReadLatest returns a read view of the last committed state.
func (d *DB) ReadLatest() *View {
	d.mu.RLock()
	h := d.meta.Height
	d.mu.RUnlock()
	return d.view(h)
}

// MetaAt returns the Meta committed at height (for its block time), if that height is kept.
func (d *DB) MetaAt(height int64) (Meta, error) {
	v, err := d.ReadAt(height)
	if err != nil {
		return Meta{}, err
	}
	defer v.Discard()
	item, err := v.txn.Get(metaKey)
	if err != nil {
		return Meta{}, fmt.Errorf("read meta at %d: %w", height, err)
	}
	raw, err := item.ValueCopy(nil)
	if err != nil {
		return Meta{}, fmt.Errorf("read meta at %d: %w", height, err)
	}
	return decodeMeta(raw)
}

// ReadAt returns a read view of the state after block height, if that height is still kept.
func (d *DB) ReadAt(height int64) (*View, error) {
	d.mu.RLock()
	last := d.meta.Height
	d.mu.RUnlock()
	if height > last {
		return nil, fmt.Errorf("%w: height %d is above the last committed height %d", ErrHeightUnavailable, height, last)
	}
	if oldest := last - d.opts.KeepRecent + 1; height < oldest || height < 0 {
		return nil, fmt.Errorf("%w: height %d is pruned; heights %d..%d are kept", ErrHeightUnavailable, height, max(oldest, 1), last)
	}
	v := d.view(height)
	// Every committed height has its meta at exactly that version. Without one, the height precedes
	// the chain's first block (InitialHeight > 1, or 0), and its "state" would read as empty.
	if last > 0 {
		item, err := v.txn.Get(metaKey)
		if errors.Is(err, badger.ErrKeyNotFound) || (err == nil && int64(item.Version()) != height) {
			v.Discard()
			return nil, fmt.Errorf("%w: height %d is before the first block of this chain", ErrHeightUnavailable, height)
		}
		if err != nil {
			v.Discard()
			return nil, fmt.Errorf("read meta at %d: %w", height, err)
		}
	}
	return v, nil
}

func (d *DB) view(height int64) *View {
	return &View{txn: d.bdb.NewTransactionAt(uint64(height), false), height: height}
}

// Commit writes the block's overlay and then the new Meta, all at version height. Reserved keys in
// the overlay are rejected: the store owns them.
//
// A block is not limited by Badger's transaction size (about 15% of the memtable): its writes go
// through a managed write batch, which commits as many Badger transactions as it needs, all at
// version height, and Meta follows in its own synced transaction only after every one of them is
// durable. The block is therefore atomic by ordering, not by a single transaction (the same
// argument as Restore):
//
//   - Until Meta(height) is written, the committed height stays height-1. Every read (ReadLatest,
//     ReadAt, queries, the next block's base) opens at a version <= height-1, and a managed-mode
//     read never sees versions above its read timestamp, so a crash between the first data
//     transaction and Meta leaves the store exactly at height-1: Info reports height-1 and
//     CometBFT replays block height.
//   - The replay executes the same decided block on the same height-1 state, so it writes the same
//     keys with the same values at the same version. For equal key and version Badger returns the
//     newer write (memtables before tables, upper levels before lower ones), so the rewrite wins
//     whatever the crash left behind, deletes included.
//   - Keys the aborted attempt wrote but the replay does not write ("strays") cannot arise from a
//     deterministic replay, but they would otherwise surface at version height, so the store does
//     not rely on it: Open notes any version above the committed height (Badger's MaxVersion, no
//     scan), and the first Commit after that rewrites every stray at height to its height-1 value
//     (or deletes it). That costs one scan of the store, once, after a crash mid-commit.
func (d *DB) Commit(height int64, writes *Overlay, meta Meta) error {
	d.mu.RLock()
	last := d.meta.Height
	d.mu.RUnlock()
	if height != last+1 && !(last == 0 && height > 0) { // the first block may be at InitialHeight > 1
		return fmt.Errorf("commit height %d does not follow committed height %d", height, last)
	}
	// Open verifies this on every start; checking here keeps a bad Meta from making the database
	// unopenable after a restart.
	if got := meta.Lattice.Hash(); !bytes.Equal(got, meta.AppHash) {
		return fmt.Errorf("commit block %d: app hash %X does not match its lattice (%X)", height, meta.AppHash, got)
	}
	// Check everything before writing anything, so a rejected block leaves no trace.
	var werr error
	writes.Each(func(k, _ []byte, _ bool) bool {
		if IsReserved(k) {
			werr = fmt.Errorf("write to reserved key %x", k)
		}
		return werr == nil
	})
	if werr != nil {
		return fmt.Errorf("stage block %d: %w", height, werr)
	}
	meta.Height = height
	if d.dirty > last && last == 0 {
		// Nothing is committed, so everything stored is garbage: drop it, as HasOrphans/Wipe do
		// for an unfinished restore (a first block that died mid-commit leaves the same).
		if err := d.Wipe(); err != nil {
			return fmt.Errorf("commit block %d: %w", height, err)
		}
	}
	wb := d.bdb.NewWriteBatchAt(uint64(height))
	defer wb.Cancel()
	if err := d.undoStrays(wb, last, height, writes); err != nil {
		return fmt.Errorf("commit block %d: %w", height, err)
	}
	// From the first write on, a failure leaves partial data at version height behind.
	d.dirty = max(d.dirty, height)
	writes.Each(func(k, v []byte, deleted bool) bool {
		if deleted {
			werr = wb.Delete(k)
		} else {
			werr = wb.Set(k, v)
		}
		return werr == nil
	})
	if werr != nil {
		return fmt.Errorf("write block %d: %w", height, werr)
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("write block %d: %w", height, err)
	}
	failpoint.Hit("mid-commit", height) // data durable at version height, Meta not yet: still height-1
	txn := d.bdb.NewTransactionAt(uint64(height), true)
	defer txn.Discard()
	if err := txn.Set(metaKey, encodeMeta(meta)); err != nil {
		return fmt.Errorf("stage block %d meta: %w", height, err)
	}
	if err := txn.CommitAt(uint64(height), nil); err != nil { // synced: the DB runs with SyncWrites
		return fmt.Errorf("commit block %d: %w", height, err)
	}
	d.mu.Lock()
	d.meta = meta
	d.dirty = 0
	d.mu.Unlock()
	if discard := height - d.opts.KeepRecent; discard > 0 {
		d.bdb.SetDiscardTs(uint64(discard))
	}
	return nil
}

// undoStrays makes what an earlier, aborted commit left at version height harmless before height
// is written again: each key written there that this block does not write gets its value at last
// back (or is deleted), at version height. It does nothing unless Open or a failed Commit noted
// writes above last. The aborted attempt can only have been at height (Commit only ever writes
// at last+1, and Commit wipes a store with nothing committed first); anything above height was
// not written by this store and is reported as corruption.
func (d *DB) undoStrays(wb *badger.WriteBatch, last, height int64, writes *Overlay) error {
	if d.dirty <= last {
		return nil
	}
	if mv := int64(d.bdb.MaxVersion()); mv > height {
		return fmt.Errorf("state database holds writes at version %d above the committed height %d; it is corrupt; restore from a backup or state sync", mv, last)
	}
	txn := d.bdb.NewTransactionAt(uint64(height), false)
	defer txn.Discard()
	prev := d.view(last)
	defer prev.Discard()
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = false
	opts.AllVersions = true // a stray delete is a tombstone, which a plain iterator skips
	it := txn.NewIterator(opts)
	defer it.Close()
	var seen []byte
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		k := item.Key()
		if bytes.Equal(k, seen) {
			continue // older versions of a key already looked at
		}
		seen = item.KeyCopy(seen[:0])
		if item.Version() != uint64(height) || IsReserved(k) {
			continue
		}
		if _, ok := writes.find(string(k)); ok {
			continue // rewritten by this block
		}
		key := bytes.Clone(k)
		var err error
		if v, ok := prev.Get(key); ok {
			err = wb.Set(key, v)
		} else {
			err = wb.Delete(key)
		}
		if err != nil {
			return fmt.Errorf("undo stray key %x: %w", key, err)
		}
	}
	return nil
}

// View is a read-only view of one committed version. Discard it when done.
type View struct {
	txn    *badger.Txn
	height int64
}

var _ core.Reader = (*View)(nil)

// Height is the block height this view reads at.
func (v *View) Height() int64 { return v.height }

// Discard releases the view.
func (v *View) Discard() { v.txn.Discard() }

// Get implements core.Reader. A storage failure is not a state-machine outcome, so it panics with
// *FatalError, which tx recovery re-raises instead of turning it into a tx result.
func (v *View) Get(key []byte) ([]byte, bool) {
	item, err := v.txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, false
	}
	if err != nil {
		panic(&FatalError{Err: fmt.Errorf("read %x: %w", key, err)})
	}
	val, err := item.ValueCopy(nil)
	if err != nil {
		panic(&FatalError{Err: fmt.Errorf("read value %x: %w", key, err)})
	}
	return val, true
}

// Iterate implements core.Reader.
func (v *View) Iterate(start, end []byte, reverse bool, fn func(key, value []byte) bool) {
	opts := badger.DefaultIteratorOptions
	opts.Reverse = reverse
	opts.PrefetchValues = false
	// Every key in [start, end) shares their common prefix. Giving it to Badger lets the iterator
	// leave out every table whose key range lies outside it: a module's range scan then opens one
	// or two tables per level instead of all of them, which is what a growing state would cost.
	opts.Prefix = commonPrefix(start, end)
	it := v.txn.NewIterator(opts)
	defer it.Close()
	if reverse {
		if end == nil {
			it.Rewind()
		} else {
			it.Seek(end) // largest key <= end; end itself is excluded below
		}
	} else {
		it.Seek(start)
	}
	for ; it.Valid(); it.Next() {
		item := it.Item()
		k := item.Key()
		if IsReserved(k) {
			continue
		}
		if reverse {
			if end != nil && string(k) >= string(end) {
				continue
			}
			if string(k) < string(start) {
				return
			}
		} else if end != nil && string(k) >= string(end) {
			return
		}
		val, err := item.ValueCopy(nil)
		if err != nil {
			panic(&FatalError{Err: fmt.Errorf("read value %x: %w", k, err)})
		}
		if !fn(k, val) {
			return
		}
	}
}

// commonPrefix is the longest prefix of both a and b; nil when b is nil (no upper bound).
func commonPrefix(a, b []byte) []byte {
	if b == nil {
		return nil
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return a[:n:n]
}

// FatalError marks a storage failure: the node must stop rather than compute on unknown state.
type FatalError = core.FatalError
