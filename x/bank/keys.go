package bank

import (
	"bytes"

	"github.com/commonsledger/commons/x/core"
)

// Sub-prefixes under core.PrefixBank.
var (
	accountPrefix   = []byte{core.PrefixBank, 0x01} // | len-prefixed address → Account
	supplyKey       = []byte{core.PrefixBank, 0x02} // → Supply
	paramsKey       = []byte{core.PrefixBank, 0x03} // → Params
	daySupplyPrefix = []byte{core.PrefixBank, 0x04} // | day (int64) → DaySupply
	bucketPrefix    = []byte{core.PrefixBank, 0x05} // | day (int64) → BalanceBucket
	historyPrefix   = []byte{core.PrefixBank, 0x06} // | len-prefixed address | seq (uint64) → HistoryEntry
)

// KeyPrefixes lists this module's key prefixes, for the app's overlap test (app.AllPrefixes). They
// are copies: the key layout itself is the module's own, and nothing outside it builds keys.
func KeyPrefixes() [][]byte {
	out := [][]byte{}
	for _, p := range [][]byte{accountPrefix, supplyKey, paramsKey, daySupplyPrefix, bucketPrefix, historyPrefix} {
		out = append(out, bytes.Clone(p))
	}
	return out
}

// accountKey is the key of one account.
func accountKey(addr core.Address) []byte { return core.Key(accountPrefix, core.LenPrefixed(addr)) }

// daySupplyKey is the key of one day's supply movements.
func daySupplyKey(day int64) []byte { return core.Key(daySupplyPrefix, core.Int64Key(day)) }

// bucketKey is the key of the balance bucket of one day (see BalanceBucket).
func bucketKey(day int64) []byte { return core.Key(bucketPrefix, core.Int64Key(day)) }

// historyOf is the prefix of addr's history entries.
func historyOf(addr core.Address) []byte { return core.Key(historyPrefix, core.LenPrefixed(addr)) }

// historyKey is the key of addr's history entry seq.
func historyKey(addr core.Address, seq uint64) []byte {
	return core.Key(historyOf(addr), core.Uint64Key(seq))
}
