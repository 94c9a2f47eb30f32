package bank_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
)

// TestTransferEventNamesCanonicalRecipient: tx_search by recipient must find a transfer however
// the sender spelled the address.
func TestTransferEventNamesCanonicalRecipient(t *testing.T) {
	f := apptest.NewFoundation(t)
	upper := &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: strings.ToUpper(f.Bob.Addr.String()), Amount: 1}}}
	r := f.Block(f.Alice.Sign(t, apptest.ChainID, 1, upper)).TxResults[0]
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	for _, e := range r.Events {
		if e.Type != "transfer" {
			continue
		}
		for _, at := range e.Attributes {
			if at.Key == "recipient" && at.Value != f.Bob.Addr.String() {
				t.Fatalf("transfer event recipient %q, want %q", at.Value, f.Bob.Addr.String())
			}
		}
		return
	}
	t.Fatal(errors.New("no transfer event"))
}
