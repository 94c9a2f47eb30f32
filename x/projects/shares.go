package projects

import (
	"sort"

	"github.com/commonsledger/commons/x/core"
)

// PPM is the whole of a split in parts per million.
const PPM = 1_000_000

// contributions are the claimants of a project's VERIFIED claims in a period and their hours.
type contributions struct {
	shares []*Share // by address, ppm unset
	uhours uint64   // all contributors' hours
	claims uint64   // claims counted
}

// errLimit says which bound a walk stopped at.
type errLimit int

const (
	withinLimits errLimit = iota
	overClaims
	overContributors
)

// contributors walks the project index over [from, to) and adds up each claimant's hours. It stops
// as soon as it has seen more than maxClaims claims or maxContributors claimants, and says so: the
// caller refuses a distribution (or marks a query truncated) rather than do unbounded work. The
// result is in address order (the bech32 string's byte order), the order ties are broken in.
func (k Keeper) contributors(r core.Reader, project string, from, to int64, maxClaims, maxContributors uint64) (contributions, errLimit) {
	byAddr := map[string]*Share{}
	var out contributions
	limit := withinLimits
	k.claims.ProjectClaims(r, project, from, to, func(claimant core.Address, uhours uint64) bool {
		if out.claims == maxClaims {
			limit = overClaims
			return false
		}
		out.claims++
		key := string(claimant)
		s := byAddr[key]
		if s == nil {
			if uint64(len(byAddr)) == maxContributors {
				limit = overContributors
				return false
			}
			s = &Share{Address: claimant.String()}
			byAddr[key] = s
		}
		s.Uhours += uhours
		out.uhours += uhours
		return true
	})
	for _, s := range byAddr {
		out.shares = append(out.shares, s)
	}
	// The map's order never reaches state: sorted by address here.
	sort.Slice(out.shares, func(i, j int) bool { return out.shares[i].Address < out.shares[j].Address })
	return out, limit
}

// split divides total among c's contributors by their hours (Split).
func (c contributions) split(total uint64) []uint64 {
	w := make([]uint64, len(c.shares))
	for i, s := range c.shares {
		w[i] = s.Uhours
	}
	return Split(total, w)
}

// withPPM sets each share's parts per million (they sum to PPM when there are hours).
func (c contributions) withPPM() []*Share {
	for i, p := range c.split(PPM) {
		c.shares[i].Ppm = p
	}
	return c.shares
}
