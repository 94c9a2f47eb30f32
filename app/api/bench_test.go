package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
)

// BenchmarkEndpoints measures API latency over loopback HTTP with 10,000 and with 100,000 claims in
// state and reports, per endpoint, the p50 and p99 of each size and the ratio of the p50s. The two
// ledgers are built first and each iteration requests the endpoint from both, one after the
// other, so that a busy machine's load falls on both sizes alike. Both ledgers have the same shape
// (benchLedger): 100 claims per founder per round over 10 rounds, every founder on the same time
// line, so the 100,000-claim ledger is 10× as dense in time and every category or time filter
// below matches 10× as many claims there. Both submit each round's claims in the same number of
// blocks (5), so that their stores hold as many versions of each rewritten key (a counter written
// by 5 blocks has 5 versions until compaction, and an iteration over it skips them): the two
// differ in claims only.
// Run: go test ./app/api -run '^$' -bench Endpoints -benchtime 2000x
func BenchmarkEndpoints(b *testing.B) {
	small := benchLedger(b, 10, 10, 100, 5)
	large := benchLedger(b, 100, 10, 100, 5)
	member := small.founders[3].Addr.String() // founder03 has 1,000 claims in both
	cases := []struct{ name, path string }{
		{"claims/latest", "/api/v1/claims"},
		{"claims/verified-page-50", "/api/v1/claims?status=verified&offset=1000&limit=20"},
		{"claims/claimant", "/api/v1/claims?claimant=" + member},
		{"claims/category", "/api/v1/claims?category=care"},
		{"claims/category-page-20", "/api/v1/claims?category=care&offset=1000&limit=50"},
		{"claims/category-and-status", "/api/v1/claims?category=care&status=verified"},
		{"claims/time-day", "/api/v1/claims?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z"},
		{"claims/time-hours", "/api/v1/claims?from=2026-11-01T06:30:17Z&to=2026-11-01T17:45:03Z"},
		{"claims/time-from", "/api/v1/claims?from=2026-10-01T00:00:00Z"},
		{"claims/category-and-time", "/api/v1/claims?category=care&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z"},
		{"claims/category-and-time-hours", "/api/v1/claims?category=care&from=2026-11-01T06:30:17Z&to=2026-11-01T17:45:03Z"},
		{"claims/one", "/api/v1/claims/4321"},
		{"accounts", "/api/v1/accounts/" + member},
		{"members/one", "/api/v1/members/" + member},
		{"supply", "/api/v1/supply"},
		{"stats/daily", "/api/v1/stats/daily"},
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	get := func(b *testing.B, url string) time.Duration {
		start := time.Now()
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("GET %s: %d", url, resp.StatusCode)
		}
		return time.Since(start)
	}
	pct := func(lat []time.Duration, p int) float64 {
		return float64(lat[min(len(lat)-1, len(lat)*p/100)].Microseconds())
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var lat [2][]time.Duration
			b.ResetTimer()
			for i := range b.N {
				for j, l := range []*ledger{small, large} {
					if i%2 == 1 { // alternate which size goes first
						l = []*ledger{large, small}[j]
						j = 1 - j
					}
					lat[j] = append(lat[j], get(b, l.srv.URL+tc.path))
				}
			}
			b.StopTimer()
			slices.Sort(lat[0])
			slices.Sort(lat[1])
			b.ReportMetric(pct(lat[0], 50), "p50-µs-10k")
			b.ReportMetric(pct(lat[0], 99), "p99-µs-10k")
			b.ReportMetric(pct(lat[1], 50), "p50-µs-100k")
			b.ReportMetric(pct(lat[1], 99), "p99-µs-100k")
			b.ReportMetric(pct(lat[1], 50)/max(pct(lat[0], 50), 1), "p50-ratio")
		})
	}
}

// benchLedger is newLedger's ledger (same claims per founder, same time line, same attestations:
// the next founder approves four in five) for any number of founders: a round's submissions and
// attestations go in blocksPerRound blocks each (more if a block would exceed
// claims.MaxClaimsPerBlock claims). founders*rounds*perFounder claims; the last round stays pending.
func benchLedger(tb testing.TB, founders, rounds, perFounder, blocksPerRound int) *ledger {
	tb.Helper()
	l := newLedgerChain(tb, founders, perFounder)
	c := l.chain
	perBlock := max(1, min((founders+blocksPerRound-1)/blocksPerRound, claims.MaxClaimsPerBlock/perFounder)) // founders per block
	next := uint64(1)
	for round := range rounds {
		c.BlockInterval = time.Second
		for lo := 0; lo < founders; lo += perBlock {
			var txs [][]byte
			for fi := lo; fi < min(lo+perBlock, founders); fi++ {
				msgs := l.roundClaims(fi, round)
				txs = append(txs, l.sign(tb, l.founders[fi], msgs, 0)...)
			}
			mustBlock(tb, c, txs)
		}
		if round == rounds-1 {
			break
		}
		for lo := 0; lo < founders; lo += perBlock {
			var txs [][]byte
			for fi := lo; fi < min(lo+perBlock, founders); fi++ {
				msgs := make([]*auth.Msg, 0, perFounder)
				for k := range perFounder {
					if id := next + uint64(fi*perFounder+k); k%5 == 4 {
						msgs = append(msgs, apptest.Reject(id))
					} else {
						msgs = append(msgs, apptest.Approve(id))
					}
				}
				txs = append(txs, l.sign(tb, l.founders[(fi+1)%founders], msgs, 0)...)
			}
			mustBlock(tb, c, txs)
		}
		next += uint64(founders * perFounder)
		c.BlockInterval = 24 * time.Hour
		mustBlock(tb, c, nil)
	}
	l.srv = httptest.NewServer(api.New(c.App, api.Options{}))
	tb.Cleanup(l.srv.Close)
	return l
}
