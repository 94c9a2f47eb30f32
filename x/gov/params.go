package gov

import "fmt"

const day = 86400

// DefaultParams are for a real network: a week to vote, a quorum of a third of the eligible
// members, two open proposals per member.
//
// voting_period 7 days: long enough for members who check in weekly, short enough to answer an
// attack (say, a ring exploiting a low min_approvals) within a dispute window.
// quorum 334 ‰: more than a third of the eligible members must vote (abstaining counts), so a
// small faction cannot change the rules while the rest are away.
// max_open_proposals 2: a member can always propose, and five colluding members can hold at most
// ten proposals open, each a bounded record (see docs/security.md).
func DefaultParams() Params {
	return Params{VotingPeriod: 7 * day, QuorumPermille: 334, MaxOpenProposals: 2, MaxSummaryBytes: 2048}
}

// DevnetParams are for a devnet: a minute to vote.
func DevnetParams() Params {
	p := DefaultParams()
	p.VotingPeriod = 60
	return p
}

// Bounds of the parameters.
const (
	maxVotingPeriod = 365 * day
	// MaxOpenProposalsLimit bounds max_open_proposals.
	MaxOpenProposalsLimit = 16
	maxSummaryBytes       = 8192
	// MaxParamsBytes bounds a params change's encoded params.
	MaxParamsBytes = 16 * 1024
)

// Validate checks the parameters.
func (p Params) Validate() error {
	switch {
	case p.VotingPeriod <= 0 || p.VotingPeriod > maxVotingPeriod:
		return fmt.Errorf("voting_period %d must be between 1 and %d seconds", p.VotingPeriod, maxVotingPeriod)
	case p.QuorumPermille == 0 || p.QuorumPermille > 1000:
		return fmt.Errorf("quorum_permille %d must be between 1 and 1000", p.QuorumPermille)
	case p.MaxOpenProposals == 0 || p.MaxOpenProposals > MaxOpenProposalsLimit:
		return fmt.Errorf("max_open_proposals %d must be between 1 and %d", p.MaxOpenProposals, MaxOpenProposalsLimit)
	case p.MaxSummaryBytes == 0 || p.MaxSummaryBytes > maxSummaryBytes:
		return fmt.Errorf("max_summary_bytes %d must be between 1 and %d", p.MaxSummaryBytes, maxSummaryBytes)
	}
	return nil
}
