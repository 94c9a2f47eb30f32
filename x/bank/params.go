package bank

import (
	"fmt"

	"github.com/commonsledger/commons/x/core"
)

// Bounds of min_new_account_amount.
const (
	// MinNewAccountAmountFloor: at least 1 uhour. A transfer of 0 is refused anyway, so 1 uhour means
	// "no minimum"; 0 is refused so that a genesis that omits the field does not silently drop it.
	MinNewAccountAmountFloor = 1
	// MaxNewAccountAmount: 100 hours. Above that, paying a newcomer for their first work would need
	// weeks of someone's hours in one transfer.
	MaxNewAccountAmount = 100 * core.MicroPerHour
)

// DefaultParams: 5 % a year, a gentle nudge to circulate; opening an account takes 1 hour.
func DefaultParams() Params {
	return Params{DemurragePpmPerYear: 50_000, MinNewAccountAmount: core.MicroPerHour}
}

// DevnetParams differ from DefaultParams only in a smaller opening amount, 0.01 hour: a devnet's
// demo members hold 100 hours each, and `commonsd loadgen` opens up to 1,000 load accounts from one.
func DevnetParams() Params {
	p := DefaultParams()
	p.MinNewAccountAmount = core.MicroPerHour / 100
	return p
}

// Validate checks the parameters.
func (p Params) Validate() error {
	if p.DemurragePpmPerYear > 1_000_000 {
		return fmt.Errorf("demurrage_ppm_per_year %d is above 1000000 (100%% a year)", p.DemurragePpmPerYear)
	}
	if p.MinNewAccountAmount < MinNewAccountAmountFloor || p.MinNewAccountAmount > MaxNewAccountAmount {
		return fmt.Errorf("min_new_account_amount %d must be between %d and %d uhour (1 uhour to 100 hours; a real network uses %d, 1 hour)",
			p.MinNewAccountAmount, MinNewAccountAmountFloor, MaxNewAccountAmount, core.MicroPerHour)
	}
	return nil
}
