package apptest

import (
	"fmt"
	"strings"
	"time"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// loadChunk is how many claims LoadDenseClaims commits at a time: about ten keys each, well inside
// one store commit.
const loadChunk = 5000

// CommitDirect writes one height straight to the store, as a genesis import would, without a
// block: write gets a context at the next height and time over the latest state; the app hash is
// the lattice of what it wrote. Loaders of states too large for one commit call it chunk by chunk,
// then run an ordinary block so that the app's check state reads what they loaded.
func (c *Chain) CommitDirect(write func(ctx *core.Context)) {
	c.TB.Helper()
	base := c.DB.ReadLatest()
	defer base.Discard()
	kv := store.NewOverlay(base)
	c.Height++
	c.Time = c.Time.Add(c.BlockInterval)
	write(core.NewContext(kv, c.Height, c.Time.Unix(), ChainID))
	l := store.UpdateLattice(c.DB.Committed().Lattice, base, kv)
	meta := store.Meta{Height: c.Height, Time: c.Time.Unix(), AppHash: l.Hash(), Lattice: l}
	if err := c.DB.Commit(c.Height, kv, meta); err != nil {
		c.TB.Fatal(err)
	}
	c.Hashes = append(c.Hashes, meta.AppHash)
}

// LoadDenseClaims stores n adjacent one-second claims by k with the given status, the last ending
// at end, with the next free ids, as a genesis import would (indexes, counters, and for VERIFIED
// claims the minted hours), committed directly to the store in chunks of loadChunk claims, one
// height each (CommitDirect), followed by one ordinary block. A genesis this size would not fit in
// the single commit of block 1. It returns the first id. The params must allow one-second claims.
func (c *Chain) LoadDenseClaims(k Key, n int, end time.Time, status claims.ClaimStatus) (first uint64) {
	c.TB.Helper()
	ks := c.App.Keepers()
	ck := ks.Claims
	start := end.Unix() - int64(n)
	for done := 0; done < n; done += loadChunk {
		c.CommitDirect(func(ctx *core.Context) {
			next := ck.Counts(ctx.KV).NextId
			if first == 0 {
				first = next
			}
			var chunk []*claims.Claim
			var minted uint64
			for i := done; i < min(done+loadChunk, n); i++ {
				cl := &claims.Claim{Id: next + uint64(i-done), Claimant: k.Addr.String(), Start: start + int64(i), End: start + int64(i) + 1,
					Category: "code", Status: status, SubmittedAt: end.Unix(), Deadline: end.Unix()}
				if status == claims.ClaimStatus_CLAIM_STATUS_VERIFIED {
					cl.Minted = claims.MintedFor(cl.Start, cl.End)
					minted += cl.Minted
				}
				chunk = append(chunk, cl)
			}
			ck.ImportClaims(ctx.KV, chunk)
			if minted > 0 {
				if err := ks.Bank.Mint(ctx, k.Addr, minted, 0); err != nil {
					c.TB.Fatal(err)
				}
			}
		})
	}
	c.Block() // an ordinary block, so that the app's check state reads the loaded claims
	return first
}

// MaximalClaim is a SubmitClaim of [from, to) by claimant on chainID as large as default params
// allow in a tx: a max_summary_bytes summary that starts with tag, max_evidence evidence items with
// 512-byte URIs (no sha256, so that three fit in one 16 KiB tx), and a beneficiary's
// countersignature (three such claims make a 16,254-byte tx with a maximal memo). Tests of the
// bounds on bytes and keys use it.
func MaximalClaim(chainID string, claimant core.Address, from, to time.Time, tag string) *auth.Msg {
	p := claims.DefaultParams()
	m := SubmitClaim(from, to, "care", tag+strings.Repeat("s", int(p.MaxSummaryBytes)-len(tag)))
	sc := m.GetSubmitClaim()
	for i := range int(p.MaxEvidence) {
		u := fmt.Sprintf("https://evidence.example/%s/%d/", tag, i)
		sc.Evidence = append(sc.Evidence, &claims.Evidence{Uri: u + strings.Repeat("e", 512-len(u))})
	}
	return CountersignedFor(m, chainID, claimant, maximalBeneficiary)
}

// maximalBeneficiary countersigns maximal claims.
var maximalBeneficiary = NewKey("maximal-beneficiary")
