package apptest

import (
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
)

// WithDenseClaims adds to g n adjacent one-second claims by k with the given status, the last one
// ending at end, with ids following g's, and returns their ids' range [first, first+n). VERIFIED
// claims are recorded as minted in the bank supply, so k's genesis balance must cover them (n × 277
// uhour). g's claims params must allow one-second claims (min_claim_duration 1).
func WithDenseClaims(g *app.GenesisState, k Key, n int, end time.Time, status claims.ClaimStatus) (first uint64) {
	first = max(g.Claims.NextClaimId, 1)
	start := end.Unix() - int64(n)
	var minted uint64
	for i := range n {
		c := &claims.Claim{Id: first + uint64(i), Claimant: k.Addr.String(), Start: start + int64(i), End: start + int64(i) + 1,
			Category: "code", Status: status, SubmittedAt: end.Unix(), Deadline: end.Unix()}
		if status == claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
			c.Minted = claims.MintedFor(c.Start, c.End)
			minted += c.Minted
		}
		g.Claims.Claims = append(g.Claims.Claims, c)
	}
	g.Claims.NextClaimId = first + uint64(n)
	var total uint64
	for _, a := range g.Bank.Accounts {
		total += a.Balance
	}
	s := g.Bank.Supply
	if s == nil {
		s = &bank.Supply{Genesis: total}
		g.Bank.Supply = s
	}
	s.Minted += minted
	s.Genesis -= minted
	return first
}
