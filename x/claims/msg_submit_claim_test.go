package claims_test

import (
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

func TestSubmitClaimRejections(t *testing.T) {
	// Block 1 (09:00:01) holds alice's claim 1 of [06:00, 08:00); each case runs in block 2 (09:00:02).
	day := 24 * time.Hour
	at := func(hh, mm int) time.Time { return time.Date(2026, 11, 20, hh, mm, 0, 0, time.UTC) }
	now := apptest.GenesisTime.Add(2 * time.Second)
	claim := func(start, end time.Time, cat string) *auth.Msg { return apptest.SubmitClaim(start, end, cat, "work") }
	tests := []struct {
		name   string
		signer apptest.Key
		msg    *auth.Msg
		want   *core.Error
		frags  []string
	}{
		{"overlap names the claim", alice, claim(at(7, 0), at(9, 0), "care"), claims.ErrClaimOverlaps,
			[]string{"claim overlaps claim 1 (2026-11-20 06:00–08:00 UTC); claim only time not already claimed"}},
		{"overlap inside", alice, claim(at(6, 30), at(7, 0), "code"), claims.ErrClaimOverlaps, []string{"claim 1 "}},
		{"overlap around", alice, claim(at(5, 0), at(9, 0), "code"), claims.ErrClaimOverlaps, []string{"claim 1 "}},
		{"end in future", alice, claim(at(8, 0), now.Add(time.Second), "care"), claims.ErrEndInFuture,
			[]string{"2026-11-20 09:00:03 UTC"}},
		{"too old", alice, claim(now.Add(-30*day-time.Second), now.Add(-30*day+time.Hour), "care"), claims.ErrClaimTooOld,
			[]string{"within the last 720h0m0s"}},
		{"too long", alice, claim(now.Add(-17*time.Hour), now, "care"), claims.ErrClaimTooLong,
			[]string{"17h0m0s is longer than the 16h0m0s maximum"}},
		{"empty interval", alice, claim(at(8, 0), at(8, 0), "care"), claims.ErrInvalidInterval, nil},
		{"reversed interval", alice, claim(at(8, 30), at(8, 0), "care"), claims.ErrInvalidInterval, nil},
		{"unknown category", alice, claim(at(8, 0), at(9, 0), "gardening"), claims.ErrUnknownCategory,
			[]string{`"gardening"; use one of [care code ecology teaching community other]`}},
		{"non-member claimant", outsider, claim(at(8, 0), at(9, 0), "care"), claims.ErrClaimantNotMember, nil},
		{"summary too long", alice, apptest.SubmitClaim(at(8, 0), at(9, 0), "care", strings.Repeat("x", 1025)),
			claims.ErrSummaryTooLong, nil},
		{"bad evidence hash", alice, &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{
			Start: at(8, 0).Unix(), End: at(9, 0).Unix(), Category: "care", Summary: "work",
			Evidence: []*claims.Evidence{{Uri: "https://x", Sha256: make([]byte, 16)}}}}},
			claims.ErrInvalidEvidence, []string{"give 32 bytes or none"}},
		{"evidence without uri", alice, &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{
			Start: at(8, 0).Unix(), End: at(9, 0).Unix(), Category: "care", Summary: "work", Evidence: []*claims.Evidence{{}}}}},
			claims.ErrInvalidEvidence, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := contribChain(t, nil)
			mustExec(t, c, alice, claim(at(6, 0), at(8, 0), "care"))
			r := exec(t, c, tt.signer, tt.msg)
			wantErr(t, r.Err, tt.want, tt.frags...)
		})
	}
}

func TestSubmitClaimAccepted(t *testing.T) {
	at := func(hh, mm int) time.Time { return time.Date(2026, 11, 20, hh, mm, 0, 0, time.UTC) }
	c := contribChain(t, nil)
	mustExec(t, c, alice, apptest.SubmitClaim(at(6, 0), at(8, 0), "care", "work"))
	t.Run("adjacent after", func(t *testing.T) {
		r := mustExec(t, c, alice, apptest.SubmitClaim(at(8, 0), at(9, 0), "code", "pairing"))
		ev := event(t, r.Events, "claim_submitted")
		want := map[string]string{"claim_id": "2", "claimant": alice.Addr.String(), "category": "code",
			"start": "1795161600", "end": "1795165200", "duration": "1000000uhour", "deadline": "1795770002"}
		for k, v := range want {
			if ev[k] != v {
				t.Errorf("claim_submitted %s = %q, want %q", k, ev[k], v)
			}
		}
	})
	t.Run("adjacent before", func(t *testing.T) { mustExec(t, c, alice, apptest.SubmitClaim(at(5, 0), at(6, 0), "care", "work")) })
	t.Run("same interval by another member", func(t *testing.T) {
		mustExec(t, c, bob, apptest.SubmitClaim(at(6, 0), at(8, 0), "care", "work"))
	})
	t.Run("exactly max duration and max age", func(t *testing.T) {
		start := next(c).Add(-30 * 24 * time.Hour)
		mustExec(t, c, carol, apptest.SubmitClaim(start, start.Add(16*time.Hour), "ecology", "work"))
	})
	t.Run("ends at block time", func(t *testing.T) {
		mustExec(t, c, dave, apptest.SubmitClaim(next(c).Add(-time.Hour), next(c), "teaching", "work"))
	})
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
			r := exec(t, c, alice, apptest.SubmitClaim(at(8, 0), at(8, 0).Add(tt.d), "care", "work"))
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
	mustExec(t, c, alice, apptest.SubmitClaim(at(8, 0), at(9, 0), "care", "work"), apptest.SubmitClaim(at(9, 0), at(10, 0), "care", "work"))
	first := claimOf(t, c, 1).Claim.Deadline
	mustExec(t, c, alice, apptest.SubmitClaim(at(10, 0), at(11, 0), "care", "work"))
	r := exec(t, c, alice, apptest.SubmitClaim(at(11, 0), at(12, 0), "care", "work"))
	wantErr(t, r.Err, claims.ErrTooManyPending)
	want := "too many pending claims: you have 3 pending claims, the most allowed; the earliest, claim 1, closes at " +
		time.Unix(first, 0).UTC().Format("2006-01-02 15:04:05 UTC") + "; submit this claim after it is finalised"
	if logOf(r.Err) != want {
		t.Fatalf("log %q, want %q", logOf(r.Err), want)
	}
	// Three in one tx: the third message is the fourth pending claim of bob.
	mustExec(t, c, bob, apptest.SubmitClaim(at(8, 0), at(9, 0), "care", "work"), apptest.SubmitClaim(at(9, 0), at(10, 0), "care", "work"))
	r = exec(t, c, bob, apptest.SubmitClaim(at(10, 0), at(11, 0), "care", "work"), apptest.SubmitClaim(at(11, 0), at(12, 0), "care", "work"))
	wantErr(t, r.Err, claims.ErrTooManyPending, "message 1 (submit_claim)", "you have 3 pending claims")
	settle(c, 8*24*time.Hour)
	mustExec(t, c, alice, apptest.SubmitClaim(at(11, 0), at(12, 0), "care", "work"))
}
