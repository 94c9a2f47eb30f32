package bank

import (
	"fmt"

	"github.com/commonsledger/commons/x/core"
)

// CheckInvariants verifies the bank's invariants over one version of state by reading every
// account and bucket (for tests and `commonsd debug invariants`, not for block execution):
//
//   - supply: the sum of stored balances equals genesis + minted − burned − decayed (realised
//     decay); the accounts' debts sum to outstanding_debt, and burned + outstanding_debt equals
//     reversed (every reversed hour is burned or owed);
//   - history: each account has exactly history_len entries, numbered 0…history_len−1, and its
//     last entry states its stored debt;
//   - balance buckets: every funded account is stated as of a UTC midnight, and each stored bucket
//     holds exactly the sum and count of the stored balances of its day; no other bucket exists.
//
// It returns the first violation found.
func (k Keeper) CheckInvariants(r core.Reader) error {
	var sum, debts uint64
	overflow := false
	var histErr error
	type agg struct{ balance, accounts uint64 }
	days := map[int64]agg{}
	var misaligned string
	k.IterateAccounts(r, func(a Account) bool {
		if sum > ^uint64(0)-a.Balance {
			overflow = true
			return false
		}
		sum += a.Balance
		debts += a.Debt
		if histErr == nil {
			histErr = k.checkHistory(r, a)
		}
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
	if overflow || s.Decayed+s.Burned > s.Genesis+s.Minted || sum != s.Genesis+s.Minted-s.Burned-s.Decayed {
		return fmt.Errorf("invariant supply: stored balances sum to %d but genesis %d + minted %d - burned %d - decayed %d",
			sum, s.Genesis, s.Minted, s.Burned, s.Decayed)
	}
	if debts != s.OutstandingDebt || s.Burned+s.OutstandingDebt != s.Reversed {
		return fmt.Errorf("invariant debt: debts sum to %d, outstanding_debt %d, burned %d + outstanding_debt should equal reversed %d",
			debts, s.OutstandingDebt, s.Burned, s.Reversed)
	}
	if histErr != nil {
		return histErr
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

// checkHistory checks that a's history entries are exactly 0…history_len−1 and that the last one
// states a's debt (its balance may since have decayed without an entry).
func (k Keeper) checkHistory(r core.Reader, a Account) error {
	addr, err := core.ParseAddress(a.Address)
	if err != nil {
		return fmt.Errorf("invariant history: account with bad address %q", a.Address)
	}
	var n uint64
	var last HistoryEntry
	k.IterateHistory(r, addr, func(e HistoryEntry) bool {
		if e.Seq != n {
			err = fmt.Errorf("invariant history: %s entry %d has seq %d", a.Address, n, e.Seq)
			return false
		}
		n++
		last = e
		return true
	})
	if err != nil {
		return err
	}
	if n != a.HistoryLen {
		return fmt.Errorf("invariant history: %s has %d entries but history_len %d", a.Address, n, a.HistoryLen)
	}
	if n > 0 && last.Debt != a.Debt {
		return fmt.Errorf("invariant history: %s's last entry states debt %d, the account %d", a.Address, last.Debt, a.Debt)
	}
	return nil
}
