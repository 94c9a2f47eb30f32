package api

import (
	"encoding/hex"
	"strings"

	"github.com/commonsledger/commons/app"
)

type statusView struct {
	ChainID     string   `json:"chain_id"`
	Height      int64    `json:"height"`
	BlockTime   jsonTime `json:"block_time"`
	AppHash     string   `json:"app_hash"`
	BlockHash   string   `json:"block_hash,omitempty"`
	CatchingUp  bool     `json:"catching_up"`
	Moniker     string   `json:"moniker,omitempty"`
	NodeVersion string   `json:"node_version,omitempty"`
	AppVersion  string   `json:"app_version"`
	// StateHeight is the height the rest of the API answers from (the app's last commit); it can
	// trail Height by a block while CometBFT records the next one.
	StateHeight int64 `json:"state_height"`
}

// status answers /status from CometBFT's own view of the node, falling back to the store.
func (s *Server) status(q *request) (any, error) {
	v := statusView{ChainID: s.app.ChainID(), Height: q.height, BlockTime: jsonTime(q.time),
		AppHash: strings.ToUpper(hex.EncodeToString(q.appHash)), AppVersion: app.Version, StateHeight: q.height}
	if s.opts.Comet == nil {
		return v, nil
	}
	st, err := s.opts.Comet.Status(q.ctx)
	if err != nil {
		return nil, err
	}
	v.ChainID, v.Moniker, v.NodeVersion = st.NodeInfo.Network, st.NodeInfo.Moniker, st.NodeInfo.Version
	v.Height, v.CatchingUp = st.SyncInfo.LatestBlockHeight, st.SyncInfo.CatchingUp
	v.BlockTime = jsonTime(st.SyncInfo.LatestBlockTime.Unix())
	v.AppHash, v.BlockHash = st.SyncInfo.LatestAppHash.String(), st.SyncInfo.LatestBlockHash.String()
	if v.Height == 0 {
		v.BlockTime = 0
	}
	return v, nil
}
