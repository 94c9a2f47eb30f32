package bank

import "math/bits"

// SecondsPerDay is the length of one demurrage period. Decay applies in whole elapsed days only.
const SecondsPerDay = 86400

// fixedOne is 1.0 in the 18-decimal fixed point used for decay factors.
const fixedOne uint64 = 1_000_000_000_000_000_000

// mulFixed returns a*b/fixedOne, rounded down, with a 128-bit intermediate (a, b <= fixedOne).
func mulFixed(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	q, _ := bits.Div64(hi, lo, fixedOne)
	return q
}

// dailyRetention is the fraction of a balance kept after one day at the yearly rate, in fixed point:
// 1 - ppm/(1e6 * 365), rounded down. A rate above 1e6 ppm (100 %/year) is rejected by Params.Validate.
func dailyRetention(ppmPerYear uint64) uint64 {
	return fixedOne - ppmPerYear*1_000_000_000_000/365
}

// retention is dailyRetention^days by square-and-multiply. Every step rounds down, so the result is a
// deterministic function of (ppm, days) that never exceeds the exact value.
func retention(ppmPerYear uint64, days uint64) uint64 {
	result, base := fixedOne, dailyRetention(ppmPerYear)
	for days > 0 && result > 0 {
		if days&1 == 1 {
			result = mulFixed(result, base)
		}
		base = mulFixed(base, base)
		days >>= 1
	}
	return result
}

// Decay returns the balance left after `days` whole days at the yearly rate, and the amount that
// decayed. kept + decayed == balance always holds, so no micro-hour is created or lost.
func Decay(balance uint64, ppmPerYear uint64, days uint64) (kept, decayed uint64) {
	if ppmPerYear == 0 || days == 0 || balance == 0 {
		return balance, 0
	}
	r := retention(ppmPerYear, days)
	hi, lo := bits.Mul64(balance, r)
	kept, _ = bits.Div64(hi, lo, fixedOne)
	return kept, balance - kept
}

// Day is the day (since the unix epoch, UTC) that contains unix time t.
func Day(t int64) int64 {
	d := t / SecondsPerDay
	if t%SecondsPerDay < 0 {
		d--
	}
	return d
}

// DayStart is the UTC midnight at or before t. Balances are stated as of a midnight (Account.
// balance_as_of), so decay applies at each UTC midnight of block time a balance is held across, and
// all accounts stated as of one day have the same days of decay pending (see Keeper.Circulating).
func DayStart(t int64) int64 { return Day(t) * SecondsPerDay }

// ElapsedDays is the number of whole days from asOf to now (0 if now is earlier).
func ElapsedDays(asOf, now int64) uint64 {
	if now <= asOf {
		return 0
	}
	return uint64((now - asOf) / SecondsPerDay)
}
