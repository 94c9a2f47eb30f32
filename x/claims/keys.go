package claims

import (
	"bytes"

	"github.com/commonsledger/commons/x/core"
)

// Sub-prefixes under core.PrefixClaims. Ids are fixed-width big-endian, times sign-flipped
// big-endian (core.Int64Key), addresses and categories length-prefixed.
var (
	claimPrefix        = []byte{core.PrefixClaims, 0x01} // | id → Claim
	attestationPrefix  = []byte{core.PrefixClaims, 0x02} // | claim id | lp(attestor) → Attestation
	intervalPrefix     = []byte{core.PrefixClaims, 0x03} // | lp(claimant) | start → IntervalRef (PENDING, VERIFIED)
	queuePrefix        = []byte{core.PrefixClaims, 0x04} // | deadline | id → empty (PENDING)
	paramsKey          = []byte{core.PrefixClaims, 0x05} // → Params
	countsKey          = []byte{core.PrefixClaims, 0x06} // → ClaimCounts
	categoryPrefix     = []byte{core.PrefixClaims, 0x07} // | lp(category) → CategoryStat
	byClaimantPrefix   = []byte{core.PrefixClaims, 0x08} // | lp(claimant) | id → empty
	byAttestorPrefix   = []byte{core.PrefixClaims, 0x09} // | lp(attestor) | id → empty
	byStatusPrefix     = []byte{core.PrefixClaims, 0x0a} // | status byte | id → empty
	tallyPrefix        = []byte{core.PrefixClaims, 0x0b} // | id → ClaimTally (absent until the first attestation)
	pendingCountPrefix = []byte{core.PrefixClaims, 0x0c} // | lp(claimant) → PendingClaims
	pendingOfPrefix    = []byte{core.PrefixClaims, 0x0d} // | lp(claimant) | deadline | id → empty (PENDING)
	rejectedPrefix     = []byte{core.PrefixClaims, 0x0e} // | lp(claimant) | level byte | start → IntervalRef (REJECTED)
	byCategoryPrefix   = []byte{core.PrefixClaims, 0x0f} // | lp(category) | id → empty
	// 0x10 was a (start, id) index, replaced by byStartCatPrefix and startCountPrefix; not reused.
	dailyPrefix       = []byte{core.PrefixClaims, 0x11} // | finalisation day | lp(category) → CategoryStat (VERIFIED)
	recordPrefix      = []byte{core.PrefixClaims, 0x12} // | lp(member) → MemberClaimRecord
	reviewQueuePrefix = []byte{core.PrefixClaims, 0x13} // | submitted height | id → empty (reviewers not drawn yet)
	awaitingPrefix    = []byte{core.PrefixClaims, 0x14} // | lp(reviewer) | id → empty (PENDING, not attested by that reviewer)
	// The category and time indexes of QueryClaims (cindex.go, where their cost per claim is given).
	byCatStatusPrefix = []byte{core.PrefixClaims, 0x15} // | lp(category) | status byte | id → empty
	catCountPrefix    = []byte{core.PrefixClaims, 0x16} // | lp(category) | status byte → count (8 bytes)
	startCountPrefix  = []byte{core.PrefixClaims, 0x17} // | level byte | bucket | lp(category) → count, max id (8 + 8 bytes)
	byStartCatPrefix  = []byte{core.PrefixClaims, 0x18} // | start | lp(category) | id → empty
	byProjectPrefix   = []byte{core.PrefixClaims, 0x19} // | lp(project) | finalized_at | id → claimant | uhours (VERIFIED, tagged)
)

// KeyPrefixes lists this module's key prefixes, for the app's overlap test (app.AllPrefixes). They
// are copies: the key layout itself is the module's own, and nothing outside it builds keys.
func KeyPrefixes() [][]byte {
	out := [][]byte{}
	for _, p := range [][]byte{claimPrefix, attestationPrefix, intervalPrefix, queuePrefix, paramsKey, countsKey, categoryPrefix, byClaimantPrefix, byAttestorPrefix, byStatusPrefix, tallyPrefix, pendingCountPrefix, pendingOfPrefix, rejectedPrefix, byCategoryPrefix, dailyPrefix, recordPrefix, reviewQueuePrefix, awaitingPrefix,
		byCatStatusPrefix, catCountPrefix, startCountPrefix, byStartCatPrefix, byProjectPrefix} {
		out = append(out, bytes.Clone(p))
	}
	return out
}

func claimKey(id uint64) []byte { return core.Key(claimPrefix, core.Uint64Key(id)) }

func attestationsPrefix(id uint64) []byte { return core.Key(attestationPrefix, core.Uint64Key(id)) }

func attestationKey(id uint64, attestor core.Address) []byte {
	return core.Key(attestationPrefix, core.Uint64Key(id), core.LenPrefixed(attestor))
}

func intervalsOf(claimant core.Address) []byte {
	return core.Key(intervalPrefix, core.LenPrefixed(claimant))
}

func intervalKey(claimant core.Address, start int64) []byte {
	return core.Key(intervalsOf(claimant), core.Int64Key(start))
}

func queueKey(deadline int64, id uint64) []byte {
	return core.Key(queuePrefix, core.Int64Key(deadline), core.Uint64Key(id))
}

func categoryKey(category string) []byte {
	return core.Key(categoryPrefix, core.LenPrefixed([]byte(category)))
}

func byClaimant(claimant core.Address) []byte {
	return core.Key(byClaimantPrefix, core.LenPrefixed(claimant))
}

func byAttestor(attestor core.Address) []byte {
	return core.Key(byAttestorPrefix, core.LenPrefixed(attestor))
}

func byStatus(s ClaimStatus) []byte { return core.Key(byStatusPrefix, []byte{byte(s)}) }

func tallyKey(id uint64) []byte { return core.Key(tallyPrefix, core.Uint64Key(id)) }

func pendingCountKey(claimant core.Address) []byte {
	return core.Key(pendingCountPrefix, core.LenPrefixed(claimant))
}

func pendingOf(claimant core.Address) []byte {
	return core.Key(pendingOfPrefix, core.LenPrefixed(claimant))
}

func pendingOfKey(claimant core.Address, deadline int64, id uint64) []byte {
	return core.Key(pendingOf(claimant), core.Int64Key(deadline), core.Uint64Key(id))
}

// rejectedKey is the rejected-interval index entry of claimant's interval starting at start on level.
func rejectedKey(claimant core.Address, level uint32, start int64) []byte {
	return core.Key(rejectedPrefix, core.LenPrefixed(claimant), []byte{byte(level)}, core.Int64Key(start))
}

func byCategory(category string) []byte {
	return core.Key(byCategoryPrefix, core.LenPrefixed([]byte(category)))
}

// dailyKey holds the VERIFIED totals of category for the claims finalised on day (unix time / 86400).
func dailyKey(day int64, category string) []byte {
	return core.Key(dailyPrefix, core.Int64Key(day), core.LenPrefixed([]byte(category)))
}

func recordKey(member core.Address) []byte { return core.Key(recordPrefix, core.LenPrefixed(member)) }

func reviewQueueKey(height, id uint64) []byte {
	return core.Key(reviewQueuePrefix, core.Uint64Key(height), core.Uint64Key(id))
}

func awaitingOf(reviewer core.Address) []byte {
	return core.Key(awaitingPrefix, core.LenPrefixed(reviewer))
}

func awaitingKey(reviewer core.Address, id uint64) []byte {
	return core.Key(awaitingOf(reviewer), core.Uint64Key(id))
}

func byProject(project string) []byte {
	return core.Key(byProjectPrefix, core.LenPrefixed([]byte(project)))
}

func byProjectKey(project string, verifiedAt int64, id uint64) []byte {
	return core.Key(byProject(project), core.Int64Key(verifiedAt), core.Uint64Key(id))
}
