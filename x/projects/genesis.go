package projects

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/commonsledger/commons/x/core"
)

// DefaultGenesis has default params and no projects.
func DefaultGenesis() *GenesisState {
	p := DefaultParams()
	return &GenesisState{Params: &p, NextProjectId: 1, NextDistributionId: 1}
}

// Validate checks a genesis state, including what the keeper keeps: unique ids below the next ids,
// unique valid handles, each project's account at AccountAddress(id), sorted distinct stewards that
// include the creator, and distributions of existing projects whose periods do not overlap, whose
// payouts sum to their total and whose totals and counts the projects state.
func (g *GenesisState) Validate() error {
	if g.Params == nil {
		return ErrInvalidGenesis.Wrapf("params missing")
	}
	if err := g.Params.Validate(); err != nil {
		return ErrInvalidGenesis.Wrapf("%v", err)
	}
	byHandle := map[string]*Project{}
	ids := map[uint64]bool{}
	for i, p := range g.Projects {
		if err := validateProject(g, p); err != nil {
			return ErrInvalidGenesis.Wrapf("project %d: %v", i, err)
		}
		if byHandle[p.Handle] != nil || ids[p.Id] {
			return ErrInvalidGenesis.Wrapf("project %d: id %d or handle %q listed twice", i, p.Id, p.Handle)
		}
		byHandle[p.Handle], ids[p.Id] = p, true
	}
	return validateDistributions(g, byHandle)
}

func validateProject(g *GenesisState, p *Project) error {
	if p == nil {
		return fmt.Errorf("empty")
	}
	if p.Id == 0 || p.Id >= g.NextProjectId {
		return fmt.Errorf("id %d must be at least 1 and below next_project_id %d", p.Id, g.NextProjectId)
	}
	if err := core.CheckHandle(p.Handle); err != nil {
		return err
	}
	if p.Name == "" || uint64(len(p.Name)) > uint64(g.Params.MaxNameBytes) {
		return fmt.Errorf("%q: name of %d bytes, give 1 to %d", p.Handle, len(p.Name), g.Params.MaxNameBytes)
	}
	if p.Account != AccountAddress(p.Id).String() {
		return fmt.Errorf("%q: account %s, but project %d's account is %s", p.Handle, p.Account, p.Id, AccountAddress(p.Id))
	}
	if _, err := core.ParseAddress(p.Creator); err != nil {
		return fmt.Errorf("%q creator: %v", p.Handle, err)
	}
	if len(p.Stewards) == 0 || uint64(len(p.Stewards)) > uint64(g.Params.MaxStewards) ||
		!slices.Contains(p.Stewards, p.Creator) || !sort.StringsAreSorted(p.Stewards) || len(slices.Compact(slices.Clone(p.Stewards))) != len(p.Stewards) {
		return fmt.Errorf("%q: stewards must be 1 to %d distinct addresses, sorted, including the creator", p.Handle, g.Params.MaxStewards)
	}
	for _, s := range p.Stewards {
		if a, err := core.ParseAddress(s); err != nil || a.String() != s {
			return fmt.Errorf("%q steward %q is not a canonical address", p.Handle, s)
		}
	}
	return nil
}

func validateDistributions(g *GenesisState, byHandle map[string]*Project) error {
	if err := checkDistributed(byHandle, g.Distributions, g.NextDistributionId); err != nil {
		return ErrInvalidGenesis.Wrapf("%v", err)
	}
	return nil
}

// checkDistributed checks distributions ds against the projects (by handle): ids in [1, nextID),
// each once, of a known project, with valid payouts (checkPayouts); each project's distributed
// and distributions equal to those of its distributions, whose periods do not overlap. Genesis
// validation and the invariants share it. Projects are checked in handle order, so the error is
// the same on every node.
func checkDistributed(byHandle map[string]*Project, ds []*Distribution, nextID uint64) error {
	type totals struct{ paid, count uint64 }
	got := map[string]totals{}
	periods := map[string][]*Distribution{}
	seen := map[uint64]bool{}
	for i, d := range ds {
		if d == nil || d.Id == 0 || d.Id >= nextID || seen[d.Id] {
			return fmt.Errorf("distribution %d: missing, duplicate, or id not in [1, next_distribution_id %d)", i, nextID)
		}
		seen[d.Id] = true
		if byHandle[d.Project] == nil {
			return fmt.Errorf("distribution %d is of unknown project %q", d.Id, d.Project)
		}
		if err := checkPayouts(d); err != nil {
			return fmt.Errorf("distribution %d: %v", d.Id, err)
		}
		t := got[d.Project]
		t.paid, t.count = t.paid+d.Total, t.count+1
		got[d.Project], periods[d.Project] = t, append(periods[d.Project], d)
	}
	for _, h := range slices.Sorted(maps.Keys(byHandle)) {
		p := byHandle[h]
		if got[h].paid != p.Distributed || got[h].count != p.Distributions {
			return fmt.Errorf("project %q states %d distributions paying %d uhour; its distributions are %d paying %d",
				h, p.Distributions, p.Distributed, got[h].count, got[h].paid)
		}
		if a, b, found := firstOverlap(periods[h]); found {
			return fmt.Errorf("distributions %d and %d of %q overlap", a.Id, b.Id, h)
		}
	}
	return nil
}

// checkPayouts: a non-empty period, payouts by distinct addresses in order, summing to the total.
func checkPayouts(d *Distribution) error {
	if d.To <= d.From {
		return fmt.Errorf("period [%d, %d) is empty", d.From, d.To)
	}
	if len(d.Payouts) == 0 || d.Total == 0 {
		return fmt.Errorf("pays nothing")
	}
	var sum uint64
	for i, p := range d.Payouts {
		if _, err := core.ParseAddress(p.Address); err != nil {
			return fmt.Errorf("payout %d: %v", i, err)
		}
		if i > 0 && d.Payouts[i-1].Address >= p.Address {
			return fmt.Errorf("payouts are not in strictly increasing address order at %d", i)
		}
		if p.Amount > d.Total-sum {
			return fmt.Errorf("payouts exceed the total %d", d.Total)
		}
		sum += p.Amount
	}
	if sum != d.Total {
		return fmt.Errorf("payouts sum to %d, the total is %d", sum, d.Total)
	}
	return nil
}

// firstOverlap returns two overlapping periods among ds, if any.
func firstOverlap(ds []*Distribution) (a, b *Distribution, found bool) {
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i].From < s[j].From })
	for i := 1; i < len(s); i++ {
		if s[i].From < s[i-1].To {
			return s[i-1], s[i], true
		}
	}
	return nil, nil, false
}

// InitGenesis writes the genesis state and rebuilds the indexes and counters: handles, creators'
// counts, periods, and each project's account (opened if the bank genesis does not carry it).
func (k Keeper) InitGenesis(ctx *core.Context, g *GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	ctx.KV.Set(paramsKey, core.MustMarshal(g.Params))
	counts := ProjectCounts{NextProjectId: max(g.NextProjectId, 1), NextDistributionId: max(g.NextDistributionId, 1)}
	ids := map[string]uint64{}
	for _, p := range g.Projects {
		k.store(ctx, p)
		ids[p.Handle] = p.Id
	}
	for _, d := range g.Distributions {
		k.record(ctx.KV, ids[d.Project], d)
		counts.Distributed += d.Total
	}
	k.setCounts(ctx.KV, counts)
	return nil
}

// ExportGenesis writes the state as a genesis: projects and distributions in id order.
func (k Keeper) ExportGenesis(r core.Reader) *GenesisState {
	p := k.Params(r)
	c := k.Counts(r)
	g := &GenesisState{Params: &p, NextProjectId: c.NextProjectId, NextDistributionId: c.NextDistributionId}
	k.IterateProjects(r, func(p Project) bool {
		g.Projects = append(g.Projects, &p)
		return true
	})
	k.IterateDistributions(r, func(d Distribution) bool {
		g.Distributions = append(g.Distributions, &d)
		return true
	})
	return g
}
