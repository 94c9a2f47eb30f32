// Package client talks to a Commons Ledger node over CometBFT's RPC: queries, signing, broadcasting
// and waiting for a tx to commit.
package client

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	abcitypes "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/crypto/tmhash"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// Client is a connection to one node.
type Client struct {
	RPC  *rpchttp.HTTP
	node string
	// Progress receives progress lines while waiting (usually stderr); nil for silence.
	Progress io.Writer
	// CommitTimeout bounds how long a tx is waited for.
	CommitTimeout time.Duration
}

// New connects to node (http://host:port or tcp://host:port).
func New(node string) (*Client, error) {
	addr := strings.Replace(node, "tcp://", "http://", 1)
	c, err := rpchttp.New(addr, "/websocket")
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", node, err)
	}
	return &Client{RPC: c, node: node, CommitTimeout: 60 * time.Second}, nil
}

func (c *Client) unreachable(err error) error {
	return fmt.Errorf("cannot reach node at %s: %v (is it running? pass --node to use another)", c.node, err)
}

// broadcastError explains a broadcast the node answered with an error (a JSON-RPC error, before
// CheckTx gave a code), or could not be reached for.
func (c *Client) broadcastError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "tx already seen"), strings.Contains(msg, "tx already exists in cache"):
		return fmt.Errorf("the node at %s already has this exact tx (it is pending, or was refused moments ago): %v", c.node, err)
	case strings.Contains(msg, "RPC error"):
		return fmt.Errorf("the node at %s refused the tx: %v", c.node, err)
	}
	return c.unreachable(err)
}

// Status returns the node's status.
func (c *Client) Status(ctx context.Context) (*ctypes.ResultStatus, error) {
	st, err := c.RPC.Status(ctx)
	if err != nil {
		return nil, c.unreachable(err)
	}
	return st, nil
}

// AppHeight is the last height the node's app has committed (0 before the first block): the height
// its queries and CheckTx answer for, which can be one below CometBFT's latest block while the app
// applies that block.
func (c *Client) AppHeight(ctx context.Context) (int64, error) {
	info, err := c.RPC.ABCIInfo(ctx)
	if err != nil {
		return 0, c.unreachable(err)
	}
	return info.Response.LastBlockHeight, nil
}

// AppBlockTime is the time of the last block the app has committed: the clock CheckTx judges by
// (a claim's end, for one). CometBFT's status can already report the next block while the app is
// still applying it, and a claim ending at that block's time would be refused as in the future.
// With nothing committed yet it is the genesis time.
func (c *Client) AppBlockTime(ctx context.Context) (time.Time, error) {
	h, err := c.AppHeight(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if h > 0 {
		hdr, err := c.RPC.Header(ctx, &h)
		if err != nil {
			return time.Time{}, fmt.Errorf("read the header of block %d: %w", h, err)
		}
		return hdr.Header.Time, nil
	}
	st, err := c.Status(ctx)
	if err != nil {
		return time.Time{}, err
	}
	return st.SyncInfo.LatestBlockTime, nil
}

// QueryError is a query the node answered with a non-zero code.
type QueryError struct {
	Code      uint32
	Codespace string
	Log       string
}

func (e *QueryError) Error() string { return fmt.Sprintf("%s (code %d)", e.Log, e.Code) }

// Query runs an ABCI query and returns the raw value.
func (c *Client) Query(ctx context.Context, path string, data []byte, height int64) ([]byte, int64, error) {
	res, err := c.RPC.ABCIQueryWithOptions(ctx, path, data, rpcclient.ABCIQueryOptions{Height: height})
	if err != nil {
		return nil, 0, c.unreachable(err)
	}
	if res.Response.Code != 0 {
		return nil, res.Response.Height, &QueryError{Code: res.Response.Code, Codespace: res.Response.Codespace, Log: res.Response.Log}
	}
	return res.Response.Value, res.Response.Height, nil
}

// QueryProto runs a query and decodes the value into out.
func (c *Client) QueryProto(ctx context.Context, path string, data []byte, height int64, out interface{ Unmarshal([]byte) error }) (int64, error) {
	bz, h, err := c.Query(ctx, path, data, height)
	if err != nil {
		return h, err
	}
	if err := out.Unmarshal(bz); err != nil {
		return h, fmt.Errorf("decode %s response: %w", path, err)
	}
	return h, nil
}

// PendingAccount returns addr's account as the node's mempool sees it: its sequence counts the
// signer's txs that are accepted but not yet committed (the sequence to sign the next tx with).
func (c *Client) PendingAccount(ctx context.Context, addr core.Address) (*bank.QueryAccountResponse, error) {
	var res bank.QueryAccountResponse
	if _, err := c.QueryProto(ctx, "/app/pending-account/"+addr.String(), nil, 0, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Account returns an account (Exists=false if it has none).
func (c *Client) Account(ctx context.Context, addr core.Address, height int64) (*bank.QueryAccountResponse, int64, error) {
	var out bank.QueryAccountResponse
	h, err := c.QueryProto(ctx, "/bank/account/"+addr.String(), nil, height, &out)
	return &out, h, err
}

// Result is a broadcast tx's outcome.
type Result struct {
	Hash      string            `json:"hash"`
	Height    int64             `json:"height,omitempty"`
	Code      uint32            `json:"code"`
	Codespace string            `json:"codespace,omitempty"`
	Log       string            `json:"log,omitempty"`
	Events    []abcitypes.Event `json:"events,omitempty"`
	Committed bool              `json:"committed"`
	Simulated bool              `json:"simulated,omitempty"` // a --dry-run: run on the node's check state, not sent
}

// TxError is a tx rejected by CheckTx or failed in its block.
type TxError struct{ Result *Result }

func (e *TxError) Error() string {
	stage := "rejected by the node"
	if e.Result.Simulated {
		stage = "would be rejected (dry run; nothing was sent)"
	}
	if e.Result.Committed {
		stage = fmt.Sprintf("failed in block %d", e.Result.Height)
	}
	return fmt.Sprintf("tx %s (code %d): %s", stage, e.Result.Code, e.Result.Log)
}

// SignAndBroadcast signs msgs with priv using the signer's pending sequence (PendingAccount: after
// its txs in the node's mempool, so back-to-back --async sends each take the next one), broadcasts,
// and (unless async) waits for the tx to commit. If another client took that sequence in between,
// the node refuses it as used and names the next one (auth/105), or, for the very same message,
// CometBFT refuses the identical bytes as already in its cache; the tx is signed again with the
// next sequence, up to a few times.
func (c *Client) SignAndBroadcast(ctx context.Context, priv ed25519.PrivKey, chainID string, memo string, async bool, msgs ...*auth.Msg) (*Result, error) {
	return c.signAnd(ctx, priv, chainID, memo, msgs, func(raw []byte) (*Result, error) { return c.Broadcast(ctx, raw, async) })
}

// SignAndSimulate signs msgs as SignAndBroadcast does and runs the tx on the node's check state
// (the mempool's view) without sending it: the result says what it would do now (--dry-run).
func (c *Client) SignAndSimulate(ctx context.Context, priv ed25519.PrivKey, chainID string, memo string, msgs ...*auth.Msg) (*Result, error) {
	return c.signAnd(ctx, priv, chainID, memo, msgs, func(raw []byte) (*Result, error) {
		var sim app.SimulateResponse
		if _, err := c.QueryProto(ctx, "/app/simulate", raw, 0, &sim); err != nil {
			return nil, err
		}
		r := &Result{Hash: strings.ToUpper(hex.EncodeToString(tmhash.Sum(raw))), Code: sim.Code, Codespace: sim.Codespace, Log: sim.Log, Simulated: true}
		for _, e := range sim.Events {
			ev := abcitypes.Event{Type: e.Type}
			for i := range e.Keys {
				ev.Attributes = append(ev.Attributes, abcitypes.EventAttribute{Key: e.Keys[i], Value: e.Values[i]})
			}
			r.Events = append(r.Events, ev)
		}
		if r.Code != 0 {
			return r, &TxError{Result: r}
		}
		return r, nil
	})
}

// signAnd signs msgs with the signer's pending sequence and submits the tx; when the node
// names a later sequence as the next one (txs of the signer in its mempool), or refuses the
// identical bytes as already pending, it signs again with that sequence, up to a few times.
func (c *Client) signAnd(ctx context.Context, priv ed25519.PrivKey, chainID, memo string, msgs []*auth.Msg, submit func([]byte) (*Result, error)) (*Result, error) {
	signer := core.AddressFromPubKey(priv.PubKey().Bytes())
	acc, err := c.PendingAccount(ctx, signer)
	if err != nil {
		return nil, err
	}
	if !acc.Exists {
		return nil, fmt.Errorf("%s has no account on chain %s yet: it must first receive hours (a transfer) or be vouched for", signer, chainID)
	}
	seq := acc.Account.Sequence
	for attempt := 0; ; attempt++ {
		raw, err := auth.Sign(priv, &auth.TxBody{ChainId: chainID, Sequence: seq, Msgs: msgs, Memo: memo})
		if err != nil {
			return nil, err
		}
		r, err := submit(raw)
		var te *TxError
		switch {
		case attempt >= 4 || err == nil:
		case errors.As(err, &te) && !te.Result.Committed && te.Result.Codespace == auth.Codespace && te.Result.Code == auth.ErrSequenceReused.Code:
			if next, ok := nextSequence(te.Result.Log); ok && next > seq {
				seq = next
				continue
			}
		case strings.Contains(err.Error(), "tx already exists in cache") || strings.Contains(err.Error(), "tx already seen"):
			// The node has these bytes already (ed25519 signatures are deterministic, so the same
			// message signed with the same sequence is the same tx; the first error is CometBFT's
			// mempool's, the second the app-side mempool's). If that tx is pending, its sequence is
			// taken: sign again with the next free one.
			if acc, aerr := c.PendingAccount(ctx, signer); aerr == nil && acc.Account.Sequence > seq {
				seq = acc.Account.Sequence
				continue
			}
		}
		return r, err
	}
}

// nextSequence reads "the next one is N" from a sequence error's log.
func nextSequence(log string) (uint64, bool) {
	const marker = "the next one is "
	i := strings.LastIndex(log, marker)
	if i < 0 {
		return 0, false
	}
	rest := log[i+len(marker):]
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	n, err := strconv.ParseUint(rest[:end], 10, 64)
	return n, err == nil
}

// Broadcast submits raw tx bytes and, unless async, waits for the tx to be committed.
func (c *Client) Broadcast(ctx context.Context, raw []byte, async bool) (*Result, error) {
	bres, err := c.RPC.BroadcastTxSync(ctx, raw)
	if err != nil {
		return nil, c.broadcastError(err)
	}
	r := &Result{Hash: strings.ToUpper(hex.EncodeToString(bres.Hash)), Code: bres.Code, Codespace: bres.Codespace, Log: bres.Log}
	if r.Code != 0 {
		return r, &TxError{Result: r}
	}
	if async {
		return r, nil
	}
	if r.Log != "" && c.Progress != nil { // an accepted tx's note: a held tx says what it waits for
		fmt.Fprintln(c.Progress, r.Log)
	}
	return c.WaitForTx(ctx, bres.Hash)
}

// WaitForTx polls until the tx with hash is in a committed block.
func (c *Client) WaitForTx(ctx context.Context, hash []byte) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, c.CommitTimeout)
	defer cancel()
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, "tx %X accepted; waiting for it to commit…\n", hash)
	}
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := c.RPC.Tx(ctx, hash, false)
		if err == nil {
			r := &Result{Hash: strings.ToUpper(hex.EncodeToString(hash)), Height: res.Height, Code: res.TxResult.Code,
				Codespace: res.TxResult.Codespace, Log: res.TxResult.Log, Events: res.TxResult.Events, Committed: true}
			if r.Code != 0 {
				return r, &TxError{Result: r}
			}
			return r, nil
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, fmt.Errorf("tx %X was accepted but not committed within %s; check later with `commonsd query tx %X`", hash, c.CommitTimeout, hash)
			}
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
}

// Tx fetches a committed tx by hex hash.
func (c *Client) Tx(ctx context.Context, hashHex string) (*ctypes.ResultTx, error) {
	hash, err := hex.DecodeString(strings.TrimPrefix(strings.ToLower(hashHex), "0x"))
	if err != nil || len(hash) != 32 {
		return nil, fmt.Errorf("tx hash %q: expected 64 hex characters", hashHex)
	}
	res, err := c.RPC.Tx(ctx, hash, false)
	if err != nil {
		if strings.Contains(err.Error(), "not found") {
			return nil, fmt.Errorf("tx %s not found on this node (not committed, or pruned)", strings.ToUpper(hashHex))
		}
		return nil, c.unreachable(err)
	}
	return res, nil
}
