package core

import abci "github.com/cometbft/cometbft/abci/types"

// TxResult is the outcome of one tx: Err is nil on success, and Events are only reported on success.
type TxResult struct {
	Err    error
	Events []abci.Event
	Signer Address
	Msgs   []string // message type names, for metrics and logs
	// Note, on an accepted tx, is CheckTx's word on it for the sender (a held tx says what it waits for).
	Note string
}

// BlockResult is the outcome of executing one block.
type BlockResult struct {
	TxResults []TxResult
	Events    []abci.Event // block-level events (claim finalisation and the like)
	AppHash   []byte
	// ValidatorUpdates are the block's validator set changes (governance), for CometBFT.
	ValidatorUpdates []ValidatorUpdate
	// Adopted is set when FinalizeBlock adopted this node's execution of the block as a proposal
	// instead of executing its txs (operators' logs only; it never reaches state or CometBFT).
	Adopted bool
}

// ValidatorUpdate sets the voting power of the validator with an ed25519 public key (0 removes it).
type ValidatorUpdate struct {
	PubKey []byte // 32 bytes
	Power  int64
}
