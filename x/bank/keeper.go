package bank

import (
	"github.com/commonsledger/commons/x/core"
)

// Keeper is the bank's state API. It is stateless itself; all state is in the KV it is given.
type Keeper struct{}

// Params returns the module parameters.
func (Keeper) Params(r core.Reader) Params {
	var p Params
	core.Load(r, ParamsKey, &p)
	return p
}

// Supply returns the supply totals.
func (Keeper) Supply(r core.Reader) Supply {
	var s Supply
	core.Load(r, SupplyKey, &s)
	return s
}

func (Keeper) setSupply(kv core.KV, s Supply) { kv.Set(SupplyKey, core.MustMarshal(&s)) }

// Account returns the stored account record as is (no demurrage applied).
func (Keeper) Account(r core.Reader, addr core.Address) (Account, bool) {
	var a Account
	ok := core.Load(r, AccountKey(addr), &a)
	return a, ok
}

// SetAccount stores an account record.
func (Keeper) SetAccount(kv core.KV, addr core.Address, a Account) {
	kv.Set(AccountKey(addr), core.MustMarshal(&a))
}

// AccountAt returns the account as of block time `now`, with pending demurrage applied in memory
// only. This is what queries show.
func (k Keeper) AccountAt(r core.Reader, addr core.Address, now int64) (Account, bool) {
	a, ok := k.Account(r, addr)
	if !ok {
		return a, false
	}
	days := ElapsedDays(a.BalanceAsOf, now)
	a.Balance, _ = Decay(a.Balance, k.Params(r).DemurragePpmPerYear, days)
	a.BalanceAsOf += int64(days) * SecondsPerDay
	return a, true
}

// touch loads an account and realises its pending demurrage at ctx.Time, recording the decay in
// the supply totals. The caller stores the returned account.
func (k Keeper) touch(ctx *core.Context, addr core.Address) (Account, bool) {
	a, ok := k.Account(ctx.KV, addr)
	if !ok {
		return a, false
	}
	days := ElapsedDays(a.BalanceAsOf, ctx.Time)
	if days == 0 {
		return a, true
	}
	kept, decayed := Decay(a.Balance, k.Params(ctx.KV).DemurragePpmPerYear, days)
	a.Balance = kept
	if kept == 0 {
		a.BalanceAsOf = ctx.Time
	} else {
		a.BalanceAsOf += int64(days) * SecondsPerDay
	}
	if decayed > 0 {
		s := k.Supply(ctx.KV)
		s.Decayed += decayed
		k.setSupply(ctx.KV, s)
		k.addDay(ctx, 0, decayed)
		ctx.Emit("demurrage", "account", a.Address, "decayed", core.Uhour(decayed))
	}
	return a, true
}

// addDay adds to today's minted/decayed series.
func (k Keeper) addDay(ctx *core.Context, minted, decayed uint64) {
	day := ctx.Time / SecondsPerDay
	key := DaySupplyKey(day)
	d := DaySupply{Day: day}
	core.Load(ctx.KV, key, &d)
	d.Minted += minted
	d.Decayed += decayed
	ctx.KV.Set(key, core.MustMarshal(&d))
}

// EnsureAccount creates an empty account for addr if it has none, so that addr can sign txs.
func (k Keeper) EnsureAccount(ctx *core.Context, addr core.Address) {
	if _, ok := k.Account(ctx.KV, addr); ok {
		return
	}
	k.SetAccount(ctx.KV, addr, Account{Address: addr.String(), BalanceAsOf: ctx.Time})
	ctx.Emit("account_created", "address", addr.String())
}

// credit adds amount to addr (creating the account if needed) after realising its demurrage.
func (k Keeper) credit(ctx *core.Context, addr core.Address, amount uint64) error {
	a, ok := k.touch(ctx, addr)
	if !ok {
		a = Account{Address: addr.String(), BalanceAsOf: ctx.Time}
		ctx.Emit("account_created", "address", a.Address)
	}
	if a.Balance > ^uint64(0)-amount {
		return ErrOverflow.Wrapf("crediting %s to %s would overflow its balance", core.FormatAmount(amount), a.Address)
	}
	if a.Balance == 0 {
		a.BalanceAsOf = ctx.Time
	}
	a.Balance += amount
	k.SetAccount(ctx.KV, addr, a)
	return nil
}

// Mint creates amount new micro-hours in addr's account: the only way hours come into existence
// after genesis. The claims module calls it for a VERIFIED claim.
func (k Keeper) Mint(ctx *core.Context, addr core.Address, amount uint64) error {
	s := k.Supply(ctx.KV)
	if s.Minted > ^uint64(0)-amount {
		return ErrOverflow.Wrapf("minting %s would overflow total supply", core.FormatAmount(amount))
	}
	if err := k.credit(ctx, addr, amount); err != nil {
		return err
	}
	s = k.Supply(ctx.KV) // credit may have realised decay
	s.Minted += amount
	k.setSupply(ctx.KV, s)
	k.addDay(ctx, amount, 0)
	ctx.Emit("mint", "recipient", addr.String(), "amount", core.Uhour(amount))
	return nil
}

// IterateAccounts calls fn for every stored account in address order.
func (Keeper) IterateAccounts(r core.Reader, fn func(Account) bool) {
	core.IteratePrefix(r, AccountPrefix, false, func(_, v []byte) bool {
		var a Account
		core.MustUnmarshal(v, &a)
		return fn(a)
	})
}
