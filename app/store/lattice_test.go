package store

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"lukechampine.com/blake3"
)

type pair struct{ k, v []byte }

func randPairs(rng *rand.Rand, n int) []pair {
	ps := make([]pair, n)
	for i := range ps {
		ps[i] = pair{fmt.Appendf(nil, "key-%d-%d", i, rng.IntN(1e6)), randValue(rng)}
	}
	return ps
}

func TestLatticeOrderIndependent(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			ps := randPairs(rng, 50)
			var forward, shuffled Lattice
			for _, p := range ps {
				forward.Add(p.k, p.v)
			}
			rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
			for _, p := range ps {
				shuffled.Add(p.k, p.v)
			}
			if forward != shuffled {
				t.Fatal("the same set inserted in another order gives another lattice")
			}
		})
	}
}

func TestLatticeRemoveUndoesAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	ps := randPairs(rng, 40)
	var l Lattice
	for _, p := range ps[:20] {
		l.Add(p.k, p.v)
	}
	base := l
	for _, p := range ps[20:] {
		l.Add(p.k, p.v)
	}
	if l == base {
		t.Fatal("adding pairs did not change the lattice")
	}
	// Remove in another order than added.
	for i := len(ps) - 1; i >= 20; i-- {
		l.Remove(ps[i].k, ps[i].v)
	}
	if l != base {
		t.Fatal("removing the added pairs did not restore the lattice")
	}
	for _, p := range ps[:20] {
		l.Remove(p.k, p.v)
	}
	if l != (Lattice{}) {
		t.Fatal("removing every pair did not give the empty lattice")
	}
}

// TestLatticeDistinguishes checks that the commitment binds both key and value and their boundary.
func TestLatticeDistinguishes(t *testing.T) {
	one := func(k, v string) Lattice {
		var l Lattice
		l.Add([]byte(k), []byte(v))
		return l
	}
	tests := []struct {
		name string
		a, b Lattice
	}{
		{"different value", one("k", "1"), one("k", "2")},
		{"different key", one("k1", "v"), one("k2", "v")},
		{"key/value boundary", one("ab", "c"), one("a", "bc")},
		{"empty vs one pair", Lattice{}, one("", "")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.a == tc.b || tc.a.Hash() == nil || string(tc.a.Hash()) == string(tc.b.Hash()) {
				t.Fatal("two different sets have the same lattice hash")
			}
		})
	}
}

// TestLatticeHashVectors pins the app hash function: changing it forks every existing chain. The
// vectors were checked against an independent implementation (JavaScript, @noble/hashes 1.x:
// blake3 with dkLen 2048, then sha256).
func TestLatticeHashVectors(t *testing.T) {
	var one Lattice
	one.Add([]byte("\x01key"), []byte("value"))
	tests := []struct {
		name string
		l    Lattice
		want string
	}{
		{"empty", Lattice{}, "330d6ed8eff492f8c1fd50e0eb8ea50419576f4e3b22264fa4eaa99cf53961e2"},
		{"one pair", one, "279c9d5721f57bc5b5bcf585bef52a89c78dc9b9dec1752d225ea9e29f7c72fb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := hex.EncodeToString(tc.l.Hash()); got != tc.want {
				t.Fatalf("hash %s, want %s", got, tc.want)
			}
		})
	}
}

// The expander reads BLAKE3's output in two halves; they must be the bytes of one read.
func TestExpansionIsOneXOFRead(t *testing.T) {
	e := newExpander()
	for _, p := range randPairs(rand.New(rand.NewPCG(4, 4)), 20) {
		h := blake3.New(32, nil)
		h.Write(latticeDomain)
		h.Write(binary.AppendUvarint(nil, uint64(len(p.k))))
		h.Write(p.k)
		h.Write(p.v)
		var want [LatticeBytes]byte
		h.XOF().Read(want[:])
		if got := e.expand(p.k, p.v); *got != want {
			t.Fatalf("expansion of %x differs from one %d-byte read of the XOF", p.k, LatticeBytes)
		}
	}
}

func TestLatticeBytesRoundTrip(t *testing.T) {
	var l Lattice
	for _, p := range randPairs(rand.New(rand.NewPCG(3, 3)), 10) {
		l.Add(p.k, p.v)
	}
	got, err := LatticeFromBytes(l.Bytes())
	if err != nil || got != l {
		t.Fatalf("round trip: err %v, equal %v", err, got == l)
	}
	if got, err := LatticeFromBytes(nil); err != nil || got != (Lattice{}) {
		t.Fatalf("empty bytes: %v", err)
	}
	_, err = LatticeFromBytes(make([]byte, 100))
	if err == nil || !strings.Contains(err.Error(), "lattice must be 2048 bytes, got 100") {
		t.Fatalf("short lattice: err = %v", err)
	}
}

// TestLatticeSkipsCreatedKeys: the lattice update reads no old value for a key created in the
// block (core.Creator), even when a tx overlay created it and later writes in the block rewrote or
// deleted it, and the result is the lattice recomputed from the new state. A key whose first write
// in the block was a Set stays read, even if a later write says Create: the flag is the first
// write's. Past 32 keys an overlay holds its entries in a map, so both forms are covered.
func TestLatticeSkipsCreatedKeys(t *testing.T) {
	for _, extra := range []int{0, 40} {
		state := model{"a": []byte("1"), "b": []byte("2")}
		for i := range extra {
			state[fmt.Sprintf("old-%02d", i)] = []byte("x")
		}
		var base Lattice
		for k, v := range state {
			base.Add([]byte(k), v)
		}
		parent := &countingReader{Reader: state}
		block := NewOverlay(parent)
		tx1 := NewOverlay(block)
		tx1.Create([]byte("new-1"), []byte("n1"))
		tx1.Set([]byte("new-1"), []byte("n1'")) // still created: no old value
		tx1.Create([]byte("new-2"), []byte("n2"))
		tx1.Set([]byte("a"), []byte("10"))
		for i := range extra {
			tx1.Set(fmt.Appendf(nil, "old-%02d", i), []byte("y"))
		}
		tx1.WriteTo(block)
		tx2 := NewOverlay(block)
		tx2.Delete([]byte("new-2")) // created and deleted in the block: no pair at all
		tx2.Create([]byte("a"), []byte("11"))
		tx2.WriteTo(block)

		got := UpdateLattice(base, parent, block)
		if want := 1 + extra; parent.gets != want {
			t.Fatalf("extra %d: the update read %d old values; want %d (a and the old keys, not the created ones)", extra, parent.gets, want)
		}
		after := state.clone()
		block.Writes(func(k, v []byte, deleted bool) bool {
			if deleted {
				delete(after, string(k))
			} else {
				after[string(k)] = v
			}
			return true
		})
		if want := RecomputeLattice(after); got != want {
			t.Fatalf("extra %d: the lattice with created keys differs from the one recomputed from the new state", extra)
		}
		if v, _ := block.Get([]byte("new-1")); string(v) != "n1'" {
			t.Fatalf("new-1 reads %q; want the rewrite", v)
		}
	}
}
