package app_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// TestSupplyCirculatingWithDemurrage drives a chain with 100 %/year demurrage through transfers
// on different days and at different times of day, some opening accounts, and checks after every
// block that /app/supply's circulating equals the sum of every /bank/account balance (pending
// demurrage applied) within circulating_rounding, that pending_decay closes the books, and that the
// invariants (balance buckets included) hold.
func TestSupplyCirculatingWithDemurrage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	keys := make([]apptest.Key, 40)
	for i := range keys {
		keys[i] = apptest.NewKey("circ-" + strconv.Itoa(i))
	}
	g := apptest.Genesis(50*core.MicroPerHour, keys[:8]...)
	g.Bank.Params.DemurragePpmPerYear = 1_000_000
	c := apptest.NewChain(t, "", g)
	funded := 8
	var sawRounding, sawPending bool
	for block := 0; block < 60; block++ {
		c.BlockInterval = time.Duration(1+rng.IntN(40)) * time.Hour / 3 // 20 min to 13 h
		var txs [][]byte
		from := keys[rng.IntN(8)] // the genesis accounts: 50 hours each, enough for every send
		var to apptest.Key
		amount := core.MicroPerHour + rng.Uint64N(core.MicroPerHour)
		if funded < len(keys) && rng.IntN(2) == 0 {
			to, funded = keys[funded], funded+1
		} else {
			to = keys[rng.IntN(funded)]
			amount = 1 + rng.Uint64N(core.MicroPerHour)
		}
		if to.Addr.Equal(from.Addr) {
			to = keys[(rng.IntN(funded-1)+1+indexOf(keys, from))%funded]
		}
		txs = append(txs, c.Tx(from, apptest.Transfer(to.Addr, amount)))
		res := c.Block(txs...)
		if err := res.TxResults[0].Err; err != nil {
			t.Fatalf("block %d: %v", block, err)
		}
		if err := c.Invariants(); err != nil {
			t.Fatalf("block %d: %v", block, err)
		}
		var sp app.QuerySupplyResponse
		if err := c.Query("/app/supply", nil, &sp); err != nil {
			t.Fatal(err)
		}
		var exact uint64
		for _, k := range keys[:funded] {
			var acc bank.QueryAccountResponse
			if err := c.Query("/bank/account/"+k.Addr.String(), nil, &acc); err != nil {
				t.Fatal(err)
			}
			exact += acc.Account.Balance
		}
		if sp.Circulating < exact || sp.Circulating-exact > sp.CirculatingRounding {
			t.Fatalf("block %d: circulating %d, accounts sum to %d, bound %d", block, sp.Circulating, exact, sp.CirculatingRounding)
		}
		if sp.Genesis+sp.Minted-sp.Decayed != sp.Circulating+sp.PendingDecay {
			t.Fatalf("block %d: genesis %d + minted %d - decayed %d != circulating %d + pending %d",
				block, sp.Genesis, sp.Minted, sp.Decayed, sp.Circulating, sp.PendingDecay)
		}
		sawRounding = sawRounding || sp.CirculatingRounding > 0
		sawPending = sawPending || sp.PendingDecay > 0
	}
	if !sawRounding || !sawPending {
		t.Fatalf("the run never had pending decay (%v) or a shared bucket (%v): it tests nothing", sawPending, sawRounding)
	}
}

func indexOf(keys []apptest.Key, k apptest.Key) int {
	for i := range keys {
		if keys[i].Addr.Equal(k.Addr) {
			return i
		}
	}
	return -1
}
