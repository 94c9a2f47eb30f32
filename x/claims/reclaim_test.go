package claims_test

import (
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// TestMaxReclaims: with max_reclaims 1, time may be claimed and rejected twice; the third claim
// of it gets 420 naming the interval and the claims; time beside it stays claimable; a claim
// meeting rejected claims on both levels at different instants is refused with the names, and its
// parts are accepted.
func TestMaxReclaims(t *testing.T) {
	const window = 10 * time.Second
	c := contribChain(t, func(g *app.GenesisState) {
		g.Claims.Params.MaxReclaims = 1
		g.Claims.Params.AttestationWindow = int64(window / time.Second)
	})
	c.Block()
	claim := func(h1, m1, h2, m2 int) *auth.Msg { return apptest.SubmitClaim(at(h1, m1), at(h2, m2), "care", "work") }
	mustExec(t, c, alice, claim(8, 0, 9, 0)) // 1
	settle(c, window)
	mustExec(t, c, alice, claim(8, 0, 9, 0)) // 2: level 1
	settle(c, window)
	if cl := claimOf(t, c, 2).Claim; cl.ReclaimLevel != 1 || cl.Status != claims.ClaimStatus_CLAIM_STATUS_REJECTED {
		t.Fatalf("claim 2: level %d, %v", cl.ReclaimLevel, cl.Status)
	}
	span := core.FormatInterval(at(8, 0).Unix(), at(9, 0).Unix())
	for _, tt := range []struct {
		name string
		msg  *auth.Msg
		log  string
	}{
		{"the same hour", claim(8, 0, 9, 0), "time already claimed and rejected too often: time " + span +
			" was already claimed and rejected 2 times (claims 1 (" + span + "), 2 (" + span + ")); it cannot be claimed again"},
		{"half of it", claim(8, 30, 9, 30), "time already claimed and rejected too often: time " +
			core.FormatInterval(at(8, 30).Unix(), at(9, 0).Unix()) + " was already claimed and rejected 2 times (claims 1 (" +
			span + "), 2 (" + span + ")); it cannot be claimed again"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := exec(t, c, alice, tt.msg)
			wantErr(t, r.Err, claims.ErrReclaimLimit)
			if logOf(r.Err) != tt.log {
				t.Fatalf("log %q, want %q", logOf(r.Err), tt.log)
			}
		})
	}
	mustExec(t, c, alice, claim(9, 0, 9, 30)) // 3: adjacent, level 0
	mustExec(t, c, bob, claim(8, 0, 9, 0))    // 4: another member's time
	// Level 0 gets [10:00,11:00) and [11:30,12:30); [11:00,12:00) overlaps the second, so takes level 1.
	mustExec(t, c, alice, claim(10, 0, 11, 0), claim(11, 30, 12, 30)) // 5, 6
	settle(c, window)
	mustExec(t, c, alice, claim(11, 0, 12, 0)) // 7: level 1
	settle(c, window)
	r := exec(t, c, alice, claim(10, 30, 11, 15))
	wantErr(t, r.Err, claims.ErrReclaimLimit)
	want := "time already claimed and rejected too often: the claim overlaps rejected claims 5 (" +
		core.FormatInterval(at(10, 0).Unix(), at(11, 0).Unix()) + "), 7 (" + core.FormatInterval(at(11, 0).Unix(), at(12, 0).Unix()) +
		"), and time may be claimed and rejected at most 2 times; claim the time between those claims separately"
	if logOf(r.Err) != want {
		t.Fatalf("log %q, want %q", logOf(r.Err), want)
	}
	mustExec(t, c, alice, claim(10, 30, 11, 0), claim(11, 0, 11, 15)) // the parts: levels 1 and 0
	if l1, l0 := claimOf(t, c, 8).Claim.ReclaimLevel, claimOf(t, c, 9).Claim.ReclaimLevel; l1 != 1 || l0 != 0 {
		t.Fatalf("levels %d and %d, want 1 and 0", l1, l0)
	}

	// Export and import: the claims (bodies with their tallies and levels) round-trip, and the
	// imported chain applies the same reclaim levels, pending counts and listings.
	exported, err := c.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	c2 := apptest.NewChain(t, "", exported)
	c2.Block()
	again, err := c2.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	if exported.Claims.String() != again.Claims.String() {
		t.Fatalf("claims genesis differs after export, import and export:\n%s\n%s", exported.Claims.String(), again.Claims.String())
	}
	if err := c2.Invariants(); err != nil {
		t.Fatal(err)
	}
	var l1, l2 claims.QueryClaimsResponse
	for _, req := range []*claims.QueryClaimsRequest{{}, {Category: "care", FromTime: at(9, 0).Unix()}, {Status: claims.ClaimStatus_CLAIM_STATUS_REJECTED}} {
		if err := c.Query("/claims/claims", req, &l1); err != nil {
			t.Fatal(err)
		}
		if err := c2.Query("/claims/claims", req, &l2); err != nil {
			t.Fatal(err)
		}
		if l1.String() != l2.String() {
			t.Fatalf("%v: listings differ after the round trip", req)
		}
	}
	r = exec(t, c2, alice, claim(8, 0, 9, 0))
	wantErr(t, r.Err, claims.ErrReclaimLimit, "was already claimed and rejected 2 times (claims 1 (")
}

// TestMaxReclaimsZero: with max_reclaims 0, rejected time can never be claimed again.
func TestMaxReclaimsZero(t *testing.T) {
	c := contribChain(t, func(g *app.GenesisState) { g.Claims.Params.MaxReclaims = 0; g.Claims.Params.AttestationWindow = 10 })
	c.Block()
	mustExec(t, c, alice, apptest.SubmitClaim(at(8, 0), at(9, 0), "care", "work"))
	settle(c, 10*time.Second)
	span := core.FormatInterval(at(8, 0).Unix(), at(9, 0).Unix())
	r := exec(t, c, alice, apptest.SubmitClaim(at(8, 0), at(9, 0), "care", "work"))
	wantErr(t, r.Err, claims.ErrReclaimLimit)
	if want := "time already claimed and rejected too often: time " + span + " was already claimed and rejected once (claims 1 (" +
		span + ")); it cannot be claimed again"; logOf(r.Err) != want {
		t.Fatalf("log %q, want %q", logOf(r.Err), want)
	}
}
