package core

import (
	"bytes"

	abci "github.com/cometbft/cometbft/abci/types"
)

// Context is what a message handler sees: state, the block's height and time (from the header, never
// the wall clock), the chain id, the signer, and an event sink.
type Context struct {
	KV      KV
	Height  int64
	Time    int64 // block time, unix seconds
	ChainID string
	Signer  Address
	// BlockHash is the hash of the block being finalized (CometBFT's header hash), the chain's only
	// source of randomness. It is set only for end-of-block work in FinalizeBlock and is empty
	// everywhere else: in every tx handler (whose result must be the same in CheckTx,
	// PrepareProposal, ProcessProposal and FinalizeBlock, and the first three cannot know the hash
	// of the block being built) and in InitChain. Consume it only through Draw, which fails closed
	// when it is empty; see docs/security.md, "Randomness and its bias".
	BlockHash []byte
	// TxHash is the hash of the tx being executed (CometBFT's tx hash, SHA-256 of its bytes); empty
	// outside a tx. Account histories record it.
	TxHash []byte
	events []abci.Event
	// validators are the validator set changes of the block, in the order made (one per key).
	validators []ValidatorUpdate
}

// NewContext returns a Context over kv at the given block height and time.
func NewContext(kv KV, height, unixTime int64, chainID string) *Context {
	return &Context{KV: kv, Height: height, Time: unixTime, ChainID: chainID}
}

// indexedKeys are the event attributes CometBFT indexes, whatever the event: what tx_search and
// block_search users look for (an account's transfers, a claim's, a member's, a dispute's or a
// proposal's events). Every other attribute is delivered with its event but costs the node's
// indexer no key; docs/protocol.md lists them.
var indexedKeys = map[string]bool{
	"recipient": true, "claim_id": true, "claimant": true, "member": true,
	"dispute_id": true, "proposal_id": true,
}

// Indexed reports whether an event of type typ indexes the attribute key (tx_search and
// block_search find it). The sender is indexed on the message event only: every tx has one naming
// its signer, so indexing it again on the transfer event would cost the node a key per transfer
// that no search needs (message.sender finds them).
func Indexed(typ, key string) bool {
	if key == "sender" {
		return typ == "message"
	}
	return indexedKeys[key]
}

// Emit records an event. The attributes Indexed names are indexed so that tx_search and
// block_search find them; the others are not.
func (c *Context) Emit(typ string, kv ...string) {
	if len(kv)%2 != 0 {
		panic("core: Emit needs key/value pairs")
	}
	attrs := make([]abci.EventAttribute, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		attrs = append(attrs, abci.EventAttribute{Key: kv[i], Value: kv[i+1], Index: Indexed(typ, kv[i])})
	}
	c.events = append(c.events, abci.Event{Type: typ, Attributes: attrs})
}

// Events returns the events emitted so far, in emission order.
func (c *Context) Events() []abci.Event { return c.events }

// UpdateValidator records a change of the validator with ed25519 public key pubKey to power (0
// removes it), returned to CometBFT at the end of the block. A second change of the same key in
// the block replaces the first (CometBFT takes one update per key).
func (c *Context) UpdateValidator(pubKey []byte, power int64) {
	for i := range c.validators {
		if bytes.Equal(c.validators[i].PubKey, pubKey) {
			c.validators[i].Power = power
			return
		}
	}
	c.validators = append(c.validators, ValidatorUpdate{PubKey: bytes.Clone(pubKey), Power: power})
}

// ValidatorUpdates returns the validator set changes recorded so far.
func (c *Context) ValidatorUpdates() []ValidatorUpdate { return c.validators }
