package projects_test

import (
	"math/bits"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
)

// For random contributions and balances, through the real chain: each distribution pays out
// exactly the account's balance (it ends empty and the contributors gain the whole of it), nobody
// gains more than their proportional share rounded up, and the app invariants hold after every
// round.
func TestDistributionProperties(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		rng := rand.New(rand.NewPCG(seed, 42))
		c := projectChain(t, nil)
		mustExec(t, c, alice, apptest.CreateProject("garden", "Community garden"))
		people := founders()[:6]
		for round := 0; round < 3; round++ {
			from := c.Time
			hours := make([]uint64, len(people))
			var all uint64
			for k := range 1 + rng.IntN(8) {
				i := rng.IntN(len(people))
				quarters := 1 + rng.IntN(32) // 15 minutes to 8 hours
				d := time.Duration(quarters) * 15 * time.Minute
				// k-th claim of the round ends k×9 hours back: no two claims of one member overlap.
				end := c.NextTime().Add(-time.Duration(1+9*k) * time.Hour)
				contribute(t, c, people[i], "garden", c.NextTime().Sub(end).Hours(), d.Hours(),
					people[(i+1)%len(people)], people[(i+2)%len(people)])
				hours[i] += uint64(quarters) * 250_000
				all += uint64(quarters) * 250_000
			}
			c.Settle(week)
			paid := 1 + rng.Uint64N(160*h) // the outsider holds 500 hours for three rounds
			pay(t, c, 1, paid)
			gains := gainsOf(c, people...)
			mustExec(t, c, alice, apptest.Distribute("garden", from, c.Time.Add(time.Second)))
			if left := c.Account(apptest.ProjectAccount(1)).Balance; left != 0 {
				t.Fatalf("seed %d round %d: %d uhour left in the account", seed, round, left)
			}
			var sum uint64
			for i, g := range gains() {
				sum += g
				hi, lo := bits.Mul64(paid, hours[i])
				share, rem := bits.Div64(hi, lo, all)
				if rem > 0 {
					share++
				}
				if g > share {
					t.Fatalf("seed %d round %d: %s gained %d, above its share rounded up %d", seed, round, people[i].Name, g, share)
				}
			}
			if sum != paid {
				t.Fatalf("seed %d round %d: contributors gained %d of the %d paid in", seed, round, sum, paid)
			}
			if err := c.Invariants(); err != nil {
				t.Fatalf("seed %d round %d: %v", seed, round, err)
			}
		}
	}
}
