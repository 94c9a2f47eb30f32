package claims_test

import (
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

func TestFinalization(t *testing.T) {
	tests := []struct {
		name     string
		verdicts map[string]bool // attestor name → approve
		want     claims.ClaimStatus
	}{
		{"no attestations", nil, claims.ClaimStatus_CLAIM_STATUS_REJECTED},
		{"one approval is below min_approvals", map[string]bool{"bob": true}, claims.ClaimStatus_CLAIM_STATUS_REJECTED},
		{"two approvals", map[string]bool{"bob": true, "carol": true}, claims.ClaimStatus_CLAIM_STATUS_VERIFIED},
		{"exactly one third reject", map[string]bool{"bob": true, "carol": true, "dave": false}, claims.ClaimStatus_CLAIM_STATUS_REJECTED},
		{"three approvals one reject", map[string]bool{"bob": true, "carol": true, "dave": true, "erin": false}, claims.ClaimStatus_CLAIM_STATUS_VERIFIED},
		{"majority reject", map[string]bool{"bob": true, "carol": false, "dave": false}, claims.ClaimStatus_CLAIM_STATUS_REJECTED},
	}
	keys := map[string]apptest.Key{"bob": bob, "carol": carol, "dave": dave, "erin": erin}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := apptest.NewChain(t, "", apptest.ContribGenesis(0, alice, bob, carol, dave, erin))
			start, end := hoursAgo(c, 3), hoursAgo(c, 0.5)
			mustExec(t, c, alice, apptest.SubmitClaim(start, end, "code", "work"))
			var txs [][]byte
			for _, name := range []string{"bob", "carol", "dave", "erin"} { // fixed order: determinism
				if approve, ok := tt.verdicts[name]; ok {
					msg := apptest.Reject(1)
					if approve {
						msg = apptest.Approve(1)
					}
					txs = append(txs, c.Tx(keys[name], msg))
				}
			}
			c.Block(txs...)
			c.BlockInterval = 7 * 24 * time.Hour
			res := c.Block()
			ev := event(t, res.Events, "claim_finalized")
			got := claimOf(t, c, 1).Claim
			if got.Status != tt.want || ev["status"] != claims.StatusName(tt.want) {
				t.Fatalf("status %v, event %v; want %v", got.Status, ev, tt.want)
			}
			wantMint := uint64(0)
			if tt.want == claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
				wantMint = 2_500_000
			}
			if got.Minted != wantMint || ev["minted"] != core.Uhour(wantMint) || c.Account(alice.Addr).Balance != wantMint {
				t.Fatalf("minted %d, event %s, balance %d; want %d", got.Minted, ev["minted"], c.Account(alice.Addr).Balance, wantMint)
			}
			// A rejected claim frees its interval; a verified one keeps it.
			r := exec(t, c, alice, apptest.SubmitClaim(start, end, "code", "again"))
			if tt.want == claims.ClaimStatus_CLAIM_STATUS_REJECTED && r.Err != nil {
				t.Fatalf("resubmitting a rejected interval: %v", r.Err)
			}
			if tt.want == claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
				wantErr(t, r.Err, claims.ErrClaimOverlaps, "claim overlaps claim 1 ")
			}
			if err := c.Invariants(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
