package api

import "github.com/commonsledger/commons/x/core"

type paramsView struct {
	Bank struct {
		DemurragePpmPerYear uint64 `json:"demurrage_ppm_per_year"`
		MinNewAccountAmount uint64 `json:"min_new_account_amount"` // uhour
		MinNewAccountHours  string `json:"min_new_account_hours"`
	} `json:"bank"`
	Members struct {
		VouchesToJoin        uint32 `json:"vouches_to_join"`
		VouchCooldownSeconds int64  `json:"vouch_cooldown_seconds"`
	} `json:"members"`
	Claims struct {
		MaxClaimAgeSeconds       int64    `json:"max_claim_age_seconds"`
		MaxClaimDurationSeconds  int64    `json:"max_claim_duration_seconds"`
		AttestationWindowSeconds int64    `json:"attestation_window_seconds"`
		MinApprovals             uint32   `json:"min_approvals"`
		Categories               []string `json:"categories"`
		MaxEvidence              uint32   `json:"max_evidence"`
		MaxSummaryBytes          uint32   `json:"max_summary_bytes"`
		MaxNoteBytes             uint32   `json:"max_note_bytes"`
		MinClaimDurationSeconds  int64    `json:"min_claim_duration_seconds"`
		MaxPendingClaims         uint32   `json:"max_pending_claims"`
		MaxReclaims              uint32   `json:"max_reclaims"`
	} `json:"claims"`
}

// params answers /params with every module's parameters.
func (s *Server) params(q *request) (any, error) {
	p := s.app.Params(q.view)
	var v paramsView
	if p.Bank != nil {
		v.Bank.DemurragePpmPerYear = p.Bank.DemurragePpmPerYear
		v.Bank.MinNewAccountAmount, v.Bank.MinNewAccountHours = p.Bank.MinNewAccountAmount, core.FormatHours(p.Bank.MinNewAccountAmount)
	}
	if m := p.Members; m != nil {
		v.Members.VouchesToJoin, v.Members.VouchCooldownSeconds = m.VouchesToJoin, m.VouchCooldown
	}
	c, vc := p.Claims, &v.Claims
	vc.Categories = []string{}
	if c != nil {
		vc.MaxClaimAgeSeconds, vc.MaxClaimDurationSeconds, vc.AttestationWindowSeconds = c.MaxClaimAge, c.MaxClaimDuration, c.AttestationWindow
		vc.MinApprovals, vc.MaxEvidence, vc.MaxSummaryBytes, vc.MaxNoteBytes = c.MinApprovals, c.MaxEvidence, c.MaxSummaryBytes, c.MaxNoteBytes
		vc.MinClaimDurationSeconds, vc.MaxPendingClaims, vc.MaxReclaims = c.MinClaimDuration, c.MaxPendingClaims, c.MaxReclaims
		vc.Categories = append(vc.Categories, c.Categories...)
	}
	return v, nil
}
