package core

import (
	"strings"
	"testing"

	"github.com/cometbft/cometbft/crypto/ed25519"
)

// The memo of sound keys changes how much work a check takes, never its verdict: a sound key
// passes every time, and a small-order or off-curve key fails every time (failures are not kept).
func TestCheckEd25519PubKeyVerdictsAreStable(t *testing.T) {
	good := ed25519.GenPrivKeyFromSecret([]byte("pubkey memo")).PubKey().Bytes()
	identity := make([]byte, 32) // y = 1: the neutral element, of order 1
	identity[0] = 1
	var offCurve []byte
	for y := byte(2); offCurve == nil; y++ { // about half of all y are not on the curve
		k := make([]byte, 32)
		k[0] = y
		if err := CheckEd25519PubKey(k); err != nil && strings.Contains(err.Error(), "not a point") {
			offCurve = k
		}
	}
	for round := 0; round < 3; round++ {
		if err := CheckEd25519PubKey(good); err != nil {
			t.Fatalf("round %d: sound key refused: %v", round, err)
		}
		if err := CheckEd25519PubKey(identity); err == nil || !strings.Contains(err.Error(), "small order") {
			t.Fatalf("round %d: small-order key: %v", round, err)
		}
		if err := CheckEd25519PubKey(offCurve); err == nil {
			t.Fatalf("round %d: off-curve key accepted", round)
		}
		if err := CheckEd25519PubKey(good[:31]); err == nil {
			t.Fatalf("round %d: 31-byte key accepted", round)
		}
	}
	if _, ok := soundKeys.get([32]byte(good)); !ok {
		t.Fatal("the sound key was not remembered")
	}
	if _, ok := soundKeys.get([32]byte(identity)); ok {
		t.Fatal("a small-order key was remembered")
	}
}

// BenchmarkCheckEd25519PubKey checks keys already checked (the memo's hit), and
// the check itself, as for a key seen for the first time.
func BenchmarkCheckEd25519PubKey(b *testing.B) {
	keys := make([][]byte, 4096)
	for i := range keys {
		keys[i] = ed25519.GenPrivKeyFromSecret([]byte{byte(i), byte(i >> 8), 'b'}).PubKey().Bytes()
	}
	b.Run("again", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := CheckEd25519PubKey(keys[i%len(keys)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("first", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := checkPoint(keys[i%len(keys)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
