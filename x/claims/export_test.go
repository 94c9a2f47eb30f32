package claims

// The key builders this package's external tests use to look at or corrupt stored state on
// purpose. Outside x/claims nothing builds claims keys (app's TestModuleKeysStayInside).
var (
	ClaimKey       = claimKey
	AttestationKey = attestationKey
	ByProjectKey   = byProjectKey
)
