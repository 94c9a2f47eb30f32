package core_test

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
	"testing"

	"github.com/commonsledger/commons/x/core"
)

func testSeed(i uint64) []byte {
	h := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("draw-test/seed"), i))
	return h[:]
}

// TestDrawTable: the edge cases of k and the number of candidates, and that every draw is k
// distinct indices in range.
func TestDrawTable(t *testing.T) {
	seed := testSeed(1)
	for _, tc := range []struct {
		name          string
		seed          []byte
		candidates, k int
		err           error
	}{
		{"k=0", seed, 10, 0, nil},
		{"k=1", seed, 10, 1, nil},
		{"k=candidates", seed, 10, 10, nil},
		{"one candidate", seed, 1, 1, nil},
		{"no candidates, no places", seed, 0, 0, nil},
		{"k>candidates", seed, 10, 11, core.ErrTooFewCandidates},
		{"no candidates", seed, 0, 1, core.ErrTooFewCandidates},
		{"empty seed", nil, 10, 3, core.ErrNoSeed},
		{"empty seed, k=0", []byte{}, 10, 0, core.ErrNoSeed},
		{"large membership", seed, 1 << 30, 25, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := core.Draw(tc.seed, "test", 7, tc.candidates, tc.k)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if err != nil {
				if got != nil {
					t.Fatalf("drew %v with an error", got)
				}
				return
			}
			if len(got) != tc.k {
				t.Fatalf("drew %d, want %d", len(got), tc.k)
			}
			sorted := slices.Clone(got)
			slices.Sort(sorted)
			for i, v := range sorted {
				if v < 0 || v >= tc.candidates || i > 0 && v == sorted[i-1] {
					t.Fatalf("draw %v: out of range or repeated", got)
				}
			}
			if tc.k == tc.candidates && tc.k > 0 && sorted[0] != 0 && sorted[tc.k-1] != tc.k-1 {
				t.Fatalf("k = candidates must draw everyone: %v", got)
			}
		})
	}
	if _, err := core.Draw(seed, "test", 7, -1, 0); err == nil {
		t.Fatal("negative candidates accepted")
	}
	if _, err := core.Draw(seed, "test", 7, 3, -1); err == nil {
		t.Fatal("negative k accepted")
	}
}

// TestDrawDeterministic: the same inputs give the same draw; another seed, id or domain gives
// another one; and a shorter draw is a prefix of a longer one (so k does not reshuffle).
func TestDrawDeterministic(t *testing.T) {
	draw := func(seed []byte, domain string, id uint64, k int) []int {
		t.Helper()
		d, err := core.Draw(seed, domain, id, 1000, k)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	base := draw(testSeed(1), "claims/reviewers", 42, 5)
	if again := draw(testSeed(1), "claims/reviewers", 42, 5); !slices.Equal(base, again) {
		t.Fatalf("same inputs, two draws: %v and %v", base, again)
	}
	for name, other := range map[string][]int{
		"seed":   draw(testSeed(2), "claims/reviewers", 42, 5),
		"id":     draw(testSeed(1), "claims/reviewers", 43, 5),
		"domain": draw(testSeed(1), "disputes/jury", 42, 5),
	} {
		if slices.Equal(base, other) {
			t.Fatalf("another %s gave the same draw %v", name, base)
		}
	}
	if long := draw(testSeed(1), "claims/reviewers", 42, 9); !slices.Equal(base, long[:5]) {
		t.Fatalf("draw of 5 %v is not the prefix of the draw of 9 %v", base, long)
	}
	// Domain and seed are length-prefixed: moving a byte from one to the other changes the draw.
	if slices.Equal(draw([]byte("ab"), "c", 1, 5), draw([]byte("a"), "bc", 1, 5)) {
		t.Fatal("seed and domain boundaries are not separated")
	}
}

// Chi-squared figures for TestDrawChiSquared (critical values of the chi-squared distribution at
// significance 0.001).
const (
	chiDraws      = 10_000
	chiCandidates = 20
	chiK          = 3
	// chi2Crit19 is the 0.999 quantile of chi-squared with 19 degrees of freedom.
	chi2Crit19 = 43.820
	// chi2Crit189 is the 0.999 quantile of chi-squared with 189 degrees of freedom.
	chi2Crit189 = 254.82
)

// TestDrawChiSquared draws k = 3 of 20 candidates 10,000 times under varying seeds and tests (1)
// each candidate's selection count and (2) each pair's co-selection count against uniformity, by
// chi-squared goodness of fit at significance 0.001. The seeds are fixed, so the test is
// deterministic: it cannot flake, and it fails only if the draw is biased (or this seed set is a
// one-in-a-thousand fluke, which it is not).
//
// Selection without replacement makes the counts negatively correlated: each count has variance
// N·p(1−p), p = k/n, and they sum to N·k, so Σ(O−E)²/E is (n−k)/(n−1) times a chi-squared with n−1
// degrees of freedom. The statistic compared is the raw one scaled back by (n−1)/(n−k), which is
// the stricter of the two.
func TestDrawChiSquared(t *testing.T) {
	var counts [chiCandidates]int
	var pairs [chiCandidates][chiCandidates]int
	for i := range uint64(chiDraws) {
		d, err := core.Draw(testSeed(i), "chi2", 7, chiCandidates, chiK)
		if err != nil {
			t.Fatal(err)
		}
		for a, x := range d {
			counts[x]++
			for _, y := range d[a+1:] {
				pairs[min(x, y)][max(x, y)]++
			}
		}
	}
	const n, k = float64(chiCandidates), float64(chiK)
	expected := chiDraws * k / n
	var raw float64
	for _, c := range counts {
		raw += (float64(c) - expected) * (float64(c) - expected) / expected
	}
	stat := raw * (n - 1) / (n - k)
	t.Logf("selection counts %v (expected %.0f each): chi-squared %.2f (raw %.2f), df 19, critical %.3f at 0.001", counts, expected, stat, raw, chi2Crit19)
	if stat > chi2Crit19 {
		t.Fatalf("selection counts fail chi-squared: %.2f > %.3f", stat, chi2Crit19)
	}

	npairs := n * (n - 1) / 2
	pairExpected := chiDraws * (k * (k - 1) / 2) / npairs
	var pstat float64
	for x := range chiCandidates {
		for y := x + 1; y < chiCandidates; y++ {
			d := float64(pairs[x][y]) - pairExpected
			pstat += d * d / pairExpected
		}
	}
	t.Logf("pair co-selection (expected %.1f each): chi-squared %.2f, df 189, critical %.2f at 0.001", pairExpected, pstat, chi2Crit189)
	if pstat > chi2Crit189 {
		t.Fatalf("pair co-selection fails chi-squared: %.2f > %.2f", pstat, chi2Crit189)
	}
}

// TestDrawPositionUniform: the first drawn index alone is uniform (the order of a draw matters to
// callers that take a prefix, such as a redraw).
func TestDrawPositionUniform(t *testing.T) {
	var counts [chiCandidates]int
	for i := range uint64(chiDraws) {
		d, err := core.Draw(testSeed(i), "first", 1, chiCandidates, chiK)
		if err != nil {
			t.Fatal(err)
		}
		counts[d[0]]++
	}
	expected := float64(chiDraws) / chiCandidates
	var stat float64
	for _, c := range counts {
		stat += (float64(c) - expected) * (float64(c) - expected) / expected
	}
	t.Logf("first index counts %v: chi-squared %.2f, df 19, critical %.3f", counts, stat, chi2Crit19)
	if stat > chi2Crit19 {
		t.Fatalf("first index fails chi-squared: %.2f > %.3f", stat, chi2Crit19)
	}
}

// TestDrawRejectsModuloBias: with n = 3·2^61 candidates, 2^64 mod n = 2^62, so taking a 64-bit word
// modulo n would give each of the lowest 2^62 indices three words and every other index two: the
// lowest 2^62 (two thirds of the range) would be drawn 3/4 of the time. Rejection sampling keeps
// them at two thirds.
func TestDrawRejectsModuloBias(t *testing.T) {
	const n = 3 << 61
	const draws = 6000
	low := 0
	for i := range uint64(draws) {
		d, err := core.Draw(testSeed(i), "modulo", 1, n, 1)
		if err != nil {
			t.Fatal(err)
		}
		if d[0] < 1<<62 {
			low++
		}
	}
	// Unbiased: 4000 ± 37 (one standard deviation). Modulo bias: 4500.
	t.Logf("%d of %d draws in the lowest two thirds", low, draws)
	if low < 3850 || low > 4150 {
		t.Fatalf("%d of %d draws in the lowest two thirds; want about %d", low, draws, draws*2/3)
	}
}
