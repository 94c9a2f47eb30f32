package auth

import "github.com/oasisprotocol/curve25519-voi/curve"

// checkPubKey refuses public keys that are not points of the curve, and the small-order points.
// Under the ZIP-215 rules CometBFT's verifier follows, a signature (R small-order, S = 0) verifies
// under a small-order key for every message, so the address of such a key could be spent from by
// anyone. No honestly generated key has small order (the chance is 2^-250). The check costs about
// 2.5 µs, once per decode.
func checkPubKey(pub []byte) error {
	var c curve.CompressedEdwardsY
	if _, err := c.SetBytes(pub); err != nil {
		return ErrWeakPubKey.Wrapf("pub_key: %v", err)
	}
	var p curve.EdwardsPoint
	if _, err := p.SetCompressedY(&c); err != nil {
		return ErrWeakPubKey.Wrapf("pub_key %X is not a point of the ed25519 curve; sign with a key made by `commonsd keys add`", pub)
	}
	if p.IsSmallOrder() {
		return ErrWeakPubKey.Wrapf("pub_key %X has small order, so anyone could sign for it; sign with a key made by `commonsd keys add`", pub)
	}
	return nil
}
