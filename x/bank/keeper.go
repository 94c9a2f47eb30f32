package bank

import (
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// Keeper is the bank's state API. It is stateless itself; all state is in the KV it is given.
type Keeper struct{}

// SetParams validates p and stores it (a passed params proposal).
func (Keeper) SetParams(kv core.KV, p Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	kv.Set(paramsKey, core.MustMarshal(&p))
	return nil
}

// Params returns the module parameters.
func (Keeper) Params(r core.Reader) Params {
	var p Params
	core.Load(r, paramsKey, &p)
	return p
}

// Supply returns the supply totals.
func (Keeper) Supply(r core.Reader) Supply {
	var s Supply
	core.Load(r, supplyKey, &s)
	return s
}

func (Keeper) setSupply(kv core.KV, s Supply) { kv.Set(supplyKey, core.MustMarshal(&s)) }

// Account returns the stored account record as is (no demurrage applied).
func (Keeper) Account(r core.Reader, addr core.Address) (Account, bool) {
	var a Account
	ok := core.Load(r, accountKey(addr), &a)
	return a, ok
}

// SetAccount stores an account record and moves its balance between the balance buckets (see
// BalanceBucket): one read of the old record and at most two bucket writes, so a block's cost stays
// proportional to the accounts it touches.
//
// Accounts are never deleted, not even when demurrage has brought their balance to 0: the sequence
// must persist, or a signed tx of the old account could be replayed once it is funded again.
func (k Keeper) SetAccount(kv core.KV, addr core.Address, a Account) {
	old, _ := k.Account(kv, addr) // the zero Account when there is none
	k.setAccount(kv, addr, old, a)
}

// setAccount is SetAccount for a caller that holds the record stored at addr now (old; the zero
// Account if none), so that it is not read and decoded again.
func (k Keeper) setAccount(kv core.KV, addr core.Address, old, a Account) {
	k.rebucket(kv, old, a)
	kv.Set(accountKey(addr), core.MustMarshal(&a))
}

// BumpSequence advances addr's sequence past the tx it signed. Only the sequence changes, so no
// balance bucket moves (rebucket would do nothing): one read and one write.
func (k Keeper) BumpSequence(kv core.KV, addr core.Address) {
	a, _ := k.Account(kv, addr)
	a.Sequence++
	kv.Set(accountKey(addr), core.MustMarshal(&a))
}

// Bucket returns the balance bucket of day (zero if none is stored).
func (Keeper) Bucket(r core.Reader, day int64) BalanceBucket {
	b := BalanceBucket{Day: day}
	core.Load(r, bucketKey(day), &b)
	return b
}

// IterateBuckets calls fn for every stored balance bucket, oldest day first.
func (Keeper) IterateBuckets(r core.Reader, fn func(BalanceBucket) bool) {
	core.IteratePrefix(r, bucketPrefix, false, func(_, v []byte) bool {
		var b BalanceBucket
		core.MustUnmarshal(v, &b)
		return fn(b)
	})
}

// IterateDaySupply calls fn for every day's minted and decayed totals, oldest day first.
func (Keeper) IterateDaySupply(r core.Reader, fn func(DaySupply) bool) {
	core.IteratePrefix(r, daySupplyPrefix, false, func(_, v []byte) bool {
		var d DaySupply
		core.MustUnmarshal(v, &d)
		return fn(d)
	})
}

// rebucket moves an account's stored balance from the bucket of old to the bucket of new.
func (k Keeper) rebucket(kv core.KV, old, new Account) {
	od, nd := Day(old.BalanceAsOf), Day(new.BalanceAsOf)
	if old.Balance == new.Balance && (old.Balance == 0 || od == nd) {
		return // only the sequence (or a zero balance's date) changed
	}
	if old.Balance > 0 && new.Balance > 0 && od == nd {
		b := k.Bucket(kv, od)
		b.Balance = b.Balance - old.Balance + new.Balance
		kv.Set(bucketKey(od), core.MustMarshal(&b))
		return
	}
	if old.Balance > 0 {
		b := k.Bucket(kv, od)
		b.Balance -= old.Balance
		b.Accounts--
		if b.Accounts == 0 && b.Balance == 0 {
			kv.Delete(bucketKey(od))
		} else {
			kv.Set(bucketKey(od), core.MustMarshal(&b))
		}
	}
	if new.Balance > 0 {
		b := k.Bucket(kv, nd)
		b.Balance += new.Balance
		b.Accounts++
		kv.Set(bucketKey(nd), core.MustMarshal(&b))
	}
}

// Circulating returns the micro-hours that exist at block time now: every stored balance with its
// pending demurrage applied. It reads one balance bucket per day on which some funded account was
// last touched, never the accounts.
//
// Every account of a bucket has the same whole days of decay pending (balances are stated as of a
// UTC midnight, see DayStart), so the bucket decays with the same retention factor r as each of its
// accounts: kept_i = floor(b_i·r). The bucket's floor(Σb_i·r) exceeds Σ floor(b_i·r) by less than
// its number of accounts, so circulating exceeds the exact sum of the accounts' balances by at most
// rounding = Σ (accounts − 1) over the buckets, and never falls below it.
func (k Keeper) Circulating(r core.Reader, now int64) (circulating, rounding uint64) {
	ppm := k.Params(r).DemurragePpmPerYear
	k.IterateBuckets(r, func(b BalanceBucket) bool {
		days := ElapsedDays(b.Day*SecondsPerDay, now)
		kept, _ := Decay(b.Balance, ppm, days)
		circulating += kept
		if days > 0 && ppm > 0 && b.Accounts > 1 {
			rounding += b.Accounts - 1
		}
		return true
	})
	return circulating, rounding
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
// the supply totals and the account's history. The caller stores the returned account (a), with
// setAccount given stored, the record as it is stored (the zero Account when there is none).
func (k Keeper) touch(ctx *core.Context, addr core.Address) (a, stored Account, ok bool) {
	stored, ok = k.Account(ctx.KV, addr)
	a = stored
	if !ok {
		return a, stored, false
	}
	days := ElapsedDays(a.BalanceAsOf, ctx.Time)
	if days == 0 {
		return a, stored, true
	}
	kept, decayed := Decay(a.Balance, k.Params(ctx.KV).DemurragePpmPerYear, days)
	a.Balance = kept
	if kept == 0 {
		a.BalanceAsOf = DayStart(ctx.Time)
	} else {
		a.BalanceAsOf += int64(days) * SecondsPerDay
	}
	if decayed > 0 {
		s := k.Supply(ctx.KV)
		s.Decayed += decayed
		k.setSupply(ctx.KV, s)
		k.addDay(ctx, DaySupply{Decayed: decayed})
		k.addEntry(ctx, addr, &a, HistoryEntry{Kind: EntryKind_ENTRY_KIND_DECAY, Amount: decayed})
		ctx.Emit("demurrage", "account", a.Address, "decayed", core.Uhour(decayed))
	}
	return a, stored, true
}

// addDay adds to today's minted/decayed/burned series.
func (k Keeper) addDay(ctx *core.Context, add DaySupply) {
	day := ctx.Time / SecondsPerDay
	key := daySupplyKey(day)
	d := DaySupply{Day: day}
	core.Load(ctx.KV, key, &d)
	d.Minted += add.Minted
	d.Decayed += add.Decayed
	d.Burned += add.Burned
	ctx.KV.Set(key, core.MustMarshal(&d))
}

// EnsureAccount creates an empty account for addr if it has none, so that addr can sign txs.
func (k Keeper) EnsureAccount(ctx *core.Context, addr core.Address) {
	if _, ok := k.Account(ctx.KV, addr); ok {
		return
	}
	k.SetAccount(ctx.KV, addr, Account{Address: addr.String(), BalanceAsOf: DayStart(ctx.Time)})
	ctx.Emit("account_created", "address", addr.String())
}

// credit adds amount to addr (creating the account if needed) after realising its demurrage,
// records it in addr's history as entry e (whose amount it sets) and returns the account, stored.
func (k Keeper) credit(ctx *core.Context, addr core.Address, amount uint64, e HistoryEntry) (Account, error) {
	a, stored, ok := k.touch(ctx, addr)
	if !ok {
		a = Account{Address: addr.String(), BalanceAsOf: DayStart(ctx.Time)}
		ctx.Emit("account_created", "address", a.Address)
	}
	if a.Balance > ^uint64(0)-amount {
		return a, ErrOverflow.Wrapf("crediting %s to %s would overflow its balance", core.FormatAmount(amount), a.Address)
	}
	if a.Balance == 0 {
		a.BalanceAsOf = DayStart(ctx.Time)
	}
	a.Balance += amount
	e.Amount = amount
	k.addEntry(ctx, addr, &a, e)
	k.setAccount(ctx.KV, addr, stored, a)
	return a, nil
}

// Mint creates amount new micro-hours in addr's account for VERIFIED claim claimID: the only way
// hours come into existence after genesis. If the account owes debt from reversed claims, the new
// hours pay it first (they are burned at once, up to the debt).
func (k Keeper) Mint(ctx *core.Context, addr core.Address, amount, claimID uint64) error {
	s := k.Supply(ctx.KV)
	if s.Minted > ^uint64(0)-amount {
		return ErrOverflow.Wrapf("minting %s would overflow total supply", core.FormatAmount(amount))
	}
	a, err := k.credit(ctx, addr, amount, HistoryEntry{Kind: EntryKind_ENTRY_KIND_MINT, ClaimId: claimID})
	if err != nil {
		return err
	}
	claim := strconv.FormatUint(claimID, 10)
	s = k.Supply(ctx.KV) // credit may have realised decay
	s.Minted += amount
	ctx.Emit("mint", "recipient", addr.String(), "amount", core.Uhour(amount), "claim_id", claim)
	day := DaySupply{Minted: amount}
	if pay := min(a.Debt, amount); pay > 0 {
		a.Balance -= pay
		a.Debt -= pay
		s.Burned += pay
		s.OutstandingDebt -= pay
		day.Burned = pay
		k.addEntry(ctx, addr, &a, HistoryEntry{Kind: EntryKind_ENTRY_KIND_DEBT_PAID, Amount: pay, ClaimId: claimID})
		k.SetAccount(ctx.KV, addr, a)
		ctx.Emit("debt_paid", "account", addr.String(), "amount", core.Uhour(pay), "claim_id", claim,
			"debt", core.Uhour(a.Debt))
	}
	k.setSupply(ctx.KV, s)
	k.addDay(ctx, day)
	return nil
}

// Burn undoes amount micro-hours minted by claim claimID, now reversed: it burns them from addr's
// balance (after realising its demurrage) as far as the balance reaches, and records the rest as
// addr's debt, which its future mints pay first. It returns what was burned now and what became
// debt.
func (k Keeper) Burn(ctx *core.Context, addr core.Address, amount, claimID uint64) (burned, debt uint64, err error) {
	a, stored, ok := k.touch(ctx, addr)
	if !ok {
		a = Account{Address: addr.String(), BalanceAsOf: DayStart(ctx.Time)}
	}
	burned = min(a.Balance, amount)
	debt = amount - burned
	s := k.Supply(ctx.KV)
	if a.Debt > ^uint64(0)-debt || s.Reversed > ^uint64(0)-amount {
		return 0, 0, ErrOverflow.Wrapf("reversing %s would overflow the debt", core.FormatAmount(amount))
	}
	claim := strconv.FormatUint(claimID, 10)
	a.Balance -= burned
	if burned > 0 {
		k.addEntry(ctx, addr, &a, HistoryEntry{Kind: EntryKind_ENTRY_KIND_BURN, Amount: burned, ClaimId: claimID})
		ctx.Emit("burn", "account", addr.String(), "amount", core.Uhour(burned), "claim_id", claim)
	}
	if debt > 0 {
		a.Debt += debt
		k.addEntry(ctx, addr, &a, HistoryEntry{Kind: EntryKind_ENTRY_KIND_DEBT, Amount: debt, ClaimId: claimID})
		ctx.Emit("debt", "account", addr.String(), "amount", core.Uhour(debt), "claim_id", claim, "debt", core.Uhour(a.Debt))
	}
	k.setAccount(ctx.KV, addr, stored, a)
	s.Burned += burned
	s.Reversed += amount
	s.OutstandingDebt += debt
	k.setSupply(ctx.KV, s)
	k.addDay(ctx, DaySupply{Burned: burned})
	return burned, debt, nil
}

// IterateAccounts calls fn for every stored account in address order.
func (Keeper) IterateAccounts(r core.Reader, fn func(Account) bool) {
	core.IteratePrefix(r, accountPrefix, false, func(_, v []byte) bool {
		var a Account
		core.MustUnmarshal(v, &a)
		return fn(a)
	})
}
