// Package auth is the signed tx envelope: decoding with size limits, the domain-separated sign bytes,
// ed25519 verification (CometBFT's ZIP-215 verifier, the same in CheckTx and FinalizeBlock), and
// signing for clients.
package auth
