// Package core is the small kernel every module builds on: the KV interface modules read and write
// state through, the per-tx execution Context, registered errors with stable codes, and bech32
// addresses. It depends on nothing but the standard library and CometBFT's ABCI types.
package core
