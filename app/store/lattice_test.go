package store

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
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
// vectors were checked against an independent implementation (Python hashlib shake_128 + sha256).
func TestLatticeHashVectors(t *testing.T) {
	var one Lattice
	one.Add([]byte("\x01key"), []byte("value"))
	tests := []struct {
		name string
		l    Lattice
		want string
	}{
		{"empty", Lattice{}, "55e1061e0bfa5e7dd87d075759d205d7678c2794bd90ff329eea279f090fcae4"},
		{"one pair", one, "228109ed5152ea2c1ac8c02177fcad9d4c2a55e7d32a39511756b1cde413468a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := hex.EncodeToString(tc.l.Hash()); got != tc.want {
				t.Fatalf("hash %s, want %s", got, tc.want)
			}
		})
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
