package store

import (
	"fmt"
	"testing"
)

// BenchmarkOverlayVisit visits a block-sized overlay's 3,000 writes in key order (Writes: the keys
// are ordered on the first visit after they were written) and in map order (Each), one block per op.
func BenchmarkOverlayVisit(b *testing.B) {
	keys := make([][]byte, 3000)
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("\x01\x06\x14commons-account-%08d-history-%08d", i*7919%3000, i))
	}
	for _, visit := range []struct {
		name string
		fn   func(o *Overlay, fn func(k, v []byte, deleted bool) bool)
	}{{"Writes", (*Overlay).Writes}, {"Each", (*Overlay).Each}} {
		b.Run(visit.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				o := NewOverlay(model{})
				for _, k := range keys {
					o.Set(k, k)
				}
				n := 0
				for range 3 { // the lattice, the commit's check and its write
					visit.fn(o, func([]byte, []byte, bool) bool { n++; return true })
				}
				if n != 3*len(keys) {
					b.Fatal(n)
				}
			}
		})
	}
}
