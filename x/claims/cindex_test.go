package claims_test

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

const cindexDay = 86400

// randomClaims is a genesis of n claims with random ids (with gaps), categories (one of them rare),
// statuses and starts: clustered over a few days around t0, many exactly on day, hour and minute
// boundaries or a second off them, and a few before 1970 (negative starts). Each claim has its own
// claimant, so no overlap rule applies.
func randomClaims(rng *rand.Rand, n int) (*claims.GenesisState, []int64) {
	const t0 = 1_800_000_000 - 1_800_000_000%cindexDay // a UTC midnight
	p := claims.DefaultParams()
	cats := []string{"care", "code", "ecology", "other"}
	ids := rng.Perm(3 * n)[:n]
	g := &claims.GenesisState{Params: &p}
	var times []int64 // starts and boundaries worth filtering on
	for i, id := range ids {
		var start int64
		switch rng.IntN(10) {
		case 0: // a boundary, or a second either side of one
			w := []int64{60, 3600, cindexDay}[rng.IntN(3)]
			start = t0 + (rng.Int64N(6*cindexDay)-3*cindexDay)/w*w + rng.Int64N(3) - 1
		case 1:
			start = -2*cindexDay + rng.Int64N(3*cindexDay)
		default:
			start = t0 + rng.Int64N(6*cindexDay) - 3*cindexDay
		}
		c := &claims.Claim{Id: uint64(id + 1), Claimant: addrOf(fmt.Sprint("claimant", i)).String(),
			Start: start, End: start + 60 + rng.Int64N(3600), Category: cats[rng.IntN(len(cats)-1)]}
		if rng.IntN(50) == 0 {
			c.Category = cats[len(cats)-1]
		}
		c.Status = claims.ClaimStatus(1 + rng.IntN(4))
		if claims.Minted(c.Status) {
			c.Minted = claims.MintedFor(c.Start, c.End)
		}
		if c.Status == claims.ClaimStatus_CLAIM_STATUS_REVERSED {
			c.Reversal = &claims.Reversal{DisputeId: 1, Burned: c.Minted}
		}
		g.Claims = append(g.Claims, c)
		g.NextClaimId = max(g.NextClaimId, c.Id+1)
		times = append(times, start, start+1, floorDay(start), floorDay(start)+cindexDay, start/3600*3600)
	}
	return g, times
}

func floorDay(t int64) int64 {
	if t < 0 {
		return (t - cindexDay + 1) / cindexDay * cindexDay
	}
	return t / cindexDay * cindexDay
}

// bruteForce answers req by filtering every claim, newest first.
func bruteForce(all []*claims.Claim, req *claims.QueryClaimsRequest) (total uint64, page []uint64) {
	limit := req.Limit
	if limit == 0 {
		limit = claims.DefaultLimit
	}
	limit = min(limit, claims.MaxLimit)
	if req.Category != "" && !claims.ValidCategory(req.Category) || req.FromTime != 0 && req.ToTime != 0 && req.FromTime >= req.ToTime {
		return 0, nil
	}
	byID := slices.Clone(all)
	slices.SortFunc(byID, func(a, b *claims.Claim) int { return cmp.Compare(b.Id, a.Id) })
	for _, c := range byID {
		if req.Category != "" && c.Category != req.Category || req.Status != 0 && c.Status != req.Status ||
			req.FromTime != 0 && c.Start < req.FromTime || req.ToTime != 0 && c.Start >= req.ToTime {
			continue
		}
		if total >= req.Offset && uint64(len(page)) < limit {
			page = append(page, c.Id)
		}
		total++
	}
	return total, page
}

// TestQueryClaimsCategoryTimeMatchBruteForce: on random claims imported through InitGenesis, every
// category, status and time filter, alone and combined, at pages around every boundary (first,
// last, one past the end, limits 1 to above MaxLimit), gives the total and the page of a brute-force
// filter over all claims. Both ways of counting a status with a time filter (walking the status
// index, walking the range) are exercised: the test fails if either never ran.
func TestQueryClaimsCategoryTimeMatchBruteForce(t *testing.T) {
	k := claims.NewKeeper(nil, nil)
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 16))
			g, times := randomClaims(rng, 600)
			kv := store.NewOverlay(emptyReader{})
			if err := k.InitGenesis(core.NewContext(kv, 0, 1_900_000_000, "test"), g); err != nil {
				t.Fatal(err)
			}
			if err := k.CheckInvariants(kv); err != nil {
				t.Fatal(err)
			}
			cats := []string{"", "care", "code", "other", "teaching", "Not-a-category!"}
			var checked, byStatus, byRange int
			for range 3000 {
				req := &claims.QueryClaimsRequest{Category: cats[rng.IntN(len(cats))]}
				if rng.IntN(3) > 0 {
					req.Status = claims.ClaimStatus(rng.IntN(5))
				}
				switch rng.IntN(4) {
				case 0: // no time filter
				case 1:
					req.FromTime = times[rng.IntN(len(times))]
				case 2:
					req.ToTime = times[rng.IntN(len(times))]
				default:
					req.FromTime, req.ToTime = times[rng.IntN(len(times))], times[rng.IntN(len(times))]
				}
				req.Limit = []uint64{0, 1, 3, 50, 200, 500}[rng.IntN(6)]
				total, _ := bruteForce(g.Claims, req)
				lim := min(max(req.Limit, 1), claims.MaxLimit)
				if req.Limit == 0 {
					lim = claims.DefaultLimit
				}
				req.Offset = []uint64{0, lim - 1, lim, lim + 1, total - min(total, 1), total, total + 1, rng.Uint64N(total + 1)}[rng.IntN(8)]
				wantTotal, wantPage := bruteForce(g.Claims, req)
				got, err := k.QueryClaims(kv, req)
				if err != nil {
					t.Fatal(err)
				}
				var gotPage []uint64
				for _, c := range got.Claims {
					gotPage = append(gotPage, c.Id)
				}
				if got.Total != wantTotal || !slices.Equal(gotPage, wantPage) {
					t.Fatalf("%v: got total %d page %v, want %d %v", req, got.Total, gotPage, wantTotal, wantPage)
				}
				checked++
				if req.Status != 0 && (req.FromTime != 0 || req.ToTime != 0) && wantTotal > 0 {
					// Which walk counts it: the status index when it holds no more claims than the range.
					withStatus, _ := bruteForce(g.Claims, &claims.QueryClaimsRequest{Category: req.Category, Status: req.Status})
					inRange, _ := bruteForce(g.Claims, &claims.QueryClaimsRequest{Category: req.Category, FromTime: req.FromTime, ToTime: req.ToTime})
					if withStatus <= inRange {
						byStatus++
					} else {
						byRange++
					}
				}
			}
			if byStatus < 50 || byRange < 50 {
				t.Fatalf("of %d queries, %d combined status and time counted through the status index and %d through the range: want 50 of each",
					checked, byStatus, byRange)
			}
		})
	}
}

// TestGenesisRebuildsCategoryTimeIndexes: the export holds no index (it is claims and
// attestations), and importing it again rebuilds every key of the module byte for byte.
func TestGenesisRebuildsCategoryTimeIndexes(t *testing.T) {
	k := claims.NewKeeper(nil, nil)
	g, _ := randomClaims(rand.New(rand.NewPCG(7, 7)), 300)
	first := store.NewOverlay(emptyReader{})
	if err := k.InitGenesis(core.NewContext(first, 0, 1_900_000_000, "test"), g); err != nil {
		t.Fatal(err)
	}
	second := store.NewOverlay(emptyReader{})
	if err := k.InitGenesis(core.NewContext(second, 0, 1_900_000_000, "test"), k.ExportGenesis(first)); err != nil {
		t.Fatal(err)
	}
	dump := func(r core.Reader) (out [][2][]byte) {
		core.IteratePrefix(r, []byte{core.PrefixClaims}, false, func(key, v []byte) bool {
			out = append(out, [2][]byte{bytes.Clone(key), bytes.Clone(v)})
			return true
		})
		return out
	}
	a, b := dump(first), dump(second)
	if len(a) < 300*8 {
		t.Fatalf("only %d keys for 300 claims", len(a))
	}
	if !slices.EqualFunc(a, b, func(x, y [2][]byte) bool { return bytes.Equal(x[0], y[0]) && bytes.Equal(x[1], y[1]) }) {
		t.Fatalf("re-import differs: %d keys, then %d", len(a), len(b))
	}
}

// benchShapedClaims imports the claims of app/api's BenchmarkEndpoints ledger: founders members
// with 1,000 claims each, one a minute every two minutes from 2026-10-31 09:00 UTC, the same times
// for every member, categories rotating; ids round by round (10 rounds of 100 claims a member),
// the last round PENDING, one in five of the others REJECTED.
func benchShapedClaims(kv core.KV, founders int) {
	const base = 1_793_437_200 // 2026-10-31T09:00:00Z
	cats := claims.DefaultCategories()
	var cs []*claims.Claim
	id := uint64(1)
	for round := range 10 {
		for fi := range founders {
			claimant := addrOf(fmt.Sprint("founder", fi)).String()
			for k := range 100 {
				j := round*100 + k
				c := &claims.Claim{Id: id, Claimant: claimant, Start: base + int64(j)*120, End: base + int64(j)*120 + 60,
					Category: cats[(fi+j)%len(cats)], Status: claims.ClaimStatus_CLAIM_STATUS_VERIFIED}
				switch {
				case round == 9:
					c.Status = claims.ClaimStatus_CLAIM_STATUS_PENDING
				case k%5 == 4:
					c.Status = claims.ClaimStatus_CLAIM_STATUS_REJECTED
				default:
					c.Minted = claims.MintedFor(c.Start, c.End)
				}
				cs = append(cs, c)
				id++
			}
		}
	}
	claims.NewKeeper(nil, nil).ImportClaims(kv, cs)
}

// TestCategoryTimeQueriesReadTheSameAtTenTimesTheClaims: the category, status and time filters of
// BenchmarkEndpoints read (point reads + seeks + entries) at most twice as much with 10× the
// claims matching, on the benchmark's data shape at 10,000 and 100,000 claims. This is the
// benchmark's 2× bound counted in reads instead of time, which a busy machine cannot blur.
func TestCategoryTimeQueriesReadTheSameAtTenTimesTheClaims(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 110,000 claims")
	}
	const nov1, nov2 = 1_793_491_200, 1_793_577_600 // 2026-11-01 and -02 00:00 UTC
	verified := claims.ClaimStatus_CLAIM_STATUS_VERIFIED
	reqs := []struct {
		name string
		req  *claims.QueryClaimsRequest
	}{
		{"category", &claims.QueryClaimsRequest{Category: "care"}},
		{"category-page-20", &claims.QueryClaimsRequest{Category: "care", Offset: 1000, Limit: 50}},
		{"category-and-status", &claims.QueryClaimsRequest{Category: "care", Status: verified}},
		{"time-day", &claims.QueryClaimsRequest{FromTime: nov1, ToTime: nov2}},
		{"time-hours", &claims.QueryClaimsRequest{FromTime: nov1 + 6*3600 + 30*60 + 17, ToTime: nov1 + 17*3600 + 45*60 + 3}},
		{"time-from", &claims.QueryClaimsRequest{FromTime: nov1 - 31*86400}},
		{"time-to", &claims.QueryClaimsRequest{ToTime: nov1 + 3*3600 + 1}},
		{"category-and-time", &claims.QueryClaimsRequest{Category: "care", FromTime: nov1, ToTime: nov2}},
		{"category-and-time-hours", &claims.QueryClaimsRequest{Category: "care", FromTime: nov1 + 6*3600 + 30*60 + 17, ToTime: nov1 + 17*3600 + 45*60 + 3}},
		{"category-and-time-page-10", &claims.QueryClaimsRequest{Category: "care", FromTime: nov1, ToTime: nov2, Offset: 450, Limit: 50}},
	}
	k := claims.NewKeeper(nil, nil)
	reads := map[int][]int{}
	totals := map[int][]uint64{}
	for _, founders := range []int{10, 100} {
		kv := store.NewOverlay(emptyReader{})
		benchShapedClaims(kv, founders)
		for _, rq := range reqs {
			cr := &countingReader{r: kv}
			resp, err := k.QueryClaims(cr, rq.req)
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Claims) == 0 {
				t.Fatalf("%s with %d founders: empty page", rq.name, founders)
			}
			reads[founders] = append(reads[founders], cr.reads())
			t.Logf("%d founders %s: %d gets, %d seeks, %d entries", founders, rq.name, cr.gets, cr.iterates, cr.visited)
			totals[founders] = append(totals[founders], resp.Total)
		}
	}
	for i, rq := range reqs {
		small, large := reads[10][i], reads[100][i]
		t.Logf("%-26s total %6d → %6d, reads %5d → %5d (%.2f×)", rq.name, totals[10][i], totals[100][i], small, large, float64(large)/float64(small))
		if totals[100][i] < 9*totals[10][i] {
			t.Errorf("%s: %d then %d matches: the larger ledger should match about 10× as many", rq.name, totals[10][i], totals[100][i])
		}
		if large > 2*small {
			t.Errorf("%s: %d reads at 10,000 claims, %d at 100,000: more than 2×", rq.name, small, large)
		}
	}
}
