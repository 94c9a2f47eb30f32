package claims

import (
	"fmt"

	"github.com/commonsledger/commons/x/core"
)

// DefaultGenesis has default params and no claims.
func DefaultGenesis() *GenesisState {
	p := DefaultParams()
	return &GenesisState{Params: &p, NextClaimId: 1}
}

// Validate checks a genesis state, including the invariants the keeper keeps: unique ids below
// next_claim_id, no overlapping PENDING/VERIFIED claims per claimant, attestations that belong to a
// claim, are not by its claimant and add up to its approval and rejection counts.
func (g *GenesisState) Validate() error {
	if g.Params == nil {
		return ErrInvalidGenesis.Wrapf("params missing")
	}
	if err := g.Params.Validate(); err != nil {
		return ErrInvalidGenesis.Wrapf("%v", err)
	}
	byID := map[uint64]*Claim{}
	pending := map[string]uint32{}
	for i, c := range g.Claims {
		if err := validateGenesisClaim(c, g.NextClaimId); err != nil {
			return ErrInvalidGenesis.Wrapf("claim %d: %v", i, err)
		}
		if err := checkGenesisBounds(g.Params, c); err != nil {
			return ErrInvalidGenesis.Wrapf("claim %d: %v", i, err)
		}
		if byID[c.Id] != nil {
			return ErrInvalidGenesis.Wrapf("claim id %d listed twice", c.Id)
		}
		byID[c.Id] = c
		if c.Status == ClaimStatus_CLAIM_STATUS_PENDING {
			if pending[c.Claimant]++; pending[c.Claimant] > g.Params.MaxPendingClaims {
				return ErrInvalidGenesis.Wrapf("claim %d: %s has more than max_pending_claims %d pending claims",
					c.Id, c.Claimant, g.Params.MaxPendingClaims)
			}
		}
	}
	if err := checkGenesisOverlaps(g.Claims); err != nil {
		return err
	}
	if err := checkGenesisLevels(g.Claims); err != nil {
		return err
	}
	return checkGenesisAttestations(g.Attestations, g.Claims, byID)
}

// checkGenesisBounds applies the length and reclaim-level rules a submission obeys: the overlap and
// reclaim checks look back max_claim_duration (at least), so a longer imported claim could hide
// from them.
func checkGenesisBounds(p *Params, c *Claim) error {
	d := c.End - c.Start
	switch {
	case d > p.MaxClaimDuration:
		return fmt.Errorf("id %d lasts %s, longer than max_claim_duration %s; split it into several claims",
			c.Id, core.FormatDuration(d), core.FormatDuration(p.MaxClaimDuration))
	case d < p.MinClaimDuration:
		return fmt.Errorf("id %d lasts %s, shorter than min_claim_duration %s", c.Id, core.FormatDuration(d), core.FormatDuration(p.MinClaimDuration))
	case c.ReclaimLevel > p.MaxReclaims:
		return fmt.Errorf("id %d has reclaim_level %d, above max_reclaims %d", c.Id, c.ReclaimLevel, p.MaxReclaims)
	}
	return nil
}

// checkGenesisLevels checks the reclaim levels (firstLevelConflict).
func checkGenesisLevels(claims []*Claim) error {
	if c, last, found := firstLevelConflict(claims); found {
		return ErrInvalidGenesis.Wrapf("claim %d overlaps rejected claim %d of %s on reclaim level %d; give one of them another reclaim_level",
			c.Id, last.Id, c.Claimant, c.ReclaimLevel)
	}
	return nil
}

func validateGenesisClaim(c *Claim, nextID uint64) error {
	switch {
	case c == nil:
		return fmt.Errorf("empty")
	case c.Id == 0 || c.Id >= nextID:
		return fmt.Errorf("id %d must be at least 1 and below next_claim_id %d", c.Id, nextID)
	case c.End <= c.Start || c.End-c.Start > maxDuration:
		return fmt.Errorf("id %d has interval [%d, %d)", c.Id, c.Start, c.End)
	case c.Status == ClaimStatus_CLAIM_STATUS_UNSPECIFIED || ClaimStatus_name[int32(c.Status)] == "":
		return fmt.Errorf("id %d has no valid status", c.Id)
	case Minted(c.Status) && c.Minted != MintedFor(c.Start, c.End):
		return fmt.Errorf("id %d minted %d, its duration gives %d", c.Id, c.Minted, MintedFor(c.Start, c.End))
	case !Minted(c.Status) && c.Minted != 0:
		return fmt.Errorf("id %d is not verified but minted %d", c.Id, c.Minted)
	case (c.Status == ClaimStatus_CLAIM_STATUS_REVERSED) != (c.Reversal != nil):
		return fmt.Errorf("id %d: a reversal record goes with status reversed, and only with it", c.Id)
	case c.Reversal != nil && c.Reversal.Burned+c.Reversal.Debt != c.Minted:
		return fmt.Errorf("id %d: reversal burned %d + debt %d must equal minted %d", c.Id, c.Reversal.Burned, c.Reversal.Debt, c.Minted)
	case !ValidCategory(c.Category):
		return fmt.Errorf("id %d has category %q", c.Id, c.Category)
	}
	if c.Project != "" {
		if err := core.CheckHandle(c.Project); err != nil {
			return fmt.Errorf("id %d project: %v", c.Id, err)
		}
	}
	if _, err := core.ParseAddress(c.Claimant); err != nil {
		return fmt.Errorf("id %d claimant: %v", c.Id, err)
	}
	return validateGenesisPrivacy(c)
}

// validateGenesisPrivacy checks a claim's summary hash and beneficiary record. A countersignature
// is not verified again: it was verified at submission, and its statement names the chain id of the
// chain it was submitted on, which an export's new chain does not share.
func validateGenesisPrivacy(c *Claim) error {
	switch {
	case c.Summary != "" && len(c.SummaryHash) != 0:
		return fmt.Errorf("id %d has both a summary and a summary_hash", c.Id)
	case len(c.SummaryHash) != 0 && len(c.SummaryHash) != 32:
		return fmt.Errorf("id %d summary_hash is %d bytes, not 32", c.Id, len(c.SummaryHash))
	}
	if b := c.Beneficiary; b != nil {
		claimant, _ := core.ParseAddress(c.Claimant)
		if err := checkCountersignShape(b, claimant); err != nil {
			return fmt.Errorf("id %d beneficiary: %v", c.Id, err)
		}
	}
	return nil
}

// checkGenesisOverlaps checks that no two live claims of one claimant overlap (firstOverlap).
func checkGenesisOverlaps(claims []*Claim) error {
	if a, b, found := firstOverlap(claims); found {
		return ErrInvalidGenesis.Wrapf("claims %d and %d of %s overlap", a.Id, b.Id, a.Claimant)
	}
	return nil
}

func checkGenesisAttestations(atts []*Attestation, claims []*Claim, byID map[uint64]*Claim) error {
	type key struct {
		id       uint64
		attestor string
	}
	seen := map[key]bool{}
	approvals, rejections := map[uint64]uint32{}, map[uint64]uint32{}
	for i, a := range atts {
		if a == nil {
			return ErrInvalidGenesis.Wrapf("attestation %d is empty", i)
		}
		c := byID[a.ClaimId]
		if c == nil {
			return ErrInvalidGenesis.Wrapf("attestation %d is for missing claim %d", i, a.ClaimId)
		}
		if _, err := core.ParseAddress(a.Attestor); err != nil {
			return ErrInvalidGenesis.Wrapf("attestation %d: %v", i, err)
		}
		if a.Attestor == c.Claimant {
			return ErrInvalidGenesis.Wrapf("attestation %d is by the claimant of claim %d", i, c.Id)
		}
		if seen[key{a.ClaimId, a.Attestor}] {
			return ErrInvalidGenesis.Wrapf("%s attests claim %d twice", a.Attestor, a.ClaimId)
		}
		seen[key{a.ClaimId, a.Attestor}] = true
		switch a.Verdict {
		case Verdict_VERDICT_APPROVE:
			approvals[a.ClaimId]++
		case Verdict_VERDICT_REJECT:
			rejections[a.ClaimId]++
		default:
			return ErrInvalidGenesis.Wrapf("attestation %d has no verdict", i)
		}
	}
	for _, c := range claims {
		if id := c.Id; c.Approvals != approvals[id] || c.Rejections != rejections[id] {
			return ErrInvalidGenesis.Wrapf("claim %d counts %d/%d verdicts but has %d/%d attestations",
				c.Id, c.Approvals, c.Rejections, approvals[c.Id], rejections[c.Id])
		}
	}
	return nil
}

// InitGenesis writes the genesis state and rebuilds every index and counter from the claims.
// VERIFIED claims keep their minted amount; the bank genesis supply carries the matching minted
// total (app.GenesisState.Validate checks that they agree). Each claim is stored as a body and a
// tally, as if it had been submitted and attested on this chain.
func (k Keeper) InitGenesis(ctx *core.Context, g *GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	ctx.KV.Set(paramsKey, core.MustMarshal(g.Params))
	k.setCounts(ctx.KV, ClaimCounts{NextId: max(g.NextClaimId, 1)})
	k.ImportClaims(ctx.KV, g.Claims)
	for _, a := range g.Attestations {
		attestor, _ := core.ParseAddress(a.Attestor)
		ctx.KV.Set(attestationKey(a.ClaimId, attestor), core.MustMarshal(a))
		ctx.KV.Set(core.Key(byAttestor(attestor), core.Uint64Key(a.ClaimId)), present)
		c, _ := k.Claim(ctx.KV, a.ClaimId)
		k.updateRecord(ctx.KV, attestor, func(r *MemberClaimRecord) { r.addVerdict(a.Verdict, c.Status) })
	}
	for _, c := range g.Claims { // reviewers: the awaiting index, or a draw at the end of block 1
		if c.Status != ClaimStatus_CLAIM_STATUS_PENDING {
			continue
		}
		if !c.ReviewersDrawn && g.Params.Reviewers > 0 {
			ctx.KV.Set(reviewQueueKey(0, c.Id), present)
		}
		for _, rv := range c.Reviewers {
			a, _ := core.ParseAddress(rv)
			if _, attested := ctx.KV.Get(attestationKey(c.Id, a)); !attested {
				ctx.KV.Set(awaitingKey(a, c.Id), present)
			}
		}
	}
	return nil
}

// ImportClaims stores claims as InitGenesis does: body and tally, every index, and the counters,
// added to those already in kv. It does not validate them (InitGenesis validates the whole genesis
// first) and does not mint (the bank genesis carries VERIFIED claims' hours). Tests use it to load
// states too large for one commit in several.
func (k Keeper) ImportClaims(kv core.KV, cs []*Claim) {
	counts := k.Counts(kv)
	for _, gc := range cs {
		c := *gc
		claimant, _ := core.ParseAddress(c.Claimant)
		counts.Longest = max(counts.Longest, c.End-c.Start)
		counts.NextId = max(counts.NextId, c.Id+1)
		k.index(kv, set, claimant, &c)
		switch c.Status {
		case ClaimStatus_CLAIM_STATUS_PENDING:
			k.indexLive(kv, claimant, &c)
			k.indexPending(kv, set, claimant, &c)
		case ClaimStatus_CLAIM_STATUS_VERIFIED:
			k.indexLive(kv, claimant, &c)
			k.addVerified(kv, &c, +1)
		case ClaimStatus_CLAIM_STATUS_REVERSED:
			k.indexLive(kv, claimant, &c) // reversed time stays taken
			counts.ReversedUhours += c.Minted
		case ClaimStatus_CLAIM_STATUS_REJECTED:
			k.indexRejected(kv, claimant, &c)
		}
		if Minted(c.Status) {
			k.updateRecord(kv, claimant, func(r *MemberClaimRecord) { r.addOwn(&c) })
		}
		status := c.Status
		c.Status = ClaimStatus_CLAIM_STATUS_UNSPECIFIED
		k.moveStatus(kv, set, &counts, &c, status)
		k.setBody(kv, set, &c)
		k.setTally(kv, &c)
	}
	k.setCounts(kv, counts)
}

// ExportGenesis writes the state as a genesis: claims in id order, attestations in (claim, attestor) order.
func (k Keeper) ExportGenesis(r core.Reader) *GenesisState {
	p := k.Params(r)
	g := &GenesisState{Params: &p, NextClaimId: k.Counts(r).NextId}
	k.IterateClaims(r, func(c Claim) bool {
		g.Claims = append(g.Claims, &c)
		return true
	})
	k.IterateAttestations(r, func(a Attestation) bool {
		g.Attestations = append(g.Attestations, &a)
		return true
	})
	return g
}
