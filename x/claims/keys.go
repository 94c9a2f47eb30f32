package claims

import "github.com/commonsledger/commons/x/core"

// Sub-prefixes under core.PrefixClaims. Ids are fixed-width big-endian, times sign-flipped
// big-endian (core.Int64Key), addresses and categories length-prefixed.
var (
	ClaimPrefix       = []byte{core.PrefixClaims, 0x01} // | id → Claim
	AttestationPrefix = []byte{core.PrefixClaims, 0x02} // | claim id | lp(attestor) → Attestation
	IntervalPrefix    = []byte{core.PrefixClaims, 0x03} // | lp(claimant) | start → IntervalRef (PENDING, VERIFIED)
	QueuePrefix       = []byte{core.PrefixClaims, 0x04} // | deadline | id → empty (PENDING)
	ParamsKey         = []byte{core.PrefixClaims, 0x05} // → Params
	CountsKey         = []byte{core.PrefixClaims, 0x06} // → ClaimCounts
	CategoryPrefix    = []byte{core.PrefixClaims, 0x07} // | lp(category) → CategoryStat
	ByClaimantPrefix  = []byte{core.PrefixClaims, 0x08} // | lp(claimant) | id → empty
	ByAttestorPrefix  = []byte{core.PrefixClaims, 0x09} // | lp(attestor) | id → empty
	ByStatusPrefix    = []byte{core.PrefixClaims, 0x0a} // | status byte | id → empty
)

// Prefixes lists this module's key prefixes for the overlap test.
var Prefixes = [][]byte{ClaimPrefix, AttestationPrefix, IntervalPrefix, QueuePrefix, ParamsKey,
	CountsKey, CategoryPrefix, ByClaimantPrefix, ByAttestorPrefix, ByStatusPrefix}

func ClaimKey(id uint64) []byte { return core.Key(ClaimPrefix, core.Uint64Key(id)) }

func AttestationsPrefix(id uint64) []byte { return core.Key(AttestationPrefix, core.Uint64Key(id)) }

func AttestationKey(id uint64, attestor core.Address) []byte {
	return core.Key(AttestationPrefix, core.Uint64Key(id), core.LenPrefixed(attestor))
}

func intervalsOf(claimant core.Address) []byte {
	return core.Key(IntervalPrefix, core.LenPrefixed(claimant))
}

func IntervalKey(claimant core.Address, start int64) []byte {
	return core.Key(intervalsOf(claimant), core.Int64Key(start))
}

func QueueKey(deadline int64, id uint64) []byte {
	return core.Key(QueuePrefix, core.Int64Key(deadline), core.Uint64Key(id))
}

func CategoryKey(category string) []byte {
	return core.Key(CategoryPrefix, core.LenPrefixed([]byte(category)))
}

func byClaimant(claimant core.Address) []byte {
	return core.Key(ByClaimantPrefix, core.LenPrefixed(claimant))
}

func byAttestor(attestor core.Address) []byte {
	return core.Key(ByAttestorPrefix, core.LenPrefixed(attestor))
}

func byStatus(s ClaimStatus) []byte { return core.Key(ByStatusPrefix, []byte{byte(s)}) }
