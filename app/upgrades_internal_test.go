package app

import (
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/gov"
)

// A release that knows an upgrade scheduled at height 5 (protocol 6 → 7): on the chain at height 2
// it refuses to start and says to keep the old release until height 5; at height 4 it starts; block
// 5 migrates once (the state's protocol becomes 7, the plan is cleared, the upgrade recorded) and
// the next block runs as usual.
func TestKnownUpgradeRunsOnlyFromItsHeight(t *testing.T) {
	saved, savedVersion := upgrades, ProtocolVersion
	t.Cleanup(func() { upgrades, ProtocolVersion = saved, savedVersion })
	db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := New(db, DefaultOptions())
	g := DefaultGenesis()
	g.Gov.UpgradePlan = &gov.UpgradePlan{Name: "v7-test", Height: 5, ProposalId: 1}
	state, err := MarshalGenesis(g)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := a.InitChain("upgrade-chain", 1, start, state, nil); err != nil {
		t.Fatal(err)
	}
	block := func(h int64) error {
		if _, err := a.FinalizeBlock(h, start.Add(time.Duration(h)*time.Second), testBlockHash(h), nil); err != nil {
			return err
		}
		return a.Commit()
	}
	for h := int64(1); h <= 2; h++ {
		if err := block(h); err != nil {
			t.Fatal(err)
		}
	}
	migrated := 0
	upgrades = map[string]Upgrade{}
	RegisterUpgrade(Upgrade{Name: "v7-test", From: 6, To: 7, Migrate: func(*core.Context, Keepers) error { migrated++; return nil }})
	if err := a.CheckProtocol(); err == nil || !strings.Contains(err.Error(), "keep running the release that wrote it (protocol 6) until it stops at height 5") {
		t.Fatalf("at height 2: %v", err)
	}
	for h := int64(3); h <= 4; h++ {
		if err := block(h); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.CheckProtocol(); err != nil {
		t.Fatalf("at height 4, the upgrade next: %v", err)
	}
	for h := int64(5); h <= 6; h++ {
		if err := block(h); err != nil {
			t.Fatal(err)
		}
	}
	v := db.ReadLatest()
	defer v.Discard()
	up := a.keepers.Gov.QueryUpgrade(v)
	if migrated != 1 || storedProtocol(v) != 7 || up.Plan != nil || len(up.Applied) != 1 || up.Applied[0].Height != 5 {
		t.Fatalf("after the upgrade: migrated %d times, protocol %d, %+v", migrated, storedProtocol(v), up)
	}
	if err := a.CheckProtocol(); err != nil {
		t.Fatalf("after the upgrade: %v", err)
	}
}
