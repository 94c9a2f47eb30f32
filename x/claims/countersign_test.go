package claims_test

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// beneficiary is the person cared for: a key with no account and no membership.
var beneficiary = apptest.NewKey("cared-for")

// requireCare makes care claims need a countersignature.
func requireCare(g *app.GenesisState) { g.Claims.Params.RequireBeneficiary = []string{"care"} }

func TestCountersignedClaimRejections(t *testing.T) {
	at := func(hh int) time.Time { return time.Date(2026, 11, 20, hh, 0, 0, 0, time.UTC) }
	claim := func(cat, summary string) *auth.Msg { return apptest.SubmitClaim(at(8), at(9), cat, summary) }
	signed := func(m *auth.Msg, by apptest.Key) *auth.Msg { return apptest.Countersigned(m, alice, by) }
	tamper := func(m *auth.Msg, f func(*claims.MsgSubmitClaim)) *auth.Msg { f(m.GetSubmitClaim()); return m }
	hash := sha256.Sum256([]byte("private"))
	otherChain := func() *auth.Msg {
		m := claim("care", "work")
		cs, _ := claims.Countersign(beneficiary.Priv, claims.StatementOf("another-chain", alice.Addr.String(), m.GetSubmitClaim()))
		m.GetSubmitClaim().Countersignature = cs
		return m
	}
	identity := append([]byte{1}, make([]byte, 31)...) // the small-order point 0: "signs" anything under ZIP-215
	tests := []struct {
		name  string
		msg   *auth.Msg
		want  *core.Error
		frags []string
	}{
		{"no summary and no hash", claim("code", ""), claims.ErrNoSummary, []string{"--private-summary"}},
		{"summary and hash", tamper(claim("code", "work"), func(m *claims.MsgSubmitClaim) { m.SummaryHash = hash[:] }),
			claims.ErrSummaryAndHash, []string{"not both"}},
		{"short summary hash", tamper(claim("code", ""), func(m *claims.MsgSubmitClaim) { m.SummaryHash = hash[:31] }),
			claims.ErrInvalidSummaryHash, []string{"31 bytes"}},
		{"required but missing", claim("care", "work"), claims.ErrBeneficiaryRequired,
			[]string{`category "care" must be countersigned`, "commonsd claim countersign"}},
		{"weak beneficiary key", tamper(signed(claim("care", "work"), beneficiary), func(m *claims.MsgSubmitClaim) {
			m.Countersignature.PubKey = identity
			m.Countersignature.Signature = append(identity[:32:32], make([]byte, 32)...)
		}), claims.ErrInvalidBeneficiary, []string{"has small order"}},
		{"short beneficiary key", tamper(signed(claim("care", "work"), beneficiary), func(m *claims.MsgSubmitClaim) {
			m.Countersignature.PubKey = m.Countersignature.PubKey[:31]
		}), claims.ErrInvalidBeneficiary, []string{"is 31 bytes"}},
		{"short countersignature", tamper(signed(claim("care", "work"), beneficiary), func(m *claims.MsgSubmitClaim) {
			m.Countersignature.Signature = m.Countersignature.Signature[:63]
		}), claims.ErrInvalidBeneficiary, []string{"63 bytes"}},
		{"claimant is beneficiary", signed(claim("care", "work"), alice), claims.ErrBeneficiaryIsClaimant,
			[]string{"countersigned its own claim"}},
		{"other summary", tamper(signed(claim("care", "work"), beneficiary), func(m *claims.MsgSubmitClaim) { m.Summary = "more work" }),
			claims.ErrBadCountersignature, []string{"not over this claim", "category care"}},
		{"other interval", tamper(signed(claim("care", "work"), beneficiary), func(m *claims.MsgSubmitClaim) { m.Start -= 3600 }),
			claims.ErrBadCountersignature, nil},
		{"other category", tamper(signed(claim("care", "work"), beneficiary), func(m *claims.MsgSubmitClaim) { m.Category = "code" }),
			claims.ErrBadCountersignature, nil},
		{"other claimant", apptest.Countersigned(claim("care", "work"), bob, beneficiary), claims.ErrBadCountersignature, nil},
		{"other chain", otherChain(), claims.ErrBadCountersignature, []string{"chain " + apptest.ChainID}},
		{"private summary, other hash", tamper(signed(tamper(claim("care", ""), func(m *claims.MsgSubmitClaim) { m.SummaryHash = hash[:] }), beneficiary),
			func(m *claims.MsgSubmitClaim) { m.SummaryHash = bytes.Repeat([]byte{7}, 32) }), claims.ErrBadCountersignature, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := contribChain(t, requireCare)
			r := exec(t, c, alice, tt.msg)
			wantErr(t, r.Err, tt.want, tt.frags...)
		})
	}
}

// TestCountersignedClaimAccepted: a beneficiary with no account countersigns; the claim stores the
// countersignature, which anyone can check again against the statement rebuilt from the claim.
func TestCountersignedClaimAccepted(t *testing.T) {
	c := contribChain(t, requireCare)
	m := apptest.Countersigned(apptest.SubmitClaim(at(8, 0), at(9, 0), "care", "Night with Mrs K."), alice, beneficiary)
	r := mustExec(t, c, alice, m)
	if ev := event(t, r.Events, "claim_countersigned"); ev["beneficiary"] != beneficiary.Addr.String() || ev["claim_id"] != "1" {
		t.Fatalf("claim_countersigned event %v", ev)
	}
	got := claimOf(t, c, 1).Claim
	b := got.Beneficiary
	if b == nil || !bytes.Equal(b.PubKey, beneficiary.Priv.PubKey().Bytes()) || !b.BeneficiaryAddress().Equal(beneficiary.Addr) {
		t.Fatalf("beneficiary %+v", b)
	}
	s := claims.StatementOf(apptest.ChainID, got.Claimant, &claims.MsgSubmitClaim{Start: got.Start, End: got.End, Category: got.Category, Summary: got.Summary})
	if !beneficiary.Priv.PubKey().VerifySignature(claims.CountersignBytes(s), b.Signature) {
		t.Fatal("the stored countersignature does not verify against the stored claim")
	}
	// Not required in code, but allowed; and a claim without one stores none.
	mustExec(t, c, bob, apptest.Countersigned(apptest.SubmitClaim(at(8, 0), at(9, 0), "code", "Reviewed a patch"), bob, beneficiary))
	mustExec(t, c, carol, apptest.SubmitClaim(at(8, 0), at(9, 0), "code", "Wrote docs"))
	if claimOf(t, c, 2).Claim.Beneficiary == nil || claimOf(t, c, 3).Claim.Beneficiary != nil {
		t.Fatal("beneficiary records of claims 2 and 3")
	}
	if acc := c.Account(beneficiary.Addr); acc.Sequence != 0 || acc.Balance != 0 {
		t.Fatalf("the beneficiary needs no account, yet has %+v", acc)
	}
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
}

// TestPrivateSummaryAndEvidence: a claim with only the summary's hash stores the hash and no text;
// evidence may be a hash alone.
func TestPrivateSummaryAndEvidence(t *testing.T) {
	c := contribChain(t, nil)
	h := sha256.Sum256([]byte("Sat with Mr B. after his operation"))
	ev := sha256.Sum256([]byte("rota.pdf"))
	m := apptest.SubmitClaim(at(8, 0), at(9, 0), "care", "")
	m.GetSubmitClaim().SummaryHash = h[:]
	m.GetSubmitClaim().Evidence = []*claims.Evidence{{Sha256: ev[:]}}
	mustExec(t, c, alice, m)
	got := claimOf(t, c, 1).Claim
	if got.Summary != "" || !bytes.Equal(got.SummaryHash, h[:]) || got.Evidence[0].Uri != "" || !bytes.Equal(got.Evidence[0].Sha256, ev[:]) {
		t.Fatalf("stored claim %+v", got)
	}
}

func TestRequireBeneficiaryParam(t *testing.T) {
	p := claims.DefaultParams()
	if len(p.RequireBeneficiary) != 0 || len(claims.DevnetParams().RequireBeneficiary) != 0 {
		t.Fatal("no category requires a beneficiary by default")
	}
	for _, tt := range []struct {
		name, want string
		req        []string
	}{
		{"listed category", "", []string{"care", "code"}},
		{"unknown category", `require_beneficiary names "gardening", which is not one of categories`, []string{"gardening"}},
		{"twice", `require_beneficiary lists "care" twice`, []string{"care", "care"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p.RequireBeneficiary = tt.req
			err := p.Validate()
			if (err == nil) != (tt.want == "") || err != nil && !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
				t.Fatalf("Validate: %v, want %q", err, tt.want)
			}
		})
	}
}
