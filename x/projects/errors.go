package projects

import "github.com/commonsledger/commons/x/core"

// Codespace of the projects module.
const Codespace = "projects"

var (
	ErrCreatorNotMember       = core.Register(Codespace, 701, "only active members may create projects")
	ErrInvalidHandle          = core.Register(Codespace, 702, "invalid project handle")
	ErrHandleTaken            = core.Register(Codespace, 703, "project handle already taken")
	ErrInvalidName            = core.Register(Codespace, 704, "project name empty or too long")
	ErrInvalidStewards        = core.Register(Codespace, 705, "invalid stewards")
	ErrTooManyProjects        = core.Register(Codespace, 706, "too many projects created")
	ErrProjectNotFound        = core.Register(Codespace, 707, "project not found")
	ErrNotSteward             = core.Register(Codespace, 708, "not a steward of the project")
	ErrInvalidPeriod          = core.Register(Codespace, 709, "invalid distribution period")
	ErrPeriodDistributed      = core.Register(Codespace, 710, "period overlaps a distributed period")
	ErrNothingToDistribute    = core.Register(Codespace, 711, "project account is empty")
	ErrNoContributors         = core.Register(Codespace, 712, "no contributors in the period")
	ErrTooManyClaims          = core.Register(Codespace, 713, "period holds too many claims")
	ErrTooManyContributors    = core.Register(Codespace, 714, "period has too many contributors")
	ErrBlockDistributionsFull = core.Register(Codespace, 715, "block holds the most distributions allowed")
	ErrInvalidGenesis         = core.Register(Codespace, 716, "invalid projects genesis")
)
