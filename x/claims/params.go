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

// DefaultParams are for a real network: a week to attest, a month to claim, 16 hours at most.
func DefaultParams() Params {
	return Params{
		MaxClaimAge:       30 * day,
		MaxClaimDuration:  16 * hour,
		AttestationWindow: 7 * day,
		MinApprovals:      2,
		Categories:        DefaultCategories(),
		MaxEvidence:       8,
		MaxSummaryBytes:   1024,
		MaxNoteBytes:      512,
	}
}

// DevnetParams are for a devnet: a 30-second attestation window so the loop runs in a minute.
func DevnetParams() Params {
	p := DefaultParams()
	p.AttestationWindow = 30
	return p
}

// Bounds that keep every time computation far from int64 overflow.
const (
	maxAge      = 10 * 365 * day
	maxDuration = 7 * day
	maxWindow   = 365 * day
	maxURIBytes = 512
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
	return nil
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
