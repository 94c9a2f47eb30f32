package app_test

import (
	"testing"

	"github.com/commonsledger/commons/app/apptest"
)

// TestUnknownKeyFloodDoesNotGrowHeap is hardening finding 2: 10,000 correctly signed 15.8 KB txs
// from distinct keys without an account are each refused by CheckTx with "signer has no account",
// before any signature verification, and leave nothing behind (the old cache kept each decoded tx:
// +347 MiB for these 10,000).
func TestUnknownKeyFloodDoesNotGrowHeap(t *testing.T) {
	f := newFoundation(t)
	next := floodSource(t)
	entries0, _, verified0 := f.App.SigStats()
	heap0 := liveHeap()
	for i := range 10_000 {
		wantCode(t, f.App.CheckTx(next(i)).Err, 107, "signer has no account: ")
	}
	growth := int64(liveHeap()) - int64(heap0)
	entries, _, verified := f.App.SigStats()
	if verified != verified0 {
		t.Errorf("%d signatures of unknown signers were verified", verified-verified0)
	}
	if entries != entries0 {
		t.Errorf("the signature cache went from %d to %d entries", entries0, entries)
	}
	const bound = 16 << 20 // generous: the flood itself is 158 MB; the old cache grew by 347 MiB
	if growth > bound {
		t.Errorf("live heap grew by %.1f MiB over the flood; the bound is %d MiB", float64(growth)/(1<<20), bound>>20)
	}
	t.Logf("live heap growth over 10,000 unknown-key txs: %.2f MiB", float64(growth)/(1<<20))
	// The node still admits a legitimate tx, and verifies its signature.
	if err := f.App.CheckTx(f.alice.Sign(t, apptest.ChainID, 1, apptest.Transfer(f.bob.Addr, 1))).Err; err != nil {
		t.Fatalf("valid tx after the flood: %v", err)
	}
	if _, _, v := f.App.SigStats(); v != verified+1 {
		t.Fatalf("the valid tx cost %d verifications, want 1", v-verified)
	}
}
