package app_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// The contribution tests share their cast and helpers with the message tests beside each module
// (x/members, x/claims); apptest holds them, under these short names here.
var (
	alice, bob, carol, dave = apptest.Alice, apptest.Bob, apptest.Carol, apptest.Dave
	erin, outsider          = apptest.Erin, apptest.Outsider

	contribChain = apptest.ContribChain
	exec         = apptest.Exec
	mustExec     = apptest.MustExec
	wantErr      = apptest.WantErr
	event        = apptest.Event
	claimOf      = apptest.ClaimOf
	memberOf     = apptest.MemberOf
	noCooldown   = apptest.NoCooldown
	next         = (*apptest.Chain).NextTime
	hoursAgo     = (*apptest.Chain).HoursAgo
)

func itoa(u uint64) string { return core.Uhour(u)[:len(core.Uhour(u))-len("uhour")] }

// TestFullLoop: vouch in a new member, claim 1h30m of care, two approvals, past the window →
// VERIFIED, exactly 1.5 hours minted and visible in the supply statistics.
func TestFullLoop(t *testing.T) {
	c := apptest.NewChain(t, "", apptest.ContribGenesis(0, alice, bob))
	r := mustExec(t, c, alice, apptest.Vouch(erin, "erin"))
	event(t, r.Events, "account_created")
	r = mustExec(t, c, bob, apptest.Vouch(erin, ""))
	event(t, r.Events, "member_admitted")
	// Nobody may claim time before joining: two hours before her claim's start, erin may not claim it.
	wantErr(t, exec(t, c, erin, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 0.5), "care", "work")).Err, claims.ErrBeforeJoining,
		"before you joined at", "claim only time since you joined")
	c.Settle(3 * time.Hour)

	start := hoursAgo(c, 2)
	mustExec(t, c, erin, apptest.SubmitClaim(start, start.Add(90*time.Minute), "care", "evening shift at the shelter"))
	c.Block(c.Tx(alice, apptest.Approve(1)), c.Tx(bob, apptest.Approve(1)))
	if got := claimOf(t, c, 1); got.Claim.Status != claims.ClaimStatus_CLAIM_STATUS_PENDING || got.Claim.Approvals != 2 || len(got.Attestations) != 2 {
		t.Fatalf("before the deadline: %v", got)
	}
	c.BlockInterval = 7 * 24 * time.Hour
	res := c.Block()
	ev := event(t, res.Events, "claim_finalized")
	if ev["status"] != "verified" || ev["minted"] != "1500000uhour" || ev["claimant"] != erin.Addr.String() || ev["category"] != "care" {
		t.Fatalf("claim_finalized %v", ev)
	}
	if mint := event(t, res.Events, "mint"); mint["amount"] != "1500000uhour" {
		t.Fatalf("mint %v", mint)
	}
	if got := c.Account(erin.Addr).Balance; got != 1_500_000 {
		t.Fatalf("erin balance %d, want 1500000", got)
	}
	var s app.QuerySupplyResponse
	if err := c.Query("/app/supply", nil, &s); err != nil {
		t.Fatal(err)
	}
	if s.Minted != 1_500_000 || s.Circulating != 1_500_000 || s.Members != 2 || s.Probation != 1 || s.ClaimsVerified != 1 || s.ClaimsPending != 0 {
		t.Fatalf("supply %v", &s)
	}
	if s.Categories[0].Category != "care" || s.Categories[0].VerifiedUhours != 1_500_000 || s.Categories[0].VerifiedClaims != 1 {
		t.Fatalf("care stats %v", s.Categories[0])
	}
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
}

func TestContribQueries(t *testing.T) {
	c := contribChain(t, nil)
	mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 3), hoursAgo(c, 2), "care", "work")) // 1
	mustExec(t, c, bob, apptest.SubmitClaim(hoursAgo(c, 3), hoursAgo(c, 2), "code", "work"))   // 2
	mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "code", "work")) // 3
	mustExec(t, c, carol, apptest.Approve(2))

	ids := func(req *claims.QueryClaimsRequest) []uint64 {
		t.Helper()
		var resp claims.QueryClaimsResponse
		if err := c.Query("/claims/claims", req, &resp); err != nil {
			t.Fatal(err)
		}
		var out []uint64
		for _, cl := range resp.Claims {
			out = append(out, cl.Id)
		}
		return append(out, 1000+resp.Total) // total last, offset to tell it apart
	}
	tests := []struct {
		name string
		req  *claims.QueryClaimsRequest
		want []uint64
	}{
		{"all newest first", &claims.QueryClaimsRequest{}, []uint64{3, 2, 1, 1003}},
		{"by claimant", &claims.QueryClaimsRequest{Claimant: alice.Addr.String()}, []uint64{3, 1, 1002}},
		{"by category", &claims.QueryClaimsRequest{Category: "code"}, []uint64{3, 2, 1002}},
		{"by attestor", &claims.QueryClaimsRequest{Attestor: carol.Addr.String()}, []uint64{2, 1001}},
		{"by status", &claims.QueryClaimsRequest{Status: claims.ClaimStatus_CLAIM_STATUS_PENDING, Limit: 1, Offset: 1}, []uint64{2, 1003}},
		{"no verified yet", &claims.QueryClaimsRequest{Status: claims.ClaimStatus_CLAIM_STATUS_VERIFIED}, []uint64{1000}},
		{"time range", &claims.QueryClaimsRequest{FromTime: hoursAgo(c, 2.5).Unix()}, []uint64{3, 1001}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(tt.req); !equalU64(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("claim with attestations", func(t *testing.T) {
		got := claimOf(t, c, 2)
		if got.Claim.Category != "code" || len(got.Attestations) != 1 || got.Attestations[0].Attestor != carol.Addr.String() {
			t.Fatalf("%v", got)
		}
	})
	t.Run("errors", func(t *testing.T) {
		var out claims.ClaimWithAttestations
		wantErr(t, c.Query("/claims/claim/77", nil, &out), app.ErrNotFound, "no claim 77")
		wantErr(t, c.Query("/claims/claim/x", nil, &out), app.ErrBadQuery)
		wantErr(t, c.Query("/claims/nope", nil, &out), app.ErrUnknownQuery)
		wantErr(t, c.Query("/members", nil, &out), app.ErrUnknownQuery)
		wantErr(t, c.Query("/members/member/bad", nil, &out), core.ErrInvalidAddress)
		var list claims.QueryClaimsResponse
		wantErr(t, c.Query("/claims/claims", &claims.QueryClaimsRequest{Claimant: "nope"}, &list), app.ErrBadQuery)
	})
	t.Run("stats and params", func(t *testing.T) {
		var st claims.QueryClaimStatsResponse
		if err := c.Query("/claims/stats", nil, &st); err != nil || st.Pending != 3 || len(st.Categories) != 6 {
			t.Fatalf("%v %v", &st, err)
		}
		var p app.QueryParamsResponse
		if err := c.Query("/app/params", nil, &p); err != nil || p.Claims.AttestationWindow != 7*86400 ||
			p.Members.VouchesToJoin != 2 || p.Bank.DemurragePpmPerYear != 50_000 {
			t.Fatalf("%v %v", &p, err)
		}
	})
	t.Run("unknown member", func(t *testing.T) {
		if m := memberOf(t, c, erin); m.Exists || m.Member.Address != erin.Addr.String() {
			t.Fatalf("%v", m)
		}
	})
}

func equalU64(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGenesisRoundTrip(t *testing.T) {
	g := apptest.ContribGenesis(5_000_000, alice, bob, carol)
	g.Claims.Params = ptr(claims.DevnetParams())
	g.Members.Params = ptr(members.DevnetParams())
	c := apptest.NewChain(t, "", g)
	mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "care", "work"))
	c.Block(c.Tx(bob, apptest.Approve(1)), c.Tx(carol, apptest.Approve(1)))
	mustExec(t, c, bob, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "code", "work"))
	mustExec(t, c, alice, apptest.Vouch(erin, "erin"))
	c.BlockInterval = 31 * time.Second
	c.Block() // claim 1 verified, claim 2 rejected
	c.BlockInterval = time.Second
	// 3 pending, private and countersigned: both survive the round trip
	private := apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "care", "")
	private.GetSubmitClaim().SummaryHash = bytes.Repeat([]byte{0x5a}, 32)
	mustExec(t, c, carol, apptest.Countersigned(private, carol, apptest.NewKey("cared-for")))

	exported, err := c.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	if err := exported.Validate(); err != nil {
		t.Fatal(err)
	}
	c2 := apptest.NewChain(t, "", exported)
	c2.Block() // genesis state becomes queryable with the first commit
	if err := c2.Invariants(); err != nil {
		t.Fatal(err)
	}
	var s1, s2 claims.QueryClaimStatsResponse
	_ = c.Query("/claims/stats", nil, &s1)
	_ = c2.Query("/claims/stats", nil, &s2)
	if s1.String() != s2.String() {
		t.Fatalf("stats differ after round trip:\n%v\n%v", &s1, &s2)
	}
	if c1, c2 := claimOf(t, c, 3).Claim, claimOf(t, c2, 3).Claim; c1.Beneficiary == nil || len(c1.SummaryHash) != 32 || c1.String() != c2.String() {
		t.Fatalf("claim 3 after the round trip:\n%v\n%v", c1, c2)
	}
	if m := memberOf(t, c2, erin); m.Member.Status != members.MemberStatus_MEMBER_STATUS_CANDIDATE {
		t.Fatalf("candidate lost: %v", m)
	}
}

func ptr[T any](v T) *T { return &v }

// TestInvariantsDetectCorruption checks that each invariant actually fires: every case corrupts a
// copy of a healthy state in one way and expects CheckInvariants to name the broken invariant.
func TestInvariantsDetectCorruption(t *testing.T) {
	c := apptest.NewChain(t, "", apptest.ContribGenesis(5_000_000, alice, bob, carol))
	mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 3), hoursAgo(c, 2), "care", "work"))
	c.Block(c.Tx(bob, apptest.Approve(1)), c.Tx(carol, apptest.Approve(1)))
	c.BlockInterval = 7 * 24 * time.Hour
	c.Block()
	c.BlockInterval = time.Second
	mustExec(t, c, bob, apptest.SubmitClaim(hoursAgo(c, 3), hoursAgo(c, 2), "code", "work"))
	mustExec(t, c, alice, apptest.Reject(2))
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
	// Each module's invariants have their own corruption tests beside the module (x/bank,
	// x/claims): these cases break one through the modules' APIs and one across modules.
	tests := []struct {
		name    string
		corrupt func(kv core.KV)
		want    string
	}{
		{"balance without supply", func(kv core.KV) {
			a := c.Account(bob.Addr)
			a.Balance++
			bank.Keeper{}.SetAccount(kv, bob.Addr, a)
		}, "invariant supply"},
		{"minted without a verified claim", func(kv core.KV) {
			if err := (bank.Keeper{}).Mint(core.NewContext(kv, c.Height, c.Time.Unix(), apptest.ChainID), bob.Addr, 1, 0); err != nil {
				t.Fatal(err)
			}
		}, "invariant minted: bank minted"},
		{"overlapping claims", func(kv core.KV) {
			cl := claimOf(t, c, 1).Claim
			cl.Id, cl.Status, cl.Minted = 3, claims.ClaimStatus_CLAIM_STATUS_PENDING, 0
			claims.Keeper{}.ImportClaims(kv, []*claims.Claim{cl})
		}, "invariant overlap: claims 1 and 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := c.DB.ReadLatest()
			defer v.Discard()
			kv := store.NewOverlay(v)
			tt.corrupt(kv)
			err := c.App.CheckInvariants(kv)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestExtremeInputs: out-of-range numbers get a registered code, never a panic (core/3).
func TestExtremeInputs(t *testing.T) {
	const minT, maxT = -1 << 63, 1<<63 - 1
	raw := func(start, end int64) *auth.Msg {
		return &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{Start: start, End: end, Category: "care", Summary: "work"}}}
	}
	long := strings.Repeat("z", 300)
	tests := []struct {
		name string
		msg  *auth.Msg
		want *core.Error
	}{
		{"min start, max end", raw(minT, maxT), claims.ErrEndInFuture},
		{"min start and end", raw(minT, minT), claims.ErrClaimTooOld},
		{"max start and end", raw(maxT, maxT), claims.ErrEndInFuture},
		{"zero times", raw(0, 0), claims.ErrClaimTooOld},
		{"long category", &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{
			Start: apptest.GenesisTime.Unix() - 60, End: apptest.GenesisTime.Unix(), Category: long}}}, claims.ErrUnknownCategory},
		{"max claim id", apptest.Approve(1<<64 - 1), claims.ErrClaimNotFound},
		{"zero claim id", apptest.Approve(0), claims.ErrClaimNotFound},
		{"long handle", apptest.Vouch(erin, long), members.ErrInvalidHandle},
		{"long candidate", &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: long, Handle: "erin"}}}, core.ErrInvalidAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := contribChain(t, nil)
			wantErr(t, exec(t, c, alice, tt.msg).Err, tt.want)
		})
	}
	t.Run("queries", func(t *testing.T) {
		c := contribChain(t, nil)
		c.Block()
		var list members.QueryMembersResponse
		if err := c.Query("/members/members", &members.QueryMembersRequest{HandlePrefix: long, Offset: 1<<64 - 1, Limit: 1<<64 - 1}, &list); !errors.Is(err, app.ErrBadQuery) {
			t.Fatalf("an offset of 2^64-1 is refused (app.MaxQueryOffset): %v", err)
		}
		if err := c.Query("/members/members", &members.QueryMembersRequest{HandlePrefix: long, Offset: app.MaxQueryOffset, Limit: 1<<64 - 1}, &list); err != nil || list.Total != 0 {
			t.Fatalf("%v %v", &list, err)
		}
		var cl claims.QueryClaimsResponse
		if err := c.Query("/claims/claims", &claims.QueryClaimsRequest{Category: long, FromTime: maxT, ToTime: minT}, &cl); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.App.Query("/claims/claims", []byte{0xff, 0xff}, 0); err == nil {
			t.Fatal("garbage request data accepted")
		}
	})
}
