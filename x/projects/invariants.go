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

// checkDistributions: checkDistributed over the stored distributions, the counter's total, and
// the period index holding exactly one entry per distribution, under its project and start.
func (k Keeper) checkDistributions(r core.Reader, byHandle map[string]*Project, counts ProjectCounts) error {
	var ds []*Distribution
	var all uint64
	k.IterateDistributions(r, func(d Distribution) bool {
		ds = append(ds, &d)
		all += d.Total
		return true
	})
	if err := checkDistributed(byHandle, ds, counts.NextDistributionId); err != nil {
		return fmt.Errorf("invariant paid out: %v", err)
	}
	if all != counts.Distributed {
		return fmt.Errorf("invariant paid out: distributions paid %d uhour, the counter says %d", all, counts.Distributed)
	}
	for _, d := range ds {
		if v, ok := r.Get(periodKey(byHandle[d.Project].Id, d.From)); !ok || binary.BigEndian.Uint64(v) != d.Id {
			return fmt.Errorf("invariant period index: distribution %d of %q is not indexed under its start", d.Id, d.Project)
		}
	}
	indexed := 0
	core.IteratePrefix(r, periodPrefix, false, func(_, _ []byte) bool { indexed++; return true })
	if indexed != len(ds) {
		return fmt.Errorf("invariant period index: %d entries for %d distributions", indexed, len(ds))
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
