package snapshot

import (
	"bytes"
	"crypto/sha256"
	"testing"

	"github.com/commonsledger/commons/app/store"
)

func TestMetadataRoundTrip(t *testing.T) {
	var l store.Lattice
	l.Add([]byte("\x01k"), []byte("v"))
	md := &Metadata{Height: 42, Time: 1_790_000_000, Lattice: l, ChunkHashes: [][sha256.Size]byte{sha256.Sum256([]byte("a")), sha256.Sum256(nil)}}
	got, err := DecodeMetadata(md.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if got.Height != 42 || got.Time != md.Time || got.Lattice != l || len(got.ChunkHashes) != 2 || got.ChunkHashes[1] != md.ChunkHashes[1] {
		t.Fatalf("round trip: %+v", got)
	}
	if !bytes.Equal(got.AppHash(), l.Hash()) {
		t.Fatal("AppHash is not the lattice hash")
	}
}

// FuzzDecode: metadata and chunks come from peers; no input may panic, and whatever decodes
// re-encodes to the same bytes.
func FuzzDecode(f *testing.F) {
	md := &Metadata{Height: 1, ChunkHashes: [][sha256.Size]byte{{}}}
	f.Add(md.Encode())
	f.Add(appendPair(appendPair(nil, []byte("\x01a"), []byte("1")), []byte("\x01b"), nil))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Add([]byte{0x05, 'a'})
	f.Fuzz(func(t *testing.T, b []byte) {
		if m, err := DecodeMetadata(b); err == nil && !bytes.Equal(m.Encode(), b) {
			t.Fatalf("metadata does not re-encode to its bytes")
		}
		var re []byte
		if err := decodePairs(b, func(k, v []byte) error { re = appendPair(re, k, v); return nil }); err == nil && !bytes.Equal(re, b) {
			// Non-minimal uvarints decode but re-encode shorter; only that may differ.
			if len(re) >= len(b) {
				t.Fatalf("chunk re-encodes to %x, from %x", re, b)
			}
		}
	})
}
