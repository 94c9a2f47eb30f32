package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/claims"
)

// TestWriteClaim pins the text of `query claim`: the interval as core.FormatInterval writes it
// (the form error messages use), the duration as claims.MintedFor computes it.
func TestWriteClaim(t *testing.T) {
	at := func(d, h, m int) int64 { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC).Unix() }
	c := &claims.Claim{Id: 12, Claimant: "commons1dana", Category: "care", Summary: "Evening shift",
		Start: at(20, 23, 0), End: at(21, 0, 30), Status: claims.ClaimStatus_CLAIM_STATUS_VERIFIED,
		Approvals: 2, Deadline: at(27, 23, 0), Minted: 1_500_000,
		Evidence: []*claims.Evidence{{Uri: "https://example.org/rota"}}}
	var b strings.Builder
	writeClaim(&b, c)
	want := `claim 12: verified, 1.5 hours of care by commons1dana
  interval:  2026-11-20 23:00–2026-11-21 00:30 UTC
  summary:   Evening shift
  approvals: 2, rejections: 0; window closes 2026-11-27 23:00:00 UTC
  minted:    1.5 hours
  evidence:  https://example.org/rota
`
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestWriteClaimPrivacy: a private summary shows as its hash, hash-only evidence as private, and a
// countersigned claim names its beneficiary's address and key.
func TestWriteClaimPrivacy(t *testing.T) {
	priv := ed25519.GenPrivKeyFromSecret([]byte("mrs-k"))
	cs, err := claims.Countersign(priv, &claims.ClaimStatement{})
	if err != nil {
		t.Fatal(err)
	}
	h := bytes.Repeat([]byte{0xab}, 32)
	c := &claims.Claim{Id: 3, Claimant: "commons1carol", Category: "care", SummaryHash: h, Start: 0, End: 3600,
		Status: claims.ClaimStatus_CLAIM_STATUS_PENDING, Beneficiary: cs, Evidence: []*claims.Evidence{{Sha256: h}}}
	var b strings.Builder
	writeClaim(&b, c)
	for _, want := range []string{
		"  summary:   private (sha256 " + strings.Repeat("ab", 32) + ")\n",
		"  countersigned by beneficiary " + cs.BeneficiaryAddress().String() + " (key " + fmt.Sprintf("%X", cs.PubKey) + ")\n",
		"  evidence:  private (sha256 " + strings.Repeat("ab", 32) + ")\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Fatalf("query claim text lacks %q:\n%s", want, b.String())
		}
	}
}

// TestParseEvidenceHashOnly: sha256:<hex> is private evidence, a hash without a uri.
func TestParseEvidenceHashOnly(t *testing.T) {
	h := strings.Repeat("0f", 32)
	ev, err := parseEvidence("sha256:" + h)
	if err != nil || ev.Uri != "" || fmt.Sprintf("%x", ev.Sha256) != h {
		t.Fatalf("parseEvidence: %+v, %v", ev, err)
	}
	if _, err := parseEvidence("sha256:abc"); err == nil || !strings.Contains(err.Error(), "64 hex characters") {
		t.Fatalf("short hash: %v", err)
	}
}
