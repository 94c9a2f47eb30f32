package main

import (
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/x/claims"
)

// TestWriteClaim pins the text of `query claim`: the interval as core.FormatInterval writes it
// (the form error messages use), the duration as claims.MintedFor computes it.
func TestWriteClaim(t *testing.T) {
	at := func(d, h, m int) int64 { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC).Unix() }
	c := &claims.Claim{Id: 12, Claimant: "commons1dana", Category: "care", Summary: "Evening shift",
		Start: at(20, 23, 0), End: at(21, 0, 30), Status: claims.ClaimStatus_CLAIM_STATUS_VERIFIED,
		Approvals: 2, Deadline: at(27, 23, 0), Minted: 1_500_000,
		Evidence: []*claims.Evidence{{Uri: "https://example.org/rota"}}}
	var b strings.Builder
	writeClaim(&b, c)
	want := `claim 12: verified, 1.5 hours of care by commons1dana
  interval:  2026-11-20 23:00–2026-11-21 00:30 UTC
  summary:   Evening shift
  approvals: 2, rejections: 0; window closes 2026-11-27 23:00:00 UTC
  minted:    1.5 hours
  evidence:  https://example.org/rota
`
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}
