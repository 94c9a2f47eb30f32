package claims

import "github.com/commonsledger/commons/x/core"

// The key builders this package's external tests use to look at or corrupt stored state on
// purpose. Outside x/claims nothing builds claims keys (app's TestModuleKeysStayInside).
var (
	ClaimKey       = claimKey
	CountsKey      = countsKey
	AttestationKey = attestationKey
	ByProjectKey   = byProjectKey
)

// The category and time index keys, for the invariant tests that corrupt them.
var (
	ByCategoryKey  = func(category string, id uint64) []byte { return core.Key(byCategory(category), core.Uint64Key(id)) }
	ByCatStatusKey = func(category string, s ClaimStatus, id uint64) []byte {
		return core.Key(byCatStatus(category, s), core.Uint64Key(id))
	}
	CatCountKey   = catCountKey
	StartCountKey = startCountKey
	ByStartCatKey = byStartCatKey
)
