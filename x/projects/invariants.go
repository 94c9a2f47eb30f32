package projects

import (
	"encoding/binary"
	"fmt"

	"github.com/commonsledger/commons/x/core"
)

// CheckInvariants verifies the projects module's invariants over one version of state by reading
// every project and distribution (for tests and `commonsd debug invariants`, not for block
// execution):
//
//   - paid out: each distribution's payouts are in address order and sum to its total; each
//     project's distributed and distributions equal those of its distributions, and the counter's
//     distributed their sum over every project;
//   - periods: a project's distributed periods do not overlap, and the period index holds exactly
//     the distributions, each under its project and start;
//   - accounts: each project's account is AccountAddress(id), exists in the bank, has never signed
//     (sequence 0) and owes nothing;
//   - indexes: the handle index maps exactly the projects' handles to their ids, and the creators'
//     counts equal the projects they created; ids are below the counters' next ids.
//
// It returns the first violation found.
func (k Keeper) CheckInvariants(r core.Reader) error {
	var projects []*Project
	byHandle := map[string]*Project{}
	created := map[string]uint32{}
	counts := k.Counts(r)
	var err error
	k.IterateProjects(r, func(p Project) bool {
		projects, byHandle[p.Handle] = append(projects, &p), &p
		created[p.Creator]++
		err = k.checkProject(r, &p, counts)
		return err == nil
	})
	if err != nil {
		return err
	}
	if err := k.checkDistributions(r, byHandle, counts); err != nil {
		return err
	}
	return k.checkIndexes(r, projects, created)
}

func (k Keeper) checkProject(r core.Reader, p *Project, counts ProjectCounts) error {
	if p.Id == 0 || p.Id >= counts.NextProjectId {
		return fmt.Errorf("invariant projects: project %d is not below next_project_id %d", p.Id, counts.NextProjectId)
	}
	addr := AccountAddress(p.Id)
	if p.Account != addr.String() {
		return fmt.Errorf("invariant project account: %q has account %s, AccountAddress(%d) is %s", p.Handle, p.Account, p.Id, addr)
	}
	a, ok := k.bank.AccountAt(r, addr, 0)
	if !ok || a.Sequence != 0 || a.Debt != 0 {
		return fmt.Errorf("invariant project account: %q's account %s exists %v with sequence %d and debt %d; it must exist, never sign and owe nothing",
			p.Handle, addr, ok, a.Sequence, a.Debt)
	}
	return nil
}

func (k Keeper) checkDistributions(r core.Reader, byHandle map[string]*Project, counts ProjectCounts) error {
	type totals struct{ paid, count uint64 }
	got := map[string]totals{}
	periods := map[string][]*Distribution{}
	var all uint64
	var err error
	k.IterateDistributions(r, func(d Distribution) bool {
		p := byHandle[d.Project]
		switch {
		case d.Id == 0 || d.Id >= counts.NextDistributionId:
			err = fmt.Errorf("invariant distributions: distribution %d is not below next_distribution_id %d", d.Id, counts.NextDistributionId)
		case p == nil:
			err = fmt.Errorf("invariant distributions: distribution %d is of unknown project %q", d.Id, d.Project)
		default:
			if perr := checkPayouts(&d); perr != nil {
				err = fmt.Errorf("invariant paid out: distribution %d: %v", d.Id, perr)
			} else if v, ok := r.Get(periodKey(p.Id, d.From)); !ok || binary.BigEndian.Uint64(v) != d.Id {
				err = fmt.Errorf("invariant period index: distribution %d of %q is not indexed under its start", d.Id, d.Project)
			}
		}
		t := got[d.Project]
		t.paid, t.count = t.paid+d.Total, t.count+1
		got[d.Project], periods[d.Project] = t, append(periods[d.Project], &d)
		all += d.Total
		return err == nil
	})
	if err != nil {
		return err
	}
	if all != counts.Distributed {
		return fmt.Errorf("invariant paid out: distributions paid %d uhour, the counter says %d", all, counts.Distributed)
	}
	var indexed uint64
	core.IteratePrefix(r, periodPrefix, false, func(_, _ []byte) bool { indexed++; return true })
	for h, p := range byHandle {
		if got[h].paid != p.Distributed || got[h].count != p.Distributions {
			return fmt.Errorf("invariant paid out: %q states %d distributions paying %d uhour; its distributions are %d paying %d",
				h, p.Distributions, p.Distributed, got[h].count, got[h].paid)
		}
		if a, b, found := firstOverlap(periods[h]); found {
			return fmt.Errorf("invariant periods: distributions %d and %d of %q overlap", a.Id, b.Id, h)
		}
		indexed -= got[h].count
	}
	if indexed != 0 {
		return fmt.Errorf("invariant period index: it holds entries that are no distribution's")
	}
	return nil
}

func (k Keeper) checkIndexes(r core.Reader, projects []*Project, created map[string]uint32) error {
	for _, p := range projects {
		if v, ok := r.Get(handleKey(p.Handle)); !ok || binary.BigEndian.Uint64(v) != p.Id {
			return fmt.Errorf("invariant handle index: %q is not indexed to project %d", p.Handle, p.Id)
		}
	}
	var handles int
	core.IteratePrefix(r, handlePrefix, false, func(_, _ []byte) bool { handles++; return true })
	if handles != len(projects) {
		return fmt.Errorf("invariant handle index: %d entries for %d projects", handles, len(projects))
	}
	var err error
	var creators int
	core.IteratePrefix(r, creatorPrefix, false, func(key, v []byte) bool {
		creators++
		var c CreatorCount
		core.MustUnmarshal(v, &c)
		who := core.Address(key[len(creatorPrefix)+1:]).String()
		if c.Count != created[who] {
			err = fmt.Errorf("invariant creators: %s counts %d projects but created %d", who, c.Count, created[who])
		}
		return err == nil
	})
	if err == nil && creators != len(created) {
		err = fmt.Errorf("invariant creators: %d counters for %d creators", creators, len(created))
	}
	return err
}
