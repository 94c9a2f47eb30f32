package members

import "github.com/commonsledger/commons/x/core"

// Sub-prefixes under core.PrefixMembers.
var (
	MemberPrefix   = []byte{core.PrefixMembers, 0x01} // | len-prefixed address → Member
	HandlePrefix   = []byte{core.PrefixMembers, 0x02} // | handle | 0x00 → raw address (alphabetical)
	ParamsKey      = []byte{core.PrefixMembers, 0x03} // → Params
	CountsKey      = []byte{core.PrefixMembers, 0x04} // → MemberCounts
	ByStatusPrefix = []byte{core.PrefixMembers, 0x05} // | status (1 byte) | handle | 0x00 → raw address
)

// Prefixes lists this module's key prefixes for the overlap test.
var Prefixes = [][]byte{MemberPrefix, HandlePrefix, ParamsKey, CountsKey, ByStatusPrefix}

// MemberKey is the key of one member or candidate record.
func MemberKey(addr core.Address) []byte { return core.Key(MemberPrefix, core.LenPrefixed(addr)) }

// handleEnd terminates a handle in an index key. Handles are 3–32 bytes of [a-z0-9-] (see
// ValidateHandle), so the handle bytes themselves sort keys alphabetically, and the 0x00 (below
// every handle byte) keeps "dan" after "da" while making no key a prefix of another.
var handleEnd = []byte{0}

// HandleKey is the key of one handle's owner. The handle index is in alphabetical handle order, so
// a members list reads its page straight off it and a handle prefix is a key range.
func HandleKey(handle string) []byte { return core.Key(HandlePrefix, []byte(handle), handleEnd) }

// ByStatusKey is the key of one record in the per-status handle index (alphabetical within a
// status), which serves the members list filtered by status.
func ByStatusKey(status MemberStatus, handle string) []byte {
	return core.Key(ByStatusPrefix, []byte{byte(status)}, []byte(handle), handleEnd)
}
