package loadgen

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// rpc is a minimal CometBFT JSON-RPC client over HTTP with a connection pool sized for load
// generation (the generic client keeps two idle connections per host, which at thousands of
// requests per second exhausts ephemeral ports).
type rpc struct {
	base string
	hc   *http.Client
}

func newRPC(node string, conns int) *rpc {
	base := strings.TrimSuffix(strings.Replace(node, "tcp://", "http://", 1), "/")
	if !strings.HasPrefix(base, "http") {
		base = "http://" + base
	}
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		MaxConnsPerHost:     conns * 2,
		IdleConnTimeout:     90 * time.Second,
	}
	return &rpc{base: base, hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

type rpcResponse struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    string `json:"data"`
	} `json:"error"`
}

func (r *rpc) call(ctx context.Context, method string, params any, out any) error {
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.base, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var rr rpcResponse
	if err := json.Unmarshal(raw, &rr); err != nil {
		return fmt.Errorf("%s: %s: %w", method, strings.TrimSpace(string(raw)), err)
	}
	if rr.Error != nil {
		return &rpcError{Method: method, Message: rr.Error.Message, Data: rr.Error.Data}
	}
	if out != nil {
		return json.Unmarshal(rr.Result, out)
	}
	return nil
}

// rpcError is an error answer of the node (for example a full mempool).
type rpcError struct{ Method, Message, Data string }

func (e *rpcError) Error() string { return e.Method + ": " + e.Message + ": " + e.Data }

// broadcastResult is broadcast_tx_sync's answer: CheckTx's code.
type broadcastResult struct {
	Code      uint32 `json:"code"`
	Codespace string `json:"codespace"`
	Log       string `json:"log"`
}

func (r *rpc) broadcast(ctx context.Context, method string, tx []byte) (broadcastResult, error) {
	var out broadcastResult
	err := r.call(ctx, method, map[string]string{"tx": base64.StdEncoding.EncodeToString(tx)}, &out)
	return out, err
}

// status returns the node's chain id and latest height.
func (r *rpc) status(ctx context.Context) (chainID string, height int64, err error) {
	var out struct {
		NodeInfo struct {
			Network string `json:"network"`
		} `json:"node_info"`
		SyncInfo struct {
			LatestBlockHeight string `json:"latest_block_height"`
		} `json:"sync_info"`
	}
	if err := r.call(ctx, "status", map[string]any{}, &out); err != nil {
		return "", 0, err
	}
	h, _ := strconv.ParseInt(out.SyncInfo.LatestBlockHeight, 10, 64)
	return out.NodeInfo.Network, h, nil
}

// blockTxs returns the txs of block height.
func (r *rpc) blockTxs(ctx context.Context, height int64) ([][]byte, error) {
	var out struct {
		Block struct {
			Data struct {
				Txs [][]byte `json:"txs"`
			} `json:"data"`
		} `json:"block"`
	}
	if err := r.call(ctx, "block", map[string]string{"height": strconv.FormatInt(height, 10)}, &out); err != nil {
		return nil, err
	}
	return out.Block.Data.Txs, nil
}

// txResult is one tx's outcome in a block.
type txResult struct {
	Code      uint32 `json:"code"`
	Codespace string `json:"codespace"`
	Events    []struct {
		Type       string `json:"type"`
		Attributes []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		} `json:"attributes"`
	} `json:"events"`
}

func (r *rpc) blockResults(ctx context.Context, height int64) ([]txResult, error) {
	var out struct {
		TxsResults []txResult `json:"txs_results"`
	}
	if err := r.call(ctx, "block_results", map[string]string{"height": strconv.FormatInt(height, 10)}, &out); err != nil {
		return nil, err
	}
	return out.TxsResults, nil
}

// abciQuery runs an ABCI query and returns the value and the answer's code.
func (r *rpc) abciQuery(ctx context.Context, path string) ([]byte, uint32, error) {
	var out struct {
		Response struct {
			Code  uint32 `json:"code"`
			Value []byte `json:"value"`
			Log   string `json:"log"`
		} `json:"response"`
	}
	if err := r.call(ctx, "abci_query", map[string]string{"path": path}, &out); err != nil {
		return nil, 0, err
	}
	return out.Response.Value, out.Response.Code, nil
}
