package members_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// TestActiveMembers: the active members come in handle order, read off the active part of the
// status index alone (no member record, no candidate entry), and Exclude drops an exclusion set
// keeping that order.
func TestActiveMembers(t *testing.T) {
	kv := store.NewOverlay(emptyReader{})
	k := members.NewKeeper(noAccounts{})
	p := members.DefaultParams()
	g := &members.GenesisState{Params: &p}
	addr := func(h string) core.Address { return core.AddressFromPubKey([]byte(h)) }
	var wantActive []string
	// Handles listed out of order; every third is a candidate.
	for i, h := range []string{"zed", "amy", "kim", "bea", "lou", "cat", "max", "dan", "eve", "fay", "gus", "hal"} {
		m := &members.Member{Address: addr(h).String(), Handle: h}
		if i%3 == 2 {
			m.Status = members.MemberStatus_MEMBER_STATUS_CANDIDATE
		} else {
			wantActive = append(wantActive, h)
		}
		g.Members = append(g.Members, m)
	}
	slices.Sort(wantActive)
	if err := k.InitGenesis(core.NewContext(kv, 0, 1_800_000_000, "test"), g); err != nil {
		t.Fatal(err)
	}
	cr := &countingReader{r: kv}
	got := k.ActiveAddresses(cr)
	if cr.gets != 0 || cr.iterated != len(wantActive) {
		t.Fatalf("read %d records and %d index entries for %d active members", cr.gets, cr.iterated, len(wantActive))
	}
	handles := func(list []core.Address) string {
		var hs []string
		for _, a := range list {
			m, ok := k.Member(kv, a)
			if !ok || m.Status != members.MemberStatus_MEMBER_STATUS_ACTIVE {
				t.Fatalf("%s is not an active member", a)
			}
			hs = append(hs, m.Handle)
		}
		return strings.Join(hs, ",")
	}
	if h := handles(got); h != strings.Join(wantActive, ",") {
		t.Fatalf("active members %s, want %s", h, strings.Join(wantActive, ","))
	}
	// Stopping early stops the iteration.
	n := 0
	k.ActiveMembers(kv, func(core.Address) bool { n++; return n < 3 })
	if n != 3 {
		t.Fatalf("iteration went on to %d after fn returned false", n)
	}

	for _, tc := range []struct {
		excluded []string
		want     string
	}{
		{nil, "amy,bea,dan,fay,gus,lou,max,zed"},
		{[]string{"amy"}, "bea,dan,fay,gus,lou,max,zed"},
		{[]string{"zed", "amy", "zed"}, "bea,dan,fay,gus,lou,max"},     // repeats
		{[]string{"kim", "nobody"}, "amy,bea,dan,fay,gus,lou,max,zed"}, // a candidate, a stranger
		{[]string{"max", "lou", "gus", "fay", "dan", "bea", "amy", "zed"}, ""},
	} {
		t.Run(fmt.Sprint(tc.excluded), func(t *testing.T) {
			var ex []core.Address
			for _, h := range tc.excluded {
				ex = append(ex, addr(h))
			}
			before := slices.Clone(got)
			out := members.Exclude(got, ex...)
			if h := handles(out); h != tc.want {
				t.Fatalf("got %s, want %s", h, tc.want)
			}
			if !slices.EqualFunc(got, before, func(a, b core.Address) bool { return a.Equal(b) }) {
				t.Fatal("Exclude changed its input")
			}
		})
	}
}
