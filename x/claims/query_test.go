package claims_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
)

// TestQueryClaimsMatchesAScan: every combination of filters and pages answered through the indexes
// and counters equals the answer of a plain scan of all claims.
func TestQueryClaimsMatchesAScan(t *testing.T) {
	keys := []apptest.Key{apptest.NewKey("founder1"), apptest.NewKey("founder2"), apptest.NewKey("founder3")}
	g := apptest.ContribGenesis(0, keys...)
	g.Claims.Params.AttestationWindow = 60
	g.Claims.Params.MinApprovals = 1
	c := apptest.NewChain(t, "", g)
	c.Block()
	cats := claims.DefaultCategories()
	base := c.Time.Add(-48 * time.Hour)
	seq := make([]uint64, len(keys))
	id := uint64(0)
	for round := range 3 {
		var txs [][]byte
		for ki, k := range keys {
			var ms []*auth.Msg
			for j := range 5 {
				start := base.Add(time.Duration(round*40+ki*7+j*97%40) * 17 * time.Minute)
				ms = append(ms, apptest.SubmitClaim(start, start.Add(time.Duration(5+j)*time.Minute), cats[(ki+j+round)%len(cats)], "w"))
			}
			// Claims of one member may overlap: keep only those that pass, one tx each.
			for _, m := range ms {
				txs = append(txs, k.Sign(t, apptest.ChainID, seq[ki], m))
				if c.App.CheckTx(txs[len(txs)-1]).Err != nil {
					txs = txs[:len(txs)-1]
					continue
				}
				seq[ki]++
				id++
			}
		}
		mustOK(t, c.Block(txs...))
		// Attest some: the next member approves every other claim, the one after rejects every third.
		txs = nil
		for i := id - 14; i <= id; i++ {
			for ki, k := range keys {
				cl := queryClaim(t, c, i)
				if cl.Claimant == k.Addr.String() || (i%2 != 0 && ki == 1) || (i%3 != 0 && ki == 2) || ki == 0 && i%5 != 0 {
					continue
				}
				txs = append(txs, k.Sign(t, apptest.ChainID, seq[ki], apptest.Approve(i)))
				if ki == 2 {
					txs[len(txs)-1] = k.Sign(t, apptest.ChainID, seq[ki], apptest.Reject(i))
				}
				seq[ki]++
			}
		}
		mustOK(t, c.Block(txs...))
		if round < 2 {
			c.BlockInterval = time.Hour
			c.Block()
			c.BlockInterval = time.Second
		}
	}
	var all claims.QueryClaimsResponse
	if err := c.Query("/claims/claims", &claims.QueryClaimsRequest{Limit: claims.MaxLimit}, &all); err != nil {
		t.Fatal(err)
	}
	if all.Total < 30 || int(all.Total) != len(all.Claims) {
		t.Fatalf("%d claims, %d listed", all.Total, len(all.Claims))
	}
	statuses := map[claims.ClaimStatus]int{}
	for _, cl := range all.Claims {
		statuses[cl.Status]++
	}
	if len(statuses) != 3 {
		t.Fatalf("statuses %v: want all three", statuses)
	}
	mid := all.Claims[len(all.Claims)/2].Start
	var reqs []*claims.QueryClaimsRequest
	for _, who := range []string{"", keys[0].Addr.String()} {
		for _, att := range []string{"", keys[1].Addr.String()} {
			for _, st := range []claims.ClaimStatus{0, 1, 2, 3} {
				for _, cat := range []string{"", "care", "code"} {
					for _, tr := range [][2]int64{{0, 0}, {mid, 0}, {0, mid}, {mid - 3600, mid + 3600}} {
						for _, pg := range [][2]uint64{{0, 0}, {0, 3}, {2, 4}, {100, 5}} {
							reqs = append(reqs, &claims.QueryClaimsRequest{Claimant: who, Attestor: att, Status: st, Category: cat,
								FromTime: tr[0], ToTime: tr[1], Offset: pg[0], Limit: pg[1]})
						}
					}
				}
			}
		}
	}
	for _, req := range reqs {
		var got claims.QueryClaimsResponse
		if err := c.Query("/claims/claims", req, &got); err != nil {
			t.Fatal(err)
		}
		want := scan(c, all.Claims, req)
		if got.Total != want.Total || !slices.Equal(idsOf(got.Claims), idsOf(want.Claims)) {
			t.Fatalf("%v: got %d %v, want %d %v", req, got.Total, idsOf(got.Claims), want.Total, idsOf(want.Claims))
		}
	}
}

func queryClaim(t *testing.T, c *apptest.Chain, id uint64) *claims.Claim {
	v := c.DB.ReadLatest()
	defer v.Discard()
	cl, ok := keeper().Claim(v, id)
	if !ok {
		t.Fatalf("no claim %d", id)
	}
	return &cl
}

// scan answers req by filtering every claim (all, newest first).
func scan(c *apptest.Chain, all []*claims.Claim, req *claims.QueryClaimsRequest) *claims.QueryClaimsResponse {
	v := c.DB.ReadLatest()
	defer v.Discard()
	limit := req.Limit
	if limit == 0 {
		limit = claims.DefaultLimit
	}
	out := &claims.QueryClaimsResponse{}
	for _, cl := range all {
		attested := req.Attestor == ""
		for _, a := range keeper().Attestations(v, cl.Id) {
			attested = attested || a.Attestor == req.Attestor
		}
		if (req.Claimant != "" && cl.Claimant != req.Claimant) || !attested || (req.Status != 0 && cl.Status != req.Status) ||
			(req.Category != "" && cl.Category != req.Category) || (req.FromTime != 0 && cl.Start < req.FromTime) ||
			(req.ToTime != 0 && cl.Start >= req.ToTime) {
			continue
		}
		if out.Total >= req.Offset && uint64(len(out.Claims)) < limit {
			out.Claims = append(out.Claims, cl)
		}
		out.Total++
	}
	return out
}

func idsOf(cs []*claims.Claim) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprint(c.Id))
	}
	return out
}
