package app_test

import (
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

var (
	alice, bob, carol, dave = apptest.NewKey("alice"), apptest.NewKey("bob"), apptest.NewKey("carol"), apptest.NewKey("dave")
	erin, frank, outsider   = apptest.NewKey("erin"), apptest.NewKey("frank"), apptest.NewKey("outsider")
)

// contribChain starts a chain with four founders and a funded non-member, on default params
// changed by tweak.
func contribChain(t *testing.T, tweak func(*app.GenesisState)) *apptest.Chain {
	t.Helper()
	g := apptest.ContribGenesis(10_000_000, alice, bob, carol, dave)
	g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: outsider.Addr.String(), Balance: 10_000_000})
	if tweak != nil {
		tweak(g)
	}
	c := apptest.NewChain(t, "", g)
	t.Cleanup(func() {
		if err := c.Invariants(); err != nil {
			t.Errorf("after test: %v", err)
		}
	})
	return c
}

// exec runs one tx by k in the next block and returns its result.
func exec(t *testing.T, c *apptest.Chain, k apptest.Key, msgs ...*auth.Msg) core.TxResult {
	t.Helper()
	return c.Block(c.Tx(k, msgs...)).TxResults[0]
}

// mustExec runs one tx and fails the test if it fails.
func mustExec(t *testing.T, c *apptest.Chain, k apptest.Key, msgs ...*auth.Msg) core.TxResult {
	t.Helper()
	r := exec(t, c, k, msgs...)
	if r.Err != nil {
		t.Fatalf("%s: %v", k.Name, r.Err)
	}
	return r
}

// wantErr asserts the registered code of err and that its log contains every fragment.
func wantErr(t *testing.T, err error, want *core.Error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got success, want %s/%d %q", want.Codespace, want.Code, want.Desc)
	}
	space, code, log := core.ABCIInfo(err)
	if space != want.Codespace || code != want.Code {
		t.Fatalf("got %s/%d %q, want %s/%d (%s)", space, code, log, want.Codespace, want.Code, want.Desc)
	}
	for _, f := range fragments {
		if !strings.Contains(log, f) {
			t.Fatalf("log %q does not contain %q", log, f)
		}
	}
}

// event returns the attributes of the first event of type typ, or fails.
func event(t *testing.T, events []abci.Event, typ string) map[string]string {
	t.Helper()
	for _, e := range events {
		if e.Type == typ {
			m := map[string]string{}
			for _, a := range e.Attributes {
				if !a.Index {
					t.Errorf("event %s attribute %s is not indexed", typ, a.Key)
				}
				m[a.Key] = a.Value
			}
			return m
		}
	}
	t.Fatalf("no %s event in %v", typ, events)
	return nil
}

// next is the block time of the next block.
func next(c *apptest.Chain) time.Time { return c.Time.Add(c.BlockInterval) }

func claimOf(t *testing.T, c *apptest.Chain, id uint64) *claims.ClaimWithAttestations {
	t.Helper()
	var out claims.ClaimWithAttestations
	if err := c.Query("/claims/claim/"+itoa(id), nil, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func itoa(u uint64) string { return core.Uhour(u)[:len(core.Uhour(u))-len("uhour")] }

func memberOf(t *testing.T, c *apptest.Chain, k apptest.Key) *members.QueryMemberResponse {
	t.Helper()
	var out members.QueryMemberResponse
	if err := c.Query("/members/member/"+k.Addr.String(), nil, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// noCooldown sets the shortest vouch cooldown, one second: a test chain's blocks are a second apart,
// so a member may vouch in every block.
func noCooldown(g *app.GenesisState) { g.Members.Params.VouchCooldown = members.MinVouchCooldown }

func TestVouchRejections(t *testing.T) {
	tests := []struct {
		name   string
		tweak  func(*app.GenesisState)
		setup  func(t *testing.T, c *apptest.Chain)
		signer apptest.Key
		msg    *auth.Msg
		want   *core.Error
		frags  []string
	}{
		{name: "non-member voucher", signer: outsider, msg: apptest.Vouch(erin, "erin"),
			want: members.ErrNotMember, frags: []string{"is not an active member"}},
		{name: "candidate voucher", tweak: noCooldown, signer: erin, msg: apptest.Vouch(frank, "frank"),
			setup: func(t *testing.T, c *apptest.Chain) { mustExec(t, c, alice, apptest.Vouch(erin, "erin")) },
			want:  members.ErrNotMember},
		{name: "invalid handle characters", signer: alice, msg: apptest.Vouch(erin, "erin_s"),
			want: members.ErrInvalidHandle, frags: []string{`contains '_'`}},
		{name: "handle too short", signer: alice, msg: apptest.Vouch(erin, "er"),
			want: members.ErrInvalidHandle, frags: []string{"3 to 32"}},
		{name: "handle too long", signer: alice, msg: apptest.Vouch(erin, strings.Repeat("e", 33)),
			want: members.ErrInvalidHandle},
		{name: "upper-case handle", signer: alice, msg: apptest.Vouch(erin, "Erin"),
			want: members.ErrInvalidHandle, frags: []string{`try "erin"`}},
		{name: "duplicate handle", signer: alice, msg: apptest.Vouch(erin, "bob"),
			want: members.ErrHandleTaken, frags: []string{bob.Addr.String()}},
		{name: "missing handle", signer: alice, msg: apptest.Vouch(erin, ""),
			want: members.ErrHandleRequired},
		{name: "self vouch", signer: alice, msg: apptest.Vouch(alice, ""),
			want: members.ErrSelfVouch},
		{name: "existing member", signer: alice, msg: apptest.Vouch(bob, ""),
			want: members.ErrAlreadyMember, frags: []string{"(bob)"}},
		{name: "bad candidate address", signer: alice,
			msg:  &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: "commons1nope", Handle: "erin"}}},
			want: core.ErrInvalidAddress},
		{name: "twice for the same candidate", tweak: noCooldown, signer: alice, msg: apptest.Vouch(erin, ""),
			setup: func(t *testing.T, c *apptest.Chain) { mustExec(t, c, alice, apptest.Vouch(erin, "erin")) },
			want:  members.ErrDuplicateVouch},
		{name: "handle mismatch", signer: bob, msg: apptest.Vouch(erin, "erin2"),
			setup: func(t *testing.T, c *apptest.Chain) { mustExec(t, c, alice, apptest.Vouch(erin, "erin")) },
			want:  members.ErrHandleMismatch, frags: []string{`"erin"`}},
		{name: "during cooldown", signer: alice, msg: apptest.Vouch(frank, "frank"),
			setup: func(t *testing.T, c *apptest.Chain) { mustExec(t, c, alice, apptest.Vouch(erin, "erin")) },
			want:  members.ErrVouchCooldown, frags: []string{"2026-11-21 09:00:01 UTC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := contribChain(t, tt.tweak)
			if tt.setup != nil {
				tt.setup(t, c)
			}
			before := c.Seq(tt.signer.Addr)
			r := exec(t, c, tt.signer, tt.msg)
			wantErr(t, r.Err, tt.want, tt.frags...)
			if len(r.Events) != 0 || c.Seq(tt.signer.Addr) != before {
				t.Fatalf("failed tx changed state: events %v", r.Events)
			}
		})
	}
}

func TestVouchCooldownEnds(t *testing.T) {
	c := contribChain(t, nil)
	mustExec(t, c, alice, apptest.Vouch(erin, "erin"))
	c.BlockInterval = 24*time.Hour - time.Second
	wantErr(t, exec(t, c, alice, apptest.Vouch(frank, "frank")).Err, members.ErrVouchCooldown, "(in 1s)")
	c.BlockInterval = time.Second // exactly one cooldown after the vouch
	mustExec(t, c, alice, apptest.Vouch(frank, "frank"))
}

func TestAdmission(t *testing.T) {
	c := contribChain(t, nil)
	r := mustExec(t, c, alice, apptest.Vouch(erin, "erin"))
	ev := event(t, r.Events, "member_vouched")
	if ev["candidate"] != erin.Addr.String() || ev["vouches"] != "1" || ev["needed"] != "2" || ev["handle"] != "erin" {
		t.Fatalf("member_vouched %v", ev)
	}
	if m := memberOf(t, c, erin); m.Member.Status != members.MemberStatus_MEMBER_STATUS_CANDIDATE {
		t.Fatalf("after one vouch: %v", m.Member)
	}
	// A candidate has an account (it can sign) but may not claim yet.
	wantErr(t, exec(t, c, erin, apptest.SubmitClaim(c.Time.Add(-time.Hour), c.Time, "care", "")).Err, claims.ErrClaimantNotMember)

	r = mustExec(t, c, bob, apptest.Vouch(erin, "erin"))
	ev = event(t, r.Events, "member_admitted")
	if ev["member"] != erin.Addr.String() || ev["handle"] != "erin" {
		t.Fatalf("member_admitted %v", ev)
	}
	m := memberOf(t, c, erin).Member
	if m.Status != members.MemberStatus_MEMBER_STATUS_ACTIVE || m.JoinedAt != c.Time.Unix() ||
		len(m.Vouchers) != 2 || m.Vouchers[0] != alice.Addr.String() || m.Vouchers[1] != bob.Addr.String() {
		t.Fatalf("admitted member %+v", m)
	}
	var list members.QueryMembersResponse
	if err := c.Query("/members/members", &members.QueryMembersRequest{HandlePrefix: "e"}, &list); err != nil {
		t.Fatal(err)
	}
	if list.Total != 1 || list.Members[0].Handle != "erin" {
		t.Fatalf("handle search: %v", list)
	}
	var all members.QueryMembersResponse
	if err := c.Query("/members/members", nil, &all); err != nil || all.Total != 5 || all.Members[0].Handle != "alice" {
		t.Fatalf("all members: %v %v", all, err)
	}
}

func hoursAgo(c *apptest.Chain, h float64) time.Time {
	return next(c).Add(-time.Duration(h * float64(time.Hour)))
}

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
			Start: at(8, 0).Unix(), End: at(9, 0).Unix(), Category: "care",
			Evidence: []*claims.Evidence{{Uri: "https://x", Sha256: make([]byte, 16)}}}}},
			claims.ErrInvalidEvidence, []string{"give 32 bytes or none"}},
		{"evidence without uri", alice, &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{
			Start: at(8, 0).Unix(), End: at(9, 0).Unix(), Category: "care", Evidence: []*claims.Evidence{{}}}}},
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
	mustExec(t, c, alice, apptest.SubmitClaim(at(6, 0), at(8, 0), "care", ""))
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
	t.Run("adjacent before", func(t *testing.T) { mustExec(t, c, alice, apptest.SubmitClaim(at(5, 0), at(6, 0), "care", "")) })
	t.Run("same interval by another member", func(t *testing.T) {
		mustExec(t, c, bob, apptest.SubmitClaim(at(6, 0), at(8, 0), "care", ""))
	})
	t.Run("exactly max duration and max age", func(t *testing.T) {
		start := next(c).Add(-30 * 24 * time.Hour)
		mustExec(t, c, carol, apptest.SubmitClaim(start, start.Add(16*time.Hour), "ecology", ""))
	})
	t.Run("ends at block time", func(t *testing.T) {
		mustExec(t, c, dave, apptest.SubmitClaim(next(c).Add(-time.Hour), next(c), "teaching", ""))
	})
}

func TestAttestRejections(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, c *apptest.Chain)
		signer apptest.Key
		msg    *auth.Msg
		want   *core.Error
		frags  []string
	}{
		{name: "claim not found", signer: bob, msg: apptest.Approve(99), want: claims.ErrClaimNotFound, frags: []string{"no claim 99"}},
		{name: "non-member attestor", signer: outsider, msg: apptest.Approve(1), want: claims.ErrAttestorNotMember},
		{name: "self attestation", signer: alice, msg: apptest.Approve(1), want: claims.ErrSelfAttestation},
		{name: "duplicate attestation", signer: bob, msg: apptest.Reject(1), want: claims.ErrDuplicateAttest,
			setup: func(t *testing.T, c *apptest.Chain) { mustExec(t, c, bob, apptest.Approve(1)) }},
		{name: "at the deadline", signer: bob, msg: apptest.Approve(1), want: claims.ErrWindowClosed,
			frags: []string{"closed for attestations at 2026-11-27 09:00:01 UTC"},
			setup: func(t *testing.T, c *apptest.Chain) { c.BlockInterval = 7 * 24 * time.Hour }},
		{name: "invalid verdict", signer: bob, msg: &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: 1}}},
			want: claims.ErrInvalidVerdict},
		{name: "note too long", signer: bob, want: claims.ErrNoteTooLong,
			msg: &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: 1, Verdict: claims.Verdict_VERDICT_APPROVE, Note: strings.Repeat("n", 513)}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := contribChain(t, nil)
			mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "care", ""))
			if tt.setup != nil {
				tt.setup(t, c)
			}
			wantErr(t, exec(t, c, tt.signer, tt.msg).Err, tt.want, tt.frags...)
		})
	}
}

func TestAttestLastSecondCounts(t *testing.T) {
	c := contribChain(t, nil)
	mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "care", ""))
	mustExec(t, c, bob, apptest.Approve(1))
	c.BlockInterval = 7*24*time.Hour - 2*time.Second // one second before the deadline
	r := mustExec(t, c, carol, apptest.Approve(1))
	if ev := event(t, r.Events, "attested"); ev["verdict"] != "approve" || ev["approvals"] != "2" || ev["claim_id"] != "1" {
		t.Fatalf("attested %v", ev)
	}
	c.BlockInterval = time.Second
	res := c.Block()
	if ev := event(t, res.Events, "claim_finalized"); ev["status"] != "verified" || ev["minted"] != "1000000uhour" {
		t.Fatalf("claim_finalized %v", ev)
	}
}

func TestFinalization(t *testing.T) {
	tests := []struct {
		name     string
		verdicts map[string]bool // attestor name → approve
		want     claims.ClaimStatus
	}{
		{"no attestations", nil, claims.ClaimStatus_CLAIM_STATUS_REJECTED},
		{"one approval is below min_approvals", map[string]bool{"bob": true}, claims.ClaimStatus_CLAIM_STATUS_REJECTED},
		{"two approvals", map[string]bool{"bob": true, "carol": true}, claims.ClaimStatus_CLAIM_STATUS_VERIFIED},
		{"exactly one third reject", map[string]bool{"bob": true, "carol": true, "dave": false}, claims.ClaimStatus_CLAIM_STATUS_REJECTED},
		{"three approvals one reject", map[string]bool{"bob": true, "carol": true, "dave": true, "erin": false}, claims.ClaimStatus_CLAIM_STATUS_VERIFIED},
		{"majority reject", map[string]bool{"bob": true, "carol": false, "dave": false}, claims.ClaimStatus_CLAIM_STATUS_REJECTED},
	}
	keys := map[string]apptest.Key{"bob": bob, "carol": carol, "dave": dave, "erin": erin}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := apptest.NewChain(t, "", apptest.ContribGenesis(0, alice, bob, carol, dave, erin))
			start, end := hoursAgo(c, 3), hoursAgo(c, 0.5)
			mustExec(t, c, alice, apptest.SubmitClaim(start, end, "code", ""))
			var txs [][]byte
			for _, name := range []string{"bob", "carol", "dave", "erin"} { // fixed order: determinism
				if approve, ok := tt.verdicts[name]; ok {
					msg := apptest.Reject(1)
					if approve {
						msg = apptest.Approve(1)
					}
					txs = append(txs, c.Tx(keys[name], msg))
				}
			}
			c.Block(txs...)
			c.BlockInterval = 7 * 24 * time.Hour
			res := c.Block()
			ev := event(t, res.Events, "claim_finalized")
			got := claimOf(t, c, 1).Claim
			if got.Status != tt.want || ev["status"] != claims.StatusName(tt.want) {
				t.Fatalf("status %v, event %v; want %v", got.Status, ev, tt.want)
			}
			wantMint := uint64(0)
			if tt.want == claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
				wantMint = 2_500_000
			}
			if got.Minted != wantMint || ev["minted"] != core.Uhour(wantMint) || c.Account(alice.Addr).Balance != wantMint {
				t.Fatalf("minted %d, event %s, balance %d; want %d", got.Minted, ev["minted"], c.Account(alice.Addr).Balance, wantMint)
			}
			// A rejected claim frees its interval; a verified one keeps it.
			r := exec(t, c, alice, apptest.SubmitClaim(start, end, "code", "again"))
			if tt.want == claims.ClaimStatus_CLAIM_STATUS_REJECTED && r.Err != nil {
				t.Fatalf("resubmitting a rejected interval: %v", r.Err)
			}
			if tt.want == claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
				wantErr(t, r.Err, claims.ErrClaimOverlaps, "claim overlaps claim 1 ")
			}
			if err := c.Invariants(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestFullLoop: vouch in a new member, claim 1h30m of care, two approvals, past the window →
// VERIFIED, exactly 1.5 hours minted and visible in the supply statistics.
func TestFullLoop(t *testing.T) {
	c := apptest.NewChain(t, "", apptest.ContribGenesis(0, alice, bob))
	r := mustExec(t, c, alice, apptest.Vouch(erin, "erin"))
	event(t, r.Events, "account_created")
	r = mustExec(t, c, bob, apptest.Vouch(erin, ""))
	event(t, r.Events, "member_admitted")

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
	if s.Minted != 1_500_000 || s.Circulating != 1_500_000 || s.Members != 3 || s.ClaimsVerified != 1 || s.ClaimsPending != 0 {
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
	mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 3), hoursAgo(c, 2), "care", "")) // 1
	mustExec(t, c, bob, apptest.SubmitClaim(hoursAgo(c, 3), hoursAgo(c, 2), "code", ""))   // 2
	mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "code", "")) // 3
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
	mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "care", ""))
	c.Block(c.Tx(bob, apptest.Approve(1)), c.Tx(carol, apptest.Approve(1)))
	mustExec(t, c, bob, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "code", ""))
	mustExec(t, c, alice, apptest.Vouch(erin, "erin"))
	c.BlockInterval = 31 * time.Second
	c.Block() // claim 1 verified, claim 2 rejected
	c.BlockInterval = time.Second
	mustExec(t, c, carol, apptest.SubmitClaim(hoursAgo(c, 2), hoursAgo(c, 1), "care", "")) // 3 pending

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
	if m := memberOf(t, c2, erin); m.Member.Status != members.MemberStatus_MEMBER_STATUS_CANDIDATE {
		t.Fatalf("candidate lost: %v", m)
	}
}

func ptr[T any](v T) *T { return &v }

// TestInvariantsDetectCorruption checks that each invariant actually fires: every case corrupts a
// copy of a healthy state in one way and expects CheckInvariants to name the broken invariant.
func TestInvariantsDetectCorruption(t *testing.T) {
	c := apptest.NewChain(t, "", apptest.ContribGenesis(5_000_000, alice, bob, carol))
	mustExec(t, c, alice, apptest.SubmitClaim(hoursAgo(c, 3), hoursAgo(c, 2), "care", ""))
	c.Block(c.Tx(bob, apptest.Approve(1)), c.Tx(carol, apptest.Approve(1)))
	c.BlockInterval = 7 * 24 * time.Hour
	c.Block()
	c.BlockInterval = time.Second
	mustExec(t, c, bob, apptest.SubmitClaim(hoursAgo(c, 3), hoursAgo(c, 2), "code", ""))
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
			if err := (bank.Keeper{}).Mint(core.NewContext(kv, c.Height, c.Time.Unix(), apptest.ChainID), bob.Addr, 1); err != nil {
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
		return &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{Start: start, End: end, Category: "care"}}}
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
		if err := c.Query("/members/members", &members.QueryMembersRequest{HandlePrefix: long, Offset: 1<<64 - 1, Limit: 1<<64 - 1}, &list); err != nil || list.Total != 0 {
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
