package app_test

import (
	"bytes"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/core"
)

type namedPrefix struct {
	module string
	prefix []byte
}

func allPrefixes() []namedPrefix {
	var out []namedPrefix
	for module, ps := range app.AllPrefixes() {
		for _, p := range ps {
			out = append(out, namedPrefix{module, p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].prefix, out[j].prefix) < 0 })
	return out
}

// TestPrefixesDisjoint fails if any key prefix is a prefix of another (so two kinds of record could
// share keys), or if a module writes outside its own first byte or into the store's reserved 0x00.
func TestPrefixesDisjoint(t *testing.T) {
	moduleByte := map[string]byte{"app": app.PrefixApp, "bank": core.PrefixBank, "members": core.PrefixMembers, "claims": core.PrefixClaims, "disputes": core.PrefixDisputes, "gov": core.PrefixGov, "projects": core.PrefixProjects}
	ps := allPrefixes()
	for i, a := range ps {
		if len(a.prefix) == 0 || a.prefix[0] == 0x00 {
			t.Errorf("%s prefix %x is empty or in the store's reserved 0x00 space", a.module, a.prefix)
			continue
		}
		if want, ok := moduleByte[a.module]; !ok || a.prefix[0] != want {
			t.Errorf("%s prefix %x does not start with its module byte %#x", a.module, a.prefix, want)
		}
		for _, b := range ps[i+1:] {
			if bytes.HasPrefix(b.prefix, a.prefix) {
				t.Errorf("%s prefix %x overlaps %s prefix %x", a.module, a.prefix, b.module, b.prefix)
			}
		}
	}
}

// TestEveryStoredKeyHasARegisteredPrefix runs the whole contribution loop and checks that every key
// in state falls under exactly one registered prefix, so the registry (and the overlap test above)
// covers everything the modules really write.
func TestEveryStoredKeyHasARegisteredPrefix(t *testing.T) {
	f1, f2, f3, newcomer := apptest.NewKey("founder-a"), apptest.NewKey("founder-b"), apptest.NewKey("founder-c"), apptest.NewKey("newcomer")
	c := apptest.NewChain(t, "", apptest.ContribGenesis(50_000_000, f1, f2, f3))
	c.Block()
	c.Block(c.Tx(f1, apptest.Vouch(newcomer, "newcomer")), c.Tx(f2, apptest.Transfer(newcomer.Addr, 1_000_000)))
	c.Block(c.Tx(f3, apptest.Vouch(newcomer, "")))
	c.Block(c.Tx(newcomer, apptest.SubmitClaim(c.Time.Add(-2*time.Hour), c.Time.Add(-time.Hour), "care", "garden")))
	c.Block(c.Tx(f1, apptest.Approve(1)), c.Tx(f2, apptest.Approve(1)))
	c.BlockInterval = 10 * 24 * time.Hour // past the window, and days of demurrage
	c.Block()
	c.Block(c.Tx(newcomer, apptest.Transfer(f3.Addr, 1)))
	var claimSt, accounts int
	ps := allPrefixes()
	v := c.DB.ReadLatest()
	defer v.Discard()
	n := 0
	v.Iterate(nil, nil, false, func(k, _ []byte) bool {
		n++
		var hits []string
		for _, p := range ps {
			if bytes.HasPrefix(k, p.prefix) {
				hits = append(hits, fmt.Sprintf("%s/%x", p.module, p.prefix))
			}
		}
		if len(hits) != 1 {
			t.Errorf("key %x falls under %d registered prefixes %v", k, len(hits), hits)
		}
		if k[0] == core.PrefixClaims {
			claimSt++
		}
		if k[0] == core.PrefixBank {
			accounts++
		}
		return true
	})
	if claimSt == 0 || accounts == 0 || n < 20 {
		t.Fatalf("the loop wrote too little to check: %d keys (%d claims, %d bank)", n, claimSt, accounts)
	}
}
