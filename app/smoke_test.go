package app_test

import (
	"testing"

	"github.com/commonsledger/commons/app/apptest"
)

func TestSmokeTransfer(t *testing.T) {
	alice, bob := apptest.NewKey("alice"), apptest.NewKey("bob")
	c := apptest.NewChain(t, "", apptest.Genesis(10_000_000, alice, bob))
	res := c.Block(alice.Sign(t, apptest.ChainID, 0, apptest.Transfer(bob.Addr, 2_500_000)))
	if err := res.TxResults[0].Err; err != nil {
		t.Fatal(err)
	}
	if got := c.Account(bob.Addr).Balance; got != 12_500_000 {
		t.Fatalf("bob balance %d", got)
	}
	res = c.Block(alice.Sign(t, apptest.ChainID, 0, apptest.Transfer(bob.Addr, 1)))
	if res.TxResults[0].Err == nil {
		t.Fatal("replay accepted")
	}
	t.Log(res.TxResults[0].Err)
}
