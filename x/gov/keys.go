package gov

import (
	"bytes"

	"github.com/commonsledger/commons/x/core"
)

// Sub-prefixes under core.PrefixGov. Ids are fixed-width big-endian, times sign-flipped
// big-endian (core.Int64Key), addresses length-prefixed.
var (
	proposalPrefix  = []byte{core.PrefixGov, 0x01} // | id → Proposal
	votePrefix      = []byte{core.PrefixGov, 0x02} // | id | lp(voter) → VoteRecord
	endQueuePrefix  = []byte{core.PrefixGov, 0x03} // | voting_end | id → empty (VOTING)
	paramsKey       = []byte{core.PrefixGov, 0x04} // → Params
	countsKey       = []byte{core.PrefixGov, 0x05} // → ProposalCounts
	openCountPrefix = []byte{core.PrefixGov, 0x06} // | lp(proposer) → OpenProposals
	byStatusPrefix  = []byte{core.PrefixGov, 0x07} // | status byte | id → empty
	validatorPrefix = []byte{core.PrefixGov, 0x08} // | lp(ed25519 public key) → Validator
	historyPrefix   = []byte{core.PrefixGov, 0x09} // | seq → ValidatorEvent
	historyCountKey = []byte{core.PrefixGov, 0x0a} // → HistoryCount
	upgradePlanKey  = []byte{core.PrefixGov, 0x0b} // → UpgradePlan (at most one scheduled)
	appliedPrefix   = []byte{core.PrefixGov, 0x0c} // | height → AppliedUpgrade
)

// KeyPrefixes lists this module's key prefixes, for the app's overlap test (app.AllPrefixes).
func KeyPrefixes() [][]byte {
	out := [][]byte{}
	for _, p := range [][]byte{proposalPrefix, votePrefix, endQueuePrefix, paramsKey, countsKey, openCountPrefix, byStatusPrefix,
		validatorPrefix, historyPrefix, historyCountKey, upgradePlanKey, appliedPrefix} {
		out = append(out, bytes.Clone(p))
	}
	return out
}

func proposalKey(id uint64) []byte { return core.Key(proposalPrefix, core.Uint64Key(id)) }

func votesPrefix(id uint64) []byte { return core.Key(votePrefix, core.Uint64Key(id)) }

func voteKey(id uint64, voter core.Address) []byte {
	return core.Key(votePrefix, core.Uint64Key(id), core.LenPrefixed(voter))
}

func endQueueKey(end int64, id uint64) []byte {
	return core.Key(endQueuePrefix, core.Int64Key(end), core.Uint64Key(id))
}

func openCountKey(proposer core.Address) []byte {
	return core.Key(openCountPrefix, core.LenPrefixed(proposer))
}

func validatorKey(pubKey []byte) []byte { return core.Key(validatorPrefix, core.LenPrefixed(pubKey)) }

func historyKey(seq uint64) []byte { return core.Key(historyPrefix, core.Uint64Key(seq)) }

func byStatus(s ProposalStatus) []byte { return core.Key(byStatusPrefix, []byte{byte(s)}) }
