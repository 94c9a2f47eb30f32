package api

import (
	"fmt"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
	"github.com/commonsledger/commons/x/projects"
)

// Each module's parameters as the API shows them: the proto field names, durations suffixed
// _seconds, amounts in uhour with decimal hours beside them. /params shows them all; a params
// proposal shows its module's proposed set in the same shape. TestParamsViewsShowEveryField keeps
// them complete.

type bankParamsView struct {
	DemurragePpmPerYear uint64 `json:"demurrage_ppm_per_year"`
	MinNewAccountAmount uint64 `json:"min_new_account_amount"` // uhour
	MinNewAccountHours  string `json:"min_new_account_hours"`
}

func bankParams(p *bank.Params) bankParamsView {
	return bankParamsView{DemurragePpmPerYear: p.DemurragePpmPerYear, MinNewAccountAmount: p.MinNewAccountAmount,
		MinNewAccountHours: core.FormatHours(p.MinNewAccountAmount)}
}

type membersParamsView struct {
	VouchesToJoin           uint32 `json:"vouches_to_join"`
	VouchCooldownSeconds    int64  `json:"vouch_cooldown_seconds"`
	StrikesToSuspend        uint32 `json:"strikes_to_suspend"`
	StrikeWindowSeconds     int64  `json:"strike_window_seconds"`
	SuspensionPeriodSeconds int64  `json:"suspension_period_seconds"`
	ProbationSeconds        int64  `json:"probation_seconds"`
	AdmissionsPerPeriod     uint32 `json:"admissions_per_period"`
	AdmissionPeriodSeconds  int64  `json:"admission_period_seconds"`
}

func membersParams(p *members.Params) membersParamsView {
	return membersParamsView{VouchesToJoin: p.VouchesToJoin, VouchCooldownSeconds: p.VouchCooldown, StrikesToSuspend: p.StrikesToSuspend,
		StrikeWindowSeconds: p.StrikeWindow, SuspensionPeriodSeconds: p.SuspensionPeriod, ProbationSeconds: p.Probation,
		AdmissionsPerPeriod: p.AdmissionsPerPeriod, AdmissionPeriodSeconds: p.AdmissionPeriod}
}

type claimsParamsView struct {
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
	Reviewers                uint32   `json:"reviewers"`
	MinReviewerApprovals     uint32   `json:"min_reviewer_approvals"`
	// RequireBeneficiary lists the categories whose claims need a beneficiary's countersignature.
	RequireBeneficiary []string `json:"require_beneficiary"`
}

func claimsParams(c *claims.Params) claimsParamsView {
	return claimsParamsView{MaxClaimAgeSeconds: c.MaxClaimAge, MaxClaimDurationSeconds: c.MaxClaimDuration,
		AttestationWindowSeconds: c.AttestationWindow, MinApprovals: c.MinApprovals, Categories: append([]string{}, c.Categories...),
		MaxEvidence: c.MaxEvidence, MaxSummaryBytes: c.MaxSummaryBytes, MaxNoteBytes: c.MaxNoteBytes,
		MinClaimDurationSeconds: c.MinClaimDuration, MaxPendingClaims: c.MaxPendingClaims, MaxReclaims: c.MaxReclaims,
		Reviewers: c.Reviewers, MinReviewerApprovals: c.MinReviewerApprovals, RequireBeneficiary: append([]string{}, c.RequireBeneficiary...)}
}

type disputesParamsView struct {
	DisputeWindowSeconds int64  `json:"dispute_window_seconds"`
	JurySize             uint32 `json:"jury_size"`
	JuryWindowSeconds    int64  `json:"jury_window_seconds"`
	MaxOpenDisputes      uint32 `json:"max_open_disputes"`
	MaxReasonBytes       uint32 `json:"max_reason_bytes"`
	MaxNoteBytes         uint32 `json:"max_note_bytes"`
	AppealWindowSeconds  int64  `json:"appeal_window_seconds"`
}

func disputesParams(p *disputes.Params) disputesParamsView {
	return disputesParamsView{DisputeWindowSeconds: p.DisputeWindow, JurySize: p.JurySize, JuryWindowSeconds: p.JuryWindow,
		MaxOpenDisputes: p.MaxOpenDisputes, MaxReasonBytes: p.MaxReasonBytes, MaxNoteBytes: p.MaxNoteBytes, AppealWindowSeconds: p.AppealWindow}
}

type govParamsView struct {
	VotingPeriodSeconds int64  `json:"voting_period_seconds"`
	QuorumPermille      uint32 `json:"quorum_permille"`
	MaxOpenProposals    uint32 `json:"max_open_proposals"`
	MaxSummaryBytes     uint32 `json:"max_summary_bytes"`
}

func govParams(p *gov.Params) govParamsView {
	return govParamsView{VotingPeriodSeconds: p.VotingPeriod, QuorumPermille: p.QuorumPermille, MaxOpenProposals: p.MaxOpenProposals,
		MaxSummaryBytes: p.MaxSummaryBytes}
}

type projectsParamsView struct {
	MaxNameBytes                uint32 `json:"max_name_bytes"`
	MaxStewards                 uint32 `json:"max_stewards"`
	MaxProjectsPerCreator       uint32 `json:"max_projects_per_creator"`
	MaxDistributionClaims       uint32 `json:"max_distribution_claims"`
	MaxDistributionContributors uint32 `json:"max_distribution_contributors"`
}

func projectsParams(p *projects.Params) projectsParamsView {
	return projectsParamsView{MaxNameBytes: p.MaxNameBytes, MaxStewards: p.MaxStewards, MaxProjectsPerCreator: p.MaxProjectsPerCreator,
		MaxDistributionClaims: p.MaxDistributionClaims, MaxDistributionContributors: p.MaxDistributionContributors}
}

type paramsView struct {
	Bank     bankParamsView     `json:"bank"`
	Members  membersParamsView  `json:"members"`
	Claims   claimsParamsView   `json:"claims"`
	Disputes disputesParamsView `json:"disputes"`
	Gov      govParamsView      `json:"gov"`
	Projects projectsParamsView `json:"projects"`
}

// params answers /params with every module's parameters.
func (s *Server) params(q *request) (any, error) {
	p := s.app.Params(q.view)
	return paramsView{Bank: bankParams(p.Bank), Members: membersParams(p.Members), Claims: claimsParams(p.Claims),
		Disputes: disputesParams(p.Disputes), Gov: govParams(p.Gov), Projects: projectsParams(p.Projects)}, nil
}

// moduleParams decodes a params proposal's bytes as module's Params and shows them as /params
// shows that module's.
func moduleParams(module string, bz []byte) (any, error) {
	m, err := app.DecodeParams(module, bz)
	if err != nil {
		return nil, err
	}
	switch p := m.(type) {
	case *bank.Params:
		return bankParams(p), nil
	case *members.Params:
		return membersParams(p), nil
	case *claims.Params:
		return claimsParams(p), nil
	case *disputes.Params:
		return disputesParams(p), nil
	case *gov.Params:
		return govParams(p), nil
	case *projects.Params:
		return projectsParams(p), nil
	}
	return nil, fmt.Errorf("the API cannot show %s params (%T)", module, m)
}
