package api_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/app/apptest"
)

// fakeBlocks is a block store of heights base..latest behind the api.Comet methods, answering as
// CometBFT's in-process client does (blockchain info: at most 20 headers, highest first, clipped to
// what is kept). txs and results are per height; a height without results is being executed.
type fakeBlocks struct {
	base, latest int64
	txs          map[int64][]cmttypes.Tx
	results      map[int64]*ctypes.ResultBlockResults
	infoCalls    int
	// lost: blockchain info answers nil metas, as CometBFT does for blocks pruned after the status.
	lost bool
}

var fakeProposer = []byte("proposer-address-20b")

func (f *fakeBlocks) Status(context.Context) (*ctypes.ResultStatus, error) {
	return &ctypes.ResultStatus{SyncInfo: ctypes.SyncInfo{EarliestBlockHeight: f.base, LatestBlockHeight: f.latest}}, nil
}

func (f *fakeBlocks) Tx(context.Context, []byte, bool) (*ctypes.ResultTx, error) {
	return nil, errors.New("tx not found")
}

func blockHash(h int64) []byte { s := sha256.Sum256(fmt.Appendf(nil, "block %d", h)); return s[:] }

func (f *fakeBlocks) header(h int64) cmttypes.Header {
	hd := cmttypes.Header{ChainID: apptest.ChainID, Height: h, Time: time.Unix(1_800_000_000+h, 0), ProposerAddress: fakeProposer,
		AppHash: []byte{byte(h), 0xAB}}
	if h > 1 {
		hd.LastBlockID = cmttypes.BlockID{Hash: blockHash(h - 1)}
	}
	return hd
}

func (f *fakeBlocks) BlockchainInfo(_ context.Context, minH, maxH int64) (*ctypes.ResultBlockchainInfo, error) {
	f.infoCalls++
	if minH == 0 {
		minH = 1
	}
	if maxH == 0 {
		maxH = f.latest
	}
	maxH = min(maxH, f.latest)
	minH = max(minH, f.base, maxH-19)
	if minH > maxH {
		return nil, fmt.Errorf("min height %d can't be greater than max height %d", minH, maxH)
	}
	out := &ctypes.ResultBlockchainInfo{LastHeight: f.latest}
	for h := maxH; h >= minH; h-- {
		if f.lost {
			out.BlockMetas = append(out.BlockMetas, nil)
			continue
		}
		out.BlockMetas = append(out.BlockMetas, &cmttypes.BlockMeta{BlockID: cmttypes.BlockID{Hash: blockHash(h)}, Header: f.header(h), NumTxs: len(f.txs[h])})
	}
	return out, nil
}

func (f *fakeBlocks) Block(_ context.Context, h *int64) (*ctypes.ResultBlock, error) {
	if *h < f.base || *h > f.latest {
		return nil, fmt.Errorf("height %d is not available", *h)
	}
	return &ctypes.ResultBlock{BlockID: cmttypes.BlockID{Hash: blockHash(*h)},
		Block: &cmttypes.Block{Header: f.header(*h), Data: cmttypes.Data{Txs: f.txs[*h]}}}, nil
}

func (f *fakeBlocks) BlockResults(_ context.Context, h *int64) (*ctypes.ResultBlockResults, error) {
	if r, ok := f.results[*h]; ok {
		return r, nil
	}
	return nil, fmt.Errorf("could not find results for height #%d", *h)
}

// TestBlocks pages the block list (by offset and by the before= cursor, across several blockchain
// info calls), shows one block with its decoded txs, results and events, and refuses bad heights.
func TestBlocks(t *testing.T) {
	l := newLedger(t, 2, 1, 1, api.Options{})
	alice, bob := l.founders[0], l.founders[1]
	transfer := cmttypes.Tx(alice.Sign(t, apptest.ChainID, 7, apptest.Transfer(bob.Addr, 1_500_000)))
	fb := &fakeBlocks{base: 3, latest: 57, txs: map[int64][]cmttypes.Tx{40: {transfer, []byte("not a tx")}},
		results: map[int64]*ctypes.ResultBlockResults{40: {Height: 40, AppHash: []byte{0xCD},
			TxsResults:          []*abci.ExecTxResult{{Code: 0}, {Code: 2, Codespace: "core", Log: "tx does not decode"}},
			FinalizeBlockEvents: []abci.Event{{Type: "claim_finalized", Attributes: []abci.EventAttribute{{Key: "claim_id", Value: "9"}}}}}}}
	srv := httptest.NewServer(api.New(l.chain.App, api.Options{Comet: fb}))
	t.Cleanup(srv.Close)
	l.srv = srv

	heights := func(path string) (int, string) {
		t.Helper()
		var list struct {
			Total, Offset, Limit uint64
			Items                []struct {
				Height   int64
				Time     string
				Hash     string
				Proposer struct{ Address string }
				NumTxs   int    `json:"num_txs"`
				AppHash  string `json:"app_hash"`
			}
		}
		code := l.get(t, path, &list)
		var hs []string
		for _, b := range list.Items {
			hs = append(hs, fmt.Sprint(b.Height))
			if b.Hash != fmt.Sprintf("%X", blockHash(b.Height)) || b.AppHash != fmt.Sprintf("%02XAB", byte(b.Height)) ||
				b.Proposer.Address != fmt.Sprintf("%X", fakeProposer) || b.Time != time.Unix(1_800_000_000+b.Height, 0).UTC().Format(time.RFC3339) ||
				b.NumTxs != len(fb.txs[b.Height]) {
				t.Errorf("GET %s: block %+v", path, b)
			}
		}
		return code, fmt.Sprintf("total %d offset %d limit %d: %s", list.Total, list.Offset, list.Limit, strings.Join(hs, " "))
	}
	span := func(from, to int64) string {
		var hs []string
		for h := from; h >= to; h-- {
			hs = append(hs, fmt.Sprint(h))
		}
		return strings.Join(hs, " ")
	}
	for _, tc := range []struct{ path, want string }{
		{"/api/v1/blocks", "total 55 offset 0 limit 20: " + span(57, 38)},
		{"/api/v1/blocks?limit=45&offset=3", "total 55 offset 3 limit 45: " + span(54, 10)}, // three blockchain info calls
		{"/api/v1/blocks?before=10", "total 7 offset 0 limit 20: " + span(9, 3)},
		{"/api/v1/blocks?before=10&offset=5&limit=5", "total 7 offset 5 limit 5: 4 3"},
		{"/api/v1/blocks?before=100&limit=2", "total 55 offset 0 limit 2: 57 56"},
		{"/api/v1/blocks?before=3", "total 0 offset 0 limit 20: "},
		{"/api/v1/blocks?offset=55", "total 55 offset 55 limit 20: "},
	} {
		if code, got := heights(tc.path); code != 200 || got != tc.want {
			t.Errorf("GET %s: %d %s, want %s", tc.path, code, got, tc.want)
		}
	}
	fb.infoCalls = 0
	heights("/api/v1/blocks?limit=100")
	if fb.infoCalls != 3 { // 55 kept blocks, 20 a call
		t.Errorf("100 blocks asked, 55 kept: %d blockchain info calls, want 3", fb.infoCalls)
	}

	// Blocks pruned between the status and the headers: an empty page, not a loop.
	fb.lost = true
	if code, got := heights("/api/v1/blocks"); code != 200 || got != "total 55 offset 0 limit 20: " {
		t.Errorf("GET /blocks with the headers pruned: %d %s", code, got)
	}
	fb.lost = false

	var b struct {
		Height        int64
		Hash          string
		ChainID       string `json:"chain_id"`
		PreviousHash  string `json:"previous_hash"`
		AppHash       string `json:"app_hash"`
		ResultAppHash string `json:"result_app_hash"`
		ResultsStored bool   `json:"results_stored"`
		NumTxs        int    `json:"num_txs"`
		Txs           []struct {
			Hash, Codespace, Log string
			Index                int
			Code                 uint32
			Signer               *struct{ Address, Handle string }
			Messages             []struct {
				Type  string
				Value struct {
					To          struct{ Handle string }
					AmountHours string `json:"amount_hours"`
				}
			}
			DecodeError string `json:"decode_error"`
		}
		Events []abci.Event
	}
	if code := l.get(t, "/api/v1/blocks/40", &b); code != 200 {
		t.Fatalf("GET /blocks/40: %d", code)
	}
	tx0 := b.Txs[0]
	if b.Height != 40 || b.Hash != fmt.Sprintf("%X", blockHash(40)) || b.PreviousHash != fmt.Sprintf("%X", blockHash(39)) || b.ChainID != apptest.ChainID ||
		b.AppHash != "28AB" || b.ResultAppHash != "CD" || !b.ResultsStored || b.NumTxs != 2 || len(b.Txs) != 2 {
		t.Fatalf("block 40: %+v", b)
	}
	if tx0.Hash != fmt.Sprintf("%X", sha256.Sum256(transfer)) || tx0.Index != 0 || tx0.Code != 0 || tx0.Signer == nil ||
		tx0.Signer.Handle != apptest.Handle(alice) || len(tx0.Messages) != 1 || tx0.Messages[0].Type != "transfer" ||
		tx0.Messages[0].Value.To.Handle != apptest.Handle(bob) || tx0.Messages[0].Value.AmountHours != "1.5" {
		t.Errorf("block 40's transfer: %+v", tx0)
	}
	if tx1 := b.Txs[1]; tx1.Index != 1 || tx1.Code != 2 || tx1.Log != "tx does not decode" || tx1.Signer != nil || tx1.DecodeError == "" {
		t.Errorf("block 40's undecodable tx: %+v", tx1)
	}
	if len(b.Events) != 1 || b.Events[0].Type != "claim_finalized" || b.Events[0].Attributes[0].Value != "9" {
		t.Errorf("block 40's events: %+v", b.Events)
	}
	// Block 41 is stored but its results are not (it is being executed).
	b.Events, b.Txs = nil, nil
	if code := l.get(t, "/api/v1/blocks/41", &b); code != 200 || b.ResultsStored || b.ResultAppHash != "" || b.Events == nil || len(b.Events) != 0 || b.Txs == nil {
		t.Errorf("block 41 without results: %d %+v", code, b)
	}

	for _, tc := range []struct {
		path    string
		code    int
		message string
	}{
		{"/api/v1/blocks/58", 404, "no block 58 yet; the latest is 57"},
		{"/api/v1/blocks/2", 404, "block 2 is not kept by this node (its earliest is 3); ask an archive node"},
		{"/api/v1/blocks/0", 400, `block height "0" is not a height; heights are whole numbers from 1`},
		{"/api/v1/blocks/x", 400, `block height "x" is not a height; heights are whole numbers from 1`},
		{"/api/v1/blocks/40?height=3", 400, `unknown parameter "height"; this endpoint takes no parameters`},
		{"/api/v1/blocks?before=1", 400, `before "1": give a block height from 2; the list starts at the block below it`},
		{"/api/v1/blocks?before=ten", 400, `before "ten": give a block height from 2; the list starts at the block below it`},
		{"/api/v1/blocks?limit=101", 400, "limit 101 is out of range; use 1 to 100"},
		{"/api/v1/blocks?height=5", 400, `unknown parameter "height"; this endpoint takes before, limit, offset`},
	} {
		var e struct {
			Code    int
			Message string
		}
		if code := l.get(t, tc.path, &e); code != tc.code || e.Code != tc.code || e.Message != tc.message {
			t.Errorf("GET %s: %d %+v, want %d %q", tc.path, code, e, tc.code, tc.message)
		}
	}
}
