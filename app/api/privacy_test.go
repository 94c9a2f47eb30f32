package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/claims"
)

// TestClaimViewPrivacy: a countersigned claim shows countersigned and its beneficiary's key and
// address in the claim view and the claims list; a private summary shows as an empty
// summary with private_summary and its hash; private evidence as a hash without a uri.
func TestClaimViewPrivacy(t *testing.T) {
	l := newLedger(t, 2, 1, 1, api.Options{})
	f0, f1 := l.founders[0], l.founders[1]
	cared := apptest.NewKey("cared-for")
	hash := sha256.Sum256([]byte("Sat with Mr B."))
	start := apptest.GenesisTime.Add(-5 * time.Hour)
	m := apptest.SubmitClaim(start, start.Add(time.Hour), "care", "")
	m.GetSubmitClaim().SummaryHash = hash[:]
	m.GetSubmitClaim().Evidence = []*claims.Evidence{{Sha256: hash[:]}}
	apptest.Countersigned(m, f0, cared)
	plain := apptest.SubmitClaim(start, start.Add(time.Hour), "code", "public work")
	mustBlock(t, l.chain, [][]byte{l.chain.Tx(f0, m), l.chain.Tx(f1, plain)})

	var list struct {
		Items []struct {
			ID             uint64 `json:"id"`
			Summary        string `json:"summary"`
			SummaryHash    string `json:"summary_hash"`
			PrivateSummary bool   `json:"private_summary"`
			Countersigned  bool   `json:"countersigned"`
			Beneficiary    *struct {
				PubKey  string `json:"pubkey"`
				Address string `json:"address"`
			} `json:"beneficiary"`
			Evidence []struct {
				URI    string `json:"uri"`
				SHA256 string `json:"sha256"`
			} `json:"evidence"`
		} `json:"items"`
	}
	l.get(t, "/api/v1/claims?limit=2", &list)
	if len(list.Items) != 2 {
		t.Fatalf("%d claims", len(list.Items))
	}
	priv, pub := list.Items[1], list.Items[0] // newest first: f1's claim was second in the block
	if priv.Summary != "" || !priv.PrivateSummary || priv.SummaryHash != hex.EncodeToString(hash[:]) {
		t.Fatalf("private summary shown as %+v", priv)
	}
	if !priv.Countersigned || priv.Beneficiary == nil || priv.Beneficiary.Address != cared.Addr.String() ||
		priv.Beneficiary.PubKey != hex.EncodeToString(cared.Priv.PubKey().Bytes()) {
		t.Fatalf("beneficiary shown as %+v", priv.Beneficiary)
	}
	if len(priv.Evidence) != 1 || priv.Evidence[0].URI != "" || priv.Evidence[0].SHA256 != hex.EncodeToString(hash[:]) {
		t.Fatalf("private evidence shown as %+v", priv.Evidence)
	}
	if pub.Countersigned || pub.Beneficiary != nil || pub.PrivateSummary || pub.Summary != "public work" {
		t.Fatalf("a plain claim shown as %+v", pub)
	}
	var one struct {
		Claim struct {
			Countersigned bool `json:"countersigned"`
		} `json:"claim"`
	}
	l.get(t, "/api/v1/claims/"+strconv.FormatUint(priv.ID, 10), &one)
	if !one.Claim.Countersigned {
		t.Fatal("/claims/{id} does not show countersigned")
	}
}
