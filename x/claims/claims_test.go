package claims_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

func TestVerifiedRule(t *testing.T) {
	p := claims.DefaultParams() // min_approvals 2
	tests := []struct {
		name                  string
		approvals, rejections uint32
		want                  bool
	}{
		{"none", 0, 0, false},
		{"one approval", 1, 0, false},
		{"two approvals", 2, 0, true},
		{"two to one is exactly two thirds", 2, 1, false},
		{"three to one", 3, 1, true},
		{"five to two", 5, 2, true},
		{"four to two", 4, 2, false},
		{"large counts do not overflow", 1 << 31, 1 << 30, false},
		{"large majority", 1<<32 - 1, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := claims.Verified(p, tt.approvals, tt.rejections); got != tt.want {
				t.Fatalf("Verified(%d, %d) = %v", tt.approvals, tt.rejections, got)
			}
		})
	}
}

func TestMintedFor(t *testing.T) {
	tests := []struct {
		seconds int64
		want    uint64
	}{
		{3600, 1_000_000}, {5400, 1_500_000}, {1, 277}, {16 * 3600, 16_000_000}, {7 * 24 * 3600, 168_000_000},
	}
	for _, tt := range tests {
		if got := claims.MintedFor(1000, 1000+tt.seconds); got != tt.want {
			t.Errorf("MintedFor(%ds) = %d, want %d", tt.seconds, got, tt.want)
		}
	}
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*claims.Params)
		frag   string
	}{
		{"default", func(*claims.Params) {}, ""},
		{"zero window", func(p *claims.Params) { p.AttestationWindow = 0 }, "attestation_window"},
		{"huge duration", func(p *claims.Params) { p.MaxClaimDuration = 8 * 24 * 3600 }, "max_claim_duration"},
		{"negative age", func(p *claims.Params) { p.MaxClaimAge = -1 }, "max_claim_age"},
		{"zero approvals", func(p *claims.Params) { p.MinApprovals = 0 }, "min_approvals"},
		{"no categories", func(p *claims.Params) { p.Categories = nil }, "categories"},
		{"zero min duration", func(p *claims.Params) { p.MinClaimDuration = 0 }, "min_claim_duration 0 must be between 1 and max_claim_duration"},
		{"min above max duration", func(p *claims.Params) { p.MinClaimDuration = p.MaxClaimDuration + 1 }, "min_claim_duration 57601"},
		{"min equals max duration", func(p *claims.Params) { p.MinClaimDuration = p.MaxClaimDuration }, ""},
		{"zero pending", func(p *claims.Params) { p.MaxPendingClaims = 0 }, "max_pending_claims 0 must be between 1 and 1024"},
		{"huge pending", func(p *claims.Params) { p.MaxPendingClaims = 1025 }, "max_pending_claims 1025"},
		{"no reclaims", func(p *claims.Params) { p.MaxReclaims = 0 }, ""},
		{"most reclaims", func(p *claims.Params) { p.MaxReclaims = 8 }, ""},
		{"too many reclaims", func(p *claims.Params) { p.MaxReclaims = 9 }, "max_reclaims 9 must be at most 8"},
		{"upper-case category", func(p *claims.Params) { p.Categories = []string{"Care"} }, `"Care"`},
		{"duplicate category", func(p *claims.Params) { p.Categories = []string{"care", "care"} }, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := claims.DefaultParams()
			tt.change(&p)
			err := p.Validate()
			if tt.frag == "" && err != nil || tt.frag != "" && (err == nil || !strings.Contains(err.Error(), tt.frag)) {
				t.Fatalf("Validate() = %v, want %q", err, tt.frag)
			}
		})
	}
	if err := claims.DevnetParams().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestGenesisValidate(t *testing.T) {
	a, b := core.AddressFromPubKey([]byte("a")).String(), core.AddressFromPubKey([]byte("b")).String()
	claim := func(id uint64, who string, start, end int64, s claims.ClaimStatus) *claims.Claim {
		c := &claims.Claim{Id: id, Claimant: who, Start: start, End: end, Category: "care", Status: s}
		if s == claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
			c.Minted = claims.MintedFor(start, end)
		}
		return c
	}
	with := func(c *claims.Claim, f func(*claims.Claim)) *claims.Claim { f(c); return c }
	hash32 := bytes.Repeat([]byte{9}, 32)
	cs, _ := claims.Countersign(ed25519.GenPrivKeyFromSecret([]byte("beneficiary")), &claims.ClaimStatement{})
	pending, verified, rejected := claims.ClaimStatus_CLAIM_STATUS_PENDING, claims.ClaimStatus_CLAIM_STATUS_VERIFIED, claims.ClaimStatus_CLAIM_STATUS_REJECTED
	approve := func(id uint64, who string) *claims.Attestation {
		return &claims.Attestation{ClaimId: id, Attestor: who, Verdict: claims.Verdict_VERDICT_APPROVE}
	}
	withApprovals := func(c *claims.Claim, n uint32) *claims.Claim { c.Approvals = n; return c }
	atLevel := func(c *claims.Claim, l uint32) *claims.Claim { c.ReclaimLevel = l; return c }
	pendingOf := func(who string, n int) []*claims.Claim {
		var out []*claims.Claim
		for i := range n {
			out = append(out, claim(uint64(i+1), who, int64(i)*3600, int64(i+1)*3600, pending))
		}
		return out
	}
	tests := []struct {
		name   string
		claims []*claims.Claim
		atts   []*claims.Attestation
		next   uint64
		frag   string
	}{
		{"empty", nil, nil, 1, ""},
		{"adjacent claims", []*claims.Claim{claim(1, a, 0, 3600, verified), claim(2, a, 3600, 7200, pending)}, nil, 3, ""},
		{"overlap", []*claims.Claim{claim(1, a, 0, 3600, verified), claim(2, a, 1800, 7200, pending)}, nil, 3, "overlap"},
		{"overlap with a rejected claim on another level is fine", []*claims.Claim{claim(1, a, 0, 3600, rejected), atLevel(claim(2, a, 1800, 7200, pending), 1)}, nil, 3, ""},
		{"pending overlaps a rejected claim on its level", []*claims.Claim{claim(1, a, 0, 3600, rejected), claim(2, a, 1800, 7200, pending)}, nil, 3,
			"claim 2 overlaps rejected claim 1 of " + a + " on reclaim level 0"},
		{"rejected claims overlap on one level", []*claims.Claim{claim(1, a, 0, 3600, rejected), claim(2, a, 1800, 7200, rejected), claim(3, a, 3000, 3600, rejected)}, nil, 4,
			"claim 2 overlaps rejected claim 1"},
		{"rejected claims on three levels", []*claims.Claim{claim(1, a, 0, 3600, rejected), atLevel(claim(2, a, 1800, 7200, rejected), 1), atLevel(claim(3, a, 3000, 3600, rejected), 2)}, nil, 4, ""},
		{"level above max_reclaims", []*claims.Claim{atLevel(claim(1, a, 0, 3600, rejected), 3)}, nil, 2, "id 1 has reclaim_level 3, above max_reclaims 2"},
		{"longer than max_claim_duration", []*claims.Claim{claim(1, a, 0, 16*3600+1, verified)}, nil, 2,
			"claim 0: id 1 lasts 16h0m1s, longer than max_claim_duration 16h0m0s"},
		{"shorter than min_claim_duration", []*claims.Claim{claim(1, a, 0, 59, pending)}, nil, 2,
			"claim 0: id 1 lasts 59s, shorter than min_claim_duration 1m0s"},
		{"max_pending_claims pending", pendingOf(a, 16), nil, 17, ""},
		{"too many pending", pendingOf(a, 17), nil, 18, "claim 17: " + a + " has more than max_pending_claims 16 pending claims"},
		{"id at next_claim_id", []*claims.Claim{claim(1, a, 0, 3600, pending)}, nil, 1, "next_claim_id"},
		{"wrong minted", []*claims.Claim{{Id: 1, Claimant: a, Start: 0, End: 3600, Category: "care", Status: verified, Minted: 1}}, nil, 2, "minted"},
		{"attestation by claimant", []*claims.Claim{withApprovals(claim(1, a, 0, 3600, pending), 1)}, []*claims.Attestation{approve(1, a)}, 2, "by the claimant"},
		{"attestation of missing claim", nil, []*claims.Attestation{approve(7, b)}, 1, "missing claim 7"},
		{"counts disagree", []*claims.Claim{claim(1, a, 0, 3600, pending)}, []*claims.Attestation{approve(1, b)}, 2, "counts 0/0"},
		{"consistent attestation", []*claims.Claim{withApprovals(claim(1, a, 0, 3600, pending), 1)}, []*claims.Attestation{approve(1, b)}, 2, ""},
		{"private summary", []*claims.Claim{with(claim(1, a, 0, 3600, pending), func(c *claims.Claim) { c.SummaryHash = hash32 })}, nil, 2, ""},
		{"summary and its hash", []*claims.Claim{with(claim(1, a, 0, 3600, pending), func(c *claims.Claim) { c.Summary, c.SummaryHash = "x", hash32 })}, nil, 2,
			"id 1 has both a summary and a summary_hash"},
		{"short summary hash", []*claims.Claim{with(claim(1, a, 0, 3600, pending), func(c *claims.Claim) { c.SummaryHash = hash32[:5] })}, nil, 2,
			"id 1 summary_hash is 5 bytes, not 32"},
		{"beneficiary record", []*claims.Claim{with(claim(1, a, 0, 3600, pending), func(c *claims.Claim) { c.Beneficiary = cs })}, nil, 2, ""},
		{"beneficiary with a short signature", []*claims.Claim{with(claim(1, a, 0, 3600, pending), func(c *claims.Claim) {
			c.Beneficiary = &claims.Countersignature{PubKey: cs.PubKey, Signature: cs.Signature[:10]}
		})}, nil, 2, "id 1 beneficiary: unusable beneficiary key or countersignature: countersignature is 10 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := claims.DefaultParams()
			err := (&claims.GenesisState{Params: &p, Claims: tt.claims, Attestations: tt.atts, NextClaimId: tt.next}).Validate()
			if tt.frag == "" && err != nil || tt.frag != "" && (err == nil || !strings.Contains(err.Error(), tt.frag)) {
				t.Fatalf("Validate() = %v, want %q", err, tt.frag)
			}
		})
	}
}
