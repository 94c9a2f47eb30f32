package api

import (
	"slices"
	"strings"

	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// members answers /members: members and candidates in handle order, optionally those whose handle
// starts with ?handle= and those with ?status=active|candidate|suspended.
func (s *Server) members(q *request) (any, error) {
	limit, offset, err := q.page()
	if err != nil {
		return nil, err
	}
	req := &members.QueryMembersRequest{HandlePrefix: strings.ToLower(q.param("handle")), Offset: offset, Limit: limit}
	if !validHandlePrefix(req.HandlePrefix) {
		return nil, badRequest("handle %q is not a handle prefix; use up to %d characters of a-z, 0-9 and -", q.param("handle"), members.MaxHandleLen)
	}
	if st := q.param("status"); st != "" {
		var ok bool
		if req.Status, ok = members.ParseStatus(st); !ok {
			return nil, badRequest("status %q is not one of active, candidate, suspended", st)
		}
	}
	resp := q.k.Members.QueryMembers(q.view, req)
	out := listView[memberView]{Total: resp.Total, Offset: offset, Limit: limit, Items: []memberView{}}
	for _, m := range resp.Members {
		out.Items = append(out.Items, q.member(m))
	}
	return out, nil
}

func validHandlePrefix(p string) bool {
	if len(p) > members.MaxHandleLen {
		return false
	}
	for _, r := range p {
		if !((r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-') {
			return false
		}
	}
	return true
}

// claimSummary counts a member's claims by their status now: a reversed claim counts as reversed,
// not verified (the record counts it as both).
type claimSummary struct {
	Total          uint64 `json:"total"`
	Pending        uint64 `json:"pending"`
	Verified       uint64 `json:"verified"`
	Rejected       uint64 `json:"rejected"`
	Reversed       uint64 `json:"reversed"`
	VerifiedUhours uint64 `json:"verified_uhours"`
	VerifiedHours  string `json:"verified_hours"`
}

type memberDetailView struct {
	memberView
	// VouchedFor are the members and candidates this address vouched for, in handle order.
	VouchedFor   []vouchedView `json:"vouched_for"`
	Claims       claimSummary  `json:"claims"`
	Balance      uint64        `json:"balance"`
	BalanceHours string        `json:"balance_hours"`
	Record       recordView    `json:"record"`
}

// recordView is a member's public record (design §8, accountability), as /app/record gathers it.
type recordView struct {
	ClaimsVerified    uint64       `json:"claims_verified"` // own claims ever VERIFIED, reversed ones included
	VerifiedUhours    uint64       `json:"verified_uhours"`
	VerifiedHours     string       `json:"verified_hours"`
	ClaimsReversed    uint64       `json:"claims_reversed"`
	ReversedUhours    uint64       `json:"reversed_uhours"`
	ReversedHours     string       `json:"reversed_hours"`
	ApprovalsGiven    uint64       `json:"approvals_given"`
	RejectionsGiven   uint64       `json:"rejections_given"`
	ApprovalsReversed uint64       `json:"approvals_reversed"` // approvals given to claims later reversed
	DisputesOpened    uint64       `json:"disputes_opened"`
	DisputesUpheld    uint64       `json:"disputes_upheld"`    // opened by this member, finally upheld
	DisputesDismissed uint64       `json:"disputes_dismissed"` // opened by this member, finally dismissed
	JurySeats         uint64       `json:"jury_seats"`         // juries sat on whose voting time ended
	JuryVotes         uint64       `json:"jury_votes"`
	JuryNoShows       uint64       `json:"jury_no_shows"`
	ActiveStrikes     uint32       `json:"active_strikes"` // strikes within strike_window, which count towards a suspension
	StrikesEver       uint64       `json:"strikes_ever"`
	StrikesToSuspend  uint32       `json:"strikes_to_suspend"`
	Suspensions       uint64       `json:"suspensions"`
	SuspendedUntil    jsonTime     `json:"suspended_until"` // the last suspension's end; null if never suspended
	Strikes           []strikeView `json:"strikes"`         // the strikes kept (unexpired ones and any not yet pruned), oldest first
	Debt              uint64       `json:"debt"`
	DebtHours         string       `json:"debt_hours"`
}

// strikeView is one strike: a finally upheld dispute reversed a claim the member made, approved
// or whose claimant they vouched for.
type strikeView struct {
	Time      jsonTime `json:"time"`
	Height    uint64   `json:"height"`
	ClaimID   uint64   `json:"claim_id"`
	DisputeID uint64   `json:"dispute_id"`
	Role      string   `json:"role"`   // claimant | approver | voucher
	Active    bool     `json:"active"` // within strike_window of the block time
}

// record reads addr's record through the app (App.Record, the /app/record query).
func (s *Server) record(q *request, addr core.Address) recordView {
	r := s.app.Record(q.view, addr, q.time)
	c, d, m := r.Claims, r.Disputes, r.Member
	v := recordView{ClaimsVerified: c.Verified, VerifiedUhours: c.VerifiedUhours, VerifiedHours: core.FormatHours(c.VerifiedUhours),
		ClaimsReversed: c.Reversed, ReversedUhours: c.ReversedUhours, ReversedHours: core.FormatHours(c.ReversedUhours),
		ApprovalsGiven: c.ApprovalsGiven, RejectionsGiven: c.RejectionsGiven, ApprovalsReversed: c.ApprovalsReversed,
		DisputesOpened: d.DisputesOpened, DisputesUpheld: d.DisputesUpheld, DisputesDismissed: d.DisputesDismissed,
		JurySeats: d.JurySeats, JuryVotes: d.JuryVotes, JuryNoShows: d.JuryNoShows,
		ActiveStrikes: r.ActiveStrikes, StrikesEver: m.Strikes, Suspensions: m.Suspensions, SuspendedUntil: jsonTime(m.SuspendedUntil),
		Strikes: []strikeView{}, Debt: r.Debt, DebtHours: core.FormatHours(r.Debt)}
	p := q.k.Members.Params(q.view)
	v.StrikesToSuspend = p.StrikesToSuspend
	for _, st := range r.Strikes {
		v.Strikes = append(v.Strikes, strikeView{Time: jsonTime(st.Time), Height: st.Height, ClaimID: st.ClaimId, DisputeID: st.DisputeId,
			Role: core.EnumName(st.Role, "STRIKE_ROLE_"), Active: st.Time > q.time-p.StrikeWindow})
	}
	return v
}

type vouchedView struct {
	ref
	Status string `json:"status"`
}

// member answers /members/{address}: the member with its vouchers, the records it vouched for, a
// summary of its claims and its public record (strikes, verdicts, disputes, jury service, debt).
func (s *Server) member(q *request) (any, error) {
	addr, err := parseAddress("address", q.r.PathValue("address"))
	if err != nil {
		return nil, err
	}
	m, ok := q.k.Members.Member(q.view, addr)
	if !ok {
		return nil, notFoundf("%s is not a member or candidate", addr)
	}
	v := memberDetailView{memberView: q.member(&m), VouchedFor: vouchedFor(q, addr), Claims: claimsOf(q, addr),
		Record: s.record(q, addr)}
	acc, _ := q.k.Bank.AccountAt(q.view, addr, q.time)
	v.Balance, v.BalanceHours = acc.Balance, core.FormatHours(acc.Balance)
	return v, nil
}

// vouchedFor lists those addr vouched for, by handle (the members module's vouch index).
func vouchedFor(q *request, addr core.Address) []vouchedView {
	out := []vouchedView{}
	q.k.Members.VouchedFor(q.view, addr, func(m members.Member) bool {
		out = append(out, vouchedView{ref{m.Address, m.Handle}, members.StatusName(m.Status)})
		return true
	})
	slices.SortFunc(out, func(a, b vouchedView) int { return strings.Compare(a.Handle, b.Handle) })
	return out
}

// claimsOf counts addr's claims per status (the claims module reads them through its by-claimant
// index).
func claimsOf(q *request, addr core.Address) claimSummary {
	var sum claimSummary
	q.k.Claims.ClaimsOf(q.view, addr, func(c claims.Claim) bool {
		sum.Total++
		switch c.Status {
		case claims.ClaimStatus_CLAIM_STATUS_PENDING:
			sum.Pending++
		case claims.ClaimStatus_CLAIM_STATUS_VERIFIED:
			sum.Verified++
			sum.VerifiedUhours += c.Minted
		case claims.ClaimStatus_CLAIM_STATUS_REJECTED:
			sum.Rejected++
		case claims.ClaimStatus_CLAIM_STATUS_REVERSED:
			sum.Reversed++
		}
		return true
	})
	sum.VerifiedHours = core.FormatHours(sum.VerifiedUhours)
	return sum
}
