package api

import (
	"strconv"

	"github.com/commonsledger/commons/x/disputes"
)

type disputeView struct {
	ID             uint64   `json:"id"`
	ClaimID        uint64   `json:"claim_id"`
	Claimant       ref      `json:"claimant"`
	Disputant      ref      `json:"disputant"`
	Reason         string   `json:"reason"`
	Status         string   `json:"status"` // open | voting | upheld | dismissed | appealed
	OpenedAt       jsonTime `json:"opened_at"`
	OpenedHeight   uint64   `json:"opened_height"`
	Round          uint32   `json:"round"`
	Jurors         []ref    `json:"jurors"`
	PreviousJurors []ref    `json:"previous_jurors"`
	Deadline       jsonTime `json:"deadline"`
	Uphold         uint32   `json:"uphold"`
	Dismiss        uint32   `json:"dismiss"`
	DecidedAt      jsonTime `json:"decided_at"`
	DecidedHeight  uint64   `json:"decided_height,omitempty"`
	OutcomeReason  string   `json:"outcome_reason,omitempty"`
	AppealDeadline jsonTime `json:"appeal_deadline"`
	Final          bool     `json:"final"`
	Appellant      string   `json:"appellant,omitempty"`
	AppealedAt     jsonTime `json:"appealed_at"`
	FirstOutcome   string   `json:"first_outcome,omitempty"`
	FirstReason    string   `json:"first_reason,omitempty"`
	FirstUphold    uint32   `json:"first_uphold"`
	FirstDismiss   uint32   `json:"first_dismiss"`
	FirstDecidedAt jsonTime `json:"first_decided_at"`
	FirstJurors    []ref    `json:"first_jurors"`
	AppealReason   string   `json:"appeal_reason,omitempty"`
	// Reversed: this dispute, final UPHELD, reversed its claim (false if another dispute had
	// already reversed it). Strikes counts the members its reversal struck.
	Reversed bool   `json:"reversed"`
	Strikes  uint32 `json:"strikes"`
}

type juryVoteView struct {
	Juror  ref      `json:"juror"`
	Round  uint32   `json:"round"`
	Vote   string   `json:"vote"` // uphold | dismiss
	Note   string   `json:"note"`
	Time   jsonTime `json:"time"`
	Height uint64   `json:"height"`
}

type disputeDetailView struct {
	Dispute disputeView    `json:"dispute"`
	Votes   []juryVoteView `json:"votes"`
}

func (q *request) dispute(d *disputes.Dispute) disputeView {
	v := disputeView{ID: d.Id, ClaimID: d.ClaimId, Claimant: q.ref(d.Claimant), Disputant: q.ref(d.Disputant),
		Reason: d.Reason, Status: disputes.StatusName(d.Status), OpenedAt: jsonTime(d.OpenedAt), OpenedHeight: d.OpenedHeight,
		Round: d.Round, Jurors: []ref{}, PreviousJurors: []ref{}, Deadline: jsonTime(d.Deadline), Uphold: d.Uphold,
		Dismiss: d.Dismiss, DecidedAt: jsonTime(d.DecidedAt), DecidedHeight: d.DecidedHeight, OutcomeReason: d.OutcomeReason}
	for _, j := range d.Jurors {
		v.Jurors = append(v.Jurors, q.ref(j))
	}
	for _, j := range d.PreviousJurors {
		v.PreviousJurors = append(v.PreviousJurors, q.ref(j))
	}
	v.AppealDeadline, v.Final, v.Appellant, v.AppealedAt = jsonTime(d.AppealDeadline), d.Final, d.Appellant, jsonTime(d.AppealedAt)
	if d.Appellant != "" {
		v.FirstOutcome = disputes.StatusName(d.FirstOutcome)
	}
	v.FirstReason, v.FirstUphold, v.FirstDismiss, v.FirstDecidedAt = d.FirstReason, d.FirstUphold, d.FirstDismiss, jsonTime(d.FirstDecidedAt)
	v.FirstJurors = []ref{}
	for _, j := range d.FirstJurors {
		v.FirstJurors = append(v.FirstJurors, q.ref(j))
	}
	v.AppealReason, v.Reversed, v.Strikes = d.AppealReason, d.Reversed, d.Strikes
	return v
}

// disputes answers /disputes: disputes newest first, filtered by status, claim and juror.
func (s *Server) disputes(q *request) (any, error) {
	limit, offset, err := q.page()
	if err != nil {
		return nil, err
	}
	req := &disputes.QueryDisputesRequest{Offset: offset, Limit: limit}
	if st := q.param("status"); st != "" {
		var ok bool
		if req.Status, ok = parseDisputeStatus(st); !ok {
			return nil, badRequest("status %q is not one of open, voting, upheld, dismissed, appealed", st)
		}
	}
	if c := q.param("claim"); c != "" {
		if req.ClaimId, err = strconv.ParseUint(c, 10, 64); err != nil {
			return nil, badRequest("claim %q is not a number; ids are whole numbers from 1", c)
		}
	}
	if j := q.param("juror"); j != "" {
		a, err := parseAddress("juror", j)
		if err != nil {
			return nil, err
		}
		req.Juror = a.String()
	}
	resp, err := q.k.Disputes.QueryDisputes(q.view, req)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	out := listView[disputeView]{Total: resp.Total, Offset: offset, Limit: limit, Items: []disputeView{}}
	for _, d := range resp.Disputes {
		out.Items = append(out.Items, q.dispute(d))
	}
	return out, nil
}

// disputeDetail answers /disputes/{id}: the dispute with its juries and votes.
func (s *Server) disputeDetail(q *request) (any, error) {
	raw := q.r.PathValue("id")
	id, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		return nil, badRequest("dispute id %q is not a number; ids are whole numbers from 1", raw)
	}
	dw, ok := q.k.Disputes.QueryDispute(q.view, id)
	if !ok {
		return nil, notFoundf("no dispute %d", id)
	}
	v := disputeDetailView{Dispute: q.dispute(dw.Dispute), Votes: []juryVoteView{}}
	for _, x := range dw.Votes {
		v.Votes = append(v.Votes, juryVoteView{Juror: q.ref(x.Juror), Round: x.Round, Vote: disputes.VoteName(x.Vote),
			Note: x.Note, Time: jsonTime(x.Time), Height: x.Height})
	}
	return v, nil
}

func parseDisputeStatus(s string) (disputes.DisputeStatus, bool) {
	for _, st := range []disputes.DisputeStatus{disputes.DisputeStatus_DISPUTE_STATUS_OPEN, disputes.DisputeStatus_DISPUTE_STATUS_VOTING,
		disputes.DisputeStatus_DISPUTE_STATUS_UPHELD, disputes.DisputeStatus_DISPUTE_STATUS_DISMISSED,
		disputes.DisputeStatus_DISPUTE_STATUS_APPEALED} {
		if disputes.StatusName(st) == s {
			return st, true
		}
	}
	return 0, false
}
