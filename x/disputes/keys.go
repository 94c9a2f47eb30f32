package disputes

import (
	"bytes"

	"github.com/commonsledger/commons/x/core"
)

// Sub-prefixes under core.PrefixDisputes. Ids and heights are fixed-width big-endian, times
// sign-flipped big-endian (core.Int64Key), addresses length-prefixed.
var (
	disputePrefix   = []byte{core.PrefixDisputes, 0x01} // | id → Dispute
	votePrefix      = []byte{core.PrefixDisputes, 0x02} // | id | lp(juror) → JuryVoteRecord
	drawQueuePrefix = []byte{core.PrefixDisputes, 0x03} // | queued height | id → empty (OPEN, awaiting a jury)
	deadlinePrefix  = []byte{core.PrefixDisputes, 0x04} // | deadline | id → empty (VOTING)
	paramsKey       = []byte{core.PrefixDisputes, 0x05} // → Params
	countsKey       = []byte{core.PrefixDisputes, 0x06} // → DisputeCounts
	openByClaimPfx  = []byte{core.PrefixDisputes, 0x07} // | claim id → dispute id (OPEN or VOTING)
	openCountPrefix = []byte{core.PrefixDisputes, 0x08} // | lp(disputant) → OpenDisputes
	byStatusPrefix  = []byte{core.PrefixDisputes, 0x09} // | status byte | id → empty
	byClaimPrefix   = []byte{core.PrefixDisputes, 0x0a} // | claim id | id → empty
	byJurorPrefix   = []byte{core.PrefixDisputes, 0x0b} // | lp(juror) | id → empty (any jury)
	finalQueuePfx   = []byte{core.PrefixDisputes, 0x0c} // | appeal deadline | id → empty (decided, appealable, not final)
	reverseQueuePfx = []byte{core.PrefixDisputes, 0x0d} // | id → empty (final UPHELD, claim not yet reversed)
	recordPrefix    = []byte{core.PrefixDisputes, 0x0e} // | lp(member) → MemberDisputeRecord
)

// KeyPrefixes lists this module's key prefixes, for the app's overlap test (app.AllPrefixes).
func KeyPrefixes() [][]byte {
	out := [][]byte{}
	for _, p := range [][]byte{disputePrefix, votePrefix, drawQueuePrefix, deadlinePrefix, paramsKey, countsKey,
		openByClaimPfx, openCountPrefix, byStatusPrefix, byClaimPrefix, byJurorPrefix, finalQueuePfx, reverseQueuePfx, recordPrefix} {
		out = append(out, bytes.Clone(p))
	}
	return out
}

func disputeKey(id uint64) []byte { return core.Key(disputePrefix, core.Uint64Key(id)) }

func votesPrefix(id uint64) []byte { return core.Key(votePrefix, core.Uint64Key(id)) }

func voteKey(id uint64, juror core.Address) []byte {
	return core.Key(votePrefix, core.Uint64Key(id), core.LenPrefixed(juror))
}

func drawQueueKey(height uint64, id uint64) []byte {
	return core.Key(drawQueuePrefix, core.Uint64Key(height), core.Uint64Key(id))
}

func deadlineKey(deadline int64, id uint64) []byte {
	return core.Key(deadlinePrefix, core.Int64Key(deadline), core.Uint64Key(id))
}

func finalQueueKey(deadline int64, id uint64) []byte {
	return core.Key(finalQueuePfx, core.Int64Key(deadline), core.Uint64Key(id))
}

func openByClaimKey(claimID uint64) []byte { return core.Key(openByClaimPfx, core.Uint64Key(claimID)) }

func openCountKey(member core.Address) []byte {
	return core.Key(openCountPrefix, core.LenPrefixed(member))
}

func byStatus(s DisputeStatus) []byte { return core.Key(byStatusPrefix, []byte{byte(s)}) }

func byClaim(claimID uint64) []byte { return core.Key(byClaimPrefix, core.Uint64Key(claimID)) }

func byJuror(juror core.Address) []byte { return core.Key(byJurorPrefix, core.LenPrefixed(juror)) }

func reverseQueueKey(id uint64) []byte { return core.Key(reverseQueuePfx, core.Uint64Key(id)) }

func recordKey(member core.Address) []byte { return core.Key(recordPrefix, core.LenPrefixed(member)) }
