package projects

import "fmt"

// DefaultParams are for a real network and a devnet alike (no durations): names up to 128 bytes,
// up to 7 stewards, 5 projects per creator, and distributions of at most 5,000 claims among at
// most 200 contributors.
func DefaultParams() Params {
	return Params{
		MaxNameBytes:                128,
		MaxStewards:                 7,
		MaxProjectsPerCreator:       5,
		MaxDistributionClaims:       5_000,
		MaxDistributionContributors: 200,
	}
}

// DevnetParams are DefaultParams: nothing in this module is measured in time.
func DevnetParams() Params { return DefaultParams() }

// Bounds of the parameters. A distribution reads one index entry per claim and writes about six
// keys per contributor (two accounts, two history entries, balance buckets), so the two
// distribution bounds cap its work; MaxDistributionsPerBlock caps a block's.
const (
	MaxNameBytesLimit          = 512
	MaxStewardsLimit           = 32
	MaxProjectsPerCreatorLimit = 100
	MaxDistributionClaimsLimit = 10_000
	MaxContributorsLimit       = 1_000
)

// Validate checks the parameters.
func (p Params) Validate() error {
	switch {
	case p.MaxNameBytes == 0 || p.MaxNameBytes > MaxNameBytesLimit:
		return fmt.Errorf("max_name_bytes %d must be between 1 and %d", p.MaxNameBytes, MaxNameBytesLimit)
	case p.MaxStewards == 0 || p.MaxStewards > MaxStewardsLimit:
		return fmt.Errorf("max_stewards %d must be between 1 and %d", p.MaxStewards, MaxStewardsLimit)
	case p.MaxProjectsPerCreator == 0 || p.MaxProjectsPerCreator > MaxProjectsPerCreatorLimit:
		return fmt.Errorf("max_projects_per_creator %d must be between 1 and %d", p.MaxProjectsPerCreator, MaxProjectsPerCreatorLimit)
	case p.MaxDistributionClaims == 0 || p.MaxDistributionClaims > MaxDistributionClaimsLimit:
		return fmt.Errorf("max_distribution_claims %d must be between 1 and %d", p.MaxDistributionClaims, MaxDistributionClaimsLimit)
	case p.MaxDistributionContributors == 0 || p.MaxDistributionContributors > MaxContributorsLimit:
		return fmt.Errorf("max_distribution_contributors %d must be between 1 and %d", p.MaxDistributionContributors, MaxContributorsLimit)
	}
	return nil
}
