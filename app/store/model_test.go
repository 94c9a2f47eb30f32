package store

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/commonsledger/commons/x/core"
)

// model is the reference the store is checked against: a plain map read in sorted key order.
type model map[string][]byte

var _ core.Reader = model(nil)

func (m model) Get(key []byte) ([]byte, bool) {
	v, ok := m[string(key)]
	return v, ok
}

func (m model) Iterate(start, end []byte, reverse bool, fn func(k, v []byte) bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		if k >= string(start) && (end == nil || k < string(end)) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys) // map order is random; the Reader contract is key order
	if reverse {
		slices.Reverse(keys)
	}
	for _, k := range keys {
		if !fn([]byte(k), m[k]) {
			return
		}
	}
}

func (m model) clone() model {
	out := make(model, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// randKey draws from a small key space (lengths 1–3 over 4 symbols, first byte never 0x00, which the
// store reserves) so that sets, deletes and range bounds hit the same keys often.
func randKey(rng *rand.Rand) []byte {
	k := make([]byte, 1+rng.IntN(3))
	for i := range k {
		k[i] = byte(1 + rng.IntN(4))
	}
	return k
}

func randValue(rng *rand.Rand) []byte {
	return fmt.Appendf(nil, "v%d", rng.IntN(1000))
}

// randRange returns start/end bounds, each sometimes nil (open), in either order of magnitude (an
// empty or inverted range must yield nothing).
func randRange(rng *rand.Rand) (start, end []byte) {
	if rng.IntN(4) > 0 {
		start = randKey(rng)
	}
	if rng.IntN(4) > 0 {
		end = randKey(rng)
	}
	return start, end
}

type kvPair struct{ k, v string }

// collect iterates r over [start, end) and stops after limit pairs (limit < 0: no limit), which
// exercises early termination of merged iteration.
func collect(r core.Reader, start, end []byte, reverse bool, limit int) []kvPair {
	var out []kvPair
	r.Iterate(start, end, reverse, func(k, v []byte) bool {
		out = append(out, kvPair{string(k), string(v)})
		return limit < 0 || len(out) < limit
	})
	return out
}

func fmtPairs(ps []kvPair) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%x=%s ", p.k, p.v)
	}
	return b.String()
}

// checkReader compares r with want on every key of the key space and on random ranges in both
// directions.
func checkReader(t *testing.T, rng *rand.Rand, name string, r core.Reader, want model) {
	t.Helper()
	for a := byte(1); a <= 4; a++ {
		for _, k := range [][]byte{{a}, {a, 1}, {a, 4}, {a, 2, 3}} {
			gv, gok := r.Get(k)
			wv, wok := want.Get(k)
			if gok != wok || !bytes.Equal(gv, wv) {
				t.Fatalf("%s: Get(%x) = %q, %v; want %q, %v", name, k, gv, gok, wv, wok)
			}
		}
	}
	for range 8 {
		start, end := randRange(rng)
		reverse := rng.IntN(2) == 1
		limit := -1
		if rng.IntN(3) == 0 {
			limit = 1 + rng.IntN(3)
		}
		got := collect(r, start, end, reverse, limit)
		exp := collect(want, start, end, reverse, limit)
		if !slices.Equal(got, exp) {
			t.Fatalf("%s: Iterate(%x, %x, reverse=%v, limit=%d)\n got  %s\n want %s",
				name, start, end, reverse, limit, fmtPairs(got), fmtPairs(exp))
		}
	}
}
