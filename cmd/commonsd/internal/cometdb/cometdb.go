// Package cometdb opens CometBFT's own stores (blockstore, state, tx_index, evidence) for the node.
// A home whose config.toml says db_backend = "pebbledb" (what `commonsd init` writes) gets them in
// Pebble; any other backend is opened by CometBFT as before. The app's state is not here: it lives
// in Badger (app/store).
//
// Why: under load, goleveldb's compactions of these stores took about 16 % of a single node's CPU
// (mostly the tx index), and Pebble does the same work for less; at 8,000 tx/s offered, one
// validator committed 7 % more (docs/decisions.md, "CometBFT's stores in Pebble").
//
// CometBFT's cometbft-db has a Pebble backend too, but only behind the pebbledb build tag, so a
// plain `go build` would make a binary that refuses such a home; and its DeleteSync drops errors.
package cometdb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/cockroachdb/pebble"
	dbm "github.com/cometbft/cometbft-db"
	cmtcfg "github.com/cometbft/cometbft/config"
)

// Backend is the config.toml db_backend value this package serves.
const Backend = "pebbledb"

var (
	errKeyEmpty    = errors.New("key cannot be empty")
	errValueNil    = errors.New("value cannot be nil")
	errBatchClosed = errors.New("batch has been written or closed")
	errClosed      = errors.New("database is closed")
)

// Provider is a CometBFT DBProvider: Pebble for db_backend = "pebbledb", CometBFT's own otherwise.
// A store written by the other of goleveldb and Pebble is refused by name: the formats look alike
// enough that Pebble would take a small goleveldb store as its own and rewrite it.
func Provider(ctx *cmtcfg.DBContext) (dbm.DB, error) {
	dir := filepath.Join(ctx.Config.DBDir(), ctx.ID+".db")
	if err := checkWriter(dir, ctx.Config.DBBackend); err != nil {
		return nil, err
	}
	if ctx.Config.DBBackend != Backend {
		return cmtcfg.DefaultDBProvider(ctx)
	}
	return Open(dir)
}

// checkWriter refuses a store that the other of goleveldb and Pebble wrote. Both keep a CURRENT
// file; only Pebble writes OPTIONS-* files.
func checkWriter(dir, backend string) error {
	if backend != Backend && backend != string(dbm.GoLevelDBBackend) {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "CURRENT")); err != nil {
		return nil // new, or not a store either writes
	}
	options, err := filepath.Glob(filepath.Join(dir, "OPTIONS-*"))
	if err != nil {
		return err
	}
	writer := string(dbm.GoLevelDBBackend)
	if len(options) > 0 {
		writer = Backend
	}
	if writer == backend {
		return nil
	}
	return fmt.Errorf("%s was written by %s, but config.toml says db_backend = %q: set it back to %q, "+
		"or clear data/ (keeping priv_validator_state.json) and join again by state sync", dir, writer, backend, writer)
}

// DB is one Pebble database behind CometBFT's DB interface. Writes without Sync reach Pebble's
// write-ahead log and are made durable by the next synced write, which CometBFT issues for every
// block it saves, every state and every index batch.
//
// Pebble panics on any use after Close, and on a second Close; goleveldb returns an error. A late
// RPC query or a second Close during shutdown gets errClosed here (Close waits for calls under way).
type DB struct {
	db     *pebble.DB
	mu     sync.RWMutex // held shared by each call, exclusively by Close
	closed bool
}

// use holds the database open for one call; done (deferred) lets it go.
func (d *DB) use() error {
	d.mu.RLock()
	if d.closed {
		d.mu.RUnlock()
		return errClosed
	}
	return nil
}

func (d *DB) done() { d.mu.RUnlock() }

var _ dbm.DB = (*DB)(nil)

// Open opens (or creates) the Pebble database in dir.
func Open(dir string) (*DB, error) {
	opts := &pebble.Options{
		// Store new homes in the newest on-disk format, so that a later Pebble can still open them.
		// Pebble's own log (stderr) stays: it is silent in normal running and reports background
		// errors.
		FormatMajorVersion: pebble.FormatNewest,
	}
	opts.EnsureDefaults()
	db, err := pebble.Open(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	return &DB{db: db}, nil
}

// Get returns a copy of key's value, or nil when there is none.
func (d *DB) Get(key []byte) (v []byte, err error) {
	err = d.read(key, func(found []byte) { v = append(make([]byte, 0, len(found)), found...) })
	return v, err
}

// Has reports whether key has a value, without copying it.
func (d *DB) Has(key []byte) (has bool, err error) {
	err = d.read(key, func([]byte) { has = true })
	return has, err
}

// read calls found with key's value, valid only during the call, if it has one.
func (d *DB) read(key []byte, found func([]byte)) error {
	if len(key) == 0 {
		return errKeyEmpty
	}
	if err := d.use(); err != nil {
		return err
	}
	defer d.done()
	v, closer, err := d.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	found(v)
	return closer.Close()
}

// Set, SetSync, Delete and DeleteSync write one key.
func (d *DB) Set(key, value []byte) error     { return d.set(key, value, pebble.NoSync) }
func (d *DB) SetSync(key, value []byte) error { return d.set(key, value, pebble.Sync) }
func (d *DB) Delete(key []byte) error         { return d.del(key, pebble.NoSync) }
func (d *DB) DeleteSync(key []byte) error     { return d.del(key, pebble.Sync) }

func (d *DB) set(key, value []byte, o *pebble.WriteOptions) error {
	if err := checkKV(key, value); err != nil {
		return err
	}
	if err := d.use(); err != nil {
		return err
	}
	defer d.done()
	return d.db.Set(key, value, o)
}

func (d *DB) del(key []byte, o *pebble.WriteOptions) error {
	if len(key) == 0 {
		return errKeyEmpty
	}
	if err := d.use(); err != nil {
		return err
	}
	defer d.done()
	return d.db.Delete(key, o)
}

func checkKV(key, value []byte) error {
	if len(key) == 0 {
		return errKeyEmpty
	}
	if value == nil {
		return errValueNil
	}
	return nil
}

// Iterator walks [start, end) upwards; ReverseIterator walks it downwards. nil means unbounded.
func (d *DB) Iterator(start, end []byte) (dbm.Iterator, error) { return d.iter(start, end, false) }
func (d *DB) ReverseIterator(start, end []byte) (dbm.Iterator, error) {
	return d.iter(start, end, true)
}

func (d *DB) iter(start, end []byte, reverse bool) (dbm.Iterator, error) {
	if (start != nil && len(start) == 0) || (end != nil && len(end) == 0) {
		return nil, errKeyEmpty
	}
	if err := d.use(); err != nil {
		return nil, err
	}
	defer d.done()
	it, err := d.db.NewIter(&pebble.IterOptions{LowerBound: start, UpperBound: end})
	if err != nil {
		return nil, err
	}
	if reverse {
		it.Last()
	} else {
		it.First()
	}
	return &iterator{it: it, start: start, end: end, reverse: reverse}, nil
}

// Close closes the database once calls under way have returned; closing again does nothing.
func (d *DB) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	return d.db.Close()
}

// NewBatch starts an atomic group of writes; it fails at Write if the database is closed by then.
func (d *DB) NewBatch() dbm.Batch {
	if d.use() != nil {
		return &batch{d: d, spent: errClosed}
	}
	defer d.done()
	return &batch{d: d, b: d.db.NewBatch()}
}

// Print writes every key and value to stdout (CometBFT's debugging aid).
func (d *DB) Print() error {
	it, err := d.Iterator(nil, nil)
	if err != nil {
		return err
	}
	defer it.Close()
	for ; it.Valid(); it.Next() {
		fmt.Printf("[%X]:\t[%X]\n", it.Key(), it.Value())
	}
	return it.Error()
}

// Stats reports Pebble's own metrics summary.
func (d *DB) Stats() map[string]string {
	if d.use() != nil {
		return nil
	}
	defer d.done()
	return map[string]string{"pebble.metrics": d.db.Metrics().String()}
}

// Compact compacts [start, end); nil means from the first or to past the last key.
func (d *DB) Compact(start, end []byte) error {
	if err := d.use(); err != nil {
		return err
	}
	defer d.done()
	if start == nil || end == nil {
		it, err := d.db.NewIter(nil)
		if err != nil {
			return err
		}
		if start == nil && it.First() {
			start = append([]byte(nil), it.Key()...)
		}
		if end == nil && it.Last() {
			end = append(append([]byte(nil), it.Key()...), 0) // just past the last key
		}
		if err := it.Close(); err != nil {
			return err
		}
	}
	if start == nil || end == nil || bytes.Compare(start, end) >= 0 {
		return nil // nothing in the range (Pebble refuses an empty one)
	}
	return d.db.Compact(start, end, true)
}

type batch struct {
	d     *DB
	b     *pebble.Batch
	spent error // why the batch can no longer be used: written, closed, or its database closed
}

func (b *batch) Set(key, value []byte) error {
	if err := checkKV(key, value); err != nil {
		return err
	}
	if b.spent != nil {
		return b.spent
	}
	return b.b.Set(key, value, nil)
}

func (b *batch) Delete(key []byte) error {
	if len(key) == 0 {
		return errKeyEmpty
	}
	if b.spent != nil {
		return b.spent
	}
	return b.b.Delete(key, nil)
}

func (b *batch) Write() error     { return b.commit(pebble.NoSync) }
func (b *batch) WriteSync() error { return b.commit(pebble.Sync) }

func (b *batch) commit(o *pebble.WriteOptions) error {
	if b.spent != nil {
		return b.spent
	}
	if err := b.d.use(); err != nil {
		return err
	}
	err := b.b.Commit(o)
	b.d.done()
	if err != nil {
		return err
	}
	return b.Close()
}

// Close releases the batch; it may be called more than once.
func (b *batch) Close() error {
	if b.spent == nil {
		b.spent = errBatchClosed
	}
	if b.b == nil {
		return nil
	}
	err := b.b.Close()
	b.b = nil
	return err
}

type iterator struct {
	it         *pebble.Iterator
	start, end []byte
	reverse    bool
}

func (i *iterator) Domain() ([]byte, []byte) { return i.start, i.end }

// Valid reports whether the iterator is on a key; Pebble's bounds keep it inside [start, end).
func (i *iterator) Valid() bool { return i.it.Valid() }

func (i *iterator) Next() {
	i.mustBeValid()
	if i.reverse {
		i.it.Prev()
	} else {
		i.it.Next()
	}
}

// Key and Value are valid until the next move; callers copy what they keep.
func (i *iterator) Key() []byte   { i.mustBeValid(); return i.it.Key() }
func (i *iterator) Value() []byte { i.mustBeValid(); return i.it.Value() }
func (i *iterator) Error() error  { return i.it.Error() }
func (i *iterator) Close() error  { return i.it.Close() }

func (i *iterator) mustBeValid() {
	if !i.Valid() {
		panic("cometdb: iterator is invalid")
	}
}
