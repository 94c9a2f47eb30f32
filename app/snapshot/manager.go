package snapshot

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/commonsledger/commons/app/store"
)

// Options configure a Manager.
type Options struct {
	// Interval takes a snapshot at every height that is a multiple of it; 0 takes none (the node
	// can still restore one).
	Interval uint64
	// KeepRecent is how many snapshots stay on disk (at least 1).
	KeepRecent uint32
	// ChunkSize is the target chunk size; 0 means DefaultChunkSize.
	ChunkSize int
	Logger    *slog.Logger
}

// Restorer is the app a restore replaces the state of: once the store holds the restored state,
// Restored reloads whatever the app caches from it (chain id, check state).
type Restorer interface{ Restored() }

// Descriptor is a snapshot as CometBFT lists and offers it.
type Descriptor struct {
	Height   uint64
	Format   uint32
	Chunks   uint32
	Hash     []byte // SHA-256 of Metadata
	Metadata []byte
}

// Manager takes snapshots of a store into dir, serves them to peers and restores one offered by
// state sync. ABCI calls reach it one at a time; the background snapshot runs beside them.
type Manager struct {
	dir  string
	db   *store.DB
	app  Restorer
	opts Options
	log  *slog.Logger

	ctx    context.Context // cancelled by Close; stops a running snapshot
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	taking bool       // a snapshot goroutine is running
	closed bool       // Close was called: start no more snapshots
	rs     *restoring // the restore in progress, if any
}

// New returns a manager over dir (usually <home>/data/snapshots). It removes the temporary
// directories of snapshots a crash interrupted, and wipes the store if a restore crashed before it
// finished, so that neither can be mistaken for real data.
func New(dir string, db *store.DB, app Restorer, opts Options) (*Manager, error) {
	if opts.KeepRecent < 1 {
		opts.KeepRecent = 1
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = DefaultChunkSize
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("snapshot directory: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("snapshot directory: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return nil, fmt.Errorf("remove unfinished snapshot: %w", err)
			}
		}
	}
	if db.HasOrphans() {
		opts.Logger.Warn("state database holds data of an unfinished state-sync restore; wiping it")
		if err := db.Wipe(); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Manager{dir: dir, db: db, app: app, opts: opts, log: opts.Logger, ctx: ctx, cancel: cancel}, nil
}

// Close stops a running snapshot (its temporary directory is removed) and waits for it. Call it
// before closing the store.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true // under mu, so no Committed adds to wg once Wait may have started
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait()
}

// Wait blocks until the snapshot being taken, if any, is done.
func (m *Manager) Wait() { m.wg.Wait() }

// Committed is called after each block commit. At every Interval-th height it starts taking a
// snapshot of that height in the background and returns at once. If the previous snapshot is
// still running this one is skipped: snapshots are a convenience, blocks are not.
func (m *Manager) Committed(height int64) {
	if m.opts.Interval == 0 || height <= 0 || uint64(height)%m.opts.Interval != 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	if m.taking {
		m.log.Warn("skipping snapshot: the previous one is still being written", "height", height)
		return
	}
	m.taking = true
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer func() {
			m.mu.Lock()
			m.taking = false
			m.mu.Unlock()
		}()
		if err := m.Take(height); err != nil {
			m.log.Error("snapshot failed", "height", height, "err", err)
		}
	}()
}

// Take writes a snapshot of height (which must still be readable) and prunes old ones. It is
// safe to call while blocks commit.
func (m *Manager) Take(height int64) error {
	final := m.path(uint64(height))
	if _, err := os.Stat(final); err == nil {
		return nil // taken before a restart
	}
	d, err := write(m.ctx, m.db, height, m.dir, m.opts.ChunkSize)
	if err != nil {
		return err
	}
	m.log.Info("snapshot taken", "height", height, "chunks", d.Chunks, "hash", fmt.Sprintf("%X", d.Hash))
	return m.prune()
}

// List returns the snapshots on disk, newest first. Unreadable ones are skipped.
func (m *Manager) List() []Descriptor {
	var out []Descriptor
	for _, h := range m.heights() {
		d, _, err := m.load(h)
		if err != nil {
			m.log.Warn("ignoring unreadable snapshot", "height", h, "err", err)
			continue
		}
		out = append(out, d)
	}
	return out
}

// LoadChunk returns chunk index of the snapshot at height, or nil if there is no such chunk or
// its bytes on disk no longer match the metadata (a peer then asks someone else).
func (m *Manager) LoadChunk(height uint64, format, index uint32) []byte {
	if format != Format {
		return nil
	}
	_, md, err := m.load(height)
	if err != nil {
		m.log.Info("peer asked for a snapshot this node does not have (pruned?)", "height", height, "err", err)
		return nil
	}
	if uint64(index) >= uint64(len(md.ChunkHashes)) {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(m.path(height), chunkName(index)))
	if err != nil {
		m.log.Warn("cannot serve snapshot chunk", "height", height, "chunk", index, "err", err)
		return nil
	}
	if sha256.Sum256(b) != md.ChunkHashes[index] {
		m.log.Error("snapshot chunk on disk is corrupt; not serving it", "height", height, "chunk", index)
		return nil
	}
	return b
}

// heights lists the complete snapshot directories, newest first.
func (m *Manager) heights() []uint64 {
	entries, err := os.ReadDir(m.dir)
	if err != nil {
		return nil
	}
	var hs []uint64
	for _, e := range entries {
		if h, err := strconv.ParseUint(e.Name(), 10, 64); err == nil && e.IsDir() && h > 0 {
			hs = append(hs, h)
		}
	}
	slices.Sort(hs)
	slices.Reverse(hs)
	return hs
}

func (m *Manager) load(height uint64) (Descriptor, *Metadata, error) {
	raw, err := os.ReadFile(filepath.Join(m.path(height), metadataName))
	if err != nil {
		return Descriptor{}, nil, err
	}
	md, err := DecodeMetadata(raw)
	if err != nil {
		return Descriptor{}, nil, err
	}
	if uint64(md.Height) != height {
		return Descriptor{}, nil, fmt.Errorf("metadata is for height %d", md.Height)
	}
	return describe(raw, md), md, nil
}

func describe(raw []byte, md *Metadata) Descriptor {
	h := sha256.Sum256(raw)
	return Descriptor{Height: uint64(md.Height), Format: Format, Chunks: uint32(len(md.ChunkHashes)), Hash: h[:], Metadata: raw}
}

// prune deletes all but the newest KeepRecent snapshots.
func (m *Manager) prune() error {
	hs := m.heights()
	for _, h := range hs[min(len(hs), int(m.opts.KeepRecent)):] {
		if err := os.RemoveAll(m.path(h)); err != nil {
			return fmt.Errorf("prune snapshot %d: %w", h, err)
		}
		m.log.Info("pruned snapshot", "height", h)
	}
	return nil
}

func (m *Manager) path(height uint64) string {
	return filepath.Join(m.dir, strconv.FormatUint(height, 10))
}
