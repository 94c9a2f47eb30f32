package projects

import (
	"math/bits"
	"sort"
)

// Split divides total among parties in proportion to their weights, exactly in integers, by the
// largest remainder method: each party first gets floor(total·w_i / W) (W the sum of the weights,
// computed with a 128-bit product, so nothing overflows), then the micro-units left over, fewer
// than the number of parties, go one each to the parties with the largest remainders
// total·w_i mod W; among equal remainders the earlier party (callers list them in address order)
// goes first. The parts sum to total exactly and no part exceeds its exact share rounded up. With
// W = 0 or no parties everything is 0.
func Split(total uint64, weights []uint64) []uint64 {
	parts := make([]uint64, len(weights))
	var sum uint64
	for _, w := range weights {
		sum += w
	}
	if sum == 0 {
		return parts
	}
	rems := make([]uint64, len(weights))
	left := total
	for i, w := range weights {
		hi, lo := bits.Mul64(total, w)
		parts[i], rems[i] = bits.Div64(hi, lo, sum) // hi < sum because w <= sum
		left -= parts[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	// Largest remainder first; equal remainders keep the parties' order (the sort is stable).
	sort.SliceStable(order, func(a, b int) bool { return rems[order[a]] > rems[order[b]] })
	for _, i := range order[:left] {
		parts[i]++
	}
	return parts
}
