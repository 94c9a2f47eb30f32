package api_test

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/api"
)

// BenchmarkEndpoints measures API latency over loopback HTTP with 10,000 claims in state (10
// founders × 10 rounds × 100 claims; 9,000 finalised, 1,000 pending) and reports each endpoint's
// p50 and p99 per request. Run: go test ./app/api -run '^$' -bench Endpoints -benchtime 2000x
func BenchmarkEndpoints(b *testing.B) {
	l := newLedger(b, 10, 10, 100, api.Options{})
	member := l.founders[3].Addr.String()
	cases := []struct{ name, path string }{
		{"claims/latest", "/api/v1/claims"},
		{"claims/verified-page-50", "/api/v1/claims?status=verified&offset=1000&limit=20"},
		{"claims/claimant", "/api/v1/claims?claimant=" + member},
		{"claims/category-and-time", "/api/v1/claims?category=care&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z"},
		{"claims/one", "/api/v1/claims/4321"},
		{"accounts", "/api/v1/accounts/" + member},
		{"members/one", "/api/v1/members/" + member},
		{"supply", "/api/v1/supply"},
		{"stats/daily", "/api/v1/stats/daily"},
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			url := l.srv.URL + tc.path
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("GET %s: %d", tc.path, resp.StatusCode)
				}
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*50/100].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds()), "p99-µs")
		})
	}
}
