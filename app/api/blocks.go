package api

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/commonsledger/commons/x/auth"
)

// The block endpoints read CometBFT's block store through the in-process client (Options.Comet),
// never its stores directly. They do not take ?height=: a block is named by its own height, and
// the list pages with before=, a height cursor, so that a page stays put while blocks are added.

// blockSummaryView is one block in a list.
type blockSummaryView struct {
	Height int64    `json:"height"`
	Time   jsonTime `json:"time"`
	Hash   string   `json:"hash"` // upper-case hex, the block id's hash
	// Proposer is the validator that proposed the block, by CometBFT address (upper-case hex), with
	// its moniker when it is in the app's validator set now.
	Proposer proposerView `json:"proposer"`
	NumTxs   int          `json:"num_txs"`
	// AppHash is the header's app hash: the state after the previous block (CometBFT puts a block's
	// resulting app hash in the next header). It is the lattice hash of every stored (key, value)
	// pair, docs/decisions.md ("App hash").
	AppHash string `json:"app_hash"`
}

type proposerView struct {
	Address string `json:"address"`
	Moniker string `json:"moniker,omitempty"`
}

// blockView is one block with its txs and the events of its start and end (not of a tx).
type blockView struct {
	blockSummaryView
	ChainID      string `json:"chain_id"`
	PreviousHash string `json:"previous_hash"` // the previous block's hash; "" for the first block
	// ResultAppHash is the app hash after this block's txs and end of block, the app hash of the next
	// block's header; "" until the block is executed.
	ResultAppHash string `json:"result_app_hash"`
	// ResultsStored is false while the block is being executed (CometBFT stores a block a moment
	// before its results) or when the node discards results (storage.discard_abci_responses): then
	// the txs' code and log and the events are empty.
	ResultsStored bool          `json:"results_stored"`
	Txs           []blockTxView `json:"txs"`
	// Events are the block's finalize_block_events: what the start and end of block did (claims
	// finalised, juries drawn, proposals closed, …). A tx's own events are on /txs/{hash}.
	Events []abci.Event `json:"events"`
}

// blockTxView is one tx of a block: its hash (for /txs/{hash}), result and messages decoded.
type blockTxView struct {
	Hash        string    `json:"hash"`
	Index       int       `json:"index"`
	Code        uint32    `json:"code"` // 0: success
	Codespace   string    `json:"codespace"`
	Log         string    `json:"log"`
	Signer      *ref      `json:"signer"` // null when the tx does not decode
	Messages    []msgView `json:"messages"`
	DecodeError string    `json:"decode_error,omitempty"`
}

// maxBlockInfo is how many headers CometBFT's blockchain info answers at once.
const maxBlockInfo = 20

func noBlockStore() error {
	return &apiError{Code: http.StatusServiceUnavailable, Message: "this server has no block store (it is not running inside a node)"}
}

// chainRange is the heights CometBFT keeps: base (the earliest) to latest.
func (s *Server) chainRange(q *request) (base, latest int64, err error) {
	st, err := s.opts.Comet.Status(q.ctx)
	if err != nil {
		return 0, 0, err
	}
	return max(st.SyncInfo.EarliestBlockHeight, 1), st.SyncInfo.LatestBlockHeight, nil
}

// blocks answers /blocks: the latest blocks, newest first, below ?before= when given.
func (s *Server) blocks(q *request) (any, error) {
	limit, offset, err := q.page()
	if err != nil {
		return nil, err
	}
	var before int64
	if b := q.param("before"); b != "" {
		n, perr := strconv.ParseInt(b, 10, 64)
		if perr != nil || n < 2 {
			return nil, badRequest("before %q: give a block height from 2; the list starts at the block below it", b)
		}
		before = n
	}
	if s.opts.Comet == nil {
		return nil, noBlockStore()
	}
	base, latest, err := s.chainRange(q)
	if err != nil {
		return nil, err
	}
	top := latest // the list: base ..= top, newest first
	if before != 0 && before-1 < top {
		top = before - 1
	}
	out := listView[blockSummaryView]{Offset: offset, Limit: limit, Items: []blockSummaryView{}}
	if top < base {
		return out, nil
	}
	out.Total = uint64(top - base + 1)
	if offset >= out.Total {
		return out, nil
	}
	hi := top - int64(offset)
	lo := max(base, hi-int64(limit)+1)
	monikers := s.monikers(q)
	for hi >= lo {
		res, err := s.opts.Comet.BlockchainInfo(q.ctx, max(lo, hi-maxBlockInfo+1), hi)
		if err != nil {
			return nil, err
		}
		was := hi
		for _, m := range res.BlockMetas { // highest first
			if m == nil || m.Header.Height > hi || m.Header.Height < lo {
				continue
			}
			out.Items = append(out.Items, blockSummary(m.BlockID, &m.Header, m.NumTxs, monikers))
			hi = m.Header.Height - 1
		}
		if hi == was { // nothing in range: pruned since the status
			break
		}
	}
	return out, nil
}

func blockSummary(id cmttypes.BlockID, h *cmttypes.Header, numTxs int, monikers map[string]string) blockSummaryView {
	proposer := h.ProposerAddress.String()
	return blockSummaryView{Height: h.Height, Time: jsonTime(h.Time.Unix()), Hash: id.Hash.String(),
		Proposer: proposerView{Address: proposer, Moniker: monikers[proposer]}, NumTxs: numTxs, AppHash: h.AppHash.String()}
}

// monikers maps the CometBFT addresses of the app's validator set to their monikers.
func (s *Server) monikers(q *request) map[string]string {
	out := map[string]string{}
	for _, v := range q.k.Gov.QueryValidators(q.view).Validators {
		if v.Moniker != "" {
			out[cometAddress(v.PubKey)] = v.Moniker
		}
	}
	return out
}

// parseHeight reads a block height path value.
func parseHeight(raw string) (int64, error) {
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 1 {
		return 0, badRequest("block height %q is not a height; heights are whole numbers from 1", raw)
	}
	return n, nil
}

// block answers /blocks/{height}: the header, the txs with their results and the block's events.
func (s *Server) block(q *request) (any, error) {
	height, err := parseHeight(q.r.PathValue("height"))
	if err != nil {
		return nil, err
	}
	if s.opts.Comet == nil {
		return nil, noBlockStore()
	}
	base, latest, err := s.chainRange(q)
	if err != nil {
		return nil, err
	}
	switch {
	case height > latest:
		return nil, notFoundf("no block %d yet; the latest is %d", height, latest)
	case height < base:
		return nil, notFoundf("block %d is not kept by this node (its earliest is %d); ask an archive node", height, base)
	}
	b, err := s.opts.Comet.Block(q.ctx, &height)
	if err != nil {
		return nil, err
	}
	if b.Block == nil { // pruned between the status and now
		return nil, notFoundf("block %d is not kept by this node; ask an archive node", height)
	}
	h := &b.Block.Header
	v := blockView{blockSummaryView: blockSummary(b.BlockID, h, len(b.Block.Txs), s.monikers(q)), ChainID: h.ChainID,
		PreviousHash: h.LastBlockID.Hash.String(), Txs: []blockTxView{}, Events: []abci.Event{}}
	// The results are stored once the block is executed, a moment after the block itself.
	var results []*abci.ExecTxResult
	if r, err := s.opts.Comet.BlockResults(q.ctx, &height); err == nil {
		v.ResultAppHash, v.ResultsStored = strings.ToUpper(hex.EncodeToString(r.AppHash)), true
		results = r.TxsResults
		if r.FinalizeBlockEvents != nil {
			v.Events = r.FinalizeBlockEvents
		}
	}
	for i, raw := range b.Block.Txs {
		t := blockTxView{Hash: strings.ToUpper(hex.EncodeToString(raw.Hash())), Index: i, Messages: []msgView{}}
		if i < len(results) && results[i] != nil {
			t.Code, t.Codespace, t.Log = results[i].Code, results[i].Codespace, results[i].Log
		}
		d, err := auth.Decode(raw)
		if err != nil {
			t.DecodeError = err.Error()
		} else {
			signer := q.ref(d.Signer.String())
			t.Signer = &signer
			for _, m := range d.Body.Msgs {
				t.Messages = append(t.Messages, q.msg(m))
			}
		}
		v.Txs = append(v.Txs, t)
	}
	return v, nil
}
