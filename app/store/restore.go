package store

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"github.com/dgraph-io/badger/v4"
)

// Restore writes a state-sync snapshot into an empty store at version height. The pairs land in
// Badger through a managed write batch, which may commit in several internal transactions, so a
// restore is not atomic by itself. What makes it safe is the order: the store's Meta is written
// last (Finish), and until then the committed height stays 0, so every read (ReadLatest, ReadAt,
// queries) opens at version 0 and sees none of the restored pairs. Abort and Wipe remove them.
type Restore struct {
	d      *DB
	height int64
	wb     *badger.WriteBatch
	last   []byte // the previous key written; keys must strictly increase
	pairs  int64
}

// ErrNotEmpty is returned when a restore is started on a store that has committed state.
var ErrNotEmpty = errors.New("state database is not empty")

// BeginRestore wipes whatever an earlier, unfinished restore left behind and returns a writer for
// the state at height. It refuses a store that has committed blocks: state sync only ever starts
// on a fresh node, and a non-empty store means the operator pointed it at the wrong home.
func (d *DB) BeginRestore(height int64) (*Restore, error) {
	if height < 1 {
		return nil, fmt.Errorf("restore at height %d: height must be at least 1", height)
	}
	if h := d.Committed().Height; h != 0 {
		return nil, fmt.Errorf("%w: it holds committed height %d", ErrNotEmpty, h)
	}
	if err := d.Wipe(); err != nil {
		return nil, err
	}
	return &Restore{d: d, height: height, wb: d.bdb.NewWriteBatchAt(uint64(height))}, nil
}

// Height is the version the restore writes at.
func (r *Restore) Height() int64 { return r.height }

// Pairs is how many pairs have been written so far.
func (r *Restore) Pairs() int64 { return r.pairs }

// Set writes one pair. Keys must arrive in strictly increasing order and must not be reserved;
// a snapshot that breaks either rule is malformed, not merely unlucky.
func (r *Restore) Set(key, value []byte) error {
	if r.wb == nil {
		return errors.New("restore already finished or aborted")
	}
	if len(key) == 0 || IsReserved(key) {
		return fmt.Errorf("snapshot holds reserved key %x", key)
	}
	if r.last != nil && bytes.Compare(key, r.last) <= 0 {
		return fmt.Errorf("snapshot keys out of order: %x after %x", key, r.last)
	}
	// The write batch keeps references until it flushes; copy so callers may reuse their buffers.
	k, v := bytes.Clone(key), bytes.Clone(value)
	if v == nil {
		v = []byte{}
	}
	if err := r.wb.Set(k, v); err != nil {
		return fmt.Errorf("restore %x: %w", key, err)
	}
	r.last = k
	r.pairs++
	return nil
}

// Flush writes every pair set so far to the database. It does not make them visible.
func (r *Restore) Flush() error {
	if r.wb == nil {
		return errors.New("restore already finished or aborted")
	}
	err := r.wb.Flush() // a flushed batch takes no more writes
	r.wb = r.d.bdb.NewWriteBatchAt(uint64(r.height))
	if err != nil {
		return fmt.Errorf("restore at height %d: %w", r.height, err)
	}
	return nil
}

// View reads the restored pairs at the restore height, before Finish makes them visible to
// everyone else. Call Flush first.
func (r *Restore) View() *View { return r.d.view(r.height) }

// Finish flushes the pairs, then persists meta at the restore height. Only now does the store
// report the restored height. The caller has checked that meta matches the restored pairs.
func (r *Restore) Finish(meta Meta) error {
	if r.wb == nil {
		return errors.New("restore already finished or aborted")
	}
	err := r.wb.Flush()
	r.wb = nil
	if err != nil {
		return fmt.Errorf("restore at height %d: %w", r.height, err)
	}
	if got := meta.Lattice.Hash(); !bytes.Equal(got, meta.AppHash) {
		return fmt.Errorf("finish restore: app hash %X does not match its lattice (%X)", meta.AppHash, got)
	}
	meta.Height = r.height
	txn := r.d.bdb.NewTransactionAt(uint64(r.height), true)
	defer txn.Discard()
	if err := txn.Set(metaKey, encodeMeta(meta)); err != nil {
		return fmt.Errorf("finish restore: %w", err)
	}
	if err := txn.CommitAt(uint64(r.height), nil); err != nil {
		return fmt.Errorf("finish restore: %w", err)
	}
	r.d.mu.Lock()
	r.d.meta = meta
	r.d.mu.Unlock()
	return nil
}

// Abort drops the unfinished restore and everything it wrote.
func (r *Restore) Abort() error {
	if r.wb != nil {
		r.wb.Cancel()
		r.wb = nil
	}
	return r.d.Wipe()
}

// Wipe deletes every key at every version and resets the committed height to 0. It exists for
// state sync, which must start from, and fall back to, an empty store.
func (d *DB) Wipe() error {
	if err := d.bdb.DropAll(); err != nil {
		return fmt.Errorf("wipe state database: %w", err)
	}
	d.mu.Lock()
	d.meta = Meta{AppHash: (&Lattice{}).Hash()}
	d.dirty = 0
	d.mu.Unlock()
	return nil
}

// HasOrphans reports whether the store has no committed height yet still holds keys: the
// leftovers of a restore that crashed before Finish. They are invisible at version 0, but blocks
// replayed from genesis would reach their version, so they must be wiped before anything else.
func (d *DB) HasOrphans() bool {
	if d.Committed().Height != 0 {
		return false
	}
	txn := d.bdb.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = false
	opts.AllVersions = true
	it := txn.NewIterator(opts)
	defer it.Close()
	it.Rewind()
	return it.Valid()
}
