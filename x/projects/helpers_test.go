package projects_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/projects"
)

var (
	alice, bob, carol, dave = apptest.Alice, apptest.Bob, apptest.Carol, apptest.Dave
	outsider                = apptest.Outsider
	// jurors are six more founders, so that a dispute can draw a jury and reverse a claim.
	jurors = []apptest.Key{apptest.NewKey("juror1"), apptest.NewKey("juror2"), apptest.NewKey("juror3"),
		apptest.NewKey("juror4"), apptest.NewKey("juror5"), apptest.NewKey("juror6")}

	mustExec = apptest.MustExec
	exec     = apptest.Exec
	wantErr  = apptest.WantErr
	event    = apptest.Event
)

const (
	h    = uint64(1_000_000) // one hour in uhour
	week = 7 * 24 * time.Hour
)

// founders are the members of projectChain.
func founders() []apptest.Key { return append([]apptest.Key{alice, bob, carol, dave}, jurors...) }

// projectChain starts a chain of ten founders with 10 hours each and an outsider (a non-member)
// with 500 hours to pay into projects, demurrage off (so that amounts are exact whatever the
// days) and the devnet dispute params, changed by tweak; it checks the app invariants when the
// test ends.
func projectChain(t testing.TB, tweak func(*app.GenesisState)) *apptest.Chain {
	t.Helper()
	g := apptest.ContribGenesis(10*h, founders()...)
	g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: outsider.Addr.String(), Balance: 500 * h})
	g.Bank.Params.DemurragePpmPerYear = 0
	dp := disputes.DevnetParams()
	g.Disputes.Params = &dp
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

// contribute has who claim hours hours for project, ending endAgo hours before the next block,
// approved by the two attestors; it returns the claim id. The claim is VERIFIED once the chain
// settles a week.
func contribute(t testing.TB, c *apptest.Chain, who apptest.Key, project string, endAgo, hours float64, attestors ...apptest.Key) uint64 {
	t.Helper()
	r := mustExec(t, c, who, apptest.ProjectClaim(c.HoursAgo(endAgo+hours), c.HoursAgo(endAgo), "care", project))
	id, _ := strconv.ParseUint(event(t, r.Events, "claim_submitted")["claim_id"], 10, 64)
	for _, a := range attestors {
		mustExec(t, c, a, apptest.Approve(id))
	}
	return id
}

// seven makes alice, bob and carol contribute 1, 2 and 4 hours to project "garden" (created by
// alice with bob as a second steward), each approved by the two others, and verifies them. It
// returns the period that holds their verification: [genesis time, now].
func seven(t testing.TB, c *apptest.Chain) (from, to time.Time) {
	t.Helper()
	mustExec(t, c, alice, apptest.CreateProject("garden", "Community garden", bob))
	contribute(t, c, alice, "garden", 1, 1, bob, carol)
	contribute(t, c, bob, "garden", 1, 2, alice, carol)
	contribute(t, c, carol, "garden", 1, 4, alice, bob)
	c.Settle(week)
	return apptest.GenesisTime, c.Time.Add(time.Second)
}

// pay has the outsider transfer amount into project n's account.
func pay(t testing.TB, c *apptest.Chain, n uint64, amount uint64) {
	t.Helper()
	mustExec(t, c, outsider, apptest.Transfer(apptest.ProjectAccount(n), amount))
}

// gainsOf notes the balances of keys now and returns a function that gives what each has gained
// since.
func gainsOf(c *apptest.Chain, keys ...apptest.Key) func() []uint64 {
	before := make([]uint64, len(keys))
	for i, k := range keys {
		before[i] = c.Account(k.Addr).Balance
	}
	return func() []uint64 {
		out := make([]uint64, len(keys))
		for i, k := range keys {
			out[i] = c.Account(k.Addr).Balance - before[i]
		}
		return out
	}
}

// wantGains compares the gains of alice, bob and carol (in that order) with want.
func wantGains(t testing.TB, got []uint64, want ...uint64) {
	t.Helper()
	for i, name := range []string{"alice", "bob", "carol"} {
		if got[i] != want[i] {
			t.Errorf("%s received %d uhour, want %d", name, got[i], want[i])
		}
	}
}

func projectView(t testing.TB, c *apptest.Chain, handle string) *projects.ProjectView {
	t.Helper()
	var out projects.ProjectView
	if err := c.Query("/projects/project/"+handle, nil, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// payouts renders a distribution's payouts as address → amount.
func payouts(d *projects.Distribution) map[string]uint64 {
	out := map[string]uint64{}
	for _, p := range d.Payouts {
		out[p.Address] = p.Amount
	}
	return out
}

// keyOf finds the founder key of an address.
func keyOf(t testing.TB, addr string) apptest.Key {
	t.Helper()
	for _, k := range founders() {
		if k.Addr.String() == addr {
			return k
		}
	}
	t.Fatalf("no key for %s", addr)
	return apptest.Key{}
}
