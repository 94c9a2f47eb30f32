package projects_test

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/commonsledger/commons/x/projects"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name    string
		total   uint64
		weights []uint64
		want    []uint64
	}{
		{"whole", 70_000_000, []uint64{1, 2, 4}, []uint64{10_000_000, 20_000_000, 40_000_000}},
		{"largest remainder", 71_000_000, []uint64{1, 2, 4}, []uint64{10_142_857, 20_285_714, 40_571_429}},
		{"ties go to the earlier address", 2, []uint64{5, 5, 5}, []uint64{1, 1, 0}},
		{"equal remainders, the first wins", 3, []uint64{1, 2, 1, 2}, []uint64{1, 1, 0, 1}},
		{"zero weight gets nothing", 10, []uint64{0, 3}, []uint64{0, 10}},
		{"nothing to split", 0, []uint64{1, 2}, []uint64{0, 0}},
		{"no weight at all", 5, []uint64{0, 0}, []uint64{0, 0}},
		{"no parties", 5, nil, []uint64{}},
		{"largest total", ^uint64(0), []uint64{1, 1}, []uint64{1 << 63, 1<<63 - 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := projects.Split(tt.total, tt.weights); !slices.Equal(got, tt.want) {
				t.Fatalf("Split(%d, %v) = %v, want %v", tt.total, tt.weights, got, tt.want)
			}
		})
	}
}

// For random totals and hours, a split pays out exactly the total, nobody gets more than their
// exact share rounded up or less than it rounded down, and a larger weight never gets less.
func TestSplitProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 3))
	for i := 0; i < 20_000; i++ {
		n := 1 + rng.IntN(12)
		weights := make([]uint64, n)
		var sum uint64
		for j := range weights {
			weights[j] = rng.Uint64N(16 * 3600 * 1_000_000 / 3600 * 1000) // up to a thousand 16-hour claims
			sum += weights[j]
		}
		total := rng.Uint64()
		if i%2 == 0 {
			total = rng.Uint64N(1000) // small totals make remainders matter
		}
		parts := projects.Split(total, weights)
		var paid uint64
		for j, p := range parts {
			paid += p
			if sum == 0 {
				continue
			}
			hi, lo := bits.Mul64(total, weights[j])
			floor, rem := bits.Div64(hi, lo, sum)
			ceil := floor
			if rem > 0 {
				ceil++
			}
			if p < floor || p > ceil {
				t.Fatalf("Split(%d, %v)[%d] = %d, outside [%d, %d]", total, weights, j, p, floor, ceil)
			}
			for k := range parts {
				if weights[k] > weights[j] && parts[k] < parts[j] {
					t.Fatalf("Split(%d, %v): weight %d got %d, less than weight %d's %d", total, weights, weights[k], parts[k], weights[j], parts[j])
				}
			}
		}
		if sum > 0 && paid != total {
			t.Fatalf("Split(%d, %v) pays %d", total, weights, paid)
		}
	}
}

func FuzzSplit(f *testing.F) {
	f.Add(uint64(71_000_000), uint64(1), uint64(2), uint64(4))
	f.Add(uint64(2), uint64(5), uint64(5), uint64(5))
	f.Fuzz(func(t *testing.T, total, a, b, c uint64) {
		a, b, c = a>>2, b>>2, c>>2 // the sum of the weights must fit in 64 bits, as hours always do
		parts := projects.Split(total, []uint64{a, b, c})
		if a+b+c > 0 && parts[0]+parts[1]+parts[2] != total {
			t.Fatalf("Split(%d, %d %d %d) = %v does not sum to the total", total, a, b, c, parts)
		}
	})
}
