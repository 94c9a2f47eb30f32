package app_test

import (
	"bytes"
	"testing"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/core"
)

// FuzzCheckTx feeds arbitrary bytes to CheckTx, the one entry point any client can reach. It must
// never panic, must answer every rejection with a registered code, and must never change committed
// state. Run it with go test ./app -fuzz FuzzCheckTx.
func FuzzCheckTx(f *testing.F) {
	from, to := apptest.NewKey("fuzz-from"), apptest.NewKey("fuzz-to")
	c := apptest.NewChain(f, "", apptest.Genesis(10_000_000, from, to))
	c.Block() // commit genesis so the mempool sees the accounts
	valid := from.Sign(f, apptest.ChainID, 0, apptest.Transfer(to.Addr, 1))
	f.Add(valid)
	f.Add(from.Sign(f, apptest.ChainID, 1, apptest.Transfer(to.Addr, 20_000_000)))
	f.Add(from.Sign(f, "other", 0, apptest.Transfer(to.Addr, 1)))
	f.Add(valid[:len(valid)-1])
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f})

	committed := c.DB.Committed()
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := c.App.CheckTx(raw)
		if r.Err != nil {
			if _, code, log := core.ABCIInfo(r.Err); code == 0 || code == core.ErrInternal.Code || log == "" {
				t.Fatalf("rejection without a proper code: %d %q", code, log)
			}
		}
		now := c.DB.Committed()
		if now.Height != committed.Height || !bytes.Equal(now.AppHash, committed.AppHash) {
			t.Fatalf("CheckTx moved committed state to height %d hash %X", now.Height, now.AppHash)
		}
		if got := c.Account(from.Addr); got.Sequence != 0 || got.Balance != 10_000_000 {
			t.Fatalf("CheckTx changed the committed account: %+v", got)
		}
	})
}
