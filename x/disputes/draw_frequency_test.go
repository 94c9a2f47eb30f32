package disputes_test

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
)

// TestJuryDrawFrequencies draws the jury of one real dispute 10,000 times, through the module's own
// draw (the one EndBlock runs), under 10,000 block hashes. The dispute is over erin's claim: erin,
// her vouchers alice and bob, its attestors carol and dave, and the disputant juror1 are excluded,
// leaving juror2..6. No excluded member is ever drawn, every draw is 3 distinct eligible members,
// and each eligible member's count passes a chi-squared goodness-of-fit test (df 4) at the 0.001
// critical value. The statistic is scaled by (N-1)/(N-k) for drawing k of N without replacement,
// which makes its mean that of chi-squared with N-1 degrees of freedom. The hashes are fixed, so
// the test cannot flake.
func TestJuryDrawFrequencies(t *testing.T) {
	c := disputeChain(t, nil)
	mustExec(t, c, alice, apptest.Vouch(erin, "erin"))
	mustExec(t, c, bob, apptest.Vouch(erin, ""))
	settle(c, 3*time.Hour)
	id := verified(t, c, erin, carol, dave)
	settle(c, week)
	mustExec(t, c, jurors[0], open(id, "she was with me all that hour"))

	k := c.App.Keepers()
	view := c.DB.ReadLatest()
	defer view.Discard()
	d, ok := k.Disputes.Dispute(view, 1)
	if !ok {
		t.Fatal("no dispute 1")
	}
	p := k.Disputes.Params(view)
	active := k.Members.ActiveAddresses(view)
	eligible := map[string]int{} // address → index in counts
	for i, j := range jurors[1:] {
		eligible[j.Addr.String()] = i
	}
	const draws = 10_000
	counts := make([]int, len(eligible))
	for i := range draws {
		ctx := core.NewContext(store.NewOverlay(view), c.Height+1, c.Time.Unix()+1, apptest.ChainID)
		h := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("jury-frequency"), uint64(i)))
		ctx.BlockHash = h[:]
		dd := d
		k.Disputes.DrawForTest(ctx, p, active, &dd, 1)
		if len(dd.Jurors) != int(p.JurySize) {
			t.Fatalf("draw %d: jury %v", i, dd.Jurors)
		}
		for n, j := range dd.Jurors {
			at, ok := eligible[j]
			if !ok {
				t.Fatalf("draw %d drew %s, who is excluded", i, j)
			}
			if slices.Contains(dd.Jurors[:n], j) {
				t.Fatalf("draw %d drew %s twice", i, j)
			}
			counts[at]++
		}
	}
	n, kk := float64(len(eligible)), float64(p.JurySize)
	expected := draws * kk / n
	var chi2 float64
	for _, o := range counts {
		chi2 += (float64(o) - expected) * (float64(o) - expected) / expected
	}
	chi2 *= (n - 1) / (n - kk)
	const critical = 18.467 // chi-squared, df 4, p = 0.001
	t.Logf("counts %v (expected %.0f each), chi-squared %.2f (critical %.3f)", counts, expected, chi2, critical)
	if chi2 > critical {
		t.Fatalf("jury selection is not uniform over the eligible members: chi-squared %.2f > %.3f (counts %v)", chi2, critical, counts)
	}
}
