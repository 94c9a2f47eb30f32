package projects_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/projects"
)

// distributed is a chain whose project "garden" has made one distribution of 70 hours.
func distributed(t *testing.T) *apptest.Chain {
	c := projectChain(t, nil)
	from, to := seven(t, c)
	pay(t, c, 1, 70*h)
	mustExec(t, c, alice, apptest.Distribute("garden", from, to))
	pay(t, c, 1, 3*h) // a balance waiting for the next period
	return c
}

// Export → import → export gives the same projects and claims sections byte for byte (the project
// index of x/claims is rebuilt from the claims' tags), and the imported chain keeps the rules: the
// distributed period is still refused and the account's balance is still there.
func TestGenesisRoundTrip(t *testing.T) {
	c := distributed(t)
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
	for name, pair := range map[string][2]interface{ Marshal() ([]byte, error) }{
		"projects": {exported.Projects, again.Projects}, "claims": {exported.Claims, again.Claims},
	} {
		b1, _ := pair[0].Marshal()
		b2, _ := pair[1].Marshal()
		if !bytes.Equal(b1, b2) {
			t.Fatalf("%s genesis differs after the round trip", name)
		}
	}
	if err := c2.Invariants(); err != nil {
		t.Fatal(err)
	}
	if v := projectView(t, c2, "garden"); v.Balance != 3*h || v.Project.Distributed != 70*h || len(v.Contributors) != 3 {
		t.Fatalf("imported project %v", v)
	}
	d := exported.Projects.Distributions[0]
	c2.Settle(2 * week) // test chains start at apptest.GenesisTime: catch up with the exported state's time
	msg := apptest.Distribute(d.Project, apptest.GenesisTime, apptest.GenesisTime)
	msg.GetDistribute().From, msg.GetDistribute().To = d.From, d.To
	wantErr(t, exec(t, c2, alice, msg).Err, projects.ErrPeriodDistributed)
}

func TestGenesisValidate(t *testing.T) {
	c := distributed(t)
	base, err := c.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(g *app.GenesisState)
		want   string
	}{
		{"wrong account", func(g *app.GenesisState) { g.Projects.Projects[0].Account = alice.Addr.String() }, "but project 1's account is"},
		{"bad handle", func(g *app.GenesisState) { g.Projects.Projects[0].Handle = "G" }, "has 1 characters"},
		{"creator not a steward", func(g *app.GenesisState) { g.Projects.Projects[0].Stewards = g.Projects.Projects[0].Stewards[1:] }, "including the creator"},
		{"payouts off the total", func(g *app.GenesisState) { g.Projects.Distributions[0].Total++ }, "payouts sum to 70000000, the total is 70000001"},
		{"overlapping periods", func(g *app.GenesisState) {
			d := *g.Projects.Distributions[0]
			d.Id = 2
			g.Projects.Distributions = append(g.Projects.Distributions, &d)
			g.Projects.NextDistributionId = 3
			g.Projects.Projects[0].Distributions, g.Projects.Projects[0].Distributed = 2, 140*h
		}, "distributions 1 and 2 of \"garden\" overlap"},
		{"claim of an unknown project", func(g *app.GenesisState) { g.Claims.Claims[0].Project = "orchard" }, "tagged with project \"orchard\", which the projects section does not hold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bz, _ := app.MarshalGenesis(base)
			g, err := app.ParseGenesis(bz)
			if err != nil {
				t.Fatal(err)
			}
			tt.change(g)
			if err := g.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// Each invariant fails on the state it guards, corrupted through the module's keys.
func TestInvariantsCatchCorruption(t *testing.T) {
	c := distributed(t)
	tests := []struct {
		name    string
		corrupt func(kv core.KV)
		want    string
	}{
		{"paid out differs from the record", func(kv core.KV) {
			d, _ := c.App.Keepers().Projects.Distribution(kv, 1)
			d.Payouts[0].Amount++
			kv.Set(projects.DistributionKey(1), core.MustMarshal(&d))
		}, "invariant paid out: distribution 1"},
		{"project total differs", func(kv core.KV) {
			p, _ := c.App.Keepers().Projects.Project(kv, 1)
			p.Distributed--
			kv.Set(projects.ProjectKey(1), core.MustMarshal(&p))
		}, "invariant paid out: project \"garden\" states 1 distributions paying 69999999"},
		{"period index entry missing", func(kv core.KV) {
			d, _ := c.App.Keepers().Projects.Distribution(kv, 1)
			kv.Delete(projects.PeriodKey(1, d.From))
		}, "invariant period index: distribution 1"},
		{"handle index missing", func(kv core.KV) { kv.Delete(projects.HandleKey("garden")) }, "invariant handle index"},
		{"account someone signed for", func(kv core.KV) {
			a := c.Account(projects.AccountAddress(1))
			a.Sequence = 1
			c.App.Keepers().Bank.SetAccount(kv, projects.AccountAddress(1), a)
		}, "invariant project account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := c.DB.ReadLatest()
			defer v.Discard()
			kv := store.NewOverlay(v)
			if err := c.App.CheckInvariants(kv); err != nil {
				t.Fatalf("before corrupting: %v", err)
			}
			tt.corrupt(kv)
			if err := c.App.CheckInvariants(kv); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
