package core

import (
	"fmt"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/oasisprotocol/curve25519-voi/curve"
)

// CheckEd25519PubKey refuses what cannot be an account's key: a key that is not 32 bytes, not a
// point of the curve, or a small-order point. Under the ZIP-215 rules CometBFT's verifier follows,
// a signature (R small-order, S = 0) verifies under a small-order key for every message, so such a
// key would "sign" anything. No honestly generated key has small order (the chance is 2^-250). The
// check costs about 3.5 µs the first time a key is seen and a map lookup after (soundKeys). Every
// key the chain verifies a signature under passes it first: tx signers (x/auth) and claim
// beneficiaries (x/claims).
func CheckEd25519PubKey(pub []byte) error {
	if len(pub) != ed25519.PubKeySize {
		return fmt.Errorf("is %d bytes; an ed25519 key is %d", len(pub), ed25519.PubKeySize)
	}
	k := [ed25519.PubKeySize]byte(pub)
	if _, ok := soundKeys.get(k); ok {
		return nil
	}
	if err := checkPoint(pub); err != nil {
		return err
	}
	soundKeys.put(k, struct{}{})
	return nil
}

// checkPoint is the check itself, for a 32-byte key: about 3.5 µs.
func checkPoint(pub []byte) error {
	var c curve.CompressedEdwardsY
	if _, err := c.SetBytes(pub); err != nil {
		return err
	}
	var p curve.EdwardsPoint
	if _, err := p.SetCompressedY(&c); err != nil {
		return fmt.Errorf("%X is not a point of the ed25519 curve", pub)
	}
	if p.IsSmallOrder() {
		return fmt.Errorf("%X has small order, so anyone could sign for it", pub)
	}
	return nil
}

// soundKeys remembers keys that passed the check (a pure function of the key), so a sender's
// every tx after the first skips the point decompression: every node checks each tx's key when it
// first sees the tx, and the busy senders are the same few over many blocks. Bounded like the
// address memos (2×16,384 keys, about 2 MiB); keys that fail are not remembered.
var soundKeys = newMemo[[ed25519.PubKeySize]byte, struct{}](addressMemoSize)
