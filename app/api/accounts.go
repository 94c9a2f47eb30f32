package api

import "github.com/commonsledger/commons/x/core"

type accountView struct {
	Address      string      `json:"address"`
	Balance      uint64      `json:"balance"` // uhour, demurrage applied up to the block time
	BalanceHours string      `json:"balance_hours"`
	BalanceAsOf  jsonTime    `json:"balance_as_of"`
	Sequence     uint64      `json:"sequence"`
	Height       int64       `json:"height"`
	BlockTime    jsonTime    `json:"block_time"`
	Member       *memberView `json:"member"`
}

// account answers /accounts/{address}: the balance as of the latest block time (pending demurrage
// applied, as the chain would on the next touch), the sequence, and the member record if any.
func (s *Server) account(q *request) (any, error) {
	addr, err := parseAddress("address", q.r.PathValue("address"))
	if err != nil {
		return nil, err
	}
	acc, ok := q.k.Bank.AccountAt(q.view, addr, q.time)
	m, isMember := q.k.Members.Member(q.view, addr)
	if !ok && !isMember {
		return nil, notFoundf("no account %s; an account appears when the address first receives hours or is vouched for", addr)
	}
	v := accountView{Address: addr.String(), Balance: acc.Balance, BalanceHours: core.FormatHours(acc.Balance),
		BalanceAsOf: jsonTime(acc.BalanceAsOf), Sequence: acc.Sequence, Height: q.height, BlockTime: jsonTime(q.time)}
	if isMember {
		mv := q.member(&m)
		v.Member = &mv
	}
	return v, nil
}
