package members

import "github.com/commonsledger/commons/x/core"

// Sub-prefixes under core.PrefixMembers.
var (
	MemberPrefix = []byte{core.PrefixMembers, 0x01} // | len-prefixed address → Member
	HandlePrefix = []byte{core.PrefixMembers, 0x02} // | len-prefixed handle → raw address
	ParamsKey    = []byte{core.PrefixMembers, 0x03} // → Params
	CountsKey    = []byte{core.PrefixMembers, 0x04} // → MemberCounts
)

// Prefixes lists this module's key prefixes for the overlap test.
var Prefixes = [][]byte{MemberPrefix, HandlePrefix, ParamsKey, CountsKey}

// MemberKey is the key of one member or candidate record.
func MemberKey(addr core.Address) []byte { return core.Key(MemberPrefix, core.LenPrefixed(addr)) }

// HandleKey is the key of one handle's owner. Handles are at most 32 bytes (see ValidateHandle).
func HandleKey(handle string) []byte {
	return core.Key(HandlePrefix, core.LenPrefixed([]byte(handle)))
}
