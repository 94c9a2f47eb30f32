package core

import "encoding/binary"

// Module prefixes: one byte per module. 0x00 belongs to the store itself. Every key a module writes
// starts with its prefix followed by a one-byte sub-prefix; TestPrefixesDisjoint (app) checks that
// no two registered (module, sub-prefix) pairs overlap.
const (
	PrefixBank     byte = 0x01
	PrefixMembers  byte = 0x02
	PrefixClaims   byte = 0x03
	PrefixDisputes byte = 0x04
	PrefixGov      byte = 0x05
	PrefixProjects byte = 0x06
)

// Key builds a composite key: the given prefix bytes followed by the parts, each appended as is.
// Use LenPrefixed for variable-length parts and Uint64Key/Int64Key for fixed-width ids.
func Key(prefix []byte, parts ...[]byte) []byte {
	n := len(prefix)
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	k = append(k, prefix...)
	for _, p := range parts {
		k = append(k, p...)
	}
	return k
}

// LenPrefixed returns b preceded by its one-byte length, so a variable-length part cannot run into
// the next one. b must be at most 255 bytes.
func LenPrefixed(b []byte) []byte {
	if len(b) > 255 {
		panic("core: key part longer than 255 bytes")
	}
	return append([]byte{byte(len(b))}, b...)
}

// Uint64Key encodes v big-endian so that byte order equals numeric order.
func Uint64Key(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// Int64Key encodes a signed value so that byte order equals numeric order (sign bit flipped).
func Int64Key(v int64) []byte { return Uint64Key(uint64(v) ^ (1 << 63)) }

// DecodeInt64Key reverses Int64Key.
func DecodeInt64Key(b []byte) int64 { return int64(binary.BigEndian.Uint64(b) ^ (1 << 63)) }
