package bank

import (
	"fmt"

	"github.com/commonsledger/commons/x/core"
)

// CheckInvariants verifies the bank's invariants over one version of state by reading every
// account and bucket (for tests and `commonsd debug invariants`, not for block execution):
//
//   - supply: the sum of stored balances equals genesis + minted − decayed (realised decay);
//   - balance buckets: every funded account is stated as of a UTC midnight, and each stored bucket
//     holds exactly the sum and count of the stored balances of its day; no other bucket exists.
//
// It returns the first violation found.
func (k Keeper) CheckInvariants(r core.Reader) error {
	var sum uint64
	overflow := false
	type agg struct{ balance, accounts uint64 }
	days := map[int64]agg{}
	var misaligned string
	k.IterateAccounts(r, func(a Account) bool {
		if sum > ^uint64(0)-a.Balance {
			overflow = true
			return false
		}
		sum += a.Balance
		if a.Balance > 0 {
			if a.BalanceAsOf != DayStart(a.BalanceAsOf) && misaligned == "" {
				misaligned = fmt.Sprintf("%s has balance_as_of %d, not a UTC midnight", a.Address, a.BalanceAsOf)
			}
			d := days[Day(a.BalanceAsOf)]
			d.balance += a.Balance
			d.accounts++
			days[Day(a.BalanceAsOf)] = d
		}
		return true
	})
	s := k.Supply(r)
	if overflow || s.Decayed > s.Genesis+s.Minted || sum != s.Genesis+s.Minted-s.Decayed {
		return fmt.Errorf("invariant supply: stored balances sum to %d but genesis %d + minted %d - decayed %d",
			sum, s.Genesis, s.Minted, s.Decayed)
	}
	if misaligned != "" {
		return fmt.Errorf("invariant balance buckets: %s", misaligned)
	}
	var err error
	matched := 0
	k.IterateBuckets(r, func(b BalanceBucket) bool {
		want, ok := days[b.Day]
		if !ok {
			err = fmt.Errorf("invariant balance buckets: a bucket of day %d (%d uhour in %d accounts) is stored but no funded account is stated as of that day",
				b.Day, b.Balance, b.Accounts)
			return false
		}
		if b.Balance != want.balance || b.Accounts != want.accounts {
			err = fmt.Errorf("invariant balance buckets: bucket of day %d holds %d uhour in %d accounts, the accounts of that day %d in %d",
				b.Day, b.Balance, b.Accounts, want.balance, want.accounts)
			return false
		}
		matched++
		return true
	})
	if err == nil && matched != len(days) {
		err = fmt.Errorf("invariant balance buckets: funded accounts are stated as of %d days, but only %d of those days have a bucket", len(days), matched)
	}
	return err
}
