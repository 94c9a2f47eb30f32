package store

import (
	"encoding/binary"
	"testing"
)

// benchPairs returns n distinct (key, value) pairs shaped like bank accounts.
func benchPairs(n int) (keys, values [][]byte) {
	keys, values = make([][]byte, n), make([][]byte, n)
	for i := range keys {
		k := make([]byte, 22)
		k[0], k[1] = 0x02, 0x01
		binary.BigEndian.PutUint64(k[2:], uint64(i)*0x9e3779b97f4a7c15)
		keys[i] = k
		values[i] = make([]byte, 80)
		binary.BigEndian.PutUint64(values[i], uint64(i))
	}
	return keys, values
}

// BenchmarkLatticeUpdate measures the app-hash update for one changed key: remove the old pair
// and add the new one, as the end of every block does for each key it wrote.
func BenchmarkLatticeUpdate(b *testing.B) {
	keys, values := benchPairs(1024)
	var l Lattice
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(keys)
		l.Remove(keys[k], values[k])
		l.Add(keys[k], values[k])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "keys/s")
}

// BenchmarkLatticeBlock measures the app-hash update of a block that changed 2000 keys (1000
// transfers), through UpdateLattice as FinalizeBlock calls it; one op is one block.
func BenchmarkLatticeBlock(b *testing.B) {
	const perBlock = 2000
	keys, values := benchPairs(perBlock)
	base := NewOverlay(emptyReader{})
	for i := range keys {
		base.Set(keys[i], values[i])
	}
	writes := NewOverlay(base)
	for i := range keys {
		v := append([]byte{}, values[i]...)
		v[79] = 1
		writes.Set(keys[i], v)
	}
	var l Lattice
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l = UpdateLattice(l, base, writes)
	}
	b.ReportMetric(float64(b.N*perBlock)/b.Elapsed().Seconds(), "keys/s")
}

// TestExpansionCacheMatchesUncached checks that reusing cached expansions (including stale entries
// whose value no longer matches, and a cache smaller than the write set) gives the uncached result.
func TestExpansionCacheMatchesUncached(t *testing.T) {
	keys, values := benchPairs(300)
	cache := NewExpansionCache(200)
	state := NewOverlay(emptyReader{})
	var cached, plain Lattice
	for round := 0; round < 5; round++ {
		writes := NewOverlay(state)
		for i := range keys {
			switch {
			case (i+round)%7 == 0:
				writes.Delete(keys[i])
			case (i+round)%3 != 0: // a third of the keys keep their value this round
				v := append([]byte{}, values[i]...)
				v[0] = byte(round)
				writes.Set(keys[i], v)
			}
		}
		cached = cache.Update(cached, state, writes)
		plain = UpdateLattice(plain, state, writes)
		if cached != plain {
			t.Fatalf("round %d: cached lattice differs from uncached", round)
		}
		writes.WriteTo(state)
	}
}

// BenchmarkLatticeBlockCached is BenchmarkLatticeBlock when the previous block wrote the same keys
// (busy accounts): the old pairs' expansions come from the cache.
func BenchmarkLatticeBlockCached(b *testing.B) {
	const perBlock = 2000
	keys, values := benchPairs(perBlock)
	state := NewOverlay(emptyReader{})
	cache := NewExpansionCache(8192)
	var l Lattice
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		writes := NewOverlay(state)
		for k := range keys {
			v := append([]byte{}, values[k]...)
			binary.BigEndian.PutUint64(v[8:], uint64(i))
			writes.Set(keys[k], v)
		}
		l = cache.Update(l, state, writes)
		b.StopTimer()
		writes.WriteTo(state)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*perBlock)/b.Elapsed().Seconds(), "keys/s")
}

// BenchmarkOverlayTx measures one transfer's worth of buffering: a per-tx overlay over a block
// overlay, reading and writing the two accounts and merging into the block.
func BenchmarkOverlayTx(b *testing.B) {
	keys, values := benchPairs(2000)
	block := NewOverlay(emptyReader{})
	for i := range keys {
		block.Set(keys[i], values[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		from, to := keys[i%len(keys)], keys[(i+1)%len(keys)]
		tx := NewOverlay(block)
		for _, k := range [][]byte{from, to, from} {
			v, _ := tx.Get(k)
			tx.Set(k, v)
		}
		tx.WriteTo(block)
	}
}

type emptyReader struct{}

func (emptyReader) Get([]byte) ([]byte, bool)                            { return nil, false }
func (emptyReader) Iterate([]byte, []byte, bool, func(k, v []byte) bool) {}
