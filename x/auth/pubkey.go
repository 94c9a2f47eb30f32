package auth

import "github.com/commonsledger/commons/x/core"

// checkPubKey refuses public keys that are not points of the curve, and the small-order points
// (see core.CheckEd25519PubKey).
func checkPubKey(pub []byte) error {
	if err := core.CheckEd25519PubKey(pub); err != nil {
		return ErrWeakPubKey.Wrapf("pub_key %v; sign with a key made by `commonsd keys add`", err)
	}
	return nil
}
