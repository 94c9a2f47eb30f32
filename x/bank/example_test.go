package bank_test

import (
	"fmt"

	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// Demurrage: a balance loses demurrage_ppm_per_year / 365 of itself each whole day it is held (5 %
// a year by default), compounded daily and rounded down, in integer arithmetic. What decays is
// removed from the supply; kept + decayed is always the balance.
func ExampleDecay() {
	ppm := bank.DefaultParams().DemurragePpmPerYear
	for _, days := range []uint64{0, 1, 30, 365} {
		kept, decayed := bank.Decay(100*core.MicroPerHour, ppm, days)
		fmt.Printf("100 hours held %3d days: %s kept, %s decayed\n", days, core.FormatAmount(kept), core.FormatAmount(decayed))
	}
	// Output:
	// 100 hours held   0 days: 100 hours kept, 0 hours decayed
	// 100 hours held   1 days: 99.986301 hours kept, 0.013699 hours decayed
	// 100 hours held  30 days: 99.589856 hours kept, 0.410144 hours decayed
	// 100 hours held 365 days: 95.122616 hours kept, 4.877384 hours decayed
}

// Decay applies in whole days only: a day and a half is one day, and a time before as_of is none.
func ExampleElapsedDays() {
	asOf := int64(1_795_132_800) // 2026-11-20 00:00 UTC, the midnight a balance is stated as of
	for _, hours := range []int64{-1, 0, 23, 24, 36, 48} {
		fmt.Printf("now = as_of %+3dh: %d whole days\n", hours, bank.ElapsedDays(asOf, asOf+hours*3600))
	}
	// Output:
	// now = as_of  -1h: 0 whole days
	// now = as_of  +0h: 0 whole days
	// now = as_of +23h: 0 whole days
	// now = as_of +24h: 1 whole days
	// now = as_of +36h: 1 whole days
	// now = as_of +48h: 2 whole days
}
