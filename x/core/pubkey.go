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
// check costs about 2.5 µs. Every key the chain verifies a signature under passes it first: tx
// signers (x/auth) and claim beneficiaries (x/claims).
func CheckEd25519PubKey(pub []byte) error {
	if len(pub) != ed25519.PubKeySize {
		return fmt.Errorf("is %d bytes; an ed25519 key is %d", len(pub), ed25519.PubKeySize)
	}
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
