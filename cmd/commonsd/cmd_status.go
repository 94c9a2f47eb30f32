package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/x/core"
)

type statusView struct {
	ChainID     string `json:"chain_id"`
	Moniker     string `json:"moniker"`
	Height      int64  `json:"latest_block_height"`
	Time        string `json:"latest_block_time"`
	AppHash     string `json:"latest_app_hash"`
	CatchingUp  bool   `json:"catching_up"`
	NodeVersion string `json:"node_version"`
}

func newStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use: "status", Short: "Show the node's chain id, latest height and sync state", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := newClient(cmd)
			if err != nil {
				return err
			}
			st, err := c.Status(context.Background())
			if err != nil {
				return err
			}
			v := statusView{ChainID: st.NodeInfo.Network, Moniker: st.NodeInfo.Moniker, Height: st.SyncInfo.LatestBlockHeight,
				Time: core.FormatTime(st.SyncInfo.LatestBlockTime.Unix()), AppHash: st.SyncInfo.LatestAppHash.String(),
				CatchingUp: st.SyncInfo.CatchingUp, NodeVersion: st.NodeInfo.Version}
			return printOut(cmd, v, func(w io.Writer) {
				fmt.Fprintf(w, "chain id:    %s\nmoniker:     %s\nheight:      %d\nblock time:  %s\napp hash:    %s\ncatching up: %t\n",
					v.ChainID, v.Moniker, v.Height, v.Time, v.AppHash, v.CatchingUp)
			})
		},
	}
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use: "version", Short: "Print the commonsd version", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := map[string]any{"version": app.Version, "protocol": app.ProtocolVersion, "go": runtime.Version()}
			return printOut(cmd, v, func(w io.Writer) {
				fmt.Fprintf(w, "commonsd %s (protocol %d, %s)\n", app.Version, app.ProtocolVersion, runtime.Version())
			})
		},
	}
}
