package api_test

import (
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/api"
)

// TestSupplyShowsPendingDemurrage: after days of default demurrage (5 %/year) /supply reports
// circulating with pending decay applied, the same numbers as /app/supply, and books that close:
// genesis + minted − decayed = circulating + pending_decay. /params shows the opening amount.
func TestSupplyShowsPendingDemurrage(t *testing.T) {
	l := newLedger(t, 3, 3, 2, api.Options{})  // two days pass between rounds
	l.chain.BlockInterval = 3 * 24 * time.Hour // three days of decay pending on every balance
	l.chain.Block()
	var got struct {
		Genesis, Minted, Decayed, Circulating uint64
		PendingDecay                          uint64 `json:"pending_decay"`
		CirculatingRounding                   uint64 `json:"circulating_rounding"`
		PendingDecayHours                     string `json:"pending_decay_hours"`
	}
	if code := l.get(t, "/api/v1/supply", &got); code != 200 {
		t.Fatalf("GET /supply: %d", code)
	}
	var want app.QuerySupplyResponse
	if err := l.chain.Query("/app/supply", nil, &want); err != nil {
		t.Fatal(err)
	}
	if got.Circulating != want.Circulating || got.PendingDecay != want.PendingDecay || got.CirculatingRounding != want.CirculatingRounding {
		t.Fatalf("API %+v, ABCI %+v", got, &want)
	}
	if got.PendingDecay == 0 || got.PendingDecayHours == "" || got.Genesis+got.Minted-got.Decayed != got.Circulating+got.PendingDecay {
		t.Fatalf("supply %+v: pending decay must be positive and the books must close", got)
	}
	var params struct {
		Bank struct {
			MinNewAccountAmount uint64 `json:"min_new_account_amount"`
			MinNewAccountHours  string `json:"min_new_account_hours"`
		}
	}
	if code := l.get(t, "/api/v1/params", &params); code != 200 || params.Bank.MinNewAccountAmount != 1_000_000 || params.Bank.MinNewAccountHours != "1" {
		t.Fatalf("GET /params: %d %+v", code, params)
	}
}
