package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
)

func readGenesis(t *testing.T, home string) *cmttypes.GenesisDoc {
	t.Helper()
	doc, err := cmttypes.GenesisDocFromFile(filepath.Join(home, "config", "genesis.json"))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func writeAppState(t *testing.T, home string, doc *cmttypes.GenesisDoc, g *app.GenesisState) {
	t.Helper()
	bz, err := app.MarshalGenesis(g)
	if err != nil {
		t.Fatal(err)
	}
	doc.AppState = json.RawMessage(bz)
	if err := doc.SaveAs(filepath.Join(home, "config", "genesis.json")); err != nil {
		t.Fatal(err)
	}
}

// fastDevnet initialises a devnet home in a temporary directory with 200 ms blocks and free RPC
// and P2P ports, lets tweak check and change its genesis app state (shorter windows, say), and
// returns the home and the RPC address (host:port).
func fastDevnet(t *testing.T, tweak func(*app.GenesisState)) (home, rpc string) {
	t.Helper()
	home, rpc = t.TempDir(), freePort(t)
	if err := initDevnet(home, node.InitOptions{BlockTime: 200 * time.Millisecond, RPCAddr: "tcp://" + rpc, P2PAddr: "tcp://" + freePort(t)}); err != nil {
		t.Fatal(err)
	}
	doc := readGenesis(t, home)
	g, err := app.ParseGenesis(doc.AppState)
	if err != nil {
		t.Fatal(err)
	}
	tweak(g)
	writeAppState(t, home, doc, g)
	return home, rpc
}
