package api

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/commonsledger/commons/x/claims"
)

// claims answers /claims: claims newest first, filtered by every given parameter.
func (s *Server) claims(q *request) (any, error) {
	limit, offset, err := q.page()
	if err != nil {
		return nil, err
	}
	req, err := claimsRequest(q)
	if err != nil {
		return nil, err
	}
	req.Offset, req.Limit = offset, limit
	// The module pages through its indexes and counters (never every claim): see QueryClaims.
	resp, err := q.k.Claims.QueryClaims(q.view, req)
	if err != nil {
		return nil, badRequest("%v", err) // the filters were checked above; this is a safety net
	}
	out := listView[claimView]{Total: resp.Total, Offset: offset, Limit: limit, Items: []claimView{}}
	for _, c := range resp.Claims {
		out.Items = append(out.Items, q.claim(c))
	}
	return out, nil
}

// claimsRequest turns the filter parameters into a claims query, refusing malformed ones.
func claimsRequest(q *request) (*claims.QueryClaimsRequest, error) {
	req := &claims.QueryClaimsRequest{Category: q.param("category")}
	if st := q.param("status"); st != "" {
		var ok bool
		if req.Status, ok = claims.ParseStatus(st); !ok {
			return nil, badRequest("status %q is not one of pending, verified, rejected, reversed", st)
		}
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"claimant", &req.Claimant}, {"attestor", &req.Attestor}, {"awaiting", &req.Awaiting}} {
		if s := q.param(f.name); s != "" {
			a, err := parseAddress(f.name, s)
			if err != nil {
				return nil, err
			}
			*f.dst = a.String()
		}
	}
	if c := req.Category; c != "" && !claims.ValidCategory(c) {
		return nil, badRequest("category %q is not a category name; use 1 to 32 characters of a-z, 0-9 and -", c)
	}
	var err error
	if req.FromTime, err = q.timeParam("from"); err != nil {
		return nil, err
	}
	if req.ToTime, err = q.timeParam("to"); err != nil {
		return nil, err
	}
	if req.FromTime != 0 && req.ToTime != 0 && req.FromTime >= req.ToTime {
		return nil, badRequest("from (%s) must be before to (%s)", q.param("from"), q.param("to"))
	}
	return req, nil
}

type timelineEntry struct {
	Event   string   `json:"event"` // submitted | attested | finalized | deadline | reversed
	Time    jsonTime `json:"time"`
	Height  uint64   `json:"height,omitempty"`
	By      *ref     `json:"by,omitempty"`
	Verdict string   `json:"verdict,omitempty"`
	Status  string   `json:"status,omitempty"`
	// DisputeID is the finally upheld dispute of a "reversed" event.
	DisputeID uint64 `json:"dispute_id,omitempty"`
}

type claimDetailView struct {
	Claim        claimView         `json:"claim"`
	Attestations []attestationView `json:"attestations"`
	Timeline     []timelineEntry   `json:"timeline"`
	// Reviewers are the claim's drawn reviewers in draw order, each with whether and how they
	// attested (from the attestations).
	Reviewers []reviewerView `json:"reviewers"`
}

// reviewerView is a drawn reviewer of a claim and their verdict, if they attested.
type reviewerView struct {
	ref
	Attested bool   `json:"attested"`
	Verdict  string `json:"verdict,omitempty"` // approve | reject, when attested
}

// claim answers /claims/{id}: the claim, its attestations in time order and its timeline (with
// its reversal, if a finally upheld dispute reversed it).
func (s *Server) claim(q *request) (any, error) {
	raw := q.r.PathValue("id")
	id, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		return nil, badRequest("claim id %q is not a number; ids are whole numbers from 1", raw)
	}
	cw, ok := q.k.Claims.QueryClaim(q.view, id)
	if !ok {
		return nil, notFoundf("no claim %d", id)
	}
	c := cw.Claim
	v := claimDetailView{Claim: q.claim(c), Attestations: []attestationView{}, Reviewers: []reviewerView{}}
	by := q.ref(c.Claimant)
	v.Timeline = append(v.Timeline, timelineEntry{Event: "submitted", Time: jsonTime(c.SubmittedAt), Height: c.SubmittedHeight, By: &by})
	// The module returns attestations in attestor-key order; a timeline reads in time order.
	atts := cw.Attestations
	sortAttestations(atts)
	for _, a := range atts {
		av := q.attestation(a)
		v.Attestations = append(v.Attestations, av)
		v.Timeline = append(v.Timeline, timelineEntry{Event: "attested", Time: av.Time, Height: av.Height, By: &av.Attestor, Verdict: av.Verdict})
	}
	for _, r := range v.Claim.Reviewers {
		rv := reviewerView{ref: r}
		for _, a := range v.Attestations {
			if a.Attestor.Address == r.Address {
				rv.Attested, rv.Verdict = true, a.Verdict
			}
		}
		v.Reviewers = append(v.Reviewers, rv)
	}
	if c.Status == claims.ClaimStatus_CLAIM_STATUS_PENDING {
		v.Timeline = append(v.Timeline, timelineEntry{Event: "deadline", Time: jsonTime(c.Deadline), Status: "pending"})
	} else {
		// A reversed claim was finalised VERIFIED; the reversal came later.
		st := c.Status
		if c.Reversal != nil {
			st = claims.ClaimStatus_CLAIM_STATUS_VERIFIED
		}
		v.Timeline = append(v.Timeline, timelineEntry{Event: "finalized", Time: jsonTime(c.FinalizedAt), Height: c.FinalizedHeight, Status: claims.StatusName(st)})
	}
	if r := c.Reversal; r != nil {
		v.Timeline = append(v.Timeline, timelineEntry{Event: "reversed", Time: jsonTime(r.Time), Height: r.Height,
			Status: claims.StatusName(c.Status), DisputeID: r.DisputeId})
	}
	return v, nil
}

func sortAttestations(atts []*claims.Attestation) {
	slices.SortStableFunc(atts, func(a, b *claims.Attestation) int {
		return cmp.Or(cmp.Compare(a.Height, b.Height), cmp.Compare(a.Time, b.Time))
	})
}
