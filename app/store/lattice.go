package store

import (
	"crypto/sha256"
	"crypto/sha3"
	"encoding/binary"
	"fmt"
)

// LatticeLanes is the number of 16-bit lanes in the accumulator (2 KiB), as in Solana's lattice
// accounts hash. Lane-wise addition makes the accumulator an order-independent, incremental
// commitment to a set of (key, value) pairs that resists the generalised-birthday attacks that break
// XOR and small-sum set hashes.
const LatticeLanes = 1024

// LatticeBytes is the encoded size of a Lattice.
const LatticeBytes = LatticeLanes * 2

var latticeDomain = []byte("commons-ledger/lattice/v1\x00")

// Lattice is the additive set-hash accumulator over every (key, value) pair of state.
type Lattice [LatticeLanes]uint16

// expand maps one (key, value) pair to a lattice element with SHAKE128. The key is length-prefixed,
// so the encoding is injective.
func expand(key, value []byte) *Lattice {
	buf := make([]byte, 0, len(latticeDomain)+binary.MaxVarintLen64+len(key)+len(value))
	buf = append(buf, latticeDomain...)
	buf = binary.AppendUvarint(buf, uint64(len(key)))
	buf = append(buf, key...)
	buf = append(buf, value...)
	var raw [LatticeBytes]byte
	h := sha3.NewSHAKE128()
	h.Write(buf)
	h.Read(raw[:])
	var l Lattice
	for i := range l {
		l[i] = binary.LittleEndian.Uint16(raw[2*i:])
	}
	return &l
}

// Add inserts (key, value) into the set.
func (l *Lattice) Add(key, value []byte) {
	e := expand(key, value)
	for i := range l {
		l[i] += e[i] // wraps mod 2^16 by design
	}
}

// Remove deletes (key, value) from the set; it must have been added before.
func (l *Lattice) Remove(key, value []byte) {
	e := expand(key, value)
	for i := range l {
		l[i] -= e[i]
	}
}

// Bytes encodes the accumulator little-endian.
func (l *Lattice) Bytes() []byte {
	out := make([]byte, LatticeBytes)
	for i, v := range l {
		binary.LittleEndian.PutUint16(out[2*i:], v)
	}
	return out
}

// Hash is the 32-byte app hash: SHA-256 of the encoded accumulator.
func (l *Lattice) Hash() []byte {
	h := sha256.New()
	h.Write(latticeDomain)
	h.Write(l.Bytes())
	return h.Sum(nil)
}

// LatticeFromBytes decodes an encoded accumulator.
func LatticeFromBytes(b []byte) (Lattice, error) {
	var l Lattice
	if len(b) == 0 {
		return l, nil
	}
	if len(b) != LatticeBytes {
		return l, fmt.Errorf("lattice must be %d bytes, got %d", LatticeBytes, len(b))
	}
	for i := range l {
		l[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return l, nil
}
