package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/commonsledger/commons/app"
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
