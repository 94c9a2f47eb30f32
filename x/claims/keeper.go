package claims

import (
	"encoding/binary"

	"github.com/commonsledger/commons/x/core"
)

// Membership is what claims needs from the members module.
type Membership interface {
	// Claimant: a suspension error, or whether addr is admitted (ACTIVE, or on probation: may claim
	// but not attest) and when it joined; one read.
	Claimant(r core.Reader, addr core.Address) (joinedAt int64, admitted bool, err error)
	IsActive(r core.Reader, addr core.Address) bool
	// Standing is Suspension, then an error if addr is on probation.
	Standing(r core.Reader, addr core.Address) error
	// ActiveAddresses lists the ACTIVE members in the deterministic order draws index into.
	ActiveAddresses(r core.Reader) []core.Address
	// Vouchers lists who vouched for addr.
	Vouchers(r core.Reader, addr core.Address) []core.Address
}

// Minter is what claims needs from the bank: minting a VERIFIED claim's hours, and burning them
// again (or recording the debt) when the claim is REVERSED.
type Minter interface {
	Mint(ctx *core.Context, addr core.Address, amount, claimID uint64) error
	Burn(ctx *core.Context, addr core.Address, amount, claimID uint64) (burned, debt uint64, err error)
}

// Keeper is the claims state API. It holds no state itself; all state is in the KV it is given.
type Keeper struct {
	members Membership
	minter  Minter
	// mempool is set for CheckTx: block-level budgets (MaxClaimsPerBlock) are not applied there,
	// because the check state spans every tx since the last commit, not one block.
	mempool bool
	// projects answers whether a claim's project tag names a project (WithProjects).
	projects Projects
}

// NewKeeper returns a Keeper that checks membership through members and mints through minter.
func NewKeeper(members Membership, minter Minter) Keeper {
	return Keeper{members: members, minter: minter}
}

// ForMempool returns a copy of k for CheckTx: it applies every rule except the per-block claim
// budget, so that a claim over the budget stays in the mempool and is proposed in a later block
// instead of being dropped (PrepareProposal leaves it out; recheck keeps it).
func (k Keeper) ForMempool() Keeper {
	k.mempool = true
	return k
}

// present is the value of index entries whose key says everything.
var present = []byte{}

// SetParams validates p and stores it (a passed params proposal).
func (Keeper) SetParams(kv core.KV, p Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	kv.Set(paramsKey, core.MustMarshal(&p))
	return nil
}

// Params returns the module parameters.
func (Keeper) Params(r core.Reader) Params {
	var p Params
	core.Load(r, paramsKey, &p)
	return p
}

// Counts returns the claim counters (next id and claims per status).
func (Keeper) Counts(r core.Reader) ClaimCounts {
	c := ClaimCounts{NextId: 1}
	core.Load(r, countsKey, &c)
	return c
}

func (Keeper) setCounts(kv core.KV, c ClaimCounts) { kv.Set(countsKey, core.MustMarshal(&c)) }

// Claim returns claim id: its body as submitted, with the fields that change afterwards (status,
// verdict counts, finalisation, minted) taken from its tally record when it has one.
func (Keeper) Claim(r core.Reader, id uint64) (Claim, bool) {
	var c Claim
	if !core.Load(r, claimKey(id), &c) {
		return c, false
	}
	var t ClaimTally
	if core.Load(r, tallyKey(id), &t) {
		applyTally(&c, &t)
	}
	return c, true
}

func applyTally(c *Claim, t *ClaimTally) {
	c.Status, c.Approvals, c.Rejections = t.Status, t.Approvals, t.Rejections
	c.FinalizedAt, c.FinalizedHeight, c.Minted, c.Reversal = t.FinalizedAt, t.FinalizedHeight, t.Minted, t.Reversal
	c.Reviewers, c.ReviewerApprovals, c.ReviewersDrawn, c.OutcomeReason = t.Reviewers, t.ReviewerApprovals, t.ReviewersDrawn, t.OutcomeReason
	c.Withdrawn = t.Withdrawn
}

func tallyOf(c *Claim) *ClaimTally {
	return &ClaimTally{Status: c.Status, Approvals: c.Approvals, Rejections: c.Rejections,
		FinalizedAt: c.FinalizedAt, FinalizedHeight: c.FinalizedHeight, Minted: c.Minted, Reversal: c.Reversal,
		Reviewers: c.Reviewers, ReviewerApprovals: c.ReviewerApprovals, ReviewersDrawn: c.ReviewersDrawn, OutcomeReason: c.OutcomeReason,
		Withdrawn: c.Withdrawn}
}

// put writes one of a claim's own keys (a key that holds its id): set, or create for a claim that
// SubmitClaim has just numbered.
type put func(kv core.KV, key, value []byte)

// set is put for a claim whose id came from elsewhere (genesis, ImportClaims), or a key that may
// already exist.
func set(kv core.KV, key, value []byte) { kv.Set(key, value) }

// create is put for a claim SubmitClaim has just numbered. Its id is counts.NextId, issued once and
// never reused (invariant claims: every id is below NextId), so none of its keys can hold a value
// yet, and core.Create spares the app-hash update the store lookup of an old one (docs/decisions.md,
// "Created keys"). The keys a claim shares with others (counters, the interval index) are Set.
var create put = core.Create

// setBody writes a claim's body. It is written once, at submission (or genesis); everything that
// changes later goes to the tally.
func (Keeper) setBody(kv core.KV, w put, c *Claim) { w(kv, claimKey(c.Id), core.MustMarshal(c)) }

// setTally writes the changing fields of c: a few dozen bytes, whatever the size of its body.
func (Keeper) setTally(kv core.KV, c *Claim) { kv.Set(tallyKey(c.Id), core.MustMarshal(tallyOf(c))) }

// Attestations returns the attestations of claim id in attestor-key order.
func (Keeper) Attestations(r core.Reader, id uint64) []*Attestation {
	var out []*Attestation
	core.IteratePrefix(r, attestationsPrefix(id), false, func(_, v []byte) bool {
		var a Attestation
		core.MustUnmarshal(v, &a)
		out = append(out, &a)
		return true
	})
	return out
}

// IterateClaims calls fn for every claim in id order.
func (k Keeper) IterateClaims(r core.Reader, fn func(Claim) bool) {
	core.IteratePrefix(r, claimPrefix, false, func(_, v []byte) bool {
		var c Claim
		core.MustUnmarshal(v, &c)
		var t ClaimTally
		if core.Load(r, tallyKey(c.Id), &t) {
			applyTally(&c, &t)
		}
		return fn(c)
	})
}

// ClaimsOf calls fn for every claim of claimant in id order, through the by-claimant index: it reads
// only that member's claims.
func (k Keeper) ClaimsOf(r core.Reader, claimant core.Address, fn func(Claim) bool) {
	core.IteratePrefix(r, byClaimant(claimant), false, func(key, _ []byte) bool {
		c, ok := k.Claim(r, binary.BigEndian.Uint64(key[len(key)-8:]))
		return !ok || fn(c) // an entry without its claim breaks an invariant; listings skip it
	})
}

// IterateAttestations calls fn for every attestation in (claim id, attestor) order.
func (Keeper) IterateAttestations(r core.Reader, fn func(Attestation) bool) {
	core.IteratePrefix(r, attestationPrefix, false, func(_, v []byte) bool {
		var a Attestation
		core.MustUnmarshal(v, &a)
		return fn(a)
	})
}

// PendingCount returns how many PENDING claims member has.
func (Keeper) PendingCount(r core.Reader, member core.Address) uint32 {
	var p PendingClaims
	core.Load(r, pendingCountKey(member), &p)
	return p.Count
}

// addPending moves member's pending count by delta (+1 on submission, -1 on finalisation) and
// adds or removes the claim's entry in the member's pending index.
func (k Keeper) addPending(kv core.KV, w put, member core.Address, c *Claim, delta int) {
	n := int64(k.PendingCount(kv, member)) + int64(delta)
	if n <= 0 {
		kv.Delete(pendingCountKey(member))
	} else {
		kv.Set(pendingCountKey(member), core.MustMarshal(&PendingClaims{Count: uint32(n)}))
	}
	if delta > 0 {
		w(kv, pendingOfKey(member, c.Deadline, c.Id), present)
	} else {
		kv.Delete(pendingOfKey(member, c.Deadline, c.Id))
	}
}

// CategoryStat returns the verified totals of one category.
func (Keeper) CategoryStat(r core.Reader, category string) CategoryStat {
	s := CategoryStat{Category: category}
	if len(category) > 255 {
		return s
	}
	core.Load(r, categoryKey(category), &s)
	return s
}

// addVerified adds a VERIFIED claim to its category's totals, overall and for the day it was
// finalised, and to its project's index; sign -1 takes a reversed one out again.
func (k Keeper) addVerified(kv core.KV, c *Claim, sign int) {
	add := func(s *CategoryStat) {
		if sign < 0 {
			s.VerifiedUhours -= c.Minted
			s.VerifiedClaims--
		} else {
			s.VerifiedUhours += c.Minted
			s.VerifiedClaims++
		}
	}
	indexProject(kv, c, sign)
	s := k.CategoryStat(kv, c.Category)
	add(&s)
	kv.Set(categoryKey(c.Category), core.MustMarshal(&s))
	key := dailyKey(Day(c.FinalizedAt), c.Category)
	d := CategoryStat{Category: c.Category}
	core.Load(kv, key, &d)
	add(&d)
	kv.Set(key, core.MustMarshal(&d))
}

// Day is the day number of a unix time, as the daily statistics count it.
func Day(unix int64) int64 { return unix / day }

// IterateDaily calls fn for the per-day VERIFIED totals of the days in [from, to], in (day,
// category) order.
func (Keeper) IterateDaily(r core.Reader, from, to int64, fn func(day int64, s CategoryStat) bool) {
	r.Iterate(core.Key(dailyPrefix, core.Int64Key(from)), core.Key(dailyPrefix, core.Int64Key(to+1)), false, func(k, v []byte) bool {
		var s CategoryStat
		core.MustUnmarshal(v, &s)
		return fn(core.DecodeInt64Key(k[len(dailyPrefix):len(dailyPrefix)+8]), s)
	})
}

// setStatus moves a claim between the per-status index and counters. from is UNSPECIFIED for a new claim.
func (k Keeper) setStatus(kv core.KV, c *Claim, to ClaimStatus) {
	counts := k.Counts(kv)
	k.moveStatus(kv, set, &counts, c, to)
	k.setCounts(kv, counts)
}

// moveStatus is setStatus on counters the caller already holds and writes. Every status change
// goes through it (submission, genesis import, finalisation, withdrawal, reversal), and it moves the
// claim in the per-status and per-category-and-status indexes and counters together.
// w writes the claim's entries under its new status.
func (Keeper) moveStatus(kv core.KV, w put, counts *ClaimCounts, c *Claim, to ClaimStatus) {
	if c.Status != ClaimStatus_CLAIM_STATUS_UNSPECIFIED {
		kv.Delete(core.Key(byStatus(c.Status), core.Uint64Key(c.Id)))
		*counter(counts, c.Status)--
	}
	w(kv, core.Key(byStatus(to), core.Uint64Key(c.Id)), present)
	*counter(counts, to)++
	moveCategoryStatus(kv, w, c, c.Status, to)
	c.Status = to
}

func counter(c *ClaimCounts, s ClaimStatus) *uint64 {
	switch s {
	case ClaimStatus_CLAIM_STATUS_PENDING:
		return &c.Pending
	case ClaimStatus_CLAIM_STATUS_VERIFIED:
		return &c.Verified
	case ClaimStatus_CLAIM_STATUS_REVERSED:
		return &c.Reversed
	default:
		return &c.Rejected
	}
}

// MintedFor is what a VERIFIED claim of [start, end) mints: its duration in micro-hours, rounded
// down. Every category mints the same: an hour is an hour.
func MintedFor(start, end int64) uint64 {
	return uint64(end-start) * core.MicroPerHour / hour
}

// Attestors returns the addresses of everyone who attested claim id (either verdict), in
// attestor-key order. It reads only that claim's attestations.
func (k Keeper) Attestors(r core.Reader, id uint64) []core.Address {
	var out []core.Address
	for _, a := range k.Attestations(r, id) {
		if addr, err := core.ParseAddress(a.Attestor); err == nil {
			out = append(out, addr)
		}
	}
	return out
}
