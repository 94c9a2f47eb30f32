package members

import "fmt"

// Bounds that keep parameters meaningful.
const maxVouchCooldown = 365 * 86400

// DefaultParams are for a real network: two vouches to join, one vouch per day per voucher.
func DefaultParams() Params { return Params{VouchesToJoin: 2, VouchCooldown: 86400} }

// DevnetParams are for a devnet where the whole loop is watched in a minute.
func DevnetParams() Params { return Params{VouchesToJoin: 2, VouchCooldown: 10} }

// Validate checks the parameters.
func (p Params) Validate() error {
	if p.VouchesToJoin == 0 || p.VouchesToJoin > 100 {
		return fmt.Errorf("vouches_to_join %d must be between 1 and 100", p.VouchesToJoin)
	}
	if p.VouchCooldown < 0 || p.VouchCooldown > maxVouchCooldown {
		return fmt.Errorf("vouch_cooldown %d must be between 0 and %d seconds", p.VouchCooldown, maxVouchCooldown)
	}
	return nil
}
