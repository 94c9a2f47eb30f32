package app_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
)

// bigStateMB is the state TestExportImportLargeState builds: 25 MB by default (above the ~20 MB
// that one Badger transaction held, so the import failed before the store split commits), 100 MB
// with COMMONS_BIG=1 (`make test-big`).
func bigStateMB() int {
	if os.Getenv("COMMONS_BIG") != "" {
		return 100
	}
	return 25
}

// bigGenesis is a genesis of ~mb MB of state: funded accounts, founding members and finalised
// (REJECTED) claims as large as default params allow, each ~5.6 KB stored.
func bigGenesis(mb int) *app.GenesisState {
	const members = 200
	keys := make([]apptest.Key, members)
	for i := range keys {
		keys[i] = apptest.NewKey(fmt.Sprintf("Huge%03d", i))
	}
	g := apptest.ContribGenesis(5_000_000, keys...)
	for i := range 2_000 {
		g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{
			Address: apptest.NewKey(fmt.Sprintf("holder-%d", i)).Addr.String(), Balance: uint64(1_000 + i)})
	}
	n := mb * 1_000_000 / 5_500
	end := apptest.GenesisTime.Add(-time.Hour)
	for id := 1; id <= n; id++ {
		start := end.Add(-time.Duration(id/members+1) * time.Hour) // each member's claims are distinct hours
		tag := fmt.Sprintf("claim-%d", id)
		c := &claims.Claim{
			Id: uint64(id), Claimant: keys[id%members].Addr.String(), Start: start.Unix(), End: start.Add(time.Hour).Unix(),
			Category: "care", Summary: tag + strings.Repeat("s", 1024-len(tag)), Status: claims.ClaimStatus_CLAIM_STATUS_REJECTED,
			SubmittedAt: start.Add(time.Hour).Unix(), Deadline: start.Add(time.Hour).Unix() + 1, FinalizedAt: start.Add(time.Hour).Unix() + 1,
		}
		for i := range 8 {
			u := fmt.Sprintf("https://evidence.example/%d/%d/", id, i)
			sum := sha256.Sum256([]byte(u))
			c.Evidence = append(c.Evidence, &claims.Evidence{Uri: u + strings.Repeat("e", 512-len(u)), Sha256: sum[:]})
		}
		g.Claims.Claims = append(g.Claims.Claims, c)
	}
	g.Claims.NextClaimId = uint64(n + 1)
	return g
}

// stateBytes is the total size of the keys and values of the latest committed state.
func stateBytes(db *store.DB) (pairs, size int) {
	v := db.ReadLatest()
	defer v.Discard()
	v.Iterate(nil, nil, false, func(k, val []byte) bool {
		pairs++
		size += len(k) + len(val)
		return true
	})
	return pairs, size
}

// TestExportImportLargeState: a state larger than one Badger transaction could hold (25 MB; 100 MB
// under COMMONS_BIG=1) commits from genesis, exports as genesis JSON, and a fresh on-disk app
// imports that JSON (InitChain; the whole state is written with block 1) and commits block 1.
// The imported chain has the same app hash as the exporting one, answers the same queries (stats,
// sampled claims and accounts), and exports byte-for-byte the same genesis again. Before the store
// split a block's writes over several Badger transactions, the first Commit failed with "Txn is
// too big", so such an export could not be imported.
func TestExportImportLargeState(t *testing.T) {
	mb := bigStateMB()
	t0 := time.Now()
	c := apptest.NewChain(t, t.TempDir(), bigGenesis(mb))
	c.Block()
	pairs, size := stateBytes(c.DB)
	if size < mb*1_000_000 {
		t.Fatalf("state is %d bytes, want at least %d MB", size, mb)
	}
	t.Logf("source state: %d pairs, %.1f MB, built and committed in %v", pairs, float64(size)/1e6, time.Since(t0).Round(time.Millisecond))

	t1 := time.Now()
	exported, err := c.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	js, err := app.MarshalGenesis(exported)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("export: %.1f MB of genesis JSON in %v", float64(len(js))/1e6, time.Since(t1).Round(time.Millisecond))

	t2 := time.Now()
	g2, err := app.ParseGenesis(js)
	if err != nil {
		t.Fatal(err)
	}
	dir2 := t.TempDir()
	c2 := apptest.NewChain(t, dir2, g2)
	c2.Block() // the imported state is committed with block 1: one block of the whole state
	t.Logf("import: parse, InitChain and block 1 in %v", time.Since(t2).Round(time.Millisecond))
	if !bytes.Equal(c2.Hashes[1], c.Hashes[1]) {
		t.Fatalf("imported chain has app hash %X at height 1, the exporting chain %X", c2.Hashes[1], c.Hashes[1])
	}
	if p2, s2 := stateBytes(c2.DB); p2 != pairs || s2 != size {
		t.Fatalf("imported state: %d pairs, %d bytes; exported %d, %d", p2, s2, pairs, size)
	}
	c2 = reopen(t, c2, dir2) // checks Info: same height and app hash
	if err := c2.Invariants(); err != nil {
		t.Fatal(err)
	}

	var s1, s2 claims.QueryClaimStatsResponse
	if err := c.Query("/claims/stats", nil, &s1); err != nil {
		t.Fatal(err)
	}
	if err := c2.Query("/claims/stats", nil, &s2); err != nil {
		t.Fatal(err)
	}
	if s1.String() != s2.String() || s2.Rejected != uint64(len(exported.Claims.Claims)) {
		t.Fatalf("claim stats differ after the round trip:\n%v\n%v", &s1, &s2)
	}
	n := uint64(len(exported.Claims.Claims))
	for _, id := range []uint64{1, 2, n / 3, n / 2, n - 1, n} {
		a, b := claimOf(t, c, id), claimOf(t, c2, id)
		if a.String() != b.String() || len(b.Claim.Evidence) != 8 || len(b.Claim.Summary) != 1024 {
			t.Fatalf("claim %d differs after the round trip:\n%v\n%v", id, a, b)
		}
	}
	for _, name := range []string{"holder-0", "holder-1999", "Huge000", "Huge199"} {
		addr := apptest.NewKey(name).Addr
		if a, b := c.Account(addr), c2.Account(addr); a.String() != b.String() || b.Balance == 0 {
			t.Fatalf("account %s differs after the round trip: %v vs %v", name, &a, &b)
		}
	}
	again, err := c2.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	js2, err := app.MarshalGenesis(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(js, js2) {
		t.Fatal("exporting the imported state gives a different genesis")
	}
}
