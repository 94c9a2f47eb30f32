package members

import "github.com/commonsledger/commons/x/core"

// Codespace of the members module.
const Codespace = "members"

var (
	ErrNotMember      = core.Register(Codespace, 301, "only active members may vouch")
	ErrVouchCooldown  = core.Register(Codespace, 302, "vouch cooldown has not passed")
	ErrHandleTaken    = core.Register(Codespace, 303, "handle already taken")
	ErrInvalidHandle  = core.Register(Codespace, 304, "invalid handle")
	ErrAlreadyMember  = core.Register(Codespace, 305, "candidate is already a member")
	ErrDuplicateVouch = core.Register(Codespace, 306, "already vouched for this candidate")
	ErrSelfVouch      = core.Register(Codespace, 307, "cannot vouch for yourself")
	ErrHandleRequired = core.Register(Codespace, 308, "first vouch must set a handle")
	ErrHandleMismatch = core.Register(Codespace, 309, "handle differs from the candidate's handle")
	ErrInvalidGenesis = core.Register(Codespace, 310, "invalid members genesis")
	ErrSuspended      = core.Register(Codespace, 311, "member is suspended")
	ErrOnProbation    = core.Register(Codespace, 312, "member is on probation")
	ErrAdmissionLimit = core.Register(Codespace, 313, "sponsor tree admitted the most members this period")
	ErrExpelled       = core.Register(Codespace, 314, "member expelled")
	ErrNotExpelled    = core.Register(Codespace, 315, "member not expelled")
	ErrNoSuchMember   = core.Register(Codespace, 316, "no such member")
)
