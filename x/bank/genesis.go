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
	var total uint64
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
	}
	if s := g.Supply; s != nil {
		if s.Genesis > ^uint64(0)-s.Minted || s.Genesis+s.Minted < s.Decayed || s.Genesis+s.Minted-s.Decayed != total {
			return ErrInvalidGenesis.Wrapf("supply (genesis %d + minted %d - decayed %d) does not equal the sum of balances %d",
				s.Genesis, s.Minted, s.Decayed, total)
		}
	}
	return nil
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
		k.SetAccount(ctx.KV, addr, Account{Address: addr.String(), Balance: ga.Balance, Sequence: ga.Sequence, BalanceAsOf: asOf})
		s.Genesis += ga.Balance
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
		g.Accounts = append(g.Accounts, &GenesisAccount{Address: a.Address, Balance: a.Balance, Sequence: a.Sequence, BalanceAsOf: a.BalanceAsOf})
		return true
	})
	// Realising pending decay moved hours out of the balances; the exported totals say so.
	var sum uint64
	for _, a := range g.Accounts {
		sum += a.Balance
	}
	s := k.Supply(r)
	s.Decayed = s.Genesis + s.Minted - sum
	g.Supply = &s
	return g
}
