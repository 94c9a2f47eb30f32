package claims

import "fmt"

const (
	hour = 3600
	day  = 24 * hour
)

// DefaultCategories are the accounting categories of a new network. They carry no weights.
func DefaultCategories() []string {
	return []string{"care", "code", "ecology", "teaching", "community", "other"}
}

// DefaultParams are for a real network: a week to attest, a month to claim, 1 minute to 16 hours
// a claim, 16 claims pending per member, and rejected time claimable twice more.
//
// min_claim_duration 60 s: a minute is the finest unit anyone keeps a timesheet in, so no honest
// claim is refused, while it bounds how many claims one member's time can hold: at most
// max_reclaims + 1 claims ever cover an instant (see reclaim.go: the rejected ones sit on distinct
// levels, and a live one holds a level free of them), so a member's claimable window of
// max_claim_age holds at most (max_reclaims + 1) × max_claim_age / 60 s claims.
// Longer minimums (15 min) would tighten that bound but refuse real short tasks.
//
// max_pending_claims 16: a full day of work in one-hour claims fits with room to spare, while the
// review load one member can put on the others, and the state one member can make the chain carry
// during an attestation window, stays small.
//
// max_reclaims 2: a claim rejected by mistake (wrong category, missing evidence) can be fixed and
// claimed again twice; after that the time is settled.
//
// reviewers 3, min_reviewer_approvals 1: chosen from the fraud simulation (docs/integrity.md,
// "Choosing the production defaults"). Without drawn reviewers honest members' reviews scatter and
// 61 % of honest hours went unverified; with 3 reviewers and one approval needed from them, 31 %.
// Needing 2 of 3, or 2 of 5, bought no less fraud and cost more honest hours.
func DefaultParams() Params {
	return Params{
		MaxClaimAge:          30 * day,
		MaxClaimDuration:     16 * hour,
		AttestationWindow:    7 * day,
		MinApprovals:         2,
		Categories:           DefaultCategories(),
		MaxEvidence:          8,
		MaxSummaryBytes:      1024,
		MaxNoteBytes:         512,
		MinClaimDuration:     60,
		MaxPendingClaims:     16,
		MaxReclaims:          2,
		Reviewers:            3,
		MinReviewerApprovals: 1,
	}
}

// DevnetParams are for a devnet: a 30-second attestation window so the loop runs in a minute, and
// no drawn reviewers, so that any two members can verify a claim in the README's walkthrough.
func DevnetParams() Params {
	p := DefaultParams()
	p.AttestationWindow = 30
	p.Reviewers, p.MinReviewerApprovals = 0, 0
	return p
}

// MaxReviewers bounds the reviewers drawn per claim (each draw costs O(reviewers²)).
const MaxReviewers = 15

// Bounds that keep every time computation far from int64 overflow.
const (
	maxAge      = 10 * 365 * day
	maxDuration = 7 * day
	maxWindow   = 365 * day
	maxURIBytes = 512
	// MaxPendingClaimsLimit bounds max_pending_claims: it is also how many claims one member can
	// keep in the finalisation queue and the pending index.
	MaxPendingClaimsLimit = 1024
	// MaxReclaimsLimit bounds max_reclaims: a submission reads one key per reclaim level, so this
	// bounds the reads of every claim (max_reclaims + 1 levels) and the level byte of the index.
	MaxReclaimsLimit = 8
)

// Validate checks the parameters.
func (p Params) Validate() error {
	switch {
	case p.MaxClaimAge <= 0 || p.MaxClaimAge > maxAge:
		return fmt.Errorf("max_claim_age %d must be between 1 and %d seconds", p.MaxClaimAge, maxAge)
	case p.MaxClaimDuration <= 0 || p.MaxClaimDuration > maxDuration:
		return fmt.Errorf("max_claim_duration %d must be between 1 and %d seconds", p.MaxClaimDuration, maxDuration)
	case p.AttestationWindow <= 0 || p.AttestationWindow > maxWindow:
		return fmt.Errorf("attestation_window %d must be between 1 and %d seconds", p.AttestationWindow, maxWindow)
	case p.MinApprovals == 0:
		return fmt.Errorf("min_approvals must be at least 1")
	case len(p.Categories) == 0:
		return fmt.Errorf("categories must list at least one category")
	case p.MaxSummaryBytes == 0 || p.MaxNoteBytes == 0:
		return fmt.Errorf("max_summary_bytes and max_note_bytes must be positive")
	case p.MinClaimDuration <= 0 || p.MinClaimDuration > p.MaxClaimDuration:
		return fmt.Errorf("min_claim_duration %d must be between 1 and max_claim_duration %d seconds", p.MinClaimDuration, p.MaxClaimDuration)
	case p.MaxPendingClaims == 0 || p.MaxPendingClaims > MaxPendingClaimsLimit:
		return fmt.Errorf("max_pending_claims %d must be between 1 and %d", p.MaxPendingClaims, MaxPendingClaimsLimit)
	case p.MaxReclaims > MaxReclaimsLimit:
		return fmt.Errorf("max_reclaims %d must be at most %d", p.MaxReclaims, MaxReclaimsLimit)
	case p.Reviewers > MaxReviewers:
		return fmt.Errorf("reviewers %d must be at most %d", p.Reviewers, MaxReviewers)
	case p.MinReviewerApprovals > p.Reviewers || p.Reviewers > 0 && p.MinReviewerApprovals == 0:
		return fmt.Errorf("min_reviewer_approvals %d must be between 1 and reviewers %d (both 0 turn drawn reviewers off)", p.MinReviewerApprovals, p.Reviewers)
	}
	seen := map[string]bool{}
	for _, c := range p.Categories {
		if !ValidCategory(c) {
			return fmt.Errorf("category %q must be 1–32 characters of a-z, 0-9 and -", c)
		}
		if seen[c] {
			return fmt.Errorf("category %q listed twice", c)
		}
		seen[c] = true
	}
	required := map[string]bool{}
	for _, c := range p.RequireBeneficiary {
		if !seen[c] {
			return fmt.Errorf("require_beneficiary names %q, which is not one of categories %v", c, p.Categories)
		}
		if required[c] {
			return fmt.Errorf("require_beneficiary lists %q twice", c)
		}
		required[c] = true
	}
	return nil
}

// requiresBeneficiary reports whether claims of category c must be countersigned.
func (p Params) requiresBeneficiary(c string) bool {
	for _, x := range p.RequireBeneficiary {
		if x == c {
			return true
		}
	}
	return false
}

// ValidCategory is the rule for category names: 1–32 characters of a-z, 0-9 and '-'.
func ValidCategory(c string) bool {
	if len(c) == 0 || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !((r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-') {
			return false
		}
	}
	return true
}

// hasCategory reports whether c is one of the configured categories.
func (p Params) hasCategory(c string) bool {
	for _, x := range p.Categories {
		if x == c {
			return true
		}
	}
	return false
}
