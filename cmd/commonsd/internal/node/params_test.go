package node_test

import (
	"testing"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
)

// TestInitWritesDeliberateBlockParams: the genesis node.Init (devnet, localnet) and `commonsd genesis new` write
// bounds a block at 4 MiB with no gas limit, not CometBFT's ~53 MiB default.
func TestInitWritesDeliberateBlockParams(t *testing.T) {
	home := t.TempDir()
	if _, err := node.Init(home, node.InitOptions{ChainID: "params-chain", App: config.Default()}); err != nil {
		t.Fatal(err)
	}
	doc, err := cmttypes.GenesisDocFromFile(home + "/config/genesis.json")
	if err != nil {
		t.Fatal(err)
	}
	if b := doc.ConsensusParams.Block; b.MaxBytes != 4<<20 || b.MaxGas != -1 {
		t.Fatalf("genesis block params: max_bytes %d, max_gas %d; want %d and -1", b.MaxBytes, b.MaxGas, 4<<20)
	}
	if err := doc.ConsensusParams.ValidateBasic(); err != nil {
		t.Fatal(err)
	}
}
