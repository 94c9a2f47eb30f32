package bank_test

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

func TestParamsValidate(t *testing.T) {
	const hour = core.MicroPerHour
	tests := []struct {
		name string
		p    bank.Params
		frag string // "" when valid
	}{
		{"default", bank.DefaultParams(), ""},
		{"devnet", bank.DevnetParams(), ""},
		{"no demurrage", bank.Params{DemurragePpmPerYear: 0, MinNewAccountAmount: hour}, ""},
		{"100% a year", bank.Params{DemurragePpmPerYear: 1_000_000, MinNewAccountAmount: hour}, ""},
		{"above 100% a year", bank.Params{DemurragePpmPerYear: 1_000_001, MinNewAccountAmount: hour},
			"demurrage_ppm_per_year 1000001 is above 1000000 (100% a year)"},
		{"smallest opening amount", bank.Params{DemurragePpmPerYear: 50_000, MinNewAccountAmount: 1}, ""},
		{"largest opening amount", bank.Params{DemurragePpmPerYear: 50_000, MinNewAccountAmount: 100 * hour}, ""},
		{"opening amount missing", bank.Params{DemurragePpmPerYear: 50_000},
			"min_new_account_amount 0 must be between 1 and 100000000 uhour (1 uhour to 100 hours; a real network uses 1000000, 1 hour)"},
		{"opening amount above 100 hours", bank.Params{DemurragePpmPerYear: 50_000, MinNewAccountAmount: 100*hour + 1},
			"min_new_account_amount 100000001 must be between 1 and 100000000 uhour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.frag == "" && err != nil || tt.frag != "" && (err == nil || !strings.Contains(err.Error(), tt.frag)) {
				t.Fatalf("Validate() = %v, want %q", err, tt.frag)
			}
			if tt.frag != "" {
				if gerr := (&bank.GenesisState{Params: &tt.p}).Validate(); !errors.Is(gerr, bank.ErrInvalidGenesis) || !strings.Contains(gerr.Error(), tt.frag) {
					t.Fatalf("genesis Validate() = %v", gerr)
				}
			}
		})
	}
	if p := bank.DefaultParams(); p.MinNewAccountAmount != core.MicroPerHour || p.DemurragePpmPerYear != 50_000 {
		t.Fatalf("DefaultParams() = %v", p)
	}
	if p := bank.DevnetParams(); p.MinNewAccountAmount != 10_000 || p.DemurragePpmPerYear != 50_000 {
		t.Fatalf("DevnetParams() = %v", p)
	}
}

func addr(name string) core.Address { return core.AddressFromPubKey([]byte(name)) }

// newBank writes a genesis funding each name with its balance at block time `at`.
func newBank(t *testing.T, p bank.Params, at int64, balances map[string]uint64, names ...string) *store.Overlay {
	t.Helper()
	kv := store.NewOverlay(emptyReader{})
	g := &bank.GenesisState{Params: &p}
	for _, n := range names {
		g.Accounts = append(g.Accounts, &bank.GenesisAccount{Address: addr(n).String(), Balance: balances[n]})
	}
	if err := (bank.Keeper{}).InitGenesis(core.NewContext(kv, 0, at, "test"), g); err != nil {
		t.Fatal(err)
	}
	return kv
}

// TestTransferOpensAccount: a transfer to an address without an account must carry at least
// min_new_account_amount; any positive amount goes to an existing account.
func TestTransferOpensAccount(t *testing.T) {
	const now = 1_800_000_000
	alice, bob, carol := addr("alice"), addr("bob"), addr("carol")
	tests := []struct {
		name    string
		min     uint64
		to      core.Address
		amount  uint64
		wantErr string // full log; "" when accepted
	}{
		{"1 uhour to a new address", core.MicroPerHour, carol, 1,
			"transfer too small to open an account: " + carol.String() + " has no account; a transfer that opens an account must carry at least 1 hour (got 0.000001 hours)"},
		{"just below the minimum", core.MicroPerHour, carol, 999_999,
			"transfer too small to open an account: " + carol.String() + " has no account; a transfer that opens an account must carry at least 1 hour (got 0.999999 hours)"},
		{"below a 2.5-hour minimum", 2_500_000, carol, 2_000_000,
			"transfer too small to open an account: " + carol.String() + " has no account; a transfer that opens an account must carry at least 2.5 hours (got 2 hours)"},
		{"exactly the minimum", core.MicroPerHour, carol, core.MicroPerHour, ""},
		{"above the minimum", core.MicroPerHour, carol, 3_000_000, ""},
		{"1 uhour to an existing account", core.MicroPerHour, bob, 1, ""},
		{"1 uhour to a new address at a 1-uhour minimum", 1, carol, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := bank.DefaultParams()
			p.MinNewAccountAmount = tt.min
			base := newBank(t, p, now, map[string]uint64{"alice": 10_000_000, "bob": 1}, "alice", "bob")
			kv := store.NewOverlay(base) // the tx's writes, as in app/exec.go
			ctx := core.NewContext(kv, 1, now+60, "test")
			ctx.Signer = alice
			err := bank.Keeper{}.Transfer(ctx, &bank.MsgTransfer{To: tt.to.String(), Amount: tt.amount})
			if tt.wantErr != "" {
				if !errors.Is(err, bank.ErrNewAccountAmount) || err.Error() != tt.wantErr {
					t.Fatalf("err = %v,\nwant %s", err, tt.wantErr)
				}
				if cs, code, _ := core.ABCIInfo(err); cs != "bank" || code != 207 {
					t.Fatalf("codespace %s code %d, want bank 207", cs, code)
				}
				if kv.Len() != 0 || len(ctx.Events()) != 0 {
					t.Fatalf("refused transfer wrote %d keys, emitted %v", kv.Len(), ctx.Events())
				}
				if _, ok := (bank.Keeper{}).Account(kv, carol); ok {
					t.Fatal("refused transfer created the account")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := bank.Keeper{}.Account(kv, tt.to)
			was, _ := bank.Keeper{}.Account(base, tt.to)
			if got.Balance != was.Balance+tt.amount {
				t.Fatalf("recipient holds %d, want %d", got.Balance, was.Balance+tt.amount)
			}
			if a, _ := (bank.Keeper{}).Account(kv, alice); a.Balance != 10_000_000-tt.amount {
				t.Fatalf("sender holds %d", a.Balance)
			}
			if err := (bank.Keeper{}).CheckInvariants(kv); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// exactCirculating sums what every account shows at now: the reference for Keeper.Circulating.
func exactCirculating(r core.Reader, now int64) (sum uint64, funded int) {
	k := bank.Keeper{}
	k.IterateAccounts(r, func(a bank.Account) bool {
		at, _ := k.AccountAt(r, addr0(a.Address), now)
		sum += at.Balance
		if a.Balance > 0 {
			funded++
		}
		return true
	})
	return sum, funded
}

func addr0(s string) core.Address {
	a, err := core.ParseAddress(s)
	if err != nil {
		panic(err)
	}
	return a
}

// TestCirculating: with demurrage on, circulating (one decay per day bucket) equals the sum of the
// accounts' balances at now (one decay per account) within the stated rounding bound, across many
// accounts touched on different days and at different times of day; the bank invariants hold
// throughout, and pending decay + realised decay + circulating account for every hour issued.
func TestCirculating(t *testing.T) {
	const day = bank.SecondsPerDay
	tests := []struct {
		name     string
		ppm      uint64
		accounts int
		days     int
		seed     uint64
	}{
		{"off", 0, 40, 30, 1},
		{"5% a year, a month", 50_000, 60, 30, 2},
		{"5% a year, two years sparse", 50_000, 30, 730, 3},
		{"100% a year, a year", 1_000_000, 80, 365, 4},
		{"1 ppm", 1, 20, 100, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(tt.seed, 99))
			p := bank.DefaultParams()
			p.DemurragePpmPerYear = tt.ppm
			p.MinNewAccountAmount = 1
			start := int64(1_800_000_000) // 2027-01-15 08:00 UTC: not a midnight
			names := []string{"founder"}
			kv := newBank(t, p, start, map[string]uint64{"founder": 1_000_000 * core.MicroPerHour}, "founder")
			k := bank.Keeper{}
			maxRounding := uint64(0)
			for d := 0; d < tt.days; d++ {
				now := start + int64(d)*day
				// A few txs at random times of the day; most days nothing happens to most accounts.
				for range rng.IntN(4) {
					now += rng.Int64N(day / 5)
					ctx := core.NewContext(kv, int64(d+1), now, "test")
					from := names[rng.IntN(len(names))]
					ctx.Signer = addr(from)
					var to string
					if len(names) < tt.accounts && rng.IntN(2) == 0 {
						to = "acct" + strconv.Itoa(len(names))
						names = append(names, to)
					} else {
						to = names[rng.IntN(len(names))]
					}
					a, _ := k.AccountAt(kv, addr(from), now)
					if to == from || a.Balance == 0 {
						if err := k.Mint(ctx, addr(from), 1+rng.Uint64N(8*core.MicroPerHour), 0); err != nil {
							t.Fatal(err)
						}
						continue
					}
					amount := 1 + rng.Uint64N(a.Balance)
					if rng.IntN(3) == 0 {
						amount = a.Balance // empty it: its bucket entry goes away
					}
					if err := k.Transfer(ctx, &bank.MsgTransfer{To: addr(to).String(), Amount: amount}); err != nil {
						t.Fatalf("day %d: %v", d, err)
					}
				}
				// Query at a random time of a later day, as an explorer would.
				at := now + rng.Int64N(3*day)
				circ, rounding := k.Circulating(kv, at)
				exact, funded := exactCirculating(kv, at)
				if circ < exact || circ-exact > rounding {
					t.Fatalf("day %d: circulating %d, exact %d, bound %d", d, circ, exact, rounding)
				}
				if uint64(funded) < rounding {
					t.Fatalf("day %d: rounding bound %d above the %d funded accounts", d, rounding, funded)
				}
				if tt.ppm == 0 && (circ != exact || rounding != 0) {
					t.Fatalf("day %d: no demurrage but circulating %d != %d (bound %d)", d, circ, exact, rounding)
				}
				s := k.Supply(kv)
				if stored := s.Genesis + s.Minted - s.Decayed; circ > stored {
					t.Fatalf("day %d: circulating %d above stored balances %d", d, circ, stored)
				}
				maxRounding = max(maxRounding, rounding)
				if err := k.CheckInvariants(kv); err != nil {
					t.Fatalf("day %d: %v", d, err)
				}
			}
			buckets := 0
			k.IterateBuckets(kv, func(bank.BalanceBucket) bool { buckets++; return true })
			if buckets > tt.days+1 || buckets > len(names) {
				t.Fatalf("%d buckets for %d days and %d accounts", buckets, tt.days, len(names))
			}
			t.Logf("%d accounts, %d buckets, largest rounding bound %d uhour", len(names), buckets, maxRounding)
		})
	}
}

// TestBucketInvariantDetects: balances out of step with the supply, or a bucket out of step with
// the accounts, are reported.
func TestBucketInvariantDetects(t *testing.T) {
	const now = 1_800_000_000
	p := bank.DefaultParams()
	k := bank.Keeper{}
	for _, tc := range []struct {
		name    string
		corrupt func(kv *store.Overlay)
		want    string
	}{
		{"bucket balance", func(kv *store.Overlay) {
			b := k.Bucket(kv, bank.Day(now))
			b.Balance++
			kv.Set(bank.BucketKey(bank.Day(now)), core.MustMarshal(&b))
		}, "invariant balance buckets: bucket of day 20833 holds 3000001 uhour in 2 accounts, the accounts of that day 3000000 in 2"},
		{"stray bucket", func(kv *store.Overlay) {
			kv.Set(bank.BucketKey(5), core.MustMarshal(&bank.BalanceBucket{Day: 5}))
		}, "invariant balance buckets: a bucket of day 5 (0 uhour in 0 accounts) is stored but no funded account is stated as of that day"},
		{"missing bucket", func(kv *store.Overlay) {
			kv.Delete(bank.BucketKey(bank.Day(now)))
		}, "invariant balance buckets: funded accounts are stated as of 1 days, but only 0 of those days have a bucket"},
		{"balance without supply", func(kv *store.Overlay) {
			a, _ := k.Account(kv, addr("bob"))
			a.Balance++
			kv.Set(bank.AccountKey(addr("bob")), core.MustMarshal(&a))
		}, "invariant supply: stored balances sum to 3000001"},
		{"balance as of noon", func(kv *store.Overlay) {
			a, _ := k.Account(kv, addr("alice"))
			a.BalanceAsOf += 3600
			kv.Set(bank.AccountKey(addr("alice")), core.MustMarshal(&a))
		}, "not a UTC midnight"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kv := newBank(t, p, now, map[string]uint64{"alice": 1_000_000, "bob": 2_000_000}, "alice", "bob")
			if err := k.CheckInvariants(kv); err != nil {
				t.Fatal(err)
			}
			tc.corrupt(kv)
			if err := k.CheckInvariants(kv); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}
