package members_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

type noAccounts struct{}

func (noAccounts) EnsureAccount(*core.Context, core.Address) {}

type emptyReader struct{}

func (emptyReader) Get([]byte) ([]byte, bool)                            { return nil, false }
func (emptyReader) Iterate([]byte, []byte, bool, func(k, v []byte) bool) {}

// countingReader counts what a query reads: Gets and entries visited by iteration.
type countingReader struct {
	r              core.Reader
	gets, iterated int
}

func (c *countingReader) Get(k []byte) ([]byte, bool) { c.gets++; return c.r.Get(k) }
func (c *countingReader) Iterate(s, e []byte, rev bool, fn func(k, v []byte) bool) {
	c.r.Iterate(s, e, rev, func(k, v []byte) bool { c.iterated++; return fn(k, v) })
}

// referenceQuery is the members list as it was computed before the index: every record, filtered,
// sorted by handle in memory, then paged.
func referenceQuery(all []members.Member, req *members.QueryMembersRequest) (page []string, total uint64) {
	var match []members.Member
	for _, m := range all {
		if req.Status != members.MemberStatus_MEMBER_STATUS_UNSPECIFIED && m.Status != req.Status {
			continue
		}
		if !strings.HasPrefix(m.Handle, strings.ToLower(req.HandlePrefix)) {
			continue
		}
		match = append(match, m)
	}
	sort.Slice(match, func(i, j int) bool { return match[i].Handle < match[j].Handle })
	limit := req.Limit
	if limit == 0 {
		limit = members.DefaultLimit
	}
	limit = min(limit, members.MaxLimit)
	for i := req.Offset; i < uint64(len(match)) && uint64(len(page)) < limit; i++ {
		page = append(page, match[i].Handle)
	}
	return page, uint64(len(match))
}

// TestQueryMembersIndex: the indexed members list returns the same pages and totals as the
// in-memory reference for every filter, offset and limit, and reads member records only for the
// page it returns (index entries: the offset plus the page, or the prefix's matches).
func TestQueryMembersIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	kv := store.NewOverlay(emptyReader{})
	k := members.NewKeeper(noAccounts{})
	p := members.DefaultParams()
	g := &members.GenesisState{Params: &p}
	seen := map[string]bool{}
	const alphabet = "abcdez0-"
	for len(g.Members) < 600 {
		h := ""
		for n := 3 + rng.IntN(6); len(h) < n; {
			h += string(alphabet[rng.IntN(len(alphabet))])
		}
		if seen[h] {
			continue
		}
		seen[h] = true
		m := &members.Member{Address: core.AddressFromPubKey([]byte(h)).String(), Handle: h}
		if rng.IntN(3) == 0 {
			m.Status = members.MemberStatus_MEMBER_STATUS_CANDIDATE
		}
		g.Members = append(g.Members, m)
	}
	if err := k.InitGenesis(core.NewContext(kv, 0, 1_800_000_000, "test"), g); err != nil {
		t.Fatal(err)
	}
	if err := k.CheckInvariants(kv); err != nil {
		t.Fatal(err)
	}
	var all []members.Member
	k.IterateMembers(kv, func(m members.Member) bool { all = append(all, m); return true })
	if len(all) != 600 || !sort.SliceIsSorted(all, func(i, j int) bool { return all[i].Handle < all[j].Handle }) {
		t.Fatalf("IterateMembers gave %d records, alphabetical: %v", len(all), sort.SliceIsSorted(all, func(i, j int) bool { return all[i].Handle < all[j].Handle }))
	}
	statuses := []members.MemberStatus{members.MemberStatus_MEMBER_STATUS_UNSPECIFIED,
		members.MemberStatus_MEMBER_STATUS_ACTIVE, members.MemberStatus_MEMBER_STATUS_CANDIDATE, 7}
	prefixes := []string{"", "a", "da", "DA", "ab", "z0-", "e-", "q", "aaaaaaaa", strings.Repeat("a", 40), "a\x00"}
	offsets := []uint64{0, 1, 49, 50, 199, 400, 599, 600, 1 << 63}
	limits := []uint64{0, 1, 7, 50, 200, 500}
	cases := 0
	for _, st := range statuses {
		for _, pre := range prefixes {
			for _, off := range offsets {
				for _, lim := range limits {
					req := &members.QueryMembersRequest{HandlePrefix: pre, Status: st, Offset: off, Limit: lim}
					cr := &countingReader{r: kv}
					resp := k.QueryMembers(cr, req)
					wantPage, wantTotal := referenceQuery(all, req)
					var got []string
					for _, m := range resp.Members {
						got = append(got, m.Handle)
					}
					name := fmt.Sprintf("status %v prefix %q offset %d limit %d", st, pre, off, lim)
					if resp.Total != wantTotal || strings.Join(got, ",") != strings.Join(wantPage, ",") {
						t.Fatalf("%s: total %d page %v, want %d %v", name, resp.Total, got, wantTotal, wantPage)
					}
					// Member records: the page, plus the counters.
					if cr.gets > len(got)+1 {
						t.Fatalf("%s: %d reads for a page of %d", name, cr.gets, len(got))
					}
					// Index entries: without a prefix the skipped offset and the page (and one more
					// to see the page is full); with one, the prefix's matches.
					maxIter := min(off, wantTotal) + uint64(len(got)) + 1
					if pre != "" {
						maxIter = wantTotal
					}
					if uint64(cr.iterated) > maxIter {
						t.Fatalf("%s: iterated %d index entries, want at most %d", name, cr.iterated, maxIter)
					}
					cases++
				}
			}
		}
	}
	t.Logf("%d requests matched the reference", cases)
}

// TestAdmissionMovesStatusIndex: a candidate admitted by vouches moves from the candidate index to
// the active one, and the indexes stay consistent with the records.
func TestAdmissionMovesStatusIndex(t *testing.T) {
	kv := store.NewOverlay(emptyReader{})
	k := members.NewKeeper(noAccounts{})
	p := members.DefaultParams()
	a, b, c := core.AddressFromPubKey([]byte("a")), core.AddressFromPubKey([]byte("b")), core.AddressFromPubKey([]byte("c"))
	g := &members.GenesisState{Params: &p, Members: []*members.Member{{Address: a.String(), Handle: "ada"}, {Address: b.String(), Handle: "bob"}}}
	if err := k.InitGenesis(core.NewContext(kv, 0, 1_800_000_000, "test"), g); err != nil {
		t.Fatal(err)
	}
	list := func(st members.MemberStatus) string {
		var hs []string
		for _, m := range k.QueryMembers(kv, &members.QueryMembersRequest{Status: st}).Members {
			hs = append(hs, m.Handle)
		}
		return strings.Join(hs, ",")
	}
	for i, voucher := range []core.Address{a, b} {
		ctx := core.NewContext(kv, int64(i+1), 1_800_000_000+int64(i), "test")
		ctx.Signer = voucher
		handle := ""
		if i == 0 {
			handle = "cat"
		}
		if err := k.Vouch(ctx, &members.MsgVouch{Candidate: c.String(), Handle: handle}); err != nil {
			t.Fatal(err)
		}
		if err := k.CheckInvariants(kv); err != nil {
			t.Fatalf("after vouch %d: %v", i+1, err)
		}
		if i == 0 && (list(members.MemberStatus_MEMBER_STATUS_CANDIDATE) != "cat" || list(members.MemberStatus_MEMBER_STATUS_ACTIVE) != "ada,bob") {
			t.Fatalf("after one vouch: candidates %q, active %q", list(members.MemberStatus_MEMBER_STATUS_CANDIDATE), list(members.MemberStatus_MEMBER_STATUS_ACTIVE))
		}
	}
	if list(members.MemberStatus_MEMBER_STATUS_CANDIDATE) != "" || list(members.MemberStatus_MEMBER_STATUS_ACTIVE) != "ada,bob" ||
		list(members.MemberStatus_MEMBER_STATUS_PROBATION) != "cat" || list(members.MemberStatus_MEMBER_STATUS_UNSPECIFIED) != "ada,bob,cat" {
		t.Fatalf("after admission: candidates %q, active %q, on probation %q", list(members.MemberStatus_MEMBER_STATUS_CANDIDATE),
			list(members.MemberStatus_MEMBER_STATUS_ACTIVE), list(members.MemberStatus_MEMBER_STATUS_PROBATION))
	}
	// Whom each voucher vouched for is read off the vouch index; a lost entry is caught.
	for _, v := range []core.Address{a, b} {
		var got []string
		k.VouchedFor(kv, v, func(m members.Member) bool { got = append(got, m.Handle); return true })
		if strings.Join(got, ",") != "cat" {
			t.Fatalf("vouched for by %s: %v", v, got)
		}
	}
	var none []string
	k.VouchedFor(kv, c, func(m members.Member) bool { none = append(none, m.Handle); return true })
	if len(none) != 0 {
		t.Fatalf("cat vouched for no one, the index says %v", none)
	}
	kv.Delete(members.VouchedKey(b, c))
	if err := k.CheckInvariants(kv); err == nil || !strings.Contains(err.Error(), "vouch from "+b.String()+" is not indexed") {
		t.Fatalf("lost vouch index entry: %v", err)
	}
	kv.Set(members.VouchedKey(b, c), nil)
	kv.Set(members.VouchedKey(c, a), nil)
	if err := k.CheckInvariants(kv); err == nil || !strings.Contains(err.Error(), "3 entries for 2 vouches") {
		t.Fatalf("stale vouch index entry: %v", err)
	}
	kv.Delete(members.VouchedKey(c, a))
	// A stale by-status entry is caught.
	kv.Set(members.ByStatusKey(members.MemberStatus_MEMBER_STATUS_CANDIDATE, "cat"), c)
	if err := k.CheckInvariants(kv); err == nil || !strings.Contains(err.Error(), "the by-status index has 4 entries for 3 records") {
		t.Fatalf("stale index entry: %v", err)
	}
}
