package api

import (
	"encoding/hex"

	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// Amounts are integers of micro-hours (uhour) with a decimal-hours string beside them, so that
// clients never need floating point to show them exactly.

// listView is every paginated answer.
type listView[T any] struct {
	Total  uint64 `json:"total"`
	Offset uint64 `json:"offset"`
	Limit  uint64 `json:"limit"`
	Items  []T    `json:"items"`
}

// ref names an address with its handle when it is a member or candidate.
type ref struct {
	Address string `json:"address"`
	Handle  string `json:"handle,omitempty"`
}

func (q *request) ref(addr string) ref {
	r := ref{Address: addr}
	if a, err := core.ParseAddress(addr); err == nil {
		if m, ok := q.k.Members.Member(q.view, a); ok {
			r.Handle = m.Handle
		}
	}
	return r
}

type memberView struct {
	Address        string   `json:"address"`
	Handle         string   `json:"handle"`
	Status         string   `json:"status"`
	JoinedAt       jsonTime `json:"joined_at"`
	JoinedHeight   uint64   `json:"joined_height"`
	FirstVouchedAt jsonTime `json:"first_vouched_at"`
	Founder        bool     `json:"founder"`
	Vouchers       []ref    `json:"vouchers"`
}

func (q *request) member(m *members.Member) memberView {
	v := memberView{Address: m.Address, Handle: m.Handle, Status: members.StatusName(m.Status),
		JoinedAt: jsonTime(m.JoinedAt), JoinedHeight: m.JoinedHeight, FirstVouchedAt: jsonTime(m.FirstVouchedAt),
		Founder: m.Status != members.MemberStatus_MEMBER_STATUS_CANDIDATE && m.FirstVouchedAt == 0 && len(m.Vouchers) == 0, Vouchers: []ref{}}
	for _, a := range m.Vouchers {
		v.Vouchers = append(v.Vouchers, q.ref(a))
	}
	return v
}

type evidenceView struct {
	URI    string `json:"uri"`              // empty for private evidence (a hash alone)
	SHA256 string `json:"sha256,omitempty"` // hex
}

// beneficiaryView is who countersigned a claim: the key, and the address it would have (the
// beneficiary needs no account, so the address may have no balance or history).
type beneficiaryView struct {
	PubKey    string `json:"pubkey"` // hex of the ed25519 key
	Address   string `json:"address"`
	Signature string `json:"signature"` // hex; over the statement rebuilt from the claim (docs/privacy.md)
}

type claimView struct {
	ID              uint64         `json:"id"`
	Claimant        ref            `json:"claimant"`
	Category        string         `json:"category"`
	Summary         string         `json:"summary"`
	Start           jsonTime       `json:"start"`
	End             jsonTime       `json:"end"`
	DurationSeconds int64          `json:"duration_seconds"`
	Status          string         `json:"status"`
	SubmittedAt     jsonTime       `json:"submitted_at"`
	SubmittedHeight uint64         `json:"submitted_height"`
	Deadline        jsonTime       `json:"deadline"`
	Approvals       uint32         `json:"approvals"`
	Rejections      uint32         `json:"rejections"`
	FinalizedAt     jsonTime       `json:"finalized_at"`
	FinalizedHeight uint64         `json:"finalized_height"`
	Minted          uint64         `json:"minted"`
	MintedHours     string         `json:"minted_hours"`
	Evidence        []evidenceView `json:"evidence"`
	// Reviewers are the claim's drawn reviewers (empty while drawn reviewers are off or not yet
	// drawn); ReviewerApprovals counts their approvals.
	Reviewers         []ref  `json:"reviewers"`
	ReviewerApprovals uint32 `json:"reviewer_approvals"`
	// OutcomeReason says why a REJECTED claim was rejected; empty otherwise.
	OutcomeReason string `json:"outcome_reason"`
	// Withdrawn: REJECTED because its claimant withdrew it.
	Withdrawn bool `json:"withdrawn"`
	// Reversal says how a finally upheld dispute undid the claim's mint; null unless reversed.
	Reversal *reversalView `json:"reversal"`
	// The privacy fields come last, so that CSV downloads keep their earlier columns in place.
	// SummaryHash is the hex SHA-256 of a private summary (then Summary is empty and PrivateSummary
	// true): attestors get the text off-chain.
	SummaryHash    string `json:"summary_hash,omitempty"`
	PrivateSummary bool   `json:"private_summary"`
	// Countersigned: the claim carries its beneficiary's countersignature; Beneficiary says whose.
	Countersigned bool             `json:"countersigned"`
	Beneficiary   *beneficiaryView `json:"beneficiary"`
	// Project is the handle of the project the claim is tagged with ("" if none).
	Project string `json:"project"`
}

// reversalView is how a VERIFIED claim was undone: the dispute, and what of its minted hours was
// burned from the claimant's balance at once and what became the claimant's debt.
type reversalView struct {
	DisputeID   uint64   `json:"dispute_id"`
	Time        jsonTime `json:"time"`
	Height      uint64   `json:"height"`
	Burned      uint64   `json:"burned"`
	BurnedHours string   `json:"burned_hours"`
	Debt        uint64   `json:"debt"`
	DebtHours   string   `json:"debt_hours"`
}

func (q *request) claim(c *claims.Claim) claimView {
	v := claimView{ID: c.Id, Claimant: q.ref(c.Claimant), Category: c.Category, Summary: c.Summary,
		Start: jsonTime(c.Start), End: jsonTime(c.End), DurationSeconds: c.End - c.Start, Status: claims.StatusName(c.Status),
		SubmittedAt: jsonTime(c.SubmittedAt), SubmittedHeight: c.SubmittedHeight, Deadline: jsonTime(c.Deadline),
		Approvals: c.Approvals, Rejections: c.Rejections, FinalizedAt: jsonTime(c.FinalizedAt),
		FinalizedHeight: c.FinalizedHeight, Minted: c.Minted, MintedHours: core.FormatHours(c.Minted),
		Evidence: []evidenceView{}, Reviewers: []ref{}, ReviewerApprovals: c.ReviewerApprovals, OutcomeReason: c.OutcomeReason,
		Withdrawn: c.Withdrawn, Project: c.Project}
	for _, e := range c.Evidence {
		v.Evidence = append(v.Evidence, evidenceView{URI: e.Uri, SHA256: hex.EncodeToString(e.Sha256)})
	}
	if len(c.SummaryHash) > 0 {
		v.SummaryHash, v.PrivateSummary = hex.EncodeToString(c.SummaryHash), true
	}
	if b := c.Beneficiary; b != nil {
		v.Countersigned = true
		v.Beneficiary = &beneficiaryView{PubKey: hex.EncodeToString(b.PubKey), Address: b.BeneficiaryAddress().String(),
			Signature: hex.EncodeToString(b.Signature)}
	}
	for _, r := range c.Reviewers {
		v.Reviewers = append(v.Reviewers, q.ref(r))
	}
	if r := c.Reversal; r != nil {
		v.Reversal = &reversalView{DisputeID: r.DisputeId, Time: jsonTime(r.Time), Height: r.Height,
			Burned: r.Burned, BurnedHours: core.FormatHours(r.Burned), Debt: r.Debt, DebtHours: core.FormatHours(r.Debt)}
	}
	return v
}

type attestationView struct {
	Attestor ref      `json:"attestor"`
	Verdict  string   `json:"verdict"`
	Note     string   `json:"note"`
	Time     jsonTime `json:"time"`
	Height   uint64   `json:"height"`
}

func (q *request) attestation(a *claims.Attestation) attestationView {
	return attestationView{Attestor: q.ref(a.Attestor), Verdict: claims.VerdictName(a.Verdict), Note: a.Note,
		Time: jsonTime(a.Time), Height: a.Height}
}
