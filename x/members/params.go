package members

import "fmt"

// Bounds that keep parameters meaningful.
const (
	// MinVouchesToJoin: with a single vouch, one member (or one stolen key) admits anyone alone,
	// and a sybil it admitted admits the next. Two vouches make admission a second opinion.
	MinVouchesToJoin = 2
	// MaxVouchesToJoin keeps admission reachable in a small commons.
	MaxVouchesToJoin = 100
	// MinVouchCooldown: a voucher may vouch at most once per vouch_cooldown. At 0 the rule is off:
	// a ring of members could vouch in any number of fake members within one block. One second is
	// the smallest period that still rate-limits (block times are whole seconds); a real network
	// uses a day (DefaultParams), a devnet a few seconds.
	MinVouchCooldown = 1
	// MaxVouchCooldown: a year.
	MaxVouchCooldown = 365 * 86400
	// MaxAdmissionsPerPeriod bounds admissions_per_period.
	MaxAdmissionsPerPeriod = 10_000
	// MaxStrikesToSuspend keeps suspension reachable.
	MaxStrikesToSuspend = 100
	// MaxStrikePeriod bounds strike_window and suspension_period: ten years.
	MaxStrikePeriod = 10 * 365 * 86400
)

// DefaultParams are for a real network: two vouches to join, one vouch per 30 days per voucher, at
// most 2 admissions a week per founder's sponsor tree, 30 days of probation after admission; three
// strikes within 180 days suspend for 90 days.
//
// vouch_cooldown, admissions_per_period and probation were chosen from the fraud simulation
// (docs/integrity.md, "Choosing the production defaults"): with a ring of 10 % of 1,000 members, a
// 30-day cooldown cut the sybils admitted in 90 days from 1,019 to 207 and the fraudulent share of
// minted hours from 58 % to 29 %; 2 admissions a week per tree on top of it, to 183 and 26 %.
func DefaultParams() Params {
	return Params{VouchesToJoin: 2, VouchCooldown: 30 * 86400, StrikesToSuspend: 3, StrikeWindow: 180 * 86400, SuspensionPeriod: 90 * 86400,
		Probation: 30 * 86400, AdmissionsPerPeriod: 2, AdmissionPeriod: 7 * 86400}
}

// DevnetParams are for a devnet where the whole loop is watched in a minute: 20 admissions an hour
// per sponsor tree, a minute of probation; three strikes within an hour suspend for ten minutes.
func DevnetParams() Params {
	return Params{VouchesToJoin: 2, VouchCooldown: 10, StrikesToSuspend: 3, StrikeWindow: 3600, SuspensionPeriod: 600, Probation: 60,
		AdmissionsPerPeriod: 20, AdmissionPeriod: 3600}
}

// Validate checks the parameters.
func (p Params) Validate() error {
	if p.VouchesToJoin < MinVouchesToJoin || p.VouchesToJoin > MaxVouchesToJoin {
		return fmt.Errorf("vouches_to_join %d must be between %d and %d: with fewer than %d a single member admits anyone alone",
			p.VouchesToJoin, MinVouchesToJoin, MaxVouchesToJoin, MinVouchesToJoin)
	}
	if p.VouchCooldown < MinVouchCooldown || p.VouchCooldown > MaxVouchCooldown {
		return fmt.Errorf("vouch_cooldown %d must be between %d and %d seconds: 0 lets a voucher vouch any number of times per block (a real network uses 86400, a day)",
			p.VouchCooldown, MinVouchCooldown, MaxVouchCooldown)
	}
	if p.StrikesToSuspend < 1 || p.StrikesToSuspend > MaxStrikesToSuspend {
		return fmt.Errorf("strikes_to_suspend %d must be between 1 and %d", p.StrikesToSuspend, MaxStrikesToSuspend)
	}
	if p.StrikeWindow < 1 || p.StrikeWindow > MaxStrikePeriod {
		return fmt.Errorf("strike_window %d must be between 1 and %d seconds (a real network uses 15552000, 180 days)", p.StrikeWindow, MaxStrikePeriod)
	}
	if p.AdmissionsPerPeriod < 1 || p.AdmissionsPerPeriod > MaxAdmissionsPerPeriod {
		return fmt.Errorf("admissions_per_period %d must be between 1 and %d (per founder's sponsor tree)", p.AdmissionsPerPeriod, MaxAdmissionsPerPeriod)
	}
	if p.AdmissionPeriod < 1 || p.AdmissionPeriod > MaxVouchCooldown {
		return fmt.Errorf("admission_period %d must be between 1 and %d seconds (a real network uses 604800, a week)", p.AdmissionPeriod, MaxVouchCooldown)
	}
	if p.Probation < 0 || p.Probation > MaxVouchCooldown {
		return fmt.Errorf("probation %d must be between 0 and %d seconds (a real network uses 2592000, 30 days)", p.Probation, MaxVouchCooldown)
	}
	if p.SuspensionPeriod < 1 || p.SuspensionPeriod > MaxStrikePeriod {
		return fmt.Errorf("suspension_period %d must be between 1 and %d seconds (a real network uses 7776000, 90 days)", p.SuspensionPeriod, MaxStrikePeriod)
	}
	return nil
}
