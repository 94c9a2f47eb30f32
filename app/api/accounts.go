package api

import (
	"encoding/hex"
	"strings"

	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

type accountView struct {
	Address      string   `json:"address"`
	Balance      uint64   `json:"balance"` // uhour, demurrage applied up to the block time
	BalanceHours string   `json:"balance_hours"`
	BalanceAsOf  jsonTime `json:"balance_as_of"`
	// Debt is what reversals of the account's claims could not burn (uhour); the account's next
	// mints pay it first. It does not decay.
	Debt      uint64 `json:"debt"`
	DebtHours string `json:"debt_hours"`
	Sequence  uint64 `json:"sequence"`
	// HistoryEntries counts the entries of /accounts/{address}/history.
	HistoryEntries uint64      `json:"history_entries"`
	Height         int64       `json:"height"`
	BlockTime      jsonTime    `json:"block_time"`
	Member         *memberView `json:"member"`
}

// account answers /accounts/{address}: the balance as of the latest block time (pending demurrage
// applied, as the chain would on the next touch), the debt, the sequence, and the member record if
// any.
func (s *Server) account(q *request) (any, error) {
	addr, err := parseAddress("address", q.r.PathValue("address"))
	if err != nil {
		return nil, err
	}
	acc, ok := q.k.Bank.AccountAt(q.view, addr, q.time)
	m, isMember := q.k.Members.Member(q.view, addr)
	if !ok && !isMember {
		return nil, noAccount(addr)
	}
	v := accountView{Address: addr.String(), Balance: acc.Balance, BalanceHours: core.FormatHours(acc.Balance),
		BalanceAsOf: jsonTime(acc.BalanceAsOf), Debt: acc.Debt, DebtHours: core.FormatHours(acc.Debt), Sequence: acc.Sequence,
		HistoryEntries: acc.HistoryLen, Height: q.height, BlockTime: jsonTime(q.time)}
	if isMember {
		mv := q.member(&m)
		v.Member = &mv
	}
	return v, nil
}

func noAccount(addr core.Address) error {
	return notFoundf("no account %s; an account appears when the address first receives hours or is vouched for", addr)
}

// historyEntryView is one movement of an account's balance or debt, with what caused it: a claim
// (mint, burn, debt, debt_paid) or a tx (transfer_in, transfer_out), or neither (decay).
type historyEntryView struct {
	Seq          uint64   `json:"seq"`
	Kind         string   `json:"kind"` // mint | burn | debt | debt_paid | transfer_in | transfer_out | decay
	Amount       uint64   `json:"amount"`
	AmountHours  string   `json:"amount_hours"`
	Counterparty *ref     `json:"counterparty"`       // transfers; null otherwise
	ClaimID      uint64   `json:"claim_id,omitempty"` // mints, burns and debt
	TxHash       string   `json:"tx_hash,omitempty"`  // upper-case hex; absent for end-of-block work
	Height       int64    `json:"height"`
	Time         jsonTime `json:"time"`
	Balance      uint64   `json:"balance"` // after this entry
	BalanceHours string   `json:"balance_hours"`
	Debt         uint64   `json:"debt"` // after this entry
	DebtHours    string   `json:"debt_hours"`
}

// history answers /accounts/{address}/history: the bank's record of what moved the account, newest
// first. The bank reads only the page asked for.
func (s *Server) history(q *request) (any, error) {
	limit, offset, err := q.page()
	if err != nil {
		return nil, err
	}
	addr, err := parseAddress("address", q.r.PathValue("address"))
	if err != nil {
		return nil, err
	}
	if _, ok := q.k.Bank.Account(q.view, addr); !ok {
		if _, isMember := q.k.Members.Member(q.view, addr); !isMember {
			return nil, noAccount(addr)
		}
	}
	entries, total := q.k.Bank.History(q.view, addr, offset, limit)
	out := listView[historyEntryView]{Total: total, Offset: offset, Limit: limit, Items: []historyEntryView{}}
	for _, e := range entries {
		out.Items = append(out.Items, q.historyEntry(e))
	}
	return out, nil
}

func (q *request) historyEntry(e *bank.HistoryEntry) historyEntryView {
	v := historyEntryView{Seq: e.Seq, Kind: bank.EntryKindName(e.Kind), Amount: e.Amount, AmountHours: core.FormatHours(e.Amount),
		ClaimID: e.ClaimId, Height: e.Height, Time: jsonTime(e.Time), Balance: e.Balance, BalanceHours: core.FormatHours(e.Balance),
		Debt: e.Debt, DebtHours: core.FormatHours(e.Debt)}
	if e.Counterparty != "" {
		r := q.ref(e.Counterparty)
		v.Counterparty = &r
	}
	if len(e.TxHash) > 0 {
		v.TxHash = strings.ToUpper(hex.EncodeToString(e.TxHash))
	}
	return v
}
