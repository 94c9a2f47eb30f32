package bank_test

import (
	"math/rand/v2"
	"testing"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

func TestDecay(t *testing.T) {
	const max = ^uint64(0)
	tests := []struct {
		name          string
		balance, ppm  uint64
		days          uint64
		kept, decayed uint64
	}{
		{"one day at 5%", 1_000_000, 50_000, 1, 999_863, 137},
		{"one year at 5%", 1_000_000, 50_000, 365, 951_226, 48_774},
		{"thirty days at 5%", 100_000_000, 50_000, 30, 99_589_856, 410_144},
		{"a week on 1.5 hours", 1_500_000, 50_000, 7, 1_498_562, 1_438},
		{"one micro-hour decays away", 1, 50_000, 1, 0, 1},
		{"small balance rounds down", 999, 50_000, 1, 998, 1},
		{"100% a year, one day", 1_000_000_000_000, 1_000_000, 1, 997_260_273_972, 2_739_726_028},
		{"100% a year, one year", 1_000_000_000_000, 1_000_000, 365, 367_374_920_663, 632_625_079_337},
		{"100% a year, ten years", 1_000_000_000_000, 1_000_000, 3650, 44_781_130, 999_955_218_870},
		{"largest balance", max, 50_000, 1, 18_444_217_122_466_577_704, 2_526_951_242_973_911},
		{"largest balance decays to zero", max, 1_000_000, 36_500, 0, max},
		{"1 ppm", 5_000_000, 1, 365, 4_999_995, 5},
		{"rate 0 means no decay", 5_000_000, 0, 10_000, 5_000_000, 0},
		{"zero days", 5_000_000, 50_000, 0, 5_000_000, 0},
		{"zero balance", 0, 50_000, 365, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, decayed := bank.Decay(tt.balance, tt.ppm, tt.days)
			if kept != tt.kept || decayed != tt.decayed {
				t.Fatalf("Decay(%d, %d, %d) = (%d, %d), want (%d, %d)",
					tt.balance, tt.ppm, tt.days, kept, decayed, tt.kept, tt.decayed)
			}
			if kept+decayed != tt.balance {
				t.Fatalf("kept %d + decayed %d != balance %d", kept, decayed, tt.balance)
			}
		})
	}
}

// TestDecayConserves: for any input kept + decayed == balance, and decay only grows with time.
func TestDecayConserves(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10_000 {
		bal, ppm, days := rng.Uint64(), rng.Uint64N(1_000_001), rng.Uint64N(5000)
		kept, decayed := bank.Decay(bal, ppm, days)
		if kept+decayed != bal || kept > bal {
			t.Fatalf("Decay(%d, %d, %d) = (%d, %d)", bal, ppm, days, kept, decayed)
		}
		if later, _ := bank.Decay(bal, ppm, days+1); later > kept {
			t.Fatalf("Decay(%d, %d, %d+1) kept %d > %d", bal, ppm, days, later, kept)
		}
	}
}

func TestElapsedDays(t *testing.T) {
	const day = bank.SecondsPerDay
	tests := []struct {
		name     string
		asOf     int64
		now      int64
		wantDays uint64
	}{
		{"same instant", 1000, 1000, 0},
		{"one second short of a day", 1000, 1000 + day - 1, 0},
		{"exactly a day", 1000, 1000 + day, 1},
		{"ten and a half days", 0, 10*day + day/2, 10},
		{"clock before asOf", 5000, 4000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bank.ElapsedDays(tt.asOf, tt.now); got != tt.wantDays {
				t.Fatalf("ElapsedDays(%d, %d) = %d, want %d", tt.asOf, tt.now, got, tt.wantDays)
			}
		})
	}
}

// TestLazyDemurrage: queries show decay without writing it; a transfer realises it, counts it in
// the supply and keeps stored balances equal to genesis + minted - decayed.
func TestLazyDemurrage(t *testing.T) {
	const day = bank.SecondsPerDay
	alice := core.AddressFromPubKey([]byte("alice"))
	bob := core.AddressFromPubKey([]byte("bob"))
	kv := store.NewOverlay(emptyReader{})
	k := bank.Keeper{}
	const start = 1_000_000 // 11 days and 13:46:40 after the epoch
	midnight := bank.DayStart(start)
	ctx := core.NewContext(kv, 1, start, "test")
	p := bank.DefaultParams()
	g := &bank.GenesisState{Params: &p, Accounts: []*bank.GenesisAccount{
		{Address: alice.String(), Balance: 1_000_000}, {Address: bob.String(), Balance: 1_000_000}}}
	if err := k.InitGenesis(ctx, g); err != nil {
		t.Fatal(err)
	}

	// Balances are stated as of the genesis day's midnight: 365 midnights later plus half a day is
	// 365 days of decay.
	later := midnight + 365*day + day/2
	if a, _ := k.AccountAt(kv, alice, later); a.Balance != 951_226 {
		t.Fatalf("queried balance after a year: %d", a.Balance)
	}
	if a, _ := k.Account(kv, alice); a.Balance != 1_000_000 {
		t.Fatalf("a query wrote decay: stored %d", a.Balance)
	}

	ctx = core.NewContext(kv, 2, later, "test")
	ctx.Signer = alice
	if err := k.Transfer(ctx, &bank.MsgTransfer{To: bob.String(), Amount: 1}); err != nil {
		t.Fatal(err)
	}
	a, _ := k.Account(kv, alice)
	b, _ := k.Account(kv, bob)
	s := k.Supply(kv)
	if a.Balance != 951_225 || b.Balance != 951_227 || s.Decayed != 2*48_774 {
		t.Fatalf("after transfer: alice %d, bob %d, decayed %d", a.Balance, b.Balance, s.Decayed)
	}
	if a.Balance+b.Balance != s.Genesis+s.Minted-s.Decayed {
		t.Fatalf("balances %d != genesis %d + minted %d - decayed %d", a.Balance+b.Balance, s.Genesis, s.Minted, s.Decayed)
	}
	// Whole days only: the half day left over still counts toward the next decay.
	if a.BalanceAsOf != midnight+365*day {
		t.Fatalf("balance_as_of %d, want %d", a.BalanceAsOf, midnight+365*day)
	}
}

type emptyReader struct{}

func (emptyReader) Get([]byte) ([]byte, bool)                            { return nil, false }
func (emptyReader) Iterate([]byte, []byte, bool, func(k, v []byte) bool) {}
