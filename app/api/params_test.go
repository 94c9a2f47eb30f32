package api_test

import (
	"testing"

	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/x/claims"
)

// TestParamsShowClaimCaps: /params carries the claims module's count caps.
func TestParamsShowClaimCaps(t *testing.T) {
	l := newLedger(t, 2, 1, 1, api.Options{})
	var out struct {
		Claims struct {
			MinClaimDurationSeconds int64  `json:"min_claim_duration_seconds"`
			MaxPendingClaims        uint32 `json:"max_pending_claims"`
			MaxReclaims             uint32 `json:"max_reclaims"`
		} `json:"claims"`
	}
	if code := l.get(t, "/api/v1/params", &out); code != 200 {
		t.Fatalf("status %d", code)
	}
	p := claims.DefaultParams()
	if c := out.Claims; c.MinClaimDurationSeconds != p.MinClaimDuration || c.MaxPendingClaims != p.MaxPendingClaims || c.MaxReclaims != p.MaxReclaims {
		t.Fatalf("got %+v", c)
	}
}
