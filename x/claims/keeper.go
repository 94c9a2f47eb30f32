package claims

import (
	"github.com/commonsledger/commons/x/core"
)

// Membership is what claims needs from the members module.
type Membership interface {
	IsActive(r core.Reader, addr core.Address) bool
}

// Minter is what claims needs from the bank: minting a VERIFIED claim's hours.
type Minter interface {
	Mint(ctx *core.Context, addr core.Address, amount uint64) error
}

// Keeper is the claims state API. It holds no state itself; all state is in the KV it is given.
type Keeper struct {
	members Membership
	minter  Minter
}

// NewKeeper returns a Keeper that checks membership through members and mints through minter.
func NewKeeper(members Membership, minter Minter) Keeper {
	return Keeper{members: members, minter: minter}
}

// present is the value of index entries whose key says everything.
var present = []byte{}

// Params returns the module parameters.
func (Keeper) Params(r core.Reader) Params {
	var p Params
	core.Load(r, ParamsKey, &p)
	return p
}

// Counts returns the claim counters (next id and claims per status).
func (Keeper) Counts(r core.Reader) ClaimCounts {
	c := ClaimCounts{NextId: 1}
	core.Load(r, CountsKey, &c)
	return c
}

func (Keeper) setCounts(kv core.KV, c ClaimCounts) { kv.Set(CountsKey, core.MustMarshal(&c)) }

// Claim returns claim id.
func (Keeper) Claim(r core.Reader, id uint64) (Claim, bool) {
	var c Claim
	ok := core.Load(r, ClaimKey(id), &c)
	return c, ok
}

func (Keeper) setClaim(kv core.KV, c *Claim) { kv.Set(ClaimKey(c.Id), core.MustMarshal(c)) }

// Attestations returns the attestations of claim id in attestor-key order.
func (Keeper) Attestations(r core.Reader, id uint64) []*Attestation {
	var out []*Attestation
	core.IteratePrefix(r, AttestationsPrefix(id), false, func(_, v []byte) bool {
		var a Attestation
		core.MustUnmarshal(v, &a)
		out = append(out, &a)
		return true
	})
	return out
}

// IterateClaims calls fn for every claim in id order.
func (Keeper) IterateClaims(r core.Reader, fn func(Claim) bool) {
	core.IteratePrefix(r, ClaimPrefix, false, func(_, v []byte) bool {
		var c Claim
		core.MustUnmarshal(v, &c)
		return fn(c)
	})
}

// IterateAttestations calls fn for every attestation in (claim id, attestor) order.
func (Keeper) IterateAttestations(r core.Reader, fn func(Attestation) bool) {
	core.IteratePrefix(r, AttestationPrefix, false, func(_, v []byte) bool {
		var a Attestation
		core.MustUnmarshal(v, &a)
		return fn(a)
	})
}

// IterateIntervals calls fn for every entry of the overlap index in (claimant, start) order.
func (Keeper) IterateIntervals(r core.Reader, fn func(key []byte, ref IntervalRef) bool) {
	core.IteratePrefix(r, IntervalPrefix, false, func(k, v []byte) bool {
		var ref IntervalRef
		core.MustUnmarshal(v, &ref)
		return fn(k, ref)
	})
}

// CategoryStat returns the verified totals of one category.
func (Keeper) CategoryStat(r core.Reader, category string) CategoryStat {
	s := CategoryStat{Category: category}
	if len(category) > 255 {
		return s
	}
	core.Load(r, CategoryKey(category), &s)
	return s
}

// addVerified adds a VERIFIED claim to its category's totals.
func (k Keeper) addVerified(kv core.KV, category string, uhours uint64) {
	s := k.CategoryStat(kv, category)
	s.VerifiedUhours += uhours
	s.VerifiedClaims++
	kv.Set(CategoryKey(category), core.MustMarshal(&s))
}

// setStatus moves a claim between the per-status index and counters. from is UNSPECIFIED for a new claim.
func (k Keeper) setStatus(kv core.KV, c *Claim, to ClaimStatus) {
	counts := k.Counts(kv)
	if c.Status != ClaimStatus_CLAIM_STATUS_UNSPECIFIED {
		kv.Delete(core.Key(byStatus(c.Status), core.Uint64Key(c.Id)))
		*counter(&counts, c.Status)--
	}
	kv.Set(core.Key(byStatus(to), core.Uint64Key(c.Id)), present)
	*counter(&counts, to)++
	k.setCounts(kv, counts)
	c.Status = to
}

func counter(c *ClaimCounts, s ClaimStatus) *uint64 {
	switch s {
	case ClaimStatus_CLAIM_STATUS_PENDING:
		return &c.Pending
	case ClaimStatus_CLAIM_STATUS_VERIFIED:
		return &c.Verified
	default:
		return &c.Rejected
	}
}

// MintedFor is what a VERIFIED claim of [start, end) mints: its duration in micro-hours, rounded
// down. Every category mints the same: an hour is an hour.
func MintedFor(start, end int64) uint64 {
	return uint64(end-start) * core.MicroPerHour / hour
}
