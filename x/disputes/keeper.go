package disputes

import (
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// Membership is what disputes needs from the members module.
type Membership interface {
	IsActive(r core.Reader, addr core.Address) bool
	// ActiveAddresses lists the active members in the deterministic order draws index into.
	ActiveAddresses(r core.Reader) []core.Address
	// Vouchers lists who vouched for addr.
	Vouchers(r core.Reader, addr core.Address) []core.Address
	// Suspension is ErrSuspended if addr is suspended, else nil.
	Suspension(r core.Reader, addr core.Address) error
	// Standing is Suspension, then ErrOnProbation if addr is on probation.
	Standing(r core.Reader, addr core.Address) error
	// Strike records a strike against member for a reversed claim.
	Strike(ctx *core.Context, member core.Address, role members.StrikeRole, claimID, disputeID uint64)
}

// Claims is what disputes needs from the claims module.
type Claims interface {
	Claim(r core.Reader, id uint64) (claims.Claim, bool)
	// Attestors lists everyone who attested claim id.
	Attestors(r core.Reader, id uint64) []core.Address
	// Reverse makes VERIFIED claim id REVERSED (claims.ErrNotVerified otherwise) and returns its
	// approving attestors.
	Reverse(ctx *core.Context, id, disputeID uint64) ([]core.Address, error)
}

// Keeper is the disputes state API. It holds no state itself.
type Keeper struct {
	members Membership
	claims  Claims
}

// NewKeeper returns a Keeper over the members and claims modules.
func NewKeeper(members Membership, cl Claims) Keeper { return Keeper{members: members, claims: cl} }

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

// Counts returns the dispute counters.
func (Keeper) Counts(r core.Reader) DisputeCounts {
	c := DisputeCounts{NextId: 1}
	core.Load(r, countsKey, &c)
	return c
}

func (Keeper) setCounts(kv core.KV, c DisputeCounts) { kv.Set(countsKey, core.MustMarshal(&c)) }

// Dispute returns dispute id.
func (Keeper) Dispute(r core.Reader, id uint64) (Dispute, bool) {
	var d Dispute
	ok := core.Load(r, disputeKey(id), &d)
	return d, ok
}

func (Keeper) setDispute(kv core.KV, d *Dispute) { kv.Set(disputeKey(d.Id), core.MustMarshal(d)) }

// Votes returns the jury votes of dispute id in juror-key order (both juries).
func (Keeper) Votes(r core.Reader, id uint64) []*JuryVoteRecord {
	var out []*JuryVoteRecord
	core.IteratePrefix(r, votesPrefix(id), false, func(_, v []byte) bool {
		var x JuryVoteRecord
		core.MustUnmarshal(v, &x)
		out = append(out, &x)
		return true
	})
	return out
}

// IterateDisputes calls fn for every dispute in id order.
func (Keeper) IterateDisputes(r core.Reader, fn func(Dispute) bool) {
	core.IteratePrefix(r, disputePrefix, false, func(_, v []byte) bool {
		var d Dispute
		core.MustUnmarshal(v, &d)
		return fn(d)
	})
}

// OpenCount returns how many undecided disputes member has opened.
func (Keeper) OpenCount(r core.Reader, member core.Address) uint32 {
	var o OpenDisputes
	core.Load(r, openCountKey(member), &o)
	return o.Count
}

func (k Keeper) addOpen(kv core.KV, member core.Address, delta int) {
	n := int64(k.OpenCount(kv, member)) + int64(delta)
	if n <= 0 {
		kv.Delete(openCountKey(member))
	} else {
		kv.Set(openCountKey(member), core.MustMarshal(&OpenDisputes{Count: uint32(n)}))
	}
}

// moveStatus moves d between the per-status index and counters (from UNSPECIFIED for a new one).
func (Keeper) moveStatus(kv core.KV, counts *DisputeCounts, d *Dispute, to DisputeStatus) {
	if d.Status != DisputeStatus_DISPUTE_STATUS_UNSPECIFIED {
		kv.Delete(core.Key(byStatus(d.Status), core.Uint64Key(d.Id)))
		*counter(counts, d.Status)--
	}
	kv.Set(core.Key(byStatus(to), core.Uint64Key(d.Id)), present)
	*counter(counts, to)++
	d.Status = to
}

func (k Keeper) setStatus(kv core.KV, d *Dispute, to DisputeStatus) {
	c := k.Counts(kv)
	k.moveStatus(kv, &c, d, to)
	k.setCounts(kv, c)
}

func counter(c *DisputeCounts, s DisputeStatus) *uint64 {
	switch s {
	case DisputeStatus_DISPUTE_STATUS_OPEN:
		return &c.Open
	case DisputeStatus_DISPUTE_STATUS_VOTING:
		return &c.Voting
	case DisputeStatus_DISPUTE_STATUS_UPHELD:
		return &c.Upheld
	case DisputeStatus_DISPUTE_STATUS_APPEALED:
		return &c.Appealed
	default:
		return &c.Dismissed
	}
}

// Undecided reports whether s is OPEN or VOTING.
func Undecided(s DisputeStatus) bool {
	return s == DisputeStatus_DISPUTE_STATUS_OPEN || s == DisputeStatus_DISPUTE_STATUS_VOTING
}

// InProgress reports whether a jury of d is still to be drawn or to decide: OPEN, VOTING or APPEALED.
func InProgress(s DisputeStatus) bool {
	return Undecided(s) || s == DisputeStatus_DISPUTE_STATUS_APPEALED
}

// StatusName is the lower-case name of a status: "open", "voting", "upheld", "dismissed", "appealed".
func StatusName(s DisputeStatus) string { return core.EnumName(s, "DISPUTE_STATUS_") }

// VoteName is the lower-case name of a jury vote: "uphold" or "dismiss".
func VoteName(v JuryVote) string { return core.EnumName(v, "JURY_VOTE_") }

// excluded lists who may not judge d's claim: the claimant, the claim's attestors, the disputant
// and the claimant's vouchers, plus extra (the first jury, on a redraw).
func (k Keeper) excluded(r core.Reader, d *Dispute, extra []string) []core.Address {
	claimant, _ := core.ParseAddress(d.Claimant)
	disputant, _ := core.ParseAddress(d.Disputant)
	out := []core.Address{claimant, disputant}
	out = append(out, k.claims.Attestors(r, d.ClaimId)...)
	out = append(out, k.members.Vouchers(r, claimant)...)
	for _, s := range extra {
		if a, err := core.ParseAddress(s); err == nil {
			out = append(out, a)
		}
	}
	return out
}
