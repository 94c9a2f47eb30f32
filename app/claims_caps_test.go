package app_test

import (
	"errors"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// at is a time of the day before genesis, the day the cap tests claim.
func at(h, m int) time.Time {
	d := apptest.GenesisTime.Add(-24 * time.Hour)
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, time.UTC)
}

// logOf is the ABCI log of err.
func logOf(err error) string { _, _, log := core.ABCIInfo(err); return log }

// settle lets every pending claim reach its deadline (without attestations they are REJECTED).
func settle(c *apptest.Chain, window time.Duration) {
	iv := c.BlockInterval
	c.BlockInterval = window
	c.Block()
	c.BlockInterval = iv
}

// TestMinClaimDuration: a claim shorter than min_claim_duration (60 s by default) gets 418.
func TestMinClaimDuration(t *testing.T) {
	c := contribChain(t, nil)
	c.Block()
	for _, tt := range []struct {
		name string
		d    time.Duration
		log  string // "" accepted
	}{
		{"one second", time.Second, "claim is too short: 1s is shorter than the 1m0s minimum; claim it together with adjacent work"},
		{"59 s", 59 * time.Second, "claim is too short: 59s is shorter than the 1m0s minimum; claim it together with adjacent work"},
		{"60 s", 60 * time.Second, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := exec(t, c, alice, apptest.SubmitClaim(at(8, 0), at(8, 0).Add(tt.d), "care", ""))
			if tt.log == "" {
				if r.Err != nil {
					t.Fatal(r.Err)
				}
				return
			}
			wantErr(t, r.Err, claims.ErrClaimTooShort)
			if logOf(r.Err) != tt.log {
				t.Fatalf("log %q, want %q", logOf(r.Err), tt.log)
			}
		})
	}
}

// TestMaxPendingClaims: with max_pending_claims 3, a member's fourth pending claim gets 419 naming
// its earliest deadline; other members are unaffected; once its claims are finalised the member
// may claim again.
func TestMaxPendingClaims(t *testing.T) {
	c := contribChain(t, func(g *app.GenesisState) { g.Claims.Params.MaxPendingClaims = 3 })
	c.Block()
	mustExec(t, c, alice, apptest.SubmitClaim(at(8, 0), at(9, 0), "care", ""), apptest.SubmitClaim(at(9, 0), at(10, 0), "care", ""))
	first := claimOf(t, c, 1).Claim.Deadline
	mustExec(t, c, alice, apptest.SubmitClaim(at(10, 0), at(11, 0), "care", ""))
	r := exec(t, c, alice, apptest.SubmitClaim(at(11, 0), at(12, 0), "care", ""))
	wantErr(t, r.Err, claims.ErrTooManyPending)
	want := "too many pending claims: you have 3 pending claims, the most allowed; the earliest, claim 1, closes at " +
		core.FormatTime(first) + "; submit this claim after it is finalised"
	if logOf(r.Err) != want {
		t.Fatalf("log %q, want %q", logOf(r.Err), want)
	}
	// Three in one tx: the third message is the fourth pending claim of bob.
	mustExec(t, c, bob, apptest.SubmitClaim(at(8, 0), at(9, 0), "care", ""), apptest.SubmitClaim(at(9, 0), at(10, 0), "care", ""))
	r = exec(t, c, bob, apptest.SubmitClaim(at(10, 0), at(11, 0), "care", ""), apptest.SubmitClaim(at(11, 0), at(12, 0), "care", ""))
	wantErr(t, r.Err, claims.ErrTooManyPending, "message 1 (submit_claim)", "you have 3 pending claims")
	settle(c, 8*24*time.Hour)
	mustExec(t, c, alice, apptest.SubmitClaim(at(11, 0), at(12, 0), "care", ""))
}

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
	claim := func(h1, m1, h2, m2 int) *auth.Msg { return apptest.SubmitClaim(at(h1, m1), at(h2, m2), "care", "") }
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
		t.Fatal("claims genesis differs after export, import and export")
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
	mustExec(t, c, alice, apptest.SubmitClaim(at(8, 0), at(9, 0), "care", ""))
	settle(c, 10*time.Second)
	span := core.FormatInterval(at(8, 0).Unix(), at(9, 0).Unix())
	r := exec(t, c, alice, apptest.SubmitClaim(at(8, 0), at(9, 0), "care", ""))
	wantErr(t, r.Err, claims.ErrReclaimLimit)
	if want := "time already claimed and rejected too often: time " + span + " was already claimed and rejected once (claims 1 (" +
		span + ")); it cannot be claimed again"; logOf(r.Err) != want {
		t.Fatalf("log %q, want %q", logOf(r.Err), want)
	}
}

// TestBlockClaimBudget: a block holds at most MaxClaimsPerBlock new claims. CheckTx accepts a claim
// over the budget (the mempool keeps it); PrepareProposal leaves it out (and the sender's later
// txs, whose sequence then skips); ProcessProposal rejects a block carrying it; FinalizeBlock fails
// it with 421; the next block takes it.
func TestBlockClaimBudget(t *testing.T) {
	c := contribChain(t, func(g *app.GenesisState) {
		g.Claims.Params.MinClaimDuration = 1
		g.Claims.Params.MaxPendingClaims = claims.MaxPendingClaimsLimit
	})
	c.Block()
	one := func(start time.Time, i int) *auth.Msg {
		from := start.Add(time.Duration(i) * time.Second)
		return apptest.SubmitClaim(from, from.Add(time.Second), "care", "")
	}
	var full [][]byte
	for _, k := range []apptest.Key{alice, bob} {
		half := claims.MaxClaimsPerBlock / 2
		for i, seq := 0, uint64(0); i < half; i, seq = i+auth.MaxMsgsPerTx, seq+1 {
			var ms []*auth.Msg
			for j := i; j < min(i+auth.MaxMsgsPerTx, half); j++ {
				ms = append(ms, one(at(1, 0), j))
			}
			full = append(full, k.Sign(t, apptest.ChainID, seq, ms...))
		}
	}
	over := carol.Sign(t, apptest.ChainID, 0, one(at(1, 0), 0))
	after := carol.Sign(t, apptest.ChainID, 1, apptest.Transfer(dave.Addr, 1))
	other := dave.Sign(t, apptest.ChainID, 0, apptest.Transfer(alice.Addr, 1))
	txs := append(append([][]byte{}, full...), over, after, other)
	for i, tx := range txs {
		if r := c.App.CheckTx(tx); r.Err != nil {
			t.Fatalf("CheckTx %d: %v", i, r.Err)
		}
	}
	height, bt := c.Height+1, next(c)
	got := c.App.PrepareProposal(height, bt, txs, 1<<30)
	if len(got) != len(full)+1 || string(got[len(got)-1]) != string(other) {
		t.Fatalf("PrepareProposal kept %d of %d txs; want the %d full ones and dave's transfer", len(got), len(txs), len(full))
	}
	const log = "block holds the most new claims allowed: the block already holds 2000 new claims; resubmit in the next block"
	err := c.App.ProcessProposal(height, bt, txs)
	if !errors.Is(err, claims.ErrBlockClaimsFull) || err.Error() != "tx "+itoa(uint64(len(full)))+": "+log {
		t.Fatalf("ProcessProposal: %v", err)
	}
	res := c.Block(txs...)
	for i, r := range res.TxResults[:len(full)] {
		if r.Err != nil {
			t.Fatalf("tx %d: %v", i, r.Err)
		}
	}
	if r := res.TxResults[len(full)]; logOf(r.Err) != log {
		t.Fatalf("the claim over the budget: %v", r.Err)
	}
	wantErr(t, res.TxResults[len(full)+1].Err, auth.ErrSequenceGap)
	if r := res.TxResults[len(full)+2]; r.Err != nil {
		t.Fatal(r.Err)
	}
	// Carried over: the same txs go in the next block.
	if res := c.Block(over, after); res.TxResults[0].Err != nil || res.TxResults[1].Err != nil {
		t.Fatalf("next block: %v, %v", res.TxResults[0].Err, res.TxResults[1].Err)
	}
	if n := claimCounts(c).Pending; n != uint64(claims.MaxClaimsPerBlock)+1 {
		t.Fatalf("%d pending", n)
	}
}
