package snapshot

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/commonsledger/commons/app/store"
)

// Format is the snapshot format this code writes and restores. Bump it when the chunk or metadata
// encoding changes; CometBFT passes it with every offer, and other formats are refused.
const Format uint32 = 1

// DefaultChunkSize is the target size of a chunk: large enough that a chunk round trip is cheap,
// well under CometBFT's 16 MB chunk message limit. A single pair larger than this gets a chunk of
// its own.
const DefaultChunkSize = 4 << 20

// maxChunks bounds the chunk count a metadata may claim, so decoding never allocates on a
// peer's say-so beyond what the bytes in hand can hold (CometBFT caps snapshot messages at 4 MB).
const maxChunks = 100_000

var metadataMagic = []byte("commons-ledger/snapshot\x00")

// Metadata describes one snapshot. Its encoding is the Metadata field CometBFT carries, and the
// SHA-256 of that encoding is the snapshot's Hash.
type Metadata struct {
	Height      int64
	Time        int64 // block time of Height, unix seconds
	Lattice     store.Lattice
	ChunkHashes [][sha256.Size]byte
}

// AppHash is the app hash the snapshot's state must reproduce.
func (m *Metadata) AppHash() []byte { return m.Lattice.Hash() }

// Encode writes magic | format u32 | height u64 | time i64 | lattice (2 KiB) | chunks u32 |
// chunk hashes (32 bytes each), integers big-endian.
func (m *Metadata) Encode() []byte {
	out := make([]byte, 0, len(metadataMagic)+24+store.LatticeBytes+4+sha256.Size*len(m.ChunkHashes))
	out = append(out, metadataMagic...)
	out = binary.BigEndian.AppendUint32(out, Format)
	out = binary.BigEndian.AppendUint64(out, uint64(m.Height))
	out = binary.BigEndian.AppendUint64(out, uint64(m.Time))
	out = append(out, m.Lattice.Bytes()...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(m.ChunkHashes)))
	for _, h := range m.ChunkHashes {
		out = append(out, h[:]...)
	}
	return out
}

// DecodeMetadata parses an encoded Metadata. It never panics: peers send these bytes.
func DecodeMetadata(b []byte) (*Metadata, error) {
	const fixed = 4 + 8 + 8 + store.LatticeBytes + 4
	if len(b) < len(metadataMagic)+fixed || string(b[:len(metadataMagic)]) != string(metadataMagic) {
		return nil, errors.New("not commons snapshot metadata")
	}
	b = b[len(metadataMagic):]
	if f := binary.BigEndian.Uint32(b); f != Format {
		return nil, fmt.Errorf("metadata format %d, want %d", f, Format)
	}
	m := &Metadata{Height: int64(binary.BigEndian.Uint64(b[4:])), Time: int64(binary.BigEndian.Uint64(b[12:]))}
	if m.Height < 1 {
		return nil, fmt.Errorf("snapshot height %d", m.Height)
	}
	l, err := store.LatticeFromBytes(b[20 : 20+store.LatticeBytes])
	if err != nil {
		return nil, err
	}
	m.Lattice = l
	b = b[20+store.LatticeBytes:]
	n := binary.BigEndian.Uint32(b)
	b = b[4:]
	if n == 0 || n > maxChunks || uint64(len(b)) != uint64(n)*sha256.Size {
		return nil, fmt.Errorf("metadata claims %d chunks with %d bytes of chunk hashes", n, len(b))
	}
	m.ChunkHashes = make([][sha256.Size]byte, n)
	for i := range m.ChunkHashes {
		copy(m.ChunkHashes[i][:], b[i*sha256.Size:])
	}
	return m, nil
}

// appendPair encodes one pair of a chunk: uvarint key length | key | uvarint value length | value.
func appendPair(buf, key, value []byte) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(key)))
	buf = append(buf, key...)
	buf = binary.AppendUvarint(buf, uint64(len(value)))
	return append(buf, value...)
}

// decodePairs calls fn for each pair of a chunk, in order. The slices alias chunk. A truncated or
// overlong length is an error, never a panic.
func decodePairs(chunk []byte, fn func(key, value []byte) error) error {
	for off := 0; off < len(chunk); {
		key, n, err := readField(chunk[off:])
		if err != nil {
			return fmt.Errorf("key at byte %d: %w", off, err)
		}
		off += n
		value, n, err := readField(chunk[off:])
		if err != nil {
			return fmt.Errorf("value at byte %d: %w", off, err)
		}
		off += n
		if err := fn(key, value); err != nil {
			return err
		}
	}
	return nil
}

func readField(b []byte) ([]byte, int, error) {
	l, n := binary.Uvarint(b)
	if n <= 0 {
		return nil, 0, errors.New("bad length prefix")
	}
	if l > uint64(len(b)-n) {
		return nil, 0, fmt.Errorf("length %d runs past the end of the chunk", l)
	}
	return b[n : n+int(l)], n + int(l), nil
}
