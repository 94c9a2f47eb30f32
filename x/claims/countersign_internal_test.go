package claims

import (
	"testing"

	"github.com/cometbft/cometbft/crypto/ed25519"
)

// A countersignature that verified is not verified again (CheckTx, PrepareProposal,
// ProcessProposal and FinalizeBlock each check the claim); one that failed is checked every time
// and keeps failing; the memo forgets its oldest entries past verifiedMemoSize.
func TestCountersignatureVerifiedOnce(t *testing.T) {
	m := &verifiedMemo{}
	priv := ed25519.GenPrivKeyFromSecret([]byte("memo"))
	msg := []byte("statement")
	sig, err := priv.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	pub := priv.PubKey().Bytes()
	for range 4 {
		if !m.verify(pub, msg, sig) {
			t.Fatal("a good signature failed")
		}
	}
	if n := m.checks.Load(); n != 1 {
		t.Fatalf("%d curve verifications for one signature checked four times", n)
	}
	bad := append([]byte(nil), sig...)
	bad[0] ^= 1
	for range 2 {
		if m.verify(pub, msg, bad) {
			t.Fatal("a bad signature passed")
		}
	}
	if n := m.checks.Load(); n != 3 {
		t.Fatalf("%d curve verifications; a failing signature must be checked every time", n)
	}
	for i := range verifiedMemoSize {
		other := []byte{byte(i), byte(i >> 8), 1}
		s, _ := priv.Sign(other)
		m.verify(pub, other, s)
	}
	if len(m.seen) != verifiedMemoSize {
		t.Fatalf("the memo holds %d keys, bound %d", len(m.seen), verifiedMemoSize)
	}
	before := m.checks.Load()
	m.verify(pub, msg, sig) // the first entry was forgotten
	if m.checks.Load() != before+1 {
		t.Fatal("the oldest entry was not forgotten")
	}
}
