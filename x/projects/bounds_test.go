package projects_test

import (
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/projects"
)

// countingKV counts what a handler reads and writes: point reads, entries an iteration visited, and
// writes.
type countingKV struct {
	core.KV
	gets, visited, sets int
}

func (k *countingKV) Get(key []byte) ([]byte, bool) { k.gets++; return k.KV.Get(key) }

func (k *countingKV) Iterate(start, end []byte, reverse bool, fn func(key, value []byte) bool) {
	k.KV.Iterate(start, end, reverse, func(key, value []byte) bool { k.visited++; return fn(key, value) })
}

func (k *countingKV) Set(key, value []byte) { k.sets++; k.KV.Set(key, value) }

// A distribution's work depends on the claims of its period only: with 24 more claims of the
// project verified in an earlier period, distributing a period of 3 claims visits 3 index entries
// (the overlap check's one seek finds no earlier period) and its reads and writes
// do not grow with the project's other claims.
func TestDistributionReadsOnlyItsPeriod(t *testing.T) {
	c := projectChain(t, nil)
	mustExec(t, c, alice, apptest.CreateProject("garden", "Community garden", bob))
	people := founders()
	for round := range 3 { // 24 claims, in three earlier weeks
		for i := range 8 {
			contribute(t, c, people[i], "garden", float64(1+2*round), 1, people[(i+1)%8], people[(i+2)%8])
		}
		c.Settle(week)
	}
	from := c.Time.Add(time.Second) // after the earlier claims' verification
	contribute(t, c, alice, "garden", 1, 1, bob, carol)
	contribute(t, c, bob, "garden", 1, 2, alice, carol)
	contribute(t, c, carol, "garden", 1, 4, alice, bob)
	c.Settle(week)
	pay(t, c, 1, 70*h)

	v := c.DB.ReadLatest()
	defer v.Discard()
	kv := &countingKV{KV: store.NewOverlay(v)}
	ctx := core.NewContext(kv, c.Height+1, c.Time.Add(time.Second).Unix(), apptest.ChainID)
	ctx.Signer = alice.Addr
	if err := c.App.Keepers().Projects.Distribute(ctx, &projects.MsgDistribute{Project: "garden", From: from.Unix(), To: c.Time.Unix() + 1}); err != nil {
		t.Fatal(err)
	}
	// 3 claims and 3 payees: the index entries of the period, and per payee two accounts, two
	// history entries and the balance buckets: under ten reads and eight writes per payee.
	if kv.visited != 3 || kv.gets > 30 || kv.sets > 24 {
		t.Fatalf("visited %d index entries, %d point reads, %d writes; want 3 entries and a few dozen reads and writes", kv.visited, kv.gets, kv.sets)
	}
}

// The bytes a sender can make the chain store, at the params' outer bounds: a project record with
// the longest name, the most stewards and the largest numbers stays under 3 KiB, and a distribution
// paying the most contributors allowed under 80 KiB (about 75 bytes a payout). Together with
// max_projects_per_creator and one distribution per tagged VERIFIED claim at most, this bounds the
// module's state by the members and the claims.
func TestMaximalRecordSizes(t *testing.T) {
	addr := apptest.NewKey("maximal").Addr.String()
	p := projects.Project{Id: ^uint64(0), Handle: strings.Repeat("h", core.MaxHandleLen), Name: strings.Repeat("n", projects.MaxNameBytesLimit),
		Creator: addr, Account: addr, CreatedAt: -1, CreatedHeight: ^uint64(0), Distributed: ^uint64(0), Distributions: ^uint64(0)}
	for range projects.MaxStewardsLimit {
		p.Stewards = append(p.Stewards, addr)
	}
	if n := p.Size(); n > 3<<10 {
		t.Fatalf("a maximal project is %d bytes", n)
	}
	d := projects.Distribution{Id: ^uint64(0), Project: p.Handle, From: -1, To: -1, Total: ^uint64(0), Steward: addr, Time: -1,
		Height: ^uint64(0), Claims: ^uint64(0)}
	for range projects.MaxContributorsLimit {
		d.Payouts = append(d.Payouts, &projects.Payout{Address: addr, Uhours: ^uint64(0), Amount: ^uint64(0)})
	}
	if n := d.Size(); n > 80<<10 {
		t.Fatalf("a maximal distribution is %d bytes", n)
	}
}
