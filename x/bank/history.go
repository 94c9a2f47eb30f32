package bank

import (
	"github.com/commonsledger/commons/x/core"
)

// MaxHistoryPage is the most history entries one query returns.
const MaxHistoryPage = 200

// addEntry appends e to addr's history, stamped with the block, the tx and a's balance and debt
// after it. a is the account as the caller is about to store it; addEntry advances its
// history_len, so the caller must store a afterwards.
func (Keeper) addEntry(ctx *core.Context, addr core.Address, a *Account, e HistoryEntry) {
	e.Seq = a.HistoryLen
	e.Height, e.Time = ctx.Height, ctx.Time
	if len(ctx.TxHash) > 0 {
		e.TxHash = append([]byte(nil), ctx.TxHash...)
	}
	e.Balance, e.Debt = a.Balance, a.Debt
	// Created, not set: addr's entries are exactly 0..HistoryLen-1 (invariant history), so this
	// key has no value yet and the app hash need not look for one.
	core.Create(ctx.KV, historyKey(addr, e.Seq), core.MustMarshal(&e))
	a.HistoryLen++
}

// History returns a page of addr's history, newest first: at most limit entries (0: 50, capped at
// MaxHistoryPage) after skipping offset, and the total number of entries. It reads only the
// entries it returns.
func (k Keeper) History(r core.Reader, addr core.Address, offset, limit uint64) ([]*HistoryEntry, uint64) {
	a, ok := k.Account(r, addr)
	if !ok || offset >= a.HistoryLen {
		return []*HistoryEntry{}, a.HistoryLen
	}
	if limit == 0 {
		limit = 50
	}
	limit = min(limit, MaxHistoryPage)
	out := []*HistoryEntry{}
	r.Iterate(historyKey(addr, 0), historyKey(addr, a.HistoryLen-offset), true, func(_, v []byte) bool {
		var e HistoryEntry
		core.MustUnmarshal(v, &e)
		out = append(out, &e)
		return uint64(len(out)) < limit
	})
	return out, a.HistoryLen
}

// IterateHistory calls fn for every history entry of addr, oldest first.
func (Keeper) IterateHistory(r core.Reader, addr core.Address, fn func(HistoryEntry) bool) {
	core.IteratePrefix(r, historyOf(addr), false, func(_, v []byte) bool {
		var e HistoryEntry
		core.MustUnmarshal(v, &e)
		return fn(e)
	})
}

// EntryKindName is the lower-case name of an entry kind: "mint", "burn", "debt", "debt_paid",
// "transfer_in", "transfer_out", "decay".
func EntryKindName(k EntryKind) string { return core.EnumName(k, "ENTRY_KIND_") }
