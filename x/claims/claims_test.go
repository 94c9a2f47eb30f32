package claims_test

import (
	"strings"
	"testing"
	"time"

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

func TestFormatInterval(t *testing.T) {
	at := func(d, h, m, s int) int64 { return time.Date(2026, 11, d, h, m, s, 0, time.UTC).Unix() }
	tests := []struct {
		name       string
		start, end int64
		want       string
	}{
		{"same day", at(20, 9, 0, 0), at(20, 11, 0, 0), "2026-11-20 09:00–11:00 UTC"},
		{"with seconds", at(20, 9, 0, 30), at(20, 11, 0, 0), "2026-11-20 09:00:30–11:00:00 UTC"},
		{"over midnight", at(20, 23, 0, 0), at(21, 1, 0, 0), "2026-11-20 23:00–2026-11-21 01:00 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := claims.FormatInterval(tt.start, tt.end); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
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
	pending, verified, rejected := claims.ClaimStatus_CLAIM_STATUS_PENDING, claims.ClaimStatus_CLAIM_STATUS_VERIFIED, claims.ClaimStatus_CLAIM_STATUS_REJECTED
	approve := func(id uint64, who string) *claims.Attestation {
		return &claims.Attestation{ClaimId: id, Attestor: who, Verdict: claims.Verdict_VERDICT_APPROVE}
	}
	withApprovals := func(c *claims.Claim, n uint32) *claims.Claim { c.Approvals = n; return c }
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
		{"overlap with a rejected claim is fine", []*claims.Claim{claim(1, a, 0, 3600, rejected), claim(2, a, 1800, 7200, pending)}, nil, 3, ""},
		{"id at next_claim_id", []*claims.Claim{claim(1, a, 0, 3600, pending)}, nil, 1, "next_claim_id"},
		{"wrong minted", []*claims.Claim{{Id: 1, Claimant: a, Start: 0, End: 3600, Category: "care", Status: verified, Minted: 1}}, nil, 2, "minted"},
		{"attestation by claimant", []*claims.Claim{withApprovals(claim(1, a, 0, 3600, pending), 1)}, []*claims.Attestation{approve(1, a)}, 2, "by the claimant"},
		{"attestation of missing claim", nil, []*claims.Attestation{approve(7, b)}, 1, "missing claim 7"},
		{"counts disagree", []*claims.Claim{claim(1, a, 0, 3600, pending)}, []*claims.Attestation{approve(1, b)}, 2, "counts 0/0"},
		{"consistent attestation", []*claims.Claim{withApprovals(claim(1, a, 0, 3600, pending), 1)}, []*claims.Attestation{approve(1, b)}, 2, ""},
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
