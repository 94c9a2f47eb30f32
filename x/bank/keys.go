package bank

import "github.com/commonsledger/commons/x/core"

// Sub-prefixes under core.PrefixBank.
var (
	AccountPrefix   = []byte{core.PrefixBank, 0x01} // | len-prefixed address → Account
	SupplyKey       = []byte{core.PrefixBank, 0x02} // → Supply
	ParamsKey       = []byte{core.PrefixBank, 0x03} // → Params
	DaySupplyPrefix = []byte{core.PrefixBank, 0x04} // | day (int64) → DaySupply
	BucketPrefix    = []byte{core.PrefixBank, 0x05} // | day (int64) → BalanceBucket
)

// Prefixes lists this module's key prefixes for the overlap test.
var Prefixes = [][]byte{AccountPrefix, SupplyKey, ParamsKey, DaySupplyPrefix, BucketPrefix}

// AccountKey is the key of one account.
func AccountKey(addr core.Address) []byte { return core.Key(AccountPrefix, core.LenPrefixed(addr)) }

// DaySupplyKey is the key of one day's supply movements.
func DaySupplyKey(day int64) []byte { return core.Key(DaySupplyPrefix, core.Int64Key(day)) }

// BucketKey is the key of the balance bucket of one day (see BalanceBucket).
func BucketKey(day int64) []byte { return core.Key(BucketPrefix, core.Int64Key(day)) }
