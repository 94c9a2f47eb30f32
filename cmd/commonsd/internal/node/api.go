package node

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/cometbft/cometbft/rpc/client/local"

	"github.com/commonsledger/commons/app/api"
)

// newAPI builds the JSON API over the started node and makes it answer ABCI queries under
// /api/v1/ too (app.App.SetJSONQuery), whether or not it also listens for HTTP: the CLI's -o json
// prints the API's JSON through the node's RPC.
func newAPI(n *Node) *api.Server {
	h := api.New(n.App, api.Options{Comet: local.New(n.Comet), CORSOrigins: n.Cfg.API.CORSOrigins, Logger: n.Log.With("component", "api")})
	n.App.SetJSONQuery(h.Query)
	return h
}

// startAPI starts the JSON API and web explorer h on cfg.API.Address and registers its shutdown
// with n.OnStop. It is called by Start when api.enable is true. The listener is opened here, so a
// busy address fails Start instead of a background goroutine.
func startAPI(n *Node, h *api.Server) error {
	l, err := net.Listen("tcp", n.Cfg.API.Address)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.Log.Error("API server stopped", "err", err)
		}
	}()
	n.Log.Info("API and explorer listening", "api", "http://"+l.Addr().String()+api.Prefix, "explorer", "http://"+l.Addr().String()+"/")
	n.OnStop(func(ctx context.Context) error { return srv.Shutdown(ctx) })
	return nil
}
