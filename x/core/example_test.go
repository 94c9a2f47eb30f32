package core_test

import (
	"fmt"

	"github.com/commonsledger/commons/x/core"
)

// Amounts are whole micro-hours (uhour) on the chain; people write them in hours, with up to six
// decimals, or in micro-hours. Parsing never uses floating point.
func ExampleParseAmount() {
	for _, s := range []string{"2.5", "1.25 hours", "1h", "90000uhour", "0.000001", "1.0000001", "-1"} {
		u, err := core.ParseAmount(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%q = %d uhour\n", s, u)
	}
	// Output:
	// "2.5" = 2500000 uhour
	// "1.25 hours" = 1250000 uhour
	// "1h" = 1000000 uhour
	// "90000uhour" = 90000 uhour
	// "0.000001" = 1 uhour
	// amount "1.0000001" has more than 6 decimals; the smallest unit is 0.000001 hour (1uhour)
	// amount "-1": write hours like 2.5 (at most 6 decimals) or micro-hours like 2500000uhour
}

// FormatAmount is how amounts appear in messages to people; Uhour is how they appear in events.
func ExampleFormatAmount() {
	for _, u := range []uint64{2_500_000, core.MicroPerHour, 1, 0} {
		fmt.Printf("%-14s %-10s %s\n", core.FormatAmount(u), core.FormatHours(u), core.Uhour(u))
	}
	// Output:
	// 2.5 hours      2.5        2500000uhour
	// 1 hour         1          1000000uhour
	// 0.000001 hours 0.000001   1uhour
	// 0 hours        0          0uhour
}
