// Package apptest builds in-memory apps, deterministic keys and signed txs for tests and benchmarks.
package apptest

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// ChainID is the chain id of test chains.
const ChainID = "test-chain"

// GenesisTime is the genesis time of test chains (fixed, so runs are reproducible).
var GenesisTime = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// Key is a deterministic test key.
type Key struct {
	Name string
	Priv ed25519.PrivKey
	Addr core.Address
}

// NewKey derives a key from a name, so the same name always gives the same address.
func NewKey(name string) Key {
	seed := sha256.Sum256([]byte("apptest/" + name))
	priv := ed25519.GenPrivKeyFromSecret(seed[:])
	return Key{Name: name, Priv: priv, Addr: core.AddressFromPubKey(priv.PubKey().Bytes())}
}

// Sign builds a signed tx for chainID with the given sequence and messages.
func (k Key) Sign(tb testing.TB, chainID string, seq uint64, msgs ...*auth.Msg) []byte {
	tb.Helper()
	raw, err := auth.Sign(k.Priv, &auth.TxBody{ChainId: chainID, Sequence: seq, Msgs: msgs})
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// Transfer is a transfer message.
func Transfer(to core.Address, amount uint64) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: to.String(), Amount: amount}}}
}

// Genesis funds each key with balance micro-hours on default params.
func Genesis(balance uint64, keys ...Key) *app.GenesisState {
	g := app.DefaultGenesis()
	for _, k := range keys {
		g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: k.Addr.String(), Balance: balance})
	}
	return g
}

// BlockHash is the stand-in for CometBFT's header hash in test chains: SHA-256 over the height and
// the hashes of the block's txs. Like the real hash it differs from block to block and is the same
// for the same block on replay, so test chains are deterministic and their draws differ per block.
func BlockHash(height int64, txs [][]byte) []byte {
	h := sha256.New()
	h.Write([]byte("apptest/block-hash"))
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(height)))
	for _, tx := range txs {
		th := sha256.Sum256(tx)
		h.Write(th[:])
	}
	return h.Sum(nil)
}

// Chain drives an in-memory app block by block, as CometBFT would.
type Chain struct {
	TB     testing.TB
	App    *app.App
	DB     *store.DB
	Height int64
	Time   time.Time
	// BlockInterval is how far block time advances per block (default 1s).
	BlockInterval time.Duration
	// Hashes[h] is the app hash returned at height h (index 0 is the genesis hash).
	Hashes [][]byte
}

// NewChain opens an in-memory store (or dir when non-empty) and runs InitChain with g and the
// genesis validators (none: a chain without consensus, as most tests need).
func NewChain(tb testing.TB, dir string, g *app.GenesisState, validators ...core.ValidatorUpdate) *Chain {
	tb.Helper()
	return NewChainWithOptions(tb, dir, g, app.DefaultOptions(), validators...)
}

// NewChainWithOptions is NewChain with the app's options.
func NewChainWithOptions(tb testing.TB, dir string, g *app.GenesisState, opts app.Options, validators ...core.ValidatorUpdate) *Chain {
	tb.Helper()
	db, err := store.Open(dir, store.Options{InMemory: dir == "", KeepRecent: 100})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	a := app.New(db, opts)
	state, err := app.MarshalGenesis(g)
	if err != nil {
		tb.Fatal(err)
	}
	hash, err := a.InitChain(ChainID, 1, GenesisTime, state, validators)
	if err != nil {
		tb.Fatal(err)
	}
	return &Chain{TB: tb, App: a, DB: db, Time: GenesisTime, BlockInterval: time.Second, Hashes: [][]byte{hash}}
}

// Block finalizes and commits the next block with txs and returns its result.
func (c *Chain) Block(txs ...[]byte) *core.BlockResult {
	c.TB.Helper()
	c.Height++
	c.Time = c.Time.Add(c.BlockInterval)
	res, err := c.App.FinalizeBlock(c.Height, c.Time, BlockHash(c.Height, txs), txs)
	if err != nil {
		c.TB.Fatal(err)
	}
	if err := c.App.Commit(); err != nil {
		c.TB.Fatal(err)
	}
	c.Hashes = append(c.Hashes, res.AppHash)
	return res
}

// Account returns the committed account of addr.
func (c *Chain) Account(addr core.Address) bank.Account {
	v := c.DB.ReadLatest()
	defer v.Discard()
	a, _ := c.App.Keepers().Bank.Account(v, addr)
	return a
}

// Seq returns the next sequence of addr in committed state.
func (c *Chain) Seq(addr core.Address) uint64 { return c.Account(addr).Sequence }
