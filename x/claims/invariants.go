package claims

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/commonsledger/commons/x/core"
)

// CheckInvariants verifies the claims module's invariants over one version of state by reading
// every claim, attestation and index entry (for tests and `commonsd debug invariants`, not for
// block execution):
//
//   - claims: every claim's id is below the next id (so a new claim's keys are new: create); every
//     claim has a status; a VERIFIED or REVERSED claim minted exactly its duration,
//     any other claim nothing; a REVERSED claim, and only it, has a reversal whose burned + debt
//     is its minted; the per-status counters, reversed hours and the category totals (VERIFIED
//     claims only) match the claims;
//   - records: each member's record equals what their claims and attestations give, and no
//     other record exists;
//   - reviewers: each claim's reviewer approvals are its reviewers' APPROVE attestations; the
//     awaiting index holds exactly the (reviewer, claim) pairs of PENDING claims whose reviewer has
//     not attested; the review queue holds only claims whose reviewers are not drawn;
//   - overlap: no two PENDING or VERIFIED claims of one member overlap (firstOverlap), and the
//     overlap index holds exactly those claims;
//   - reclaim levels: on each level of a member, REJECTED claims overlap neither each other nor a
//     PENDING claim of that level (firstLevelConflict), and the rejected-interval index holds
//     exactly the REJECTED claims, each on its claim's level;
//   - pending counters: each member's counter equals its PENDING claims, and no other counter
//     exists;
//   - attestations: every attestation belongs to an existing claim and is not by its claimant, and
//     each claim's approval and rejection counts equal its attestations;
//   - status index: each claim is in the per-status index under its status, and the index holds
//     nothing else;
//   - category and time indexes (cindex.go): each claim is once in the category index, once in
//     the category-status index under its status and once in the day bucket of its start (with its
//     start), and the category-status and start counters equal the counts (and largest ids) of
//     their claims; none of these holds any other entry.
//   - project index: it holds exactly the VERIFIED claims tagged with a project (checkProjectIndex).
//
// It returns the first violation found. The invariants that involve other modules (minted hours
// against the bank's supply) are the app's.
func (k Keeper) CheckInvariants(r core.Reader) error {
	var all []*Claim
	k.IterateClaims(r, func(c Claim) bool {
		all = append(all, &c)
		return true
	})
	for _, check := range []func(core.Reader, []*Claim) error{
		k.checkClaims, k.checkOverlaps, k.checkLevels, k.checkPending, k.checkAttestations, k.checkStatusIndex, k.checkRecords, k.checkReviewers,
		checkCategoryTimeIndexes, k.checkProjectIndex,
	} {
		if err := check(r, all); err != nil {
			return err
		}
	}
	return nil
}

// checkClaims: ids below the next id, statuses, minted amounts, status counters, category totals.
func (k Keeper) checkClaims(r core.Reader, all []*Claim) error {
	var n [5]uint64
	var reversedUhours uint64
	cats := map[string]CategoryStat{}
	counts := k.Counts(r)
	for _, c := range all {
		if c.Id == 0 || c.Id >= counts.NextId {
			return fmt.Errorf("invariant claims: claim %d is not in 1 … next id - 1 (next id %d)", c.Id, counts.NextId)
		}
		if c.Status <= 0 || int(c.Status) >= len(n) {
			return fmt.Errorf("invariant claims: claim %d has status %v", c.Id, c.Status)
		}
		n[c.Status]++
		if (c.Status == ClaimStatus_CLAIM_STATUS_REVERSED) != (c.Reversal != nil) ||
			c.Reversal != nil && c.Reversal.Burned+c.Reversal.Debt != c.Minted {
			return fmt.Errorf("invariant reversal: claim %d is %v with reversal %v and minted %d", c.Id, c.Status, c.Reversal, c.Minted)
		}
		if Minted(c.Status) {
			if want := MintedFor(c.Start, c.End); c.Minted != want {
				return fmt.Errorf("invariant minted: claim %d minted %d, its duration gives %d", c.Id, c.Minted, want)
			}
			if c.Status == ClaimStatus_CLAIM_STATUS_REVERSED {
				reversedUhours += c.Minted
				continue
			}
			st := cats[c.Category]
			st.VerifiedUhours += c.Minted
			st.VerifiedClaims++
			cats[c.Category] = st
		} else if c.Minted != 0 {
			return fmt.Errorf("invariant minted: claim %d is %v but minted %d", c.Id, c.Status, c.Minted)
		}
	}
	if counts.Pending != n[1] || counts.Verified != n[2] || counts.Rejected != n[3] || counts.Reversed != n[4] ||
		counts.ReversedUhours != reversedUhours {
		return fmt.Errorf("invariant claim counts: counters %d/%d/%d/%d (%d uhour reversed), claims %d/%d/%d/%d (%d) (pending/verified/rejected/reversed)",
			counts.Pending, counts.Verified, counts.Rejected, counts.Reversed, counts.ReversedUhours, n[1], n[2], n[3], n[4], reversedUhours)
	}
	names := make([]string, 0, len(cats))
	for c := range cats {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		got := k.CategoryStat(r, c)
		if got.VerifiedUhours != cats[c].VerifiedUhours || got.VerifiedClaims != cats[c].VerifiedClaims {
			return fmt.Errorf("invariant category %q: stat %d uhour/%d claims, claims give %d/%d",
				c, got.VerifiedUhours, got.VerifiedClaims, cats[c].VerifiedUhours, cats[c].VerifiedClaims)
		}
	}
	return nil
}

// checkOverlaps: no two live claims of one member overlap, and the overlap index holds exactly the
// live claims.
func (k Keeper) checkOverlaps(r core.Reader, all []*Claim) error {
	if a, b, found := firstOverlap(all); found {
		return fmt.Errorf("invariant overlap: claims %d and %d of %s overlap", a.Id, b.Id, b.Claimant)
	}
	nlive := 0
	for _, c := range all {
		if live(c) {
			nlive++
		}
	}
	indexed := 0
	var err error
	core.IteratePrefix(r, intervalPrefix, false, func(_, v []byte) bool {
		var ref IntervalRef
		core.MustUnmarshal(v, &ref)
		indexed++
		c, ok := k.Claim(r, ref.ClaimId)
		if !ok || c.End != ref.End || !live(&c) {
			err = fmt.Errorf("invariant overlap index: entry for claim %d does not match a live claim", ref.ClaimId)
			return false
		}
		return true
	})
	if err == nil && indexed != nlive {
		err = fmt.Errorf("invariant overlap index: %d entries for %d live claims", indexed, nlive)
	}
	return err
}

// checkLevels: the reclaim levels are free of overlaps, and the rejected-interval index holds
// exactly the REJECTED claims, each on its claim's reclaim level.
func (k Keeper) checkLevels(r core.Reader, all []*Claim) error {
	if c, rej, found := firstLevelConflict(all); found {
		return fmt.Errorf("invariant reclaim levels: claim %d overlaps rejected claim %d of %s on reclaim level %d",
			c.Id, rej.Id, c.Claimant, c.ReclaimLevel)
	}
	var rejected uint64
	for _, c := range all {
		if c.Status == ClaimStatus_CLAIM_STATUS_REJECTED {
			rejected++
		}
	}
	var indexed uint64
	var err error
	core.IteratePrefix(r, rejectedPrefix, false, func(key, v []byte) bool {
		var ref IntervalRef
		core.MustUnmarshal(v, &ref)
		indexed++
		c, ok := k.Claim(r, ref.ClaimId)
		claimant, _ := core.ParseAddress(c.Claimant)
		if !ok || c.Status != ClaimStatus_CLAIM_STATUS_REJECTED || c.End != ref.End ||
			string(key) != string(rejectedKey(claimant, c.ReclaimLevel, c.Start)) {
			err = fmt.Errorf("invariant reclaim index: entry for claim %d does not match a rejected claim", ref.ClaimId)
			return false
		}
		return true
	})
	if err == nil && indexed != rejected {
		err = fmt.Errorf("invariant reclaim index: %d entries for %d rejected claims", indexed, rejected)
	}
	return err
}

// checkPending: the per-member pending counters add up to the PENDING claims, member by member.
func (k Keeper) checkPending(r core.Reader, all []*Claim) error {
	pending := map[string]uint32{}
	for _, c := range all {
		if c.Status == ClaimStatus_CLAIM_STATUS_PENDING {
			pending[c.Claimant]++
		}
	}
	var counted uint32
	for who, n := range pending {
		addr, _ := core.ParseAddress(who)
		if got := k.PendingCount(r, addr); got != n {
			return fmt.Errorf("invariant pending claims: %s counts %d but has %d", who, got, n)
		}
		counted += n
	}
	var total uint32
	core.IteratePrefix(r, pendingCountPrefix, false, func(_, v []byte) bool {
		var p PendingClaims
		core.MustUnmarshal(v, &p)
		total += p.Count
		return true
	})
	if total != counted {
		return fmt.Errorf("invariant pending claims: counters add up to %d, pending claims are %d", total, counted)
	}
	return nil
}

// checkAttestations: every attestation belongs to an existing claim, is not by its claimant, and
// the claim's approval and rejection counts equal its attestations.
func (k Keeper) checkAttestations(r core.Reader, all []*Claim) error {
	var err error
	var cur Claim
	var approvals, rejections uint32
	attested := map[uint64]bool{}
	flush := func() {
		if err == nil && cur.Id != 0 && (cur.Approvals != approvals || cur.Rejections != rejections) {
			err = fmt.Errorf("invariant attestations: claim %d counts %d/%d but has %d/%d attestations",
				cur.Id, cur.Approvals, cur.Rejections, approvals, rejections)
		}
	}
	// Attestations iterate grouped by claim id, so each claim's tally completes before the next.
	k.IterateAttestations(r, func(at Attestation) bool {
		if at.ClaimId != cur.Id {
			flush()
			c, ok := k.Claim(r, at.ClaimId)
			if !ok {
				err = fmt.Errorf("invariant attestations: attestation by %s for missing claim %d", at.Attestor, at.ClaimId)
			}
			cur, approvals, rejections = c, 0, 0
			attested[at.ClaimId] = true
		}
		if err != nil {
			return false
		}
		if at.Attestor == cur.Claimant {
			err = fmt.Errorf("invariant attestations: claim %d attested by its claimant", cur.Id)
			return false
		}
		if at.Verdict == Verdict_VERDICT_APPROVE {
			approvals++
		} else {
			rejections++
		}
		return true
	})
	flush()
	if err != nil {
		return err
	}
	// Claims without any attestation must count none.
	for _, c := range all {
		if (c.Approvals != 0 || c.Rejections != 0) && !attested[c.Id] {
			return fmt.Errorf("invariant attestations: claim %d counts verdicts but has no attestations", c.Id)
		}
	}
	return nil
}

// checkStatusIndex: the per-status index (which serves listings by status) holds each claim under
// its status and nothing else.
func (Keeper) checkStatusIndex(r core.Reader, all []*Claim) error {
	var n [5]uint64
	for _, c := range all {
		if _, ok := r.Get(core.Key(byStatus(c.Status), core.Uint64Key(c.Id))); !ok {
			return fmt.Errorf("invariant claim index: claim %d is not in the %v index", c.Id, c.Status)
		}
		n[c.Status]++
	}
	for s := ClaimStatus_CLAIM_STATUS_PENDING; s <= ClaimStatus_CLAIM_STATUS_REVERSED; s++ {
		var indexed uint64
		core.IteratePrefix(r, byStatus(s), false, func(_, _ []byte) bool { indexed++; return true })
		if indexed != n[s] {
			return fmt.Errorf("invariant claim index: the %v index has %d entries for %d claims", s, indexed, n[s])
		}
	}
	return nil
}

// checkRecords: each member's record equals what their claims and attestations give, and no
// other record exists.
func (k Keeper) checkRecords(r core.Reader, all []*Claim) error {
	want := map[string]*MemberClaimRecord{}
	get := func(addr string) *MemberClaimRecord {
		if want[addr] == nil {
			want[addr] = &MemberClaimRecord{}
		}
		return want[addr]
	}
	status := map[uint64]ClaimStatus{}
	for _, c := range all {
		status[c.Id] = c.Status
		if Minted(c.Status) {
			get(c.Claimant).addOwn(c)
		}
	}
	k.IterateAttestations(r, func(a Attestation) bool {
		get(a.Attestor).addVerdict(a.Verdict, status[a.ClaimId])
		return true
	})
	var err error
	stored := 0
	core.IteratePrefix(r, recordPrefix, false, func(key, v []byte) bool {
		stored++
		var got MemberClaimRecord
		core.MustUnmarshal(v, &got)
		addr := core.Address(key[len(recordPrefix)+1:]).String()
		w := want[addr]
		if w == nil || !bytes.Equal(v, core.MustMarshal(w)) {
			err = fmt.Errorf("invariant records: %s's record is %v, its claims and attestations give %v", addr, &got, w)
			return false
		}
		return true
	})
	if err == nil && stored != len(want) {
		err = fmt.Errorf("invariant records: %d records stored, claims and attestations give %d", stored, len(want))
	}
	return err
}

// checkReviewers: reviewer approvals, the awaiting index and the review queue (see CheckInvariants).
func (k Keeper) checkReviewers(r core.Reader, all []*Claim) error {
	want := map[string]bool{}
	for _, c := range all {
		var approvals uint32
		for _, rv := range c.Reviewers {
			a, err := core.ParseAddress(rv)
			if err != nil {
				return fmt.Errorf("invariant reviewers: claim %d has reviewer %q", c.Id, rv)
			}
			var at Attestation
			switch {
			case core.Load(r, attestationKey(c.Id, a), &at):
				if at.Verdict == Verdict_VERDICT_APPROVE {
					approvals++
				}
			case c.Status == ClaimStatus_CLAIM_STATUS_PENDING:
				want[string(awaitingKey(a, c.Id))] = true
			}
		}
		if approvals != c.ReviewerApprovals {
			return fmt.Errorf("invariant reviewers: claim %d counts %d reviewer approvals, its reviewers gave %d", c.Id, c.ReviewerApprovals, approvals)
		}
	}
	var err error
	core.IteratePrefix(r, awaitingPrefix, false, func(key, _ []byte) bool {
		if !want[string(key)] {
			err = fmt.Errorf("invariant reviewers: stray awaiting entry %x", key)
			return false
		}
		delete(want, string(key))
		return true
	})
	if err == nil && len(want) > 0 {
		err = fmt.Errorf("invariant reviewers: %d awaiting entries missing", len(want))
	}
	if err != nil {
		return err
	}
	core.IteratePrefix(r, reviewQueuePrefix, false, func(key, _ []byte) bool {
		id := binary.BigEndian.Uint64(key[len(key)-8:])
		if c, ok := k.Claim(r, id); !ok || c.ReviewersDrawn {
			err = fmt.Errorf("invariant reviewers: review queue holds claim %d, missing or already drawn", id)
			return false
		}
		return true
	})
	return err
}
