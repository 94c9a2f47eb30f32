package claims

import (
	"encoding/binary"
	"fmt"

	"github.com/commonsledger/commons/x/core"
)

// Projects is what claims needs from the projects module: whether a handle names a project. It is
// wired in app.NewKeepers (claims does not import x/projects).
type Projects interface {
	ProjectExists(r core.Reader, handle string) bool
}

// WithProjects returns a copy of k that checks claims' project tags through p.
func (k Keeper) WithProjects(p Projects) Keeper {
	k.projects = p
	return k
}

// checkProject refuses a tag that names no project. An untagged claim needs no check.
func (k Keeper) checkProject(r core.Reader, handle string) error {
	if handle == "" {
		return nil
	}
	if len(handle) > core.MaxHandleLen || k.projects == nil || !k.projects.ProjectExists(r, handle) {
		return ErrUnknownProject.Wrapf("no project %q; see `commonsd query projects`, or leave --project empty", handle)
	}
	return nil
}

// The project index holds the VERIFIED claims tagged with a project, keyed by (project, verification
// time, id), with the claimant and hours in the value: a distribution over a period of verification
// times reads exactly the claims it pays, one entry each, and never a claim body. A claim enters it
// when it is VERIFIED and leaves it when it is REVERSED, so it never holds a reversed claim.
// claims owns it because it indexes claims' own records (docs/architecture.md: a module owns its
// keys and indexes); x/projects reads it through ProjectClaims.

// projectRefLen is the value of an index entry: the 20-byte claimant, then the micro-hours.
const projectRefLen = core.AddressLen + 8

// indexProject adds (sign +1) or removes (sign -1) VERIFIED claim c's project index entry.
func indexProject(kv core.KV, c *Claim, sign int) {
	if c.Project == "" {
		return
	}
	key := byProjectKey(c.Project, c.FinalizedAt, c.Id)
	if sign < 0 {
		kv.Delete(key)
		return
	}
	claimant, _ := core.ParseAddress(c.Claimant)
	kv.Set(key, binary.BigEndian.AppendUint64(append(make([]byte, 0, projectRefLen), claimant...), c.Minted))
}

// ProjectClaims calls fn, in (verification time, id) order, with the claimant and minted hours of
// every VERIFIED claim tagged with project whose verification time is in [from, to), until fn
// returns false. It reads one index entry per claim.
func (Keeper) ProjectClaims(r core.Reader, project string, from, to int64, fn func(claimant core.Address, uhours uint64) bool) {
	if len(project) > core.MaxHandleLen || from >= to {
		return
	}
	r.Iterate(core.Key(byProject(project), core.Int64Key(from)), core.Key(byProject(project), core.Int64Key(to)), false,
		func(_, v []byte) bool {
			if len(v) != projectRefLen {
				panic(&core.FatalError{Err: fmt.Errorf("claims: project index entry of %d bytes", len(v))})
			}
			return fn(core.Address(v[:core.AddressLen]), binary.BigEndian.Uint64(v[core.AddressLen:]))
		})
}

// checkProjectIndex: the project index holds exactly the VERIFIED claims tagged with a project, each
// under its verification time with its claimant and hours.
func (Keeper) checkProjectIndex(r core.Reader, all []*Claim) error {
	want := 0
	for _, c := range all {
		if c.Project == "" || c.Status != ClaimStatus_CLAIM_STATUS_VERIFIED {
			continue
		}
		want++
		claimant, _ := core.ParseAddress(c.Claimant)
		v, ok := r.Get(byProjectKey(c.Project, c.FinalizedAt, c.Id))
		if !ok || len(v) != projectRefLen || !claimant.Equal(v[:core.AddressLen]) || binary.BigEndian.Uint64(v[core.AddressLen:]) != c.Minted {
			return fmt.Errorf("invariant project index: VERIFIED claim %d of project %q is not indexed with its claimant and hours", c.Id, c.Project)
		}
	}
	got := 0
	core.IteratePrefix(r, byProjectPrefix, false, func(_, _ []byte) bool { got++; return true })
	if got != want {
		return fmt.Errorf("invariant project index: %d entries for %d VERIFIED claims tagged with a project", got, want)
	}
	return nil
}
