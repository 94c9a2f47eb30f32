package disputes

import "fmt"

const (
	hour = 3600
	day  = 24 * hour
)

// DefaultParams are for a real network: a month to dispute a verified claim, juries of five with a
// week to vote, four open disputes per member.
func DefaultParams() Params {
	return Params{
		DisputeWindow:   30 * day,
		JurySize:        5,
		JuryWindow:      7 * day,
		MaxOpenDisputes: 4,
		MaxReasonBytes:  2048,
		MaxNoteBytes:    512,
		AppealWindow:    7 * day,
	}
}

// DevnetParams are for a devnet: five minutes to dispute, juries of three with 30 seconds to vote.
func DevnetParams() Params {
	p := DefaultParams()
	p.DisputeWindow = 300
	p.JurySize = 3
	p.JuryWindow = 30
	p.AppealWindow = 60
	return p
}

// Bounds of the parameters.
const (
	maxWindow = 365 * day
	// MaxJurySize bounds jury_size: a vote scans the jury, and the appeal jury (next step) is
	// 2 × jury_size + 1.
	MaxJurySize = 51
	// MaxOpenDisputesLimit bounds max_open_disputes.
	MaxOpenDisputesLimit = 64
	maxTextBytes         = 8192
)

// Validate checks the parameters.
func (p Params) Validate() error {
	switch {
	case p.DisputeWindow <= 0 || p.DisputeWindow > maxWindow:
		return fmt.Errorf("dispute_window %d must be between 1 and %d seconds", p.DisputeWindow, maxWindow)
	case p.JurySize == 0 || p.JurySize%2 == 0 || p.JurySize > MaxJurySize:
		return fmt.Errorf("jury_size %d must be odd, between 1 and %d", p.JurySize, MaxJurySize)
	case p.JuryWindow <= 0 || p.JuryWindow > maxWindow:
		return fmt.Errorf("jury_window %d must be between 1 and %d seconds", p.JuryWindow, maxWindow)
	case p.MaxOpenDisputes == 0 || p.MaxOpenDisputes > MaxOpenDisputesLimit:
		return fmt.Errorf("max_open_disputes %d must be between 1 and %d", p.MaxOpenDisputes, MaxOpenDisputesLimit)
	case p.MaxReasonBytes == 0 || p.MaxReasonBytes > maxTextBytes:
		return fmt.Errorf("max_reason_bytes %d must be between 1 and %d", p.MaxReasonBytes, maxTextBytes)
	case p.MaxNoteBytes == 0 || p.MaxNoteBytes > maxTextBytes:
		return fmt.Errorf("max_note_bytes %d must be between 1 and %d", p.MaxNoteBytes, maxTextBytes)
	case p.AppealWindow <= 0 || p.AppealWindow > maxWindow:
		return fmt.Errorf("appeal_window %d must be between 1 and %d seconds", p.AppealWindow, maxWindow)
	}
	return nil
}
