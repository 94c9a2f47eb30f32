package claims

import "github.com/commonsledger/commons/x/core"

// Sub-prefixes under core.PrefixClaims. Ids are fixed-width big-endian, times sign-flipped
// big-endian (core.Int64Key), addresses and categories length-prefixed.
var (
	ClaimPrefix        = []byte{core.PrefixClaims, 0x01} // | id → Claim
	AttestationPrefix  = []byte{core.PrefixClaims, 0x02} // | claim id | lp(attestor) → Attestation
	IntervalPrefix     = []byte{core.PrefixClaims, 0x03} // | lp(claimant) | start → IntervalRef (PENDING, VERIFIED)
	QueuePrefix        = []byte{core.PrefixClaims, 0x04} // | deadline | id → empty (PENDING)
	ParamsKey          = []byte{core.PrefixClaims, 0x05} // → Params
	CountsKey          = []byte{core.PrefixClaims, 0x06} // → ClaimCounts
	CategoryPrefix     = []byte{core.PrefixClaims, 0x07} // | lp(category) → CategoryStat
	ByClaimantPrefix   = []byte{core.PrefixClaims, 0x08} // | lp(claimant) | id → empty
	ByAttestorPrefix   = []byte{core.PrefixClaims, 0x09} // | lp(attestor) | id → empty
	ByStatusPrefix     = []byte{core.PrefixClaims, 0x0a} // | status byte | id → empty
	TallyPrefix        = []byte{core.PrefixClaims, 0x0b} // | id → ClaimTally (absent until the first attestation)
	PendingCountPrefix = []byte{core.PrefixClaims, 0x0c} // | lp(claimant) → PendingClaims
	PendingOfPrefix    = []byte{core.PrefixClaims, 0x0d} // | lp(claimant) | deadline | id → empty (PENDING)
	RejectedPrefix     = []byte{core.PrefixClaims, 0x0e} // | lp(claimant) | level byte | start → IntervalRef (REJECTED)
	ByCategoryPrefix   = []byte{core.PrefixClaims, 0x0f} // | lp(category) | id → empty
	ByStartPrefix      = []byte{core.PrefixClaims, 0x10} // | start | id → empty
	DailyPrefix        = []byte{core.PrefixClaims, 0x11} // | finalisation day | lp(category) → CategoryStat (VERIFIED)
)

// Prefixes lists this module's key prefixes for the overlap test.
var Prefixes = [][]byte{ClaimPrefix, AttestationPrefix, IntervalPrefix, QueuePrefix, ParamsKey,
	CountsKey, CategoryPrefix, ByClaimantPrefix, ByAttestorPrefix, ByStatusPrefix, TallyPrefix,
	PendingCountPrefix, PendingOfPrefix, RejectedPrefix, ByCategoryPrefix, ByStartPrefix, DailyPrefix}

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

func TallyKey(id uint64) []byte { return core.Key(TallyPrefix, core.Uint64Key(id)) }

func pendingCountKey(claimant core.Address) []byte {
	return core.Key(PendingCountPrefix, core.LenPrefixed(claimant))
}

func pendingOf(claimant core.Address) []byte {
	return core.Key(PendingOfPrefix, core.LenPrefixed(claimant))
}

func pendingOfKey(claimant core.Address, deadline int64, id uint64) []byte {
	return core.Key(pendingOf(claimant), core.Int64Key(deadline), core.Uint64Key(id))
}

// RejectedKey is the rejected-interval index entry of claimant's interval starting at start on level.
func RejectedKey(claimant core.Address, level uint32, start int64) []byte {
	return core.Key(RejectedPrefix, core.LenPrefixed(claimant), []byte{byte(level)}, core.Int64Key(start))
}

func byCategory(category string) []byte {
	return core.Key(ByCategoryPrefix, core.LenPrefixed([]byte(category)))
}

func byStartKey(start int64, id uint64) []byte {
	return core.Key(ByStartPrefix, core.Int64Key(start), core.Uint64Key(id))
}

// DailyKey holds the VERIFIED totals of category for the claims finalised on day (unix time / 86400).
func DailyKey(day int64, category string) []byte {
	return core.Key(DailyPrefix, core.Int64Key(day), core.LenPrefixed([]byte(category)))
}
