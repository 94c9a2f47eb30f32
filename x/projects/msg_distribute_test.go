package projects_test

import (
	"slices"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/projects"
)

// Three contributors of 1 h, 2 h and 4 h; 70 hours paid in: the distribution pays exactly 10, 20
// and 40 hours and empties the account. A second distribution of the same period is refused, even
// with hours paid in again.
func TestDistributeSplitsByHours(t *testing.T) {
	c := projectChain(t, nil)
	from, to := seven(t, c)
	pay(t, c, 1, 70*h)
	gains := gainsOf(c, alice, bob, carol)
	r := mustExec(t, c, bob, apptest.Distribute("garden", from, to))
	if e := event(t, r.Events, "distribution"); e["total"] != "70000000uhour" || e["contributors"] != "3" || e["distribution_id"] != "1" {
		t.Fatalf("distribution event %v", e)
	}
	wantGains(t, gains(), 10*h, 20*h, 40*h)
	v := projectView(t, c, "garden")
	if v.Balance != 0 || v.Project.Distributed != 70*h || v.Project.Distributions != 1 {
		t.Fatalf("project after the distribution: balance %d, %v", v.Balance, v.Project)
	}
	var ds projects.QueryDistributionsResponse
	if err := c.Query("/projects/distributions/garden", nil, &ds); err != nil {
		t.Fatal(err)
	}
	d := ds.Distributions[0]
	if ds.Total != 1 || d.Total != 70*h || d.From != from.Unix() || d.To != to.Unix() || d.Claims != 3 || d.Steward != bob.Addr.String() {
		t.Fatalf("recorded distribution %v (total %d)", d, ds.Total)
	}
	if got := payouts(d); got[alice.Addr.String()] != 10*h || got[bob.Addr.String()] != 20*h || got[carol.Addr.String()] != 40*h {
		t.Fatalf("recorded payouts %v", got)
	}

	pay(t, c, 1, 7*h)
	wantErr(t, exec(t, c, bob, apptest.Distribute("garden", from, to)).Err, projects.ErrPeriodDistributed,
		"distribution 1 already paid", "a period is distributed once")
	// Overlapping it by one second at either end is the same period paid twice.
	wantErr(t, exec(t, c, bob, apptest.Distribute("garden", to.Add(-time.Second), c.Time)).Err, projects.ErrPeriodDistributed)
	wantErr(t, exec(t, c, bob, apptest.Distribute("garden", from.Add(-time.Hour), from.Add(time.Second))).Err, projects.ErrPeriodDistributed)
	// The period after it holds no verified claim.
	wantErr(t, exec(t, c, bob, apptest.Distribute("garden", to, c.Time)).Err, projects.ErrNoContributors,
		"no verified claim of \"garden\" was verified in")
}

// With 71 hours the split is not whole: 71,000,000 uhour × 1/7, 2/7, 4/7 are 10,142,857.14…,
// 20,285,714.28… and 40,571,428.57…; the floors sum to 70,999,999 and the one micro-hour left goes
// to the largest remainder, carol's (4/7 of a micro-hour against 1/7 and 2/7). The project-shares
// query splits 1,000,000 ppm by the same rule: 142,857, 285,714 and 571,429.
func TestDistributeLargestRemainder(t *testing.T) {
	c := projectChain(t, nil)
	from, to := seven(t, c)

	var s projects.QuerySharesResponse
	if err := c.Query("/projects/shares/garden", &projects.QuerySharesRequest{From: from.Unix(), To: to.Unix()}, &s); err != nil {
		t.Fatal(err)
	}
	ppm := map[string]uint64{}
	var sum uint64
	for _, sh := range s.Shares {
		ppm[sh.Address] = sh.Ppm
		sum += sh.Ppm
	}
	if s.Uhours != 7*h || s.Claims != 3 || sum != projects.PPM || ppm[alice.Addr.String()] != 142_857 ||
		ppm[bob.Addr.String()] != 285_714 || ppm[carol.Addr.String()] != 571_429 {
		t.Fatalf("shares %v", &s)
	}

	pay(t, c, 1, 71*h)
	gains := gainsOf(c, alice, bob, carol)
	mustExec(t, c, alice, apptest.Distribute("garden", from, to))
	got := gains()
	wantGains(t, got, 10_142_857, 20_285_714, 40_571_429)
	total := got[0] + got[1] + got[2]
	if total != 71_000_000 || c.Account(apptest.ProjectAccount(1)).Balance != 0 {
		t.Fatalf("paid %d uhour in all, want exactly 71,000,000 and an empty account", total)
	}
}

// A claim reversed by a dispute counts for nothing: carol's 4 hours are reversed before the
// distribution, so 30 hours go to alice and bob as 10 and 20, and carol is not paid.
func TestDistributeExcludesReversedClaims(t *testing.T) {
	c := projectChain(t, nil)
	from, _ := seven(t, c)
	mustExec(t, c, dave, &auth.Msg{Sum: &auth.Msg_OpenDispute{OpenDispute: &disputes.MsgOpenDispute{ClaimId: 3, Reason: "invented hours"}}})
	c.Block() // draws the jury
	var d disputes.DisputeWithVotes
	if err := c.Query("/disputes/dispute/1", nil, &d); err != nil {
		t.Fatal(err)
	}
	for _, j := range d.Dispute.Jurors {
		mustExec(t, c, keyOf(t, j), &auth.Msg{Sum: &auth.Msg_JuryVote{JuryVote: &disputes.MsgJuryVote{DisputeId: 1, Vote: disputes.JuryVote_JURY_VOTE_UPHOLD}}})
	}
	c.Settle(30 * time.Second) // decided
	c.Settle(61 * time.Second) // final, and reversed
	if cl := apptest.ClaimOf(t, c, 3).Claim; cl.Status != claims.ClaimStatus_CLAIM_STATUS_REVERSED || cl.Project != "garden" {
		t.Fatalf("claim 3: %v", cl)
	}
	to := c.Time.Add(time.Second)
	var s projects.QuerySharesResponse
	if err := c.Query("/projects/shares/garden", &projects.QuerySharesRequest{From: from.Unix(), To: to.Unix()}, &s); err != nil {
		t.Fatal(err)
	}
	if s.Uhours != 3*h || s.Claims != 2 || len(s.Shares) != 2 {
		t.Fatalf("shares after the reversal: %v", &s)
	}
	pay(t, c, 1, 30*h)
	gains := gainsOf(c, alice, bob, carol)
	mustExec(t, c, alice, apptest.Distribute("garden", from, to))
	wantGains(t, gains(), 10*h, 20*h, 0)
}

func TestDistributeRejections(t *testing.T) {
	tests := []struct {
		name   string
		tweak  func(*app.GenesisState)
		setup  func(t *testing.T, c *apptest.Chain)
		signer apptest.Key
		msg    func(from, to time.Time) *auth.Msg
		want   *core.Error
		log    string
	}{
		{name: "unknown project", signer: alice, msg: func(f, t time.Time) *auth.Msg { return apptest.Distribute("orchard", f, t) },
			want: projects.ErrProjectNotFound, log: "project not found: no project \"orchard\""},
		{name: "not a steward", signer: carol, msg: func(f, t time.Time) *auth.Msg { return apptest.Distribute("garden", f, t) },
			want: projects.ErrNotSteward, log: "is not an active steward of \"garden\""},
		{name: "outsider", signer: outsider, msg: func(f, t time.Time) *auth.Msg { return apptest.Distribute("garden", f, t) },
			want: projects.ErrNotSteward},
		{name: "empty period", signer: alice, msg: func(f, t time.Time) *auth.Msg { return apptest.Distribute("garden", t, t) },
			want: projects.ErrInvalidPeriod, log: "is not after from"},
		{name: "period not ended", signer: alice, msg: func(f, t time.Time) *auth.Msg { return apptest.Distribute("garden", f, t.Add(time.Hour)) },
			want: projects.ErrInvalidPeriod, log: "distribute only a period that has ended"},
		{name: "nothing to distribute", signer: alice, msg: func(f, t time.Time) *auth.Msg { return apptest.Distribute("garden", f, t) },
			want: projects.ErrNothingToDistribute, log: "holds nothing; pay hours into it first",
			setup: func(t *testing.T, c *apptest.Chain) {}},
		{name: "too many claims", signer: alice, msg: func(f, t time.Time) *auth.Msg { return apptest.Distribute("garden", f, t) },
			tweak: func(g *app.GenesisState) { g.Projects.Params.MaxDistributionClaims = 2 },
			want:  projects.ErrTooManyClaims, log: "holds more than 2 verified claims of \"garden\" (max_distribution_claims); distribute a shorter period"},
		{name: "too many contributors", signer: alice, msg: func(f, t time.Time) *auth.Msg { return apptest.Distribute("garden", f, t) },
			tweak: func(g *app.GenesisState) { g.Projects.Params.MaxDistributionContributors = 2 },
			want:  projects.ErrTooManyContributors, log: "has more than 2 contributors to \"garden\" (max_distribution_contributors)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := projectChain(t, tt.tweak)
			from, to := seven(t, c)
			if tt.setup == nil {
				pay(t, c, 1, h)
			} else {
				tt.setup(t, c)
			}
			before := c.Account(apptest.ProjectAccount(1)).Balance
			wantErr(t, exec(t, c, tt.signer, tt.msg(from, to)).Err, tt.want, tt.log)
			if after := c.Account(apptest.ProjectAccount(1)).Balance; after != before {
				t.Fatalf("a refused distribution moved the account from %d to %d", before, after)
			}
		})
	}
}

// Demurrage applies to a project's account as to any other: 70 hours left there for 30 days decay
// at 5 % a year, and a distribution splits exactly what the bank says the account holds at its
// block time (the payouts sum to it and the account ends empty).
func TestDistributeAfterDemurrage(t *testing.T) {
	c := projectChain(t, func(g *app.GenesisState) { g.Bank.Params.DemurragePpmPerYear = 50_000 })
	from, to := seven(t, c)
	pay(t, c, 1, 70*h)
	c.Settle(30 * 24 * time.Hour)
	held := projectView(t, c, "garden").Balance // as of the last block's time
	if held >= 70*h || held < 69*h {
		t.Fatalf("after 30 days the account holds %d uhour; want a little less than 70 hours", held)
	}
	c.BlockInterval = time.Second // the same day: no further decay before the distribution
	r := mustExec(t, c, bob, apptest.Distribute("garden", from, to))
	var ds projects.QueryDistributionsResponse
	if err := c.Query("/projects/distributions/garden", nil, &ds); err != nil {
		t.Fatal(err)
	}
	// The contributors' balances also realise their own pending demurrage when credited, so the
	// record, not their balances, shows what was paid.
	var sum uint64
	for _, p := range ds.Distributions[0].Payouts {
		sum += p.Amount
	}
	if sum != held || ds.Distributions[0].Total != held || event(t, r.Events, "distribution")["total"] != core.Uhour(held) {
		t.Fatalf("paid %v (sum %d), want the %d uhour the account held", ds.Distributions[0].Payouts, sum, held)
	}
	if left := c.Account(apptest.ProjectAccount(1)).Balance; left != 0 {
		t.Fatalf("%d uhour left in the account", left)
	}
}

// The distributions query pages newest period first, and an offset past the end is an empty page.
func TestDistributionsPage(t *testing.T) {
	c := projectChain(t, nil)
	from, to := seven(t, c)
	var ends []int64 // each distribution's period end, oldest first
	for i := range 3 {
		if i > 0 {
			contribute(t, c, alice, "garden", 1, 1, bob, carol)
			c.Settle(week)
			from, to = to, c.Time.Add(time.Second)
		}
		pay(t, c, 1, 7*h)
		mustExec(t, c, bob, apptest.Distribute("garden", from, to))
		ends = append(ends, to.Unix())
	}
	page := func(offset, limit uint64) []int64 {
		t.Helper()
		var ds projects.QueryDistributionsResponse
		if err := c.Query("/projects/distributions/garden", &projects.QueryDistributionsRequest{Offset: offset, Limit: limit}, &ds); err != nil {
			t.Fatal(err)
		}
		if ds.Total != 3 {
			t.Fatalf("total %d, want 3", ds.Total)
		}
		var got []int64
		for _, d := range ds.Distributions {
			got = append(got, d.To)
		}
		return got
	}
	for _, tc := range []struct {
		offset, limit uint64
		want          []int64
	}{
		{0, 0, []int64{ends[2], ends[1], ends[0]}},
		{1, 1, []int64{ends[1]}},
		{2, 5, []int64{ends[0]}},
		{3, 1, nil},
	} {
		if got := page(tc.offset, tc.limit); !slices.Equal(got, tc.want) {
			t.Errorf("offset %d limit %d: period ends %v, want %v", tc.offset, tc.limit, got, tc.want)
		}
	}
}
