package core

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Draw errors. Neither is a tx error: draws run at the end of a block, where the caller must turn
// them into a state (a claim with too few reviewers, a dispute dismissed for want of a jury) rather
// than return them, which would halt the chain.
var (
	// ErrNoSeed: the seed is empty, as core.Context.BlockHash is outside FinalizeBlock's end of
	// block. A draw never falls back to anything predictable.
	ErrNoSeed = errors.New("draw: no seed (randomness is only available at the end of FinalizeBlock)")
	// ErrTooFewCandidates: k is more than the number of candidates.
	ErrTooFewCandidates = errors.New("draw: fewer candidates than places")
)

// drawTag versions the draw's stream: changing the construction is a protocol change.
const drawTag = "commons/draw/v1"

// Draw chooses k distinct indices of [0, candidates), in the order drawn, as a deterministic
// function of (seed, domain, id). The caller passes the candidates as a list in a deterministic
// order (members.ActiveMembers: handle order) and maps the indices back to it.
//
// seed is the block hash (core.Context.BlockHash) of a block after the event that needs the draw;
// domain separates uses ("claims/reviewers", "disputes/jury"), id is the object's id, so one block
// seeds independent draws for every object and use. The stream is SHA-256 in counter mode over a key
// that binds all three (length-prefixed, so no two inputs share a key); each index comes from a
// 64-bit word by rejection sampling (no modulo bias) and a partial Fisher–Yates shuffle that keeps
// only the swapped positions (O(k) memory and O(k²) time, whatever the number of candidates). It
// uses no floats, no maps and no clock.
//
// Errors: ErrNoSeed for an empty seed, ErrTooFewCandidates when k > candidates; negative counts
// are a caller bug and return an error too. k = 0 draws nothing.
func Draw(seed []byte, domain string, id uint64, candidates, k int) ([]int, error) {
	switch {
	case len(seed) == 0:
		return nil, ErrNoSeed
	case candidates < 0 || k < 0:
		return nil, fmt.Errorf("draw: negative count (%d candidates, %d places)", candidates, k)
	case k > candidates:
		return nil, fmt.Errorf("%w: %d places, %d candidates", ErrTooFewCandidates, k, candidates)
	}
	s := newDrawStream(seed, domain, id)
	// swaps records the positions a partial Fisher–Yates has moved: value at pos, if not listed,
	// is pos itself. At most 2k entries, searched linearly (k is a jury, not a membership).
	type swap struct{ pos, val int }
	var swaps []swap
	at := func(pos int) (int, int) {
		for i := range swaps {
			if swaps[i].pos == pos {
				return swaps[i].val, i
			}
		}
		return pos, -1
	}
	set := func(pos, val, i int) {
		if i >= 0 {
			swaps[i].val = val
		} else {
			swaps = append(swaps, swap{pos, val})
		}
	}
	out := make([]int, k)
	for i := range k {
		j := i + int(s.uniform(uint64(candidates-i)))
		vi, _ := at(i)
		vj, ij := at(j)
		out[i] = vj
		set(j, vi, ij) // position i is never read again, so only j needs updating
	}
	return out, nil
}

// drawStream is SHA-256 in counter mode: block c is SHA-256(key ‖ c), read as four big-endian
// 64-bit words.
type drawStream struct {
	key     [sha256.Size]byte
	counter uint64
	block   [sha256.Size]byte
	used    int // bytes of block consumed
}

func newDrawStream(seed []byte, domain string, id uint64) *drawStream {
	h := sha256.New()
	h.Write([]byte(drawTag))
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(domain))))
	h.Write([]byte(domain))
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(seed))))
	h.Write(seed)
	h.Write(binary.BigEndian.AppendUint64(nil, id))
	s := &drawStream{used: sha256.Size}
	h.Sum(s.key[:0])
	return s
}

func (s *drawStream) next() uint64 {
	if s.used == sha256.Size {
		var in [sha256.Size + 8]byte
		copy(in[:], s.key[:])
		binary.BigEndian.PutUint64(in[sha256.Size:], s.counter)
		s.block = sha256.Sum256(in[:])
		s.counter++
		s.used = 0
	}
	w := binary.BigEndian.Uint64(s.block[s.used:])
	s.used += 8
	return w
}

// uniform returns a uniform integer in [0, n), n > 0: it rejects the top 2^64 mod n words, so every
// residue is equally likely.
func (s *drawStream) uniform(n uint64) uint64 {
	rem := (math.MaxUint64%n + 1) % n // 2^64 mod n
	for {
		if x := s.next(); rem == 0 || x <= math.MaxUint64-rem {
			return x % n
		}
	}
}
