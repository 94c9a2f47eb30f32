package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/gov"
)

// TestUpgradeStopsAndMigrates (issue 14, must-show 3) runs a devnet node as a separate process.
// Members schedule upgrade v7-repair a few blocks ahead; at that height the node (this release,
// protocol 6) stops, logging "upgrade v7-repair required at height H", and exits non-zero. The next
// release (built with -tags upgradetest, where v7-repair is registered) starts on the same home,
// migrates the state once (protocol 6 to 7, a "repair" category) and continues the same chain; the
// blocks and the tx from before H are still there. The old release refuses to start past H: both
// at H (the upgrade's block) and on the migrated state.
func TestUpgradeStopsAndMigrates(t *testing.T) {
	if testing.Short() {
		t.Skip("process-level test")
	}
	next := filepath.Join(t.TempDir(), "commonsd-next")
	if out, err := exec.Command("go", "build", "-tags", "upgradetest", "-o", next, ".").CombinedOutput(); err != nil {
		t.Fatalf("build the next release: %v\n%s", err, out)
	}
	p := newProcNode(t)
	doc := readGenesis(t, p.home)
	g, err := app.ParseGenesis(doc.AppState)
	if err != nil {
		t.Fatal(err)
	}
	g.Gov.Params.VotingPeriod = 3
	writeAppState(t, p.home, doc, g)
	p.start()
	p.waitHeight(2)
	ctx := context.Background()
	send := func(from string, msg *auth.Msg, async bool) *string {
		t.Helper()
		r, err := p.c.SignAndBroadcast(ctx, p.key(from), doc.ChainID, "", async, msg)
		if err != nil {
			t.Fatalf("%s: %v\n%s", from, err, p.logTail(3000))
		}
		return &r.Hash
	}
	before := *send("alice", &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: p.addr("bob").String(), Amount: 1_000_000}}}, false)
	height := uint64(p.height() + 40) // 3 s of voting is about 20 blocks of 150 ms
	send("alice", apptest.ProposeUpgrade("v7-repair", height, "test release", "repair category"), false)
	for _, m := range []string{"alice", "bob", "carol", "frank", "grace", "heidi"} {
		send(m, apptest.Vote(1, gov.VoteOption_VOTE_OPTION_YES), true)
	}
	timer := time.AfterFunc(90*time.Second, func() { p.cmd.Process.Kill() })
	code := p.exited()
	timer.Stop()
	log := string(p.logTail(20000))
	if code == 0 || !strings.Contains(log, "upgrade v7-repair required at height "+strconv.FormatUint(height, 10)) {
		t.Fatalf("the old release exited %d without the upgrade message:\n%s", code, tail([]byte(log), 4000))
	}

	// Started again, the old release refuses at once: the next block is the upgrade's.
	p.start()
	timer = time.AfterFunc(30*time.Second, func() { p.cmd.Process.Kill() })
	code = p.exited()
	timer.Stop()
	if log := string(p.logTail(3000)); code == 0 || strings.Count(string(p.logTail(20000)), "upgrade v7-repair required at height") < 2 {
		t.Fatalf("the old release restarted at the upgrade height exited %d:\n%s", code, log)
	}

	p.bin = next
	p.start()
	p.waitHeight(int64(height) + 3)
	var up gov.QueryUpgradeResponse
	if bz, _, err := p.c.Query(ctx, "/gov/upgrade", nil, 0); err != nil || up.Unmarshal(bz) != nil {
		t.Fatalf("/gov/upgrade: %v", err)
	}
	if up.Plan != nil || len(up.Applied) != 1 || up.Applied[0].Name != "v7-repair" || up.Applied[0].Height != height ||
		up.Applied[0].From != 6 || up.Applied[0].To != 7 {
		t.Fatalf("after the upgrade: %+v", &up)
	}
	var params app.QueryParamsResponse
	if bz, _, err := p.c.Query(ctx, "/app/params", nil, 0); err != nil || params.Unmarshal(bz) != nil || !slices.Contains(params.Claims.Categories, "repair") {
		t.Fatalf("the migration did not add the repair category: %v %v", err, params.Claims)
	}
	if _, err := p.c.Tx(ctx, before); err != nil {
		t.Fatalf("the tx from before the upgrade: %v", err)
	}
	one := int64(1)
	if _, err := p.c.RPC.Block(ctx, &one); err != nil {
		t.Fatalf("block 1: %v", err)
	}
	send("carol", &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: p.addr("bob").String(), Amount: 1_000_000}}}, false)

	p.kill()
	p.bin = ""
	p.start()
	timer = time.AfterFunc(30*time.Second, func() { p.cmd.Process.Kill() })
	code = p.exited()
	timer.Stop()
	if out, _ := os.ReadFile(filepath.Join(p.home, "node.log")); code == 0 || !strings.Contains(string(tail(out, 2000)), "protocol version 7") {
		t.Fatalf("the old release on the upgraded state exited %d:\n%s", code, tail(out, 2000))
	}
}
