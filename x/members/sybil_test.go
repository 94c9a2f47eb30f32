package members_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/members"
)

// ringGrowth lets a ring that starts as two colluding founders grow as fast as the rules allow for
// days days: every day each of its ACTIVE members whose vouch cooldown has passed vouches once, two
// vouches admitting one sybil, and every sybil joins the ring. It returns the ring's size (members admitted, on
// probation included) at the end of each day, and checks the invariants at the end.
func ringGrowth(t *testing.T, days int, tweak func(*members.Params)) []int {
	t.Helper()
	a, b := apptest.NewKey("ring-a"), apptest.NewKey("ring-b")
	g := apptest.ContribGenesis(1_000_000, a, b)
	if tweak != nil {
		tweak(g.Members.Params)
	}
	c := apptest.NewChain(t, "", g)
	c.Block()
	c.BlockInterval = 24 * time.Hour
	type candidate struct {
		k        apptest.Key
		vouchers []string
	}
	ring := []apptest.Key{a, b}
	next := map[string]time.Time{} // when each member may vouch again
	cooldown := time.Duration(g.Members.Params.VouchCooldown) * time.Second
	var pending []*candidate // vouched for, not admitted (the tree's budget was spent)
	var sizes []int
	n := 0
	for range days {
		var free []apptest.Key // active members, each vouching at most once today
		for _, k := range ring {
			if !c.NextTime().Before(next[k.Addr.String()]) && apptest.MemberOf(t, c, k).Member.Status == members.MemberStatus_MEMBER_STATUS_ACTIVE {
				free = append(free, k)
			}
		}
		take := func(not []string) (apptest.Key, bool) {
			for i, k := range free {
				if !slices.Contains(not, k.Addr.String()) {
					free = slices.Delete(free, i, i+1)
					return k, true
				}
			}
			return apptest.Key{}, false
		}
		var txs [][]byte
		var sent []*candidate // one entry per tx, in order
		var by []string       // each tx's voucher
		vouch := func(cd *candidate, handle string) bool {
			v, ok := take(cd.vouchers)
			if ok {
				txs = append(txs, c.Tx(v, apptest.Vouch(cd.k, handle)))
				sent, by = append(sent, cd), append(by, v.Addr.String())
				cd.vouchers = append(cd.vouchers, v.Addr.String())
			}
			return ok
		}
		for _, cd := range pending { // the pending first: one more vouch admits them
			vouch(cd, "")
		}
		for len(free) >= 2 {
			n++
			cd := &candidate{k: apptest.NewKey(fmt.Sprintf("sybil-%d", n))}
			vouch(cd, apptest.Handle(cd.k))
			vouch(cd, "")
			pending = append(pending, cd)
		}
		res := c.Block(txs...)
		for i, r := range res.TxResults {
			if r.Err != nil { // refused: that vouch did not count
				if !errors.Is(r.Err, members.ErrAdmissionLimit) {
					t.Fatalf("vouch for %s: %v", sent[i].k.Name, r.Err)
				}
				cd := sent[i]
				cd.vouchers = cd.vouchers[:len(cd.vouchers)-1]
				continue
			}
			next[by[i]] = c.Time.Add(cooldown)
		}
		still := pending[:0]
		for _, cd := range pending {
			if m := apptest.MemberOf(t, c, cd.k); m.Exists && m.Member.Status != members.MemberStatus_MEMBER_STATUS_CANDIDATE {
				ring = append(ring, cd.k)
			} else if len(cd.vouchers) > 0 {
				still = append(still, cd)
			}
		}
		pending = still
		sizes = append(sizes, len(ring))
	}
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
	return sizes
}

// Two colluding founders under the production parameters grow their ring at most linearly: at most
// admissions_per_period sybils per sponsor tree per admission_period. That holds even if they
// could vouch daily (a one-day cooldown, the round-1 rule); without the admission limit too, the
// same strategy grows exponentially (probation only slows the start).
func TestRingGrowthIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("90 simulated days")
	}
	const days = 90
	p := members.DefaultParams()
	periods := days*86400/int(p.AdmissionPeriod) + 1
	bound := 2 + 2*int(p.AdmissionsPerPeriod)*periods // two trees, one per founder
	daily := func(p *members.Params) { p.VouchCooldown = 86400 }
	production, fast := ringGrowth(t, days, nil), ringGrowth(t, days, daily)
	for name, sizes := range map[string][]int{"production": production, "one-day cooldown": fast} {
		if got := sizes[days-1]; got > bound {
			t.Fatalf("%s: ring of %d after %d days, above the linear bound %d", name, got, days, bound)
		}
		for d := 7; d < days; d += 7 { // never more than the budget of the periods begun so far
			if limit := 2 + 2*int(p.AdmissionsPerPeriod)*(d/7+1); sizes[d] > limit {
				t.Fatalf("%s: day %d: ring of %d, above %d", name, d+1, sizes[d], limit)
			}
		}
	}
	unlimited := ringGrowth(t, days, func(p *members.Params) { daily(p); p.AdmissionsPerPeriod = members.MaxAdmissionsPerPeriod })
	t.Logf("ring size after 30/60/90 days: production params %d/%d/%d (bound %d); one-day cooldown %d/%d/%d; and no admission limit %d/%d/%d",
		production[29], production[59], production[89], bound, fast[29], fast[59], fast[89], unlimited[29], unlimited[59], unlimited[89])
	if unlimited[days-1] <= 4*fast[days-1] {
		t.Fatalf("the limit made no real difference: %d with it, %d without", fast[days-1], unlimited[days-1])
	}
}

// The vouch that would admit one more member than the tree's budget is refused with 313, naming the
// tree and when to vouch again; the candidate's first vouch stands, and the next period admits it.
// Another founder's tree is not affected.
func TestAdmissionLimitPerTree(t *testing.T) {
	c := contribChain(t, func(g *app.GenesisState) {
		g.Members.Params.AdmissionsPerPeriod, g.Members.Params.AdmissionPeriod = 1, 86400
		g.Members.Params.VouchCooldown = 1
	})
	x, y, z := apptest.NewKey("xena"), apptest.NewKey("yuri"), apptest.NewKey("zoe")
	mustExec(t, c, alice, apptest.Vouch(x, "xena")) // alice's tree
	mustExec(t, c, bob, apptest.Vouch(x, ""))       // admitted: alice's tree has used its budget
	mustExec(t, c, alice, apptest.Vouch(y, "yuri"))
	wantErr(t, exec(t, c, bob, apptest.Vouch(y, "")).Err, members.ErrAdmissionLimit,
		"the sponsor tree of alice", "admitted 1 members since", "vouch for yuri again from")
	if m := memberOf(t, c, y).Member; m.Status != members.MemberStatus_MEMBER_STATUS_CANDIDATE || len(m.Vouchers) != 1 || m.Root != alice.Addr.String() {
		t.Fatalf("yuri after the refused vouch: %v", m)
	}
	mustExec(t, c, bob, apptest.Vouch(z, "zoe")) // bob's tree still has its budget
	mustExec(t, c, apptest.Carol, apptest.Vouch(z, ""))
	if m := memberOf(t, c, z).Member; m.Root != bob.Addr.String() || m.Status == members.MemberStatus_MEMBER_STATUS_CANDIDATE {
		t.Fatalf("zoe: %v", m)
	}
	c.Settle(24 * time.Hour) // the next period
	mustExec(t, c, bob, apptest.Vouch(y, ""))
	if m := memberOf(t, c, y).Member; m.Status == members.MemberStatus_MEMBER_STATUS_CANDIDATE {
		t.Fatalf("yuri in the next period: %v", m)
	}
}
