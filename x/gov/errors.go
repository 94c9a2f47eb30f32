package gov

import "github.com/commonsledger/commons/x/core"

// Codespace of the gov module.
const Codespace = "gov"

var (
	ErrNotEligible           = core.Register(Codespace, 601, "only active members may propose or vote")
	ErrTooManyOpen           = core.Register(Codespace, 602, "too many open proposals")
	ErrInvalidContent        = core.Register(Codespace, 603, "invalid proposal content")
	ErrInvalidParams         = core.Register(Codespace, 604, "proposed params are invalid")
	ErrSummary               = core.Register(Codespace, 605, "proposal summary empty or too long")
	ErrProposalNotFound      = core.Register(Codespace, 606, "proposal not found")
	ErrVotingClosed          = core.Register(Codespace, 607, "voting on the proposal closed")
	ErrInvalidOption         = core.Register(Codespace, 608, "invalid vote option")
	ErrInvalidGenesis        = core.Register(Codespace, 609, "invalid gov genesis")
	ErrInvalidValidator      = core.Register(Codespace, 610, "invalid validator change")
	ErrUnsafeValidatorChange = core.Register(Codespace, 611, "unsafe validator change")
	ErrInvalidUpgrade        = core.Register(Codespace, 612, "invalid upgrade")
)
