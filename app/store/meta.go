package store

import (
	"encoding/binary"
	"fmt"
)

// encodeMeta writes height (8 bytes BE) | block time (8 bytes BE, unix seconds) | app hash length
// (1 byte) | app hash | lattice.
func encodeMeta(m Meta) []byte {
	out := make([]byte, 0, 17+len(m.AppHash)+LatticeBytes)
	out = binary.BigEndian.AppendUint64(out, uint64(m.Height))
	out = binary.BigEndian.AppendUint64(out, uint64(m.Time))
	out = append(out, byte(len(m.AppHash)))
	out = append(out, m.AppHash...)
	return append(out, m.Lattice.Bytes()...)
}

func decodeMeta(b []byte) (Meta, error) {
	if len(b) < 17 {
		return Meta{}, fmt.Errorf("meta too short (%d bytes)", len(b))
	}
	m := Meta{Height: int64(binary.BigEndian.Uint64(b)), Time: int64(binary.BigEndian.Uint64(b[8:]))}
	n := int(b[16])
	if len(b) != 17+n+LatticeBytes {
		return Meta{}, fmt.Errorf("meta has %d bytes, want %d", len(b), 17+n+LatticeBytes)
	}
	m.AppHash = append([]byte(nil), b[17:17+n]...)
	l, err := LatticeFromBytes(b[17+n:])
	if err != nil {
		return Meta{}, err
	}
	m.Lattice = l
	if got := l.Hash(); string(got) != string(m.AppHash) {
		return Meta{}, fmt.Errorf("stored app hash %X does not match its lattice (%X)", m.AppHash, got)
	}
	return m, nil
}
