package apptest

import (
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
)

// Exec runs one tx by k (signed with its next committed sequence) in the next block of c and
// returns its result.
func Exec(tb testing.TB, c *Chain, k Key, msgs ...*auth.Msg) core.TxResult {
	tb.Helper()
	return c.Block(c.Tx(k, msgs...)).TxResults[0]
}

// MustExec is Exec that fails the test if the tx fails.
func MustExec(tb testing.TB, c *Chain, k Key, msgs ...*auth.Msg) core.TxResult {
	tb.Helper()
	r := Exec(tb, c, k, msgs...)
	if r.Err != nil {
		tb.Fatalf("%s: %v", k.Name, r.Err)
	}
	return r
}

// WantErr asserts the registered code (codespace and number) of err and that its ABCI log
// contains every fragment.
func WantErr(tb testing.TB, err error, want *core.Error, fragments ...string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got success, want %s/%d %q", want.Codespace, want.Code, want.Desc)
	}
	space, code, log := core.ABCIInfo(err)
	if space != want.Codespace || code != want.Code {
		tb.Fatalf("got %s/%d %q, want %s/%d (%s)", space, code, log, want.Codespace, want.Code, want.Desc)
	}
	for _, f := range fragments {
		if !strings.Contains(log, f) {
			tb.Fatalf("log %q does not contain %q", log, f)
		}
	}
}

// LogOf is the ABCI log a user sees for err.
func LogOf(err error) string { _, _, log := core.ABCIInfo(err); return log }

// Event returns the attributes of the first event of type typ, or fails the test. It also checks
// that exactly the attributes core.Indexed names are indexed (so tx_search finds those).
func Event(tb testing.TB, events []abci.Event, typ string) map[string]string {
	tb.Helper()
	for _, e := range events {
		if e.Type == typ {
			m := map[string]string{}
			for _, a := range e.Attributes {
				if a.Index != core.Indexed(typ, a.Key) {
					tb.Errorf("event %s attribute %s: indexed %v, want %v", typ, a.Key, a.Index, core.Indexed(typ, a.Key))
				}
				m[a.Key] = a.Value
			}
			return m
		}
	}
	tb.Fatalf("no %s event in %v", typ, events)
	return nil
}
