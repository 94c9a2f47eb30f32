package apptest

import "testing"

// Foundation is a two-account chain on which Alice has already used sequence 0 (so a replay can be
// shown): Alice holds 9 hours at sequence 1, Bob 11 hours at sequence 0.
type Foundation struct {
	*Chain
	Alice, Bob Key
}

// NewFoundation starts a Foundation chain; its first block holds Alice's transfer of 1 hour to Bob.
func NewFoundation(tb testing.TB) *Foundation {
	tb.Helper()
	f := &Foundation{Alice: NewKey("fd-alice"), Bob: NewKey("fd-bob")}
	f.Chain = NewChain(tb, "", Genesis(10_000_000, f.Alice, f.Bob))
	if err := f.Block(f.Alice.Sign(tb, ChainID, 0, Transfer(f.Bob.Addr, 1_000_000))).TxResults[0].Err; err != nil {
		tb.Fatal(err)
	}
	return f
}
