package bank

import "fmt"

// DefaultParams: 5 % a year, a gentle nudge to circulate.
func DefaultParams() Params { return Params{DemurragePpmPerYear: 50_000} }

// Validate checks the parameters.
func (p Params) Validate() error {
	if p.DemurragePpmPerYear > 1_000_000 {
		return fmt.Errorf("demurrage_ppm_per_year %d is above 1000000 (100%% a year)", p.DemurragePpmPerYear)
	}
	return nil
}
