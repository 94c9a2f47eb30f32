package claims

import (
	"encoding/binary"
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// MaxClaimsPerBlock caps the claims submitted in one block, so that the finalisation queue, which
// settles at most MaxFinalizePerBlock claims a block, can never be fed faster than it drains. It is a
// consensus rule (FinalizeBlock, PrepareProposal and ProcessProposal), not a mempool rule: CheckTx
// accepts a claim over the budget, PrepareProposal leaves it out and a later block takes it.
//
// Why the queue keeps up: a block's claims all get the deadline block time + attestation_window,
// and block times increase, so the queue, ordered by (deadline, id), settles claims in the order of
// the blocks that submitted them. Let d(h) be the first block at or past the deadline of block h's
// claims and g(h) the block that settles the last of them. Each block settles MaxFinalizePerBlock
// due claims (or all that are due), and block h adds at most MaxClaimsPerBlock = MaxFinalizePerBlock
// claims behind those of block h-1, so g(h) <= max(d(h), g(h-1) + 1). By induction
// g(h) - h <= max over h' <= h of (d(h') - h'): no claim is settled later, counted in blocks after
// its submission, than the most blocks any attestation window has spanned. A pause in block
// production makes many claims due at once, but they are settled within the blocks their window
// would have spanned anyway; the backlog never grows without bound. (Two things outside that
// argument: PENDING claims imported from a genesis, which bypass the budget and are settled at
// MaxFinalizePerBlock a block like the rest, and a future change of attestation_window, which
// could make deadlines of later blocks earlier than those of earlier ones; shrinking the window
// should then ramp down no faster than the queue drains.)
const MaxClaimsPerBlock = MaxFinalizePerBlock

// SubmitClaim records a PENDING claim of the signer's work in [msg.Start, msg.End) and opens it for
// attestations until its deadline. Its cost does not depend on how many claims exist: a fixed
// number of point reads and one single-item seek per index (overlap, and each reclaim level).
func (k Keeper) SubmitClaim(ctx *core.Context, msg *MsgSubmitClaim) error {
	joined, admitted, err := k.members.Claimant(ctx.KV, ctx.Signer)
	if err != nil {
		return err
	}
	if !admitted {
		return ErrClaimantNotMember.Wrapf("%s is not an active member; ask members to vouch for you first", ctx.Signer)
	}
	p := k.Params(ctx.KV)
	if err := checkClaim(p, ctx.Time, msg); err != nil {
		return err
	}
	if cs := msg.Countersignature; cs != nil {
		if err := checkCountersignShape(cs, ctx.Signer); err != nil {
			return err
		}
	}
	if err := k.checkProject(ctx.KV, msg.Project); err != nil {
		return err
	}
	if msg.Start < joined {
		return ErrBeforeJoining.Wrapf("the claim starts at %s, before you joined at %s; claim only time since you joined",
			core.FormatTime(msg.Start), core.FormatTime(joined))
	}
	counts := k.Counts(ctx.KV)
	if counts.BlockHeight != ctx.Height {
		counts.BlockHeight, counts.BlockClaims = ctx.Height, 0
	}
	if !k.mempool && counts.BlockClaims >= MaxClaimsPerBlock {
		return ErrBlockClaimsFull.Wrapf("the block already holds %d new claims; resubmit in the next block", counts.BlockClaims)
	}
	if n := k.PendingCount(ctx.KV, ctx.Signer); n >= p.MaxPendingClaims {
		return k.tooManyPending(ctx.KV, ctx.Signer, n)
	}
	lookback := max(counts.Longest, p.MaxClaimDuration)
	if err := k.checkOverlap(ctx.KV, lookback, ctx.Signer, msg.Start, msg.End); err != nil {
		return err
	}
	level, err := k.reclaimLevel(ctx.KV, p, lookback, ctx.Signer, msg.Start, msg.End)
	if err != nil {
		return err
	}
	if cs := msg.Countersignature; cs != nil { // last: the one signature check a claim may cost
		if err := verifyCountersignature(cs, StatementOf(ctx.ChainID, ctx.Signer.String(), msg)); err != nil {
			return err
		}
	}
	id := counts.NextId
	counts.NextId++
	counts.BlockClaims++
	counts.Longest = max(counts.Longest, msg.End-msg.Start)
	c := &Claim{
		Id: id, Claimant: ctx.Signer.String(), Start: msg.Start, End: msg.End, Category: msg.Category,
		Summary: msg.Summary, SummaryHash: msg.SummaryHash, Evidence: msg.Evidence, SubmittedAt: ctx.Time,
		SubmittedHeight: uint64(max(ctx.Height, 0)), Deadline: ctx.Time + p.AttestationWindow,
		ReclaimLevel: level, Beneficiary: msg.Countersignature, Project: msg.Project,
	}
	k.index(ctx.KV, create, ctx.Signer, c)
	k.indexLive(ctx.KV, ctx.Signer, c)
	k.indexPending(ctx.KV, create, ctx.Signer, c)
	k.moveStatus(ctx.KV, create, &counts, c, ClaimStatus_CLAIM_STATUS_PENDING)
	k.setCounts(ctx.KV, counts)
	k.setBody(ctx.KV, create, c)
	if p.Reviewers > 0 {
		create(ctx.KV, reviewQueueKey(c.SubmittedHeight, id), present) // drawn at the end of the next block
	}
	ctx.Emit("claim_submitted", "claim_id", strconv.FormatUint(id, 10), "claimant", c.Claimant,
		"category", c.Category, "start", strconv.FormatInt(c.Start, 10), "end", strconv.FormatInt(c.End, 10),
		"duration", core.Uhour(MintedFor(c.Start, c.End)), "deadline", strconv.FormatInt(c.Deadline, 10),
		"project", c.Project)
	if c.Beneficiary != nil {
		ctx.Emit("claim_countersigned", "claim_id", strconv.FormatUint(id, 10), "beneficiary", c.Beneficiary.BeneficiaryAddress().String())
	}
	return nil
}

// tooManyPending is the error for a member already at max_pending_claims; it names the member's
// earliest deadline, the first entry of its pending index.
func (k Keeper) tooManyPending(r core.Reader, member core.Address, n uint32) error {
	msg := "you have " + strconv.FormatUint(uint64(n), 10) + " pending claims, the most allowed"
	core.IteratePrefix(r, pendingOf(member), false, func(key, _ []byte) bool {
		id := binary.BigEndian.Uint64(key[len(key)-8:])
		deadline := core.DecodeInt64Key(key[len(key)-16 : len(key)-8])
		msg += "; the earliest, claim " + strconv.FormatUint(id, 10) + ", closes at " + core.FormatTime(deadline)
		return false
	})
	return ErrTooManyPending.Wrapf("%s; submit this claim after it is finalised", msg)
}

// index writes the entries every claim has, whatever its status: claimant, category, and the
// start counters and day bucket (indexStart). The status entries are moveStatus's.
func (Keeper) index(kv core.KV, w put, claimant core.Address, c *Claim) {
	w(kv, core.Key(byClaimant(claimant), core.Uint64Key(c.Id)), present)
	w(kv, core.Key(byCategory(c.Category), core.Uint64Key(c.Id)), present)
	indexStart(kv, c)
}

// indexLive adds a PENDING or VERIFIED claim to the overlap index.
func (Keeper) indexLive(kv core.KV, claimant core.Address, c *Claim) {
	kv.Set(intervalKey(claimant, c.Start), core.MustMarshal(&IntervalRef{ClaimId: c.Id, End: c.End}))
}

// indexPending queues a PENDING claim for finalisation and counts it against its claimant.
func (k Keeper) indexPending(kv core.KV, w put, claimant core.Address, c *Claim) {
	w(kv, queueKey(c.Deadline, c.Id), present)
	k.addPending(kv, w, claimant, c, +1)
}

// checkClaim runs the checks that need no other claim. The order keeps arithmetic safe: once end
// and start are within [now - max_claim_age, now], end - start cannot overflow.
func checkClaim(p Params, now int64, msg *MsgSubmitClaim) error {
	if msg.End > now {
		return ErrEndInFuture.Wrapf("end %s is after the block time %s; claim only time already worked",
			core.FormatTime(msg.End), core.FormatTime(now))
	}
	if oldest := now - p.MaxClaimAge; msg.Start < oldest {
		return ErrClaimTooOld.Wrapf("start %s is before %s; claims must start within the last %s",
			core.FormatTime(msg.Start), core.FormatTime(oldest), core.FormatDuration(p.MaxClaimAge))
	}
	if msg.End <= msg.Start {
		return ErrInvalidInterval.Wrapf("end %s is not after start %s; give a positive interval",
			core.FormatTime(msg.End), core.FormatTime(msg.Start))
	}
	if d := msg.End - msg.Start; d > p.MaxClaimDuration {
		return ErrClaimTooLong.Wrapf("%s is longer than the %s maximum; split it into several claims",
			core.FormatDuration(d), core.FormatDuration(p.MaxClaimDuration))
	} else if d < p.MinClaimDuration {
		return ErrClaimTooShort.Wrapf("%s is shorter than the %s minimum; claim it together with adjacent work",
			core.FormatDuration(d), core.FormatDuration(p.MinClaimDuration))
	}
	if !p.hasCategory(msg.Category) {
		return ErrUnknownCategory.Wrapf("%q; use one of %v", msg.Category, p.Categories)
	}
	if err := checkSummary(p, msg); err != nil {
		return err
	}
	if msg.Countersignature == nil && p.requiresBeneficiary(msg.Category) {
		return ErrBeneficiaryRequired.Wrapf("claims of category %q must be countersigned by their beneficiary (the person cared for, "+
			"the maintainer): write the statement with `commonsd claim statement`, have the beneficiary sign it with "+
			"`commonsd claim countersign --from THEIR-KEY`, and submit with --countersigned FILE", msg.Category)
	}
	return checkEvidence(p, msg.Evidence)
}

// checkSummary: a claim says what was done, either as text or, when the text is private, as its
// SHA-256 (the attestors see the text off-chain); never both, never neither.
func checkSummary(p Params, msg *MsgSubmitClaim) error {
	switch {
	case msg.Summary == "" && len(msg.SummaryHash) == 0:
		return ErrNoSummary.Wrapf("say in a sentence what was done (--summary), or give only its hash (--private-summary)")
	case msg.Summary != "" && len(msg.SummaryHash) != 0:
		return ErrSummaryAndHash.Wrapf("a private summary stores only its hash; send either the summary or its hash, not both")
	case len(msg.SummaryHash) != 0 && len(msg.SummaryHash) != 32:
		return ErrInvalidSummaryHash.Wrapf("%d bytes; give the SHA-256 of the summary (32 bytes)", len(msg.SummaryHash))
	case uint64(len(msg.Summary)) > uint64(p.MaxSummaryBytes):
		return ErrSummaryTooLong.Wrapf("%d bytes; shorten it to at most %d", len(msg.Summary), p.MaxSummaryBytes)
	}
	return nil
}

func checkEvidence(p Params, ev []*Evidence) error {
	if uint64(len(ev)) > uint64(p.MaxEvidence) {
		return ErrInvalidEvidence.Wrapf("%d items; give at most %d", len(ev), p.MaxEvidence)
	}
	for i, e := range ev {
		switch {
		case e == nil || e.Uri == "" && len(e.Sha256) == 0:
			return ErrInvalidEvidence.Wrapf("item %d has neither a uri nor a sha256; give a link to the evidence, its hash, or both", i)
		case len(e.Uri) > maxURIBytes:
			return ErrInvalidEvidence.Wrapf("item %d uri has %d bytes; the limit is %d", i, len(e.Uri), maxURIBytes)
		case len(e.Sha256) != 0 && len(e.Sha256) != 32:
			return ErrInvalidEvidence.Wrapf("item %d sha256 has %d bytes; give 32 bytes or none", i, len(e.Sha256))
		}
	}
	return nil
}
