package api

import (
	"time"

	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

type categoryView struct {
	Category       string `json:"category"`
	VerifiedUhours uint64 `json:"verified_uhours"`
	VerifiedHours  string `json:"verified_hours"`
	VerifiedClaims uint64 `json:"verified_claims"`
}

func categoryViews(stats []*claims.CategoryStat) []categoryView {
	out := []categoryView{}
	for _, c := range stats {
		out = append(out, categoryView{c.Category, c.VerifiedUhours, core.FormatHours(c.VerifiedUhours), c.VerifiedClaims})
	}
	return out
}

type claimCounts struct {
	Pending  uint64 `json:"pending"`
	Verified uint64 `json:"verified"`
	Rejected uint64 `json:"rejected"`
	Reversed uint64 `json:"reversed"`
}

type supplyView struct {
	Height           int64    `json:"height"`
	BlockTime        jsonTime `json:"block_time"`
	Genesis          uint64   `json:"genesis"`
	Minted           uint64   `json:"minted"`
	Decayed          uint64   `json:"decayed"`
	Circulating      uint64   `json:"circulating"` // balances with pending demurrage applied at block_time
	GenesisHours     string   `json:"genesis_hours"`
	MintedHours      string   `json:"minted_hours"`
	DecayedHours     string   `json:"decayed_hours"`
	CirculatingHours string   `json:"circulating_hours"`
	// PendingDecay is demurrage accrued but not yet realised: genesis + minted - decayed - circulating.
	PendingDecay      uint64 `json:"pending_decay"`
	PendingDecayHours string `json:"pending_decay_hours"`
	// CirculatingRounding bounds how far circulating may exceed the exact sum of account balances.
	CirculatingRounding uint64 `json:"circulating_rounding"`
	// Reversed is what reversed claims had minted; Burned what reversals burned (from balances at
	// once, or later as debt was paid); OutstandingDebt the rest: reversed = burned + outstanding_debt.
	Burned               uint64         `json:"burned"`
	BurnedHours          string         `json:"burned_hours"`
	Reversed             uint64         `json:"reversed"`
	ReversedHours        string         `json:"reversed_hours"`
	OutstandingDebt      uint64         `json:"outstanding_debt"`
	OutstandingDebtHours string         `json:"outstanding_debt_hours"`
	Members              uint64         `json:"members"` // active, not suspended
	Candidates           uint64         `json:"candidates"`
	Suspended            uint64         `json:"suspended"`
	Claims               claimCounts    `json:"claims"`
	Categories           []categoryView `json:"categories"`
}

// supply answers /supply with the app's supply statistics (design §2).
func (s *Server) supply(q *request) (any, error) {
	sp := s.app.Supply(q.view, q.time)
	return supplyView{Height: q.height, BlockTime: jsonTime(q.time),
		Genesis: sp.Genesis, Minted: sp.Minted, Decayed: sp.Decayed, Circulating: sp.Circulating,
		GenesisHours: core.FormatHours(sp.Genesis), MintedHours: core.FormatHours(sp.Minted),
		DecayedHours: core.FormatHours(sp.Decayed), CirculatingHours: core.FormatHours(sp.Circulating),
		PendingDecay: sp.PendingDecay, PendingDecayHours: core.FormatHours(sp.PendingDecay), CirculatingRounding: sp.CirculatingRounding,
		Burned: sp.Burned, BurnedHours: core.FormatHours(sp.Burned), Reversed: sp.Reversed, ReversedHours: core.FormatHours(sp.Reversed),
		OutstandingDebt: sp.OutstandingDebt, OutstandingDebtHours: core.FormatHours(sp.OutstandingDebt),
		Members: sp.Members, Candidates: sp.Candidates, Suspended: sp.Suspended,
		Claims:     claimCounts{sp.ClaimsPending, sp.ClaimsVerified, sp.ClaimsRejected, sp.ClaimsReversed},
		Categories: categoryViews(sp.Categories)}, nil
}

type daySupplyView struct {
	Day          string `json:"day"` // YYYY-MM-DD (UTC, block time)
	Minted       uint64 `json:"minted"`
	Decayed      uint64 `json:"decayed"`
	Burned       uint64 `json:"burned"` // by reversals, at once or as debt was paid
	MintedHours  string `json:"minted_hours"`
	DecayedHours string `json:"decayed_hours"`
	BurnedHours  string `json:"burned_hours"`
	// Circulating is the supply at the end of the day: genesis plus everything minted, minus
	// everything decayed and burned, up to and including this day.
	Circulating uint64 `json:"circulating"`
}

type supplyHistoryView struct {
	Height int64           `json:"height"`
	Days   []daySupplyView `json:"days"`
}

// supplyHistory answers /supply/history: the bank's per-day minted, decayed and burned series,
// oldest day first, with the running circulating supply.
func (s *Server) supplyHistory(q *request) (any, error) {
	out := supplyHistoryView{Height: q.height, Days: []daySupplyView{}}
	circulating := q.k.Bank.Supply(q.view).Genesis
	q.k.Bank.IterateDaySupply(q.view, func(d bank.DaySupply) bool {
		circulating = circulating + d.Minted - d.Decayed - d.Burned
		out.Days = append(out.Days, daySupplyView{Day: dayString(d.Day), Minted: d.Minted, Decayed: d.Decayed, Burned: d.Burned,
			MintedHours: core.FormatHours(d.Minted), DecayedHours: core.FormatHours(d.Decayed), BurnedHours: core.FormatHours(d.Burned),
			Circulating: circulating})
		return true
	})
	return out, nil
}

// dayString writes days since the unix epoch as a date.
func dayString(day int64) string {
	return time.Unix(day*bank.SecondsPerDay, 0).UTC().Format(time.DateOnly)
}
