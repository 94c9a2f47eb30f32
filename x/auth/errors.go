package auth

import "github.com/commonsledger/commons/x/core"

// Codespace of the auth module.
const Codespace = "auth"

var (
	ErrTxTooLarge      = core.Register(Codespace, 101, "tx too large")
	ErrMalformedTx     = core.Register(Codespace, 102, "malformed tx")
	ErrBadSignature    = core.Register(Codespace, 103, "signature verification failed")
	ErrWrongChainID    = core.Register(Codespace, 104, "wrong chain id")
	ErrSequenceReused  = core.Register(Codespace, 105, "sequence already used")
	ErrSequenceGap     = core.Register(Codespace, 106, "sequence skipped")
	ErrUnknownSigner   = core.Register(Codespace, 107, "signer has no account")
	ErrMempoolFull     = core.Register(Codespace, 108, "too many pending txs from this sender")
	ErrNoMessages      = core.Register(Codespace, 109, "tx has no messages")
	ErrTooManyMessages = core.Register(Codespace, 110, "tx has too many messages")
	ErrUnknownMessage  = core.Register(Codespace, 111, "unknown message type")
	ErrMemoTooLong     = core.Register(Codespace, 112, "memo too long")
	ErrWeakPubKey      = core.Register(Codespace, 113, "unusable public key")
	ErrNonCanonicalTx  = core.Register(Codespace, 114, "tx is not canonically encoded")
	// ErrPoolFull is the node's app-side mempool at its size limit (mempool.type = "app").
	ErrPoolFull = core.Register(Codespace, 115, "the node's mempool is full")
)
