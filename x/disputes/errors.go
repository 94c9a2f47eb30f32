package disputes

import "github.com/commonsledger/commons/x/core"

// Codespace of the disputes module.
const Codespace = "disputes"

var (
	ErrDisputantNotMember = core.Register(Codespace, 501, "only active members may open disputes")
	ErrClaimNotFound      = core.Register(Codespace, 502, "claim not found")
	ErrClaimPending       = core.Register(Codespace, 503, "claim is still pending")
	ErrClaimRejected      = core.Register(Codespace, 504, "claim was rejected")
	ErrDisputeWindow      = core.Register(Codespace, 505, "dispute window closed")
	ErrOwnClaim           = core.Register(Codespace, 506, "cannot dispute your own claim")
	ErrReasonEmpty        = core.Register(Codespace, 507, "dispute reason is empty")
	ErrReasonTooLong      = core.Register(Codespace, 508, "dispute reason too long")
	ErrAlreadyDisputed    = core.Register(Codespace, 509, "claim already has an open dispute")
	ErrTooManyOpen        = core.Register(Codespace, 510, "too many open disputes")
	ErrDisputeNotFound    = core.Register(Codespace, 511, "dispute not found")
	ErrNotJuror           = core.Register(Codespace, 512, "not a juror of this dispute")
	ErrDuplicateVote      = core.Register(Codespace, 513, "already voted on this dispute")
	ErrVotingClosed       = core.Register(Codespace, 514, "jury voting closed")
	ErrInvalidVote        = core.Register(Codespace, 515, "invalid jury vote")
	ErrNoteTooLong        = core.Register(Codespace, 516, "note too long")
	ErrInvalidGenesis     = core.Register(Codespace, 517, "invalid disputes genesis")
	ErrNotLosingSide      = core.Register(Codespace, 518, "only the losing side may appeal")
	ErrAppealWindow       = core.Register(Codespace, 519, "appeal window closed")
	ErrAlreadyAppealed    = core.Register(Codespace, 520, "dispute already appealed")
	ErrNotDecided         = core.Register(Codespace, 521, "dispute not decided yet")
	ErrDisputeFinal       = core.Register(Codespace, 522, "dispute decision is final")
	ErrClaimReversed      = core.Register(Codespace, 523, "claim already reversed")
)
