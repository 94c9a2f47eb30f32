package core_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/commonsledger/commons/x/core"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in     string
		want   uint64
		errHas string // non-empty: ParseAmount must fail and say this
	}{
		{in: "2.5", want: 2_500_000},
		{in: "2.5hour", want: 2_500_000},
		{in: "2.5hours", want: 2_500_000},
		{in: "2.5 hours", want: 2_500_000},
		{in: "2.5h", want: 2_500_000},
		{in: "2.5HOUR", want: 2_500_000},
		{in: "2500000uhour", want: 2_500_000},
		{in: "2500000 uhour", want: 2_500_000},
		{in: "1h", want: 1_000_000},
		{in: "0.000001", want: 1},
		{in: "1uhour", want: 1},
		{in: "  3  ", want: 3_000_000},
		{in: ".5", want: 500_000},
		{in: "5.", want: 5_000_000},
		{in: "0", want: 0},
		{in: "007", want: 7_000_000},
		{in: "18446744073709.551615", want: ^uint64(0)},
		{in: "18446744073709551615uhour", want: ^uint64(0)},

		{in: "", errHas: "empty amount"},
		{in: "   ", errHas: "empty amount"},
		{in: "-1", errHas: `amount "-1": write hours like 2.5`},
		{in: "+1", errHas: "write hours like 2.5"},
		{in: "1.0000001", errHas: `amount "1.0000001" has more than 6 decimals; the smallest unit is 0.000001 hour (1uhour)`},
		{in: "abc", errHas: "write hours like 2.5 (at most 6 decimals) or micro-hours like 2500000uhour"},
		{in: "1.2.3", errHas: "write hours like 2.5"},
		{in: "1,5", errHas: "write hours like 2.5"},
		{in: "1e6", errHas: "write hours like 2.5"},
		{in: ".", errHas: "write hours like 2.5"},
		{in: "hour", errHas: "write hours like 2.5"},
		{in: "uhour", errHas: "micro-hours must be a whole non-negative number"},
		{in: "-5uhour", errHas: "micro-hours must be a whole non-negative number"},
		{in: "2.5uhour", errHas: "micro-hours must be a whole non-negative number"},
		{in: "18446744073709.551616", errHas: "is too large"},
		{in: "18446744073710", errHas: `amount "18446744073710" is too large`},
		{in: "99999999999999999999", errHas: `amount "99999999999999999999" is too large`},
		{in: "18446744073709551616uhour", errHas: `amount "18446744073709551616uhour" is too large`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := core.ParseAmount(tc.in)
			if tc.errHas == "" {
				if err != nil || got != tc.want {
					t.Fatalf("ParseAmount(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseAmount(%q) = %d, want an error saying %q", tc.in, got, tc.errHas)
			}
			if !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("ParseAmount(%q) error %q does not say %q", tc.in, err, tc.errHas)
			}
		})
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		in           uint64
		hours, human string
		uhour        string
	}{
		{0, "0", "0 hours", "0uhour"},
		{1, "0.000001", "0.000001 hours", "1uhour"},
		{500_000, "0.5", "0.5 hours", "500000uhour"},
		{1_000_000, "1", "1 hour", "1000000uhour"},
		{1_000_001, "1.000001", "1.000001 hours", "1000001uhour"},
		{2_500_000, "2.5", "2.5 hours", "2500000uhour"},
		{10_000_000, "10", "10 hours", "10000000uhour"},
		{^uint64(0), "18446744073709.551615", "18446744073709.551615 hours", "18446744073709551615uhour"},
	}
	for _, tc := range tests {
		t.Run(tc.human, func(t *testing.T) {
			if got := core.FormatHours(tc.in); got != tc.hours {
				t.Errorf("FormatHours(%d) = %q, want %q", tc.in, got, tc.hours)
			}
			if got := core.FormatAmount(tc.in); got != tc.human {
				t.Errorf("FormatAmount(%d) = %q, want %q", tc.in, got, tc.human)
			}
			if got := core.Uhour(tc.in); got != tc.uhour {
				t.Errorf("Uhour(%d) = %q, want %q", tc.in, got, tc.uhour)
			}
		})
	}
}

// TestAmountRoundTrip: whatever the node prints, the CLI reads back as the same amount.
func TestAmountRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for range 2000 {
		u := rng.Uint64() >> rng.IntN(64)
		for _, s := range []string{core.FormatHours(u), core.FormatAmount(u), core.Uhour(u)} {
			if got, err := core.ParseAmount(s); err != nil || got != u {
				t.Fatalf("ParseAmount(%q) = %d, %v; want %d", s, got, err, u)
			}
		}
	}
}
