package snapshot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/commonsledger/commons/app/failpoint"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
)

const (
	metadataName = "metadata"
	tmpPrefix    = ".tmp-"
)

func chunkName(i uint32) string { return fmt.Sprintf("chunk-%06d", i) }

// write streams the state at height into dir/.tmp-<height>/, checks that what it read hashes to
// the app hash committed at height, and renames the directory to dir/<height>/. A crash leaves at
// most a temporary directory, which New removes and List never shows.
func write(ctx context.Context, db *store.DB, height int64, dir string, chunkSize int) (_ Descriptor, err error) {
	meta, err := db.MetaAt(height)
	if err != nil {
		return Descriptor{}, err
	}
	view, err := db.ReadAt(height)
	if err != nil {
		return Descriptor{}, err
	}
	defer view.Discard()
	tmp := filepath.Join(dir, tmpPrefix+strconv.FormatInt(height, 10))
	if err := os.RemoveAll(tmp); err != nil {
		return Descriptor{}, err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return Descriptor{}, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	cw := &chunkWriter{dir: tmp, size: chunkSize}
	lattice, err := stream(ctx, view, cw)
	if err != nil {
		return Descriptor{}, err
	}
	if err := cw.finish(); err != nil {
		return Descriptor{}, err
	}
	// Badger keeps version height readable only while it is within state.keep_recent of the tip;
	// a snapshot that outlived that would have read a mix of versions. The lattice catches it.
	if got := lattice.Hash(); !bytes.Equal(got, meta.AppHash) {
		return Descriptor{}, fmt.Errorf("state read at height %d hashes to %X, not the app hash %X; "+
			"it was probably pruned while the snapshot ran (raise state.keep_recent)", height, got, meta.AppHash)
	}
	md := &Metadata{Height: height, Time: meta.Time, Lattice: lattice, ChunkHashes: cw.hashes}
	raw := md.Encode()
	if err := writeFileSync(filepath.Join(tmp, metadataName), raw); err != nil {
		return Descriptor{}, err
	}
	if err := syncDir(tmp); err != nil {
		return Descriptor{}, err
	}
	failpoint.Hit("during-snapshot", height) // written, not yet published: a crash here leaves only a temp dir
	if err := os.Rename(tmp, filepath.Join(dir, strconv.FormatInt(height, 10))); err != nil {
		return Descriptor{}, err
	}
	if err := syncDir(dir); err != nil {
		return Descriptor{}, err
	}
	return describe(raw, md), nil
}

// stream feeds every pair of view, in key order, to cw and returns their lattice. View.Iterate
// reports storage failures by panicking with *store.FatalError; here that only fails the snapshot.
func stream(ctx context.Context, view *store.View, cw *chunkWriter) (l store.Lattice, err error) {
	defer core.RecoverFatal(&err)
	n := 0
	view.Iterate(nil, nil, false, func(k, v []byte) bool {
		if n++; n%1024 == 0 && ctx.Err() != nil {
			err = ctx.Err()
			return false
		}
		l.Add(k, v)
		err = cw.add(k, v)
		return err == nil
	})
	if err == nil {
		err = ctx.Err()
	}
	return l, err
}

// chunkWriter cuts a key-ordered stream of pairs into chunk files of about size bytes and records
// the SHA-256 of each. It always writes at least one chunk, so an empty state is a valid snapshot.
type chunkWriter struct {
	dir    string
	size   int
	buf    []byte
	hashes [][sha256.Size]byte
}

func (w *chunkWriter) add(key, value []byte) error {
	w.buf = appendPair(w.buf, key, value)
	if len(w.buf) >= w.size {
		return w.flush()
	}
	return nil
}

func (w *chunkWriter) flush() error {
	if err := writeFileSync(filepath.Join(w.dir, chunkName(uint32(len(w.hashes)))), w.buf); err != nil {
		return err
	}
	w.hashes = append(w.hashes, sha256.Sum256(w.buf))
	w.buf = w.buf[:0]
	return nil
}

func (w *chunkWriter) finish() error {
	if len(w.buf) > 0 || len(w.hashes) == 0 {
		return w.flush()
	}
	return nil
}

func writeFileSync(path string, b []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
