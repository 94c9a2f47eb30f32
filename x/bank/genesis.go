package bank

import (
	"fmt"

	"github.com/commonsledger/commons/x/core"
)

// DefaultGenesis has default params and no accounts.
func DefaultGenesis() *GenesisState {
	p := DefaultParams()
	return &GenesisState{Params: &p}
}

// Validate checks a genesis state.
func (g *GenesisState) Validate() error {
	if g.Params == nil {
		return ErrInvalidGenesis.Wrapf("params missing")
	}
	if err := g.Params.Validate(); err != nil {
		return ErrInvalidGenesis.Wrapf("%v", err)
	}
	seen := map[string]bool{}
	var total, debts uint64
	for i, a := range g.Accounts {
		addr, err := core.ParseAddress(a.Address)
		if err != nil {
			return ErrInvalidGenesis.Wrapf("account %d: %v", i, err)
		}
		if seen[string(addr)] {
			return ErrInvalidGenesis.Wrapf("account %s listed twice", a.Address)
		}
		seen[string(addr)] = true
		if total > ^uint64(0)-a.Balance {
			return ErrInvalidGenesis.Wrapf("balances overflow")
		}
		total += a.Balance
		if debts > ^uint64(0)-a.Debt {
			return ErrInvalidGenesis.Wrapf("debts overflow")
		}
		debts += a.Debt
	}
	if s := g.Supply; s != nil {
		if s.Genesis > ^uint64(0)-s.Minted || s.Genesis+s.Minted < s.Decayed+s.Burned || s.Decayed > ^uint64(0)-s.Burned ||
			s.Genesis+s.Minted-s.Decayed-s.Burned != total {
			return ErrInvalidGenesis.Wrapf("supply (genesis %d + minted %d - burned %d - decayed %d) does not equal the sum of balances %d",
				s.Genesis, s.Minted, s.Burned, s.Decayed, total)
		}
		if s.OutstandingDebt != debts || s.Burned > ^uint64(0)-s.OutstandingDebt || s.Burned+s.OutstandingDebt != s.Reversed {
			return ErrInvalidGenesis.Wrapf("supply: debts sum to %d, outstanding_debt is %d, burned %d + outstanding_debt must equal reversed %d",
				debts, s.OutstandingDebt, s.Burned, s.Reversed)
		}
	} else if debts > 0 {
		return ErrInvalidGenesis.Wrapf("accounts carry debt but the genesis has no supply totals")
	}
	histories := map[string]bool{}
	for i, h := range g.History {
		if !seen[string(mustAddr(h.Address))] {
			return ErrInvalidGenesis.Wrapf("history %d: %q has no account in this genesis", i, h.Address)
		}
		if histories[h.Address] {
			return ErrInvalidGenesis.Wrapf("history of %s listed twice", h.Address)
		}
		histories[h.Address] = true
		for j, e := range h.Entries {
			if e == nil || e.Seq != uint64(j) {
				return ErrInvalidGenesis.Wrapf("history of %s: entry %d must have seq %d", h.Address, j, j)
			}
		}
	}
	return nil
}

// mustAddr parses an address already validated (or returns nil, which matches no account).
func mustAddr(s string) core.Address {
	a, _ := core.ParseAddress(s)
	return a
}

// InitGenesis writes the genesis state. Accounts are processed in the order listed (deterministic).
func (k Keeper) InitGenesis(ctx *core.Context, g *GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	ctx.KV.Set(paramsKey, core.MustMarshal(g.Params))
	var s Supply
	for _, ga := range g.Accounts {
		addr, _ := core.ParseAddress(ga.Address)
		asOf := ga.BalanceAsOf
		if asOf == 0 {
			asOf = ctx.Time
		}
		asOf = DayStart(asOf) // balances are stated as of a midnight (see DayStart)
		k.SetAccount(ctx.KV, addr, Account{Address: addr.String(), Balance: ga.Balance, Sequence: ga.Sequence, BalanceAsOf: asOf, Debt: ga.Debt})
		s.Genesis += ga.Balance
	}
	for _, h := range g.History {
		addr := mustAddr(h.Address)
		a, _ := k.Account(ctx.KV, addr)
		for _, e := range h.Entries {
			ctx.KV.Set(historyKey(addr, e.Seq), core.MustMarshal(e))
		}
		a.HistoryLen = uint64(len(h.Entries))
		k.SetAccount(ctx.KV, addr, a)
	}
	if g.Supply != nil {
		s = *g.Supply // validated: it accounts for exactly these balances
	}
	k.setSupply(ctx.KV, s)
	return nil
}

// ExportGenesis writes the state as a genesis, with pending demurrage realised as of `now`.
func (k Keeper) ExportGenesis(r core.Reader, now int64) *GenesisState {
	p := k.Params(r)
	g := &GenesisState{Params: &p}
	k.IterateAccounts(r, func(a Account) bool {
		addr, err := core.ParseAddress(a.Address)
		if err != nil {
			panic(fmt.Sprintf("bank: stored account with bad address %q", a.Address))
		}
		a, _ = k.AccountAt(r, addr, now)
		g.Accounts = append(g.Accounts, &GenesisAccount{Address: a.Address, Balance: a.Balance, Sequence: a.Sequence, BalanceAsOf: a.BalanceAsOf, Debt: a.Debt})
		if a.HistoryLen > 0 {
			h := &AccountHistory{Address: a.Address}
			k.IterateHistory(r, addr, func(e HistoryEntry) bool { h.Entries = append(h.Entries, &e); return true })
			g.History = append(g.History, h)
		}
		return true
	})
	// Realising pending decay moved hours out of the balances; the exported totals say so.
	var sum uint64
	for _, a := range g.Accounts {
		sum += a.Balance
	}
	s := k.Supply(r)
	s.Decayed = s.Genesis + s.Minted - s.Burned - sum
	g.Supply = &s
	return g
}
