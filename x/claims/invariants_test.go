package claims_test

import (
	"strings"
	"testing"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

type emptyReader struct{}

func (emptyReader) Get([]byte) ([]byte, bool)                            { return nil, false }
func (emptyReader) Iterate([]byte, []byte, bool, func(k, v []byte) bool) {}

// TestInvariantsDetectCorruption checks that each claims invariant fires: every case corrupts a
// healthy state (a genesis with a VERIFIED, a PENDING and a REJECTED claim and their attestations)
// in one way and expects Keeper.CheckInvariants to name the broken invariant.
func TestInvariantsDetectCorruption(t *testing.T) {
	const t0 = 1_800_000_000
	alice, bob, carol := addrOf("alice"), addrOf("bob"), addrOf("carol")
	k := claims.NewKeeper(nil, nil)
	healthy := func(t *testing.T) *store.Overlay {
		t.Helper()
		p := claims.DefaultParams()
		g := &claims.GenesisState{Params: &p, NextClaimId: 4,
			Claims: []*claims.Claim{
				{Id: 1, Claimant: alice.String(), Start: t0, End: t0 + 3600, Category: "care", Status: claims.ClaimStatus_CLAIM_STATUS_VERIFIED,
					Approvals: 2, Minted: claims.MintedFor(t0, t0+3600), Project: "garden", FinalizedAt: t0 + 4000},
				{Id: 2, Claimant: bob.String(), Start: t0, End: t0 + 3600, Category: "code", Status: claims.ClaimStatus_CLAIM_STATUS_PENDING},
				{Id: 3, Claimant: alice.String(), Start: t0 + 7200, End: t0 + 10800, Category: "care", Status: claims.ClaimStatus_CLAIM_STATUS_REJECTED,
					Rejections: 1},
			},
			Attestations: []*claims.Attestation{
				{ClaimId: 1, Attestor: bob.String(), Verdict: claims.Verdict_VERDICT_APPROVE},
				{ClaimId: 1, Attestor: carol.String(), Verdict: claims.Verdict_VERDICT_APPROVE},
				{ClaimId: 3, Attestor: bob.String(), Verdict: claims.Verdict_VERDICT_REJECT},
			}}
		kv := store.NewOverlay(emptyReader{})
		if err := k.InitGenesis(core.NewContext(kv, 0, t0+86400, "test"), g); err != nil {
			t.Fatal(err)
		}
		if err := k.CheckInvariants(kv); err != nil {
			t.Fatal(err)
		}
		return kv
	}
	claim := func(kv core.Reader, id uint64) claims.Claim {
		c, ok := k.Claim(kv, id)
		if !ok {
			t.Fatalf("no claim %d", id)
		}
		return c
	}
	for _, tc := range []struct {
		name    string
		corrupt func(kv *store.Overlay)
		want    string
	}{
		{"verified claim grows", func(kv *store.Overlay) {
			var body claims.Claim
			raw, _ := kv.Get(claims.ClaimKey(1))
			core.MustUnmarshal(raw, &body)
			body.End += 3600
			kv.Set(claims.ClaimKey(1), core.MustMarshal(&body))
		}, "invariant minted: claim 1 minted"},
		{"next id not above every claim", func(kv *store.Overlay) {
			counts := k.Counts(kv)
			counts.NextId = 3 // claim 3 exists: SubmitClaim would create keys it holds
			kv.Set(claims.CountsKey, core.MustMarshal(&counts))
		}, "invariant claims: claim 3 is not in 1 … next id - 1 (next id 3)"},
		{"overlapping claims", func(kv *store.Overlay) {
			c := claim(kv, 1)
			c.Id, c.Status, c.Minted, c.Approvals = 4, claims.ClaimStatus_CLAIM_STATUS_PENDING, 0, 0
			k.ImportClaims(kv, []*claims.Claim{&c})
		}, "invariant overlap: claims 1 and 4"},
		{"rejected claims overlap on one level", func(kv *store.Overlay) {
			c := claim(kv, 3)
			c.Id, c.Start, c.Rejections = 4, c.Start+60, 0
			k.ImportClaims(kv, []*claims.Claim{&c})
		}, "invariant reclaim levels: claim 4 overlaps rejected claim 3"},
		{"attestation by the claimant", func(kv *store.Overlay) {
			kv.Set(claims.AttestationKey(2, bob), core.MustMarshal(&claims.Attestation{ClaimId: 2, Attestor: bob.String(), Verdict: claims.Verdict_VERDICT_APPROVE}))
		}, "invariant attestations"},
		{"project index entry missing", func(kv *store.Overlay) {
			kv.Delete(claims.ByProjectKey("garden", t0+4000, 1))
		}, "invariant project index: VERIFIED claim 1 of project \"garden\" is not indexed"},
		{"project index entry of no verified claim", func(kv *store.Overlay) {
			kv.Set(claims.ByProjectKey("garden", t0, 2), append(bob, make([]byte, 8)...))
		}, "invariant project index: 2 entries for 1 VERIFIED claims tagged with a project"},
		{"attestation of a missing claim", func(kv *store.Overlay) {
			kv.Set(claims.AttestationKey(9, bob), core.MustMarshal(&claims.Attestation{ClaimId: 9, Attestor: bob.String(), Verdict: claims.Verdict_VERDICT_APPROVE}))
		}, "missing claim 9"},
		// The category and time indexes (cindex.go): claim 1 is VERIFIED "care" starting at t0,
		// claim 2 PENDING "code".
		{"claim missing from the category index", func(kv *store.Overlay) {
			kv.Delete(claims.ByCategoryKey("care", 1))
		}, "invariant category/time index: 1 entries missing"},
		{"claim missing from its category-status entry", func(kv *store.Overlay) {
			kv.Delete(claims.ByCatStatusKey("code", claims.ClaimStatus_CLAIM_STATUS_PENDING, 2))
		}, "missing, the first"},
		{"category-status entry left under the old status", func(kv *store.Overlay) {
			kv.Set(claims.ByCatStatusKey("care", claims.ClaimStatus_CLAIM_STATUS_PENDING, 1), []byte{})
		}, "invariant category/time index: stray entry"},
		{"dangling start entry", func(kv *store.Overlay) {
			kv.Set(claims.ByStartCatKey(t0, "care", 9), []byte{})
		}, "invariant category/time index: stray entry"},
		{"start entry at a wrong start", func(kv *store.Overlay) {
			kv.Delete(claims.ByStartCatKey(t0, "care", 1))
			kv.Set(claims.ByStartCatKey(t0+1, "care", 1), []byte{})
		}, "invariant category/time index: stray entry"},
		{"claim missing from the start index", func(kv *store.Overlay) {
			kv.Delete(claims.ByStartCatKey(t0, "code", 2))
		}, "(claim 2)"},
		{"category-status counter off by one", func(kv *store.Overlay) {
			kv.Set(claims.CatCountKey("care", claims.ClaimStatus_CLAIM_STATUS_VERIFIED), core.Uint64Key(2))
		}, "invariant category/time index: entry"},
		{"start counter with a wrong max id", func(kv *store.Overlay) {
			key := claims.StartCountKey(2, t0/3600, "care")
			v, _ := kv.Get(key)
			v = append([]byte{}, v...)
			v[15]++
			kv.Set(key, v)
		}, "invariant category/time index: entry"},
		{"start counter missing", func(kv *store.Overlay) {
			kv.Delete(claims.StartCountKey(0, t0, "code"))
		}, "invariant category/time index: 1 entries missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kv := healthy(t)
			tc.corrupt(kv)
			if err := k.CheckInvariants(kv); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func addrOf(name string) core.Address { return core.AddressFromPubKey([]byte(name)) }
