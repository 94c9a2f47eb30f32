package claims

import (
	"strconv"
	"time"

	"github.com/commonsledger/commons/x/core"
)

// SubmitClaim records a PENDING claim of the signer's work in [msg.Start, msg.End) and opens it for
// attestations until its deadline.
func (k Keeper) SubmitClaim(ctx *core.Context, msg *MsgSubmitClaim) error {
	if !k.members.IsActive(ctx.KV, ctx.Signer) {
		return ErrClaimantNotMember.Wrapf("%s is not an active member; ask members to vouch for you first", ctx.Signer)
	}
	p := k.Params(ctx.KV)
	if err := checkClaim(p, ctx.Time, msg); err != nil {
		return err
	}
	if err := k.checkOverlap(ctx.KV, p, ctx.Signer, msg.Start, msg.End); err != nil {
		return err
	}
	counts := k.Counts(ctx.KV)
	id := counts.NextId
	counts.NextId++
	k.setCounts(ctx.KV, counts)
	c := &Claim{
		Id: id, Claimant: ctx.Signer.String(), Start: msg.Start, End: msg.End, Category: msg.Category,
		Summary: msg.Summary, Evidence: msg.Evidence, SubmittedAt: ctx.Time,
		SubmittedHeight: uint64(max(ctx.Height, 0)), Deadline: ctx.Time + p.AttestationWindow,
	}
	k.index(ctx.KV, c)
	k.setStatus(ctx.KV, c, ClaimStatus_CLAIM_STATUS_PENDING)
	k.setClaim(ctx.KV, c)
	ctx.Emit("claim_submitted", "claim_id", strconv.FormatUint(id, 10), "claimant", c.Claimant,
		"category", c.Category, "start", strconv.FormatInt(c.Start, 10), "end", strconv.FormatInt(c.End, 10),
		"duration", core.Uhour(MintedFor(c.Start, c.End)), "deadline", strconv.FormatInt(c.Deadline, 10))
	return nil
}

// index writes a new PENDING claim's overlap, queue and claimant index entries.
func (Keeper) index(kv core.KV, c *Claim) {
	claimant, _ := core.ParseAddress(c.Claimant)
	kv.Set(IntervalKey(claimant, c.Start), core.MustMarshal(&IntervalRef{ClaimId: c.Id, End: c.End}))
	kv.Set(QueueKey(c.Deadline, c.Id), present)
	kv.Set(core.Key(byClaimant(claimant), core.Uint64Key(c.Id)), present)
}

// checkClaim runs the checks that need no other claim. The order keeps arithmetic safe: once end
// and start are within [now - max_claim_age, now], end - start cannot overflow.
func checkClaim(p Params, now int64, msg *MsgSubmitClaim) error {
	if msg.End > now {
		return ErrEndInFuture.Wrapf("end %s is after the block time %s; claim only time already worked",
			fmtTime(msg.End), fmtTime(now))
	}
	if oldest := now - p.MaxClaimAge; msg.Start < oldest {
		return ErrClaimTooOld.Wrapf("start %s is before %s; claims must start within the last %s",
			fmtTime(msg.Start), fmtTime(oldest), fmtDuration(p.MaxClaimAge))
	}
	if msg.End <= msg.Start {
		return ErrInvalidInterval.Wrapf("end %s is not after start %s; give a positive interval",
			fmtTime(msg.End), fmtTime(msg.Start))
	}
	if d := msg.End - msg.Start; d > p.MaxClaimDuration {
		return ErrClaimTooLong.Wrapf("%s is longer than the %s maximum; split it into several claims",
			fmtDuration(d), fmtDuration(p.MaxClaimDuration))
	}
	if !p.hasCategory(msg.Category) {
		return ErrUnknownCategory.Wrapf("%q; use one of %v", msg.Category, p.Categories)
	}
	if uint64(len(msg.Summary)) > uint64(p.MaxSummaryBytes) {
		return ErrSummaryTooLong.Wrapf("%d bytes; shorten it to at most %d", len(msg.Summary), p.MaxSummaryBytes)
	}
	return checkEvidence(p, msg.Evidence)
}

func checkEvidence(p Params, ev []*Evidence) error {
	if uint64(len(ev)) > uint64(p.MaxEvidence) {
		return ErrInvalidEvidence.Wrapf("%d items; give at most %d", len(ev), p.MaxEvidence)
	}
	for i, e := range ev {
		switch {
		case e == nil || e.Uri == "":
			return ErrInvalidEvidence.Wrapf("item %d has no uri; give a link to the evidence", i)
		case len(e.Uri) > maxURIBytes:
			return ErrInvalidEvidence.Wrapf("item %d uri has %d bytes; the limit is %d", i, len(e.Uri), maxURIBytes)
		case len(e.Sha256) != 0 && len(e.Sha256) != 32:
			return ErrInvalidEvidence.Wrapf("item %d sha256 has %d bytes; give 32 bytes or none", i, len(e.Sha256))
		}
	}
	return nil
}

// overlapError reads "claim overlaps claim 12 (2026-11-20 09:00–11:00 UTC); …" and matches
// ErrClaimOverlaps under errors.Is/As.
type overlapError struct{ msg string }

func (e *overlapError) Error() string { return e.msg }
func (e *overlapError) Unwrap() error { return ErrClaimOverlaps }

// checkOverlap finds a PENDING or VERIFIED claim of claimant that overlaps [start, end). Any such
// claim starts in [start - max_claim_duration, end), so only that range of the index is scanned.
// Adjacent intervals ([9:00,10:00) and [10:00,11:00)) do not overlap.
func (k Keeper) checkOverlap(r core.Reader, p Params, claimant core.Address, start, end int64) error {
	var found *IntervalRef
	var foundStart int64
	r.Iterate(IntervalKey(claimant, start-p.MaxClaimDuration), IntervalKey(claimant, end), false, func(key, v []byte) bool {
		var ref IntervalRef
		core.MustUnmarshal(v, &ref)
		if ref.End > start {
			found, foundStart = &ref, core.DecodeInt64Key(key[len(key)-8:])
			return false
		}
		return true
	})
	if found == nil {
		return nil
	}
	return &overlapError{msg: "claim overlaps claim " + strconv.FormatUint(found.ClaimId, 10) +
		" (" + FormatInterval(foundStart, found.End) + "); claim only time not already claimed"}
}

// FormatInterval renders [start, end) for messages: "2026-11-20 09:00–11:00 UTC", with seconds when
// either bound has them and the end's date when it falls on another day.
func FormatInterval(start, end int64) string {
	s, e := time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC()
	clock := "15:04"
	if s.Second() != 0 || e.Second() != 0 {
		clock = "15:04:05"
	}
	endLayout := clock
	if s.YearDay() != e.YearDay() || s.Year() != e.Year() {
		endLayout = "2006-01-02 " + clock
	}
	return s.Format("2006-01-02 "+clock) + "–" + e.Format(endLayout) + " UTC"
}

func fmtTime(unix int64) string { return time.Unix(unix, 0).UTC().Format("2006-01-02 15:04:05 UTC") }

// fmtDuration renders seconds as "1h30m0s"-style text via time.Duration (display only).
func fmtDuration(sec int64) string { return (time.Duration(sec) * time.Second).String() }
