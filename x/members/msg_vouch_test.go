package members_test

import (
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

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
			want:  members.ErrVouchCooldown, frags: []string{"2026-12-20 09:00:01 UTC"}}, // 30 days
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
	c.BlockInterval = 30*24*time.Hour - time.Second // the production cooldown, 30 days
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
	wantErr(t, exec(t, c, erin, apptest.SubmitClaim(c.Time.Add(-time.Hour), c.Time, "care", "work")).Err, claims.ErrClaimantNotMember)

	r = mustExec(t, c, bob, apptest.Vouch(erin, "erin"))
	ev = event(t, r.Events, "member_admitted")
	if ev["member"] != erin.Addr.String() || ev["handle"] != "erin" {
		t.Fatalf("member_admitted %v", ev)
	}
	m := memberOf(t, c, erin).Member
	probation := members.DefaultParams().Probation
	if m.Status != members.MemberStatus_MEMBER_STATUS_PROBATION || m.JoinedAt != c.Time.Unix() || m.ProbationUntil != m.JoinedAt+probation ||
		len(m.Vouchers) != 2 || m.Vouchers[0] != alice.Addr.String() || m.Vouchers[1] != bob.Addr.String() || ev["status"] != "probation" {
		t.Fatalf("admitted member %+v, event %v", m, ev)
	}
	// On probation erin may claim her own work, but not vouch, attest or dispute; a vouch for her is
	// refused as for any member.
	wantErr(t, exec(t, c, erin, apptest.SubmitClaim(c.Time.Add(-time.Hour), c.Time, "care", "work")).Err, claims.ErrBeforeJoining)
	c.Settle(time.Hour)
	mustExec(t, c, erin, apptest.SubmitClaim(c.Time.Add(-time.Hour), c.Time, "care", "work"))
	wantErr(t, exec(t, c, erin, apptest.Vouch(apptest.NewKey("fred"), "fred")).Err, members.ErrOnProbation, "is on probation until", "may claim their own work")
	wantErr(t, exec(t, c, erin, apptest.Approve(1)).Err, members.ErrOnProbation)
	wantErr(t, exec(t, c, apptest.Carol, apptest.Vouch(erin, "")).Err, members.ErrAlreadyMember, "already a member (probation)")
	// The end of the first block at or past probation_until makes her ACTIVE.
	c.BlockInterval = time.Duration(m.ProbationUntil-c.Time.Unix()-1) * time.Second
	c.Block()
	if st := memberOf(t, c, erin).Member.Status; st != members.MemberStatus_MEMBER_STATUS_PROBATION {
		t.Fatalf("a second before probation_until: %v", st)
	}
	c.BlockInterval = time.Second
	if ev := event(t, c.Block().Events, "probation_ended"); ev["member"] != erin.Addr.String() {
		t.Fatalf("probation_ended %v", ev)
	}
	if st := memberOf(t, c, erin).Member.Status; st != members.MemberStatus_MEMBER_STATUS_ACTIVE {
		t.Fatalf("after probation: %v", st)
	}
	mustExec(t, c, erin, apptest.Vouch(apptest.NewKey("fred"), "fred"))
	var list members.QueryMembersResponse
	if err := c.Query("/members/members", &members.QueryMembersRequest{HandlePrefix: "e"}, &list); err != nil {
		t.Fatal(err)
	}
	if list.Total != 1 || list.Members[0].Handle != "erin" {
		t.Fatalf("handle search: %v", list)
	}
	var all members.QueryMembersResponse
	if err := c.Query("/members/members", nil, &all); err != nil || all.Total != 6 || all.Members[0].Handle != "alice" {
		t.Fatalf("all members: %v %v", all, err)
	}
}
