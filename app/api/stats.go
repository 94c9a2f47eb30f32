package api

import (
	"strconv"

	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

type categoriesView struct {
	Height     int64          `json:"height"`
	Claims     claimCounts    `json:"claims"`
	Categories []categoryView `json:"categories"`
}

// categories answers /stats/categories: verified hours and claims per category (configured ones in
// params order, zeros included, then any other; reversed claims no longer count) and claims per
// status.
func (s *Server) categories(q *request) (any, error) {
	st := q.k.Claims.QueryStats(q.view)
	return categoriesView{Height: q.height, Claims: claimCounts{st.Pending, st.Verified, st.Rejected, st.Reversed},
		Categories: categoryViews(st.Categories)}, nil
}

// Bounds of /stats/daily?days=.
const (
	defaultDailyDays = 30
	maxDailyDays     = 366
)

type dailySeries struct {
	Category    string   `json:"category"`
	Uhours      []uint64 `json:"uhours"` // one per day of Days
	TotalUhours uint64   `json:"total_uhours"`
	TotalHours  string   `json:"total_hours"`
}

type dailyView struct {
	Height int64         `json:"height"`
	Days   []string      `json:"days"` // YYYY-MM-DD, oldest first, ending with the latest block's day
	Series []dailySeries `json:"series"`
}

// dailyStats answers /stats/daily: hours minted per day and category over the last ?days= days,
// from VERIFIED claims by the day they were finalised (the day their hours were minted).
func (s *Server) dailyStats(q *request) (any, error) {
	days := defaultDailyDays
	if raw := q.param("days"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxDailyDays {
			return nil, badRequest("days %q is out of range; use 1 to %d", raw, maxDailyDays)
		}
		days = n
	}
	c := &s.daily
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.out != nil && c.height == q.height && c.days == days {
		return c.out, nil
	}
	out := computeDaily(q, days)
	c.height, c.days, c.out = q.height, days, out
	return out, nil
}

// computeDaily reads the module's per-day, per-category VERIFIED totals (claims.Keeper.IterateDaily,
// kept at finalisation) for the days asked: days × categories small records, whatever the number
// of claims. dailyStats caches it per height.
func computeDaily(q *request, days int) *dailyView {
	out := &dailyView{Height: q.height, Days: []string{}, Series: []dailySeries{}}
	if q.height == 0 {
		return out
	}
	last := q.time / bank.SecondsPerDay
	first := last - int64(days) + 1
	for d := first; d <= last; d++ {
		out.Days = append(out.Days, dayString(d))
	}
	index := map[string]int{}
	add := func(cat string) int {
		if i, ok := index[cat]; ok {
			return i
		}
		index[cat] = len(out.Series)
		out.Series = append(out.Series, dailySeries{Category: cat, Uhours: make([]uint64, days)})
		return index[cat]
	}
	for _, cat := range q.k.Claims.Params(q.view).Categories {
		add(cat)
	}
	q.k.Claims.IterateDaily(q.view, first, last, func(d int64, st claims.CategoryStat) bool {
		s := &out.Series[add(st.Category)]
		s.Uhours[d-first] += st.VerifiedUhours
		return true
	})
	for i := range out.Series {
		s := &out.Series[i]
		for _, u := range s.Uhours {
			s.TotalUhours += u
		}
		s.TotalHours = core.FormatHours(s.TotalUhours)
	}
	return out
}
