package members

import (
	"bytes"

	"github.com/commonsledger/commons/x/core"
)

// Sub-prefixes under core.PrefixMembers.
var (
	memberPrefix   = []byte{core.PrefixMembers, 0x01} // | len-prefixed address → Member
	handlePrefix   = []byte{core.PrefixMembers, 0x02} // | handle | 0x00 → raw address (alphabetical)
	paramsKey      = []byte{core.PrefixMembers, 0x03} // → Params
	countsKey      = []byte{core.PrefixMembers, 0x04} // → MemberCounts
	byStatusPrefix = []byte{core.PrefixMembers, 0x05} // | status (1 byte) | handle | 0x00 → raw address
	strikePrefix   = []byte{core.PrefixMembers, 0x06} // | lp(member) | time | claim id | role byte → Strike
	liftPrefix     = []byte{core.PrefixMembers, 0x07} // | suspended_until | lp(member) → empty (SUSPENDED)
	graduatePrefix = []byte{core.PrefixMembers, 0x08} // | joined_at + probation | lp(member) → empty (PROBATION)
	treePrefix     = []byte{core.PrefixMembers, 0x09} // | lp(root) → TreeAdmissions (this period's)
	vouchedPrefix  = []byte{core.PrefixMembers, 0x0a} // | lp(voucher) | lp(candidate) → empty (whom a member vouched for)
)

// KeyPrefixes lists this module's key prefixes, for the app's overlap test (app.AllPrefixes). They
// are copies: the key layout itself is the module's own, and nothing outside it builds keys.
func KeyPrefixes() [][]byte {
	out := [][]byte{}
	for _, p := range [][]byte{memberPrefix, handlePrefix, paramsKey, countsKey, byStatusPrefix, strikePrefix, liftPrefix, graduatePrefix, treePrefix, vouchedPrefix} {
		out = append(out, bytes.Clone(p))
	}
	return out
}

// memberKey is the key of one member or candidate record.
func memberKey(addr core.Address) []byte { return core.Key(memberPrefix, core.LenPrefixed(addr)) }

// handleEnd terminates a handle in an index key. Handles are 3–32 bytes of [a-z0-9-] (see
// ValidateHandle), so the handle bytes themselves sort keys alphabetically, and the 0x00 (below
// every handle byte) keeps "dan" after "da" while making no key a prefix of another.
var handleEnd = []byte{0}

// handleKey is the key of one handle's owner. The handle index is in alphabetical handle order, so
// a members list reads its page straight off it and a handle prefix is a key range.
func handleKey(handle string) []byte { return core.Key(handlePrefix, []byte(handle), handleEnd) }

// byStatusKey is the key of one record in the per-status handle index (alphabetical within a
// status), which serves the members list filtered by status.
func byStatusKey(status MemberStatus, handle string) []byte {
	return core.Key(byStatusPrefix, []byte{byte(status)}, []byte(handle), handleEnd)
}

func strikesOf(member core.Address) []byte { return core.Key(strikePrefix, core.LenPrefixed(member)) }

func strikeKey(member core.Address, s *Strike) []byte {
	return core.Key(strikesOf(member), core.Int64Key(s.Time), core.Uint64Key(s.ClaimId), []byte{byte(s.Role)})
}

// liftKey queues the end of member's suspension.
func liftKey(until int64, member core.Address) []byte {
	return core.Key(liftPrefix, core.Int64Key(until), core.LenPrefixed(member))
}

// graduateKey queues the end of member's probation.
func graduateKey(at int64, member core.Address) []byte {
	return core.Key(graduatePrefix, core.Int64Key(at), core.LenPrefixed(member))
}

func treeKey(root core.Address) []byte { return core.Key(treePrefix, core.LenPrefixed(root)) }

// vouchedKey indexes one vouch under its voucher, so that whom a member vouched for is a key range
// (one key of about 70 bytes per vouch), not a scan of every record.
func vouchedKey(voucher, candidate core.Address) []byte {
	return core.Key(vouchedPrefix, core.LenPrefixed(voucher), core.LenPrefixed(candidate))
}
