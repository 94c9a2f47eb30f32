package app_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// foundation is apptest.Foundation under short names: a two-account chain on which alice has
// already used sequence 0 (so a replay can be shown): alice holds 9 hours at sequence 1, bob 11
// hours at sequence 0.
type foundation struct {
	*apptest.Chain
	alice, bob apptest.Key
}

func newFoundation(t *testing.T) *foundation {
	t.Helper()
	f := apptest.NewFoundation(t)
	return &foundation{Chain: f.Chain, alice: f.Alice, bob: f.Bob}
}

// rejectedTx is a tx every validity path must refuse, with the code and phrase the user sees.
type rejectedTx struct {
	name   string
	raw    []byte
	code   uint32
	phrase string
}

// rejectedTxs builds the "Must show 2" table against f's state: each tx is invalid on its own.
func rejectedTxs(t *testing.T, f *foundation) []rejectedTx {
	a, b := f.alice, f.bob
	signed := func(body *auth.TxBody) []byte {
		raw, err := auth.Sign(a.Priv, body)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	// A tx whose signature is one bit off.
	var badSig auth.Tx
	if err := badSig.Unmarshal(a.Sign(t, apptest.ChainID, 1, apptest.Transfer(b.Addr, 2))); err != nil {
		t.Fatal(err)
	}
	badSig.Signature[0] ^= 0x80
	// A correctly signed envelope whose body is not a TxBody.
	body := []byte{0xff, 0xff, 0xff, 0xff}
	sig, err := a.Priv.Sign(auth.SignBytes(body))
	if err != nil {
		t.Fatal(err)
	}
	malformed := auth.Tx{BodyBytes: body, PubKey: a.Priv.PubKey().Bytes(), Signature: sig}
	fresh := apptest.NewKey("fd-nobody").Addr
	badTo := &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: "0x8ba1f109551bd432803012645ac136ddd64dba72", Amount: 1}}}

	return []rejectedTx{
		{"wrong chain id", a.Sign(t, "other-chain", 1, apptest.Transfer(b.Addr, 1)),
			104, `wrong chain id: tx is for chain "other-chain" but this chain is "test-chain"`},
		{"bad signature", mustMarshal(t, &badSig),
			103, "signature verification failed: signature does not match body and key of " + a.Addr.String()},
		{"reused sequence", a.Sign(t, apptest.ChainID, 0, apptest.Transfer(b.Addr, 1)),
			105, "sequence already used: sequence 0 of " + a.Addr.String() + " was already used; the next one is 1"},
		{"skipped sequence", a.Sign(t, apptest.ChainID, 300, apptest.Transfer(b.Addr, 1)), // beyond the window CheckTx holds
			106, "sequence skipped: sequence 300 of " + a.Addr.String() + " skips ahead; the next one is 1"},
		{"malformed body", mustMarshal(t, &malformed),
			102, "malformed tx: body does not decode"},
		{"oversized tx", signed(&auth.TxBody{ChainId: apptest.ChainID, Sequence: 1,
			Msgs: []*auth.Msg{apptest.Transfer(b.Addr, 1)}, Memo: strings.Repeat("x", auth.MaxTxBytes)}),
			101, "tx too large: "},
		{"zero amount", a.Sign(t, apptest.ChainID, 1, apptest.Transfer(b.Addr, 0)),
			201, "amount must be positive: transfer of 0; send at least 1uhour (0.000001 hour)"},
		{"amount above balance", a.Sign(t, apptest.ChainID, 1, apptest.Transfer(b.Addr, 9_000_001)),
			202, "insufficient funds: balance of " + a.Addr.String() + " is 9 hours, below the 9.000001 hours to send"},
		{"unknown recipient format", a.Sign(t, apptest.ChainID, 1, badTo),
			2, `invalid address: "0x8ba1f109551bd432803012645ac136ddd64dba72" is not bech32`},
		{"too little to open an account", a.Sign(t, apptest.ChainID, 1, apptest.Transfer(fresh, 1)),
			207, "transfer too small to open an account: " + fresh.String() + " has no account; a transfer that opens an account must carry at least 1 hour (got 0.000001 hours)"},
	}
}

func mustMarshal(t *testing.T, m interface{ Marshal() ([]byte, error) }) []byte {
	t.Helper()
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantCode checks the ABCI code and log a user sees for err.
func wantCode(t *testing.T, err error, code uint32, phrase string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want code %d (%q)", code, phrase)
	}
	_, got, log := core.ABCIInfo(err)
	if got != code || !strings.Contains(log, phrase) {
		t.Fatalf("code %d log %q; want code %d saying %q", got, log, code, phrase)
	}
}

// TestCheckTxRejections is design issue "Must show 2": each bad tx gets its own stable code and a
// message that says what to fix.
func TestCheckTxRejections(t *testing.T) {
	f := newFoundation(t)
	cases := rejectedTxs(t, f)
	seen := map[uint32]string{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if prev, dup := seen[tc.code]; dup {
				t.Fatalf("code %d is shared with %q", tc.code, prev)
			}
			seen[tc.code] = tc.name
			wantCode(t, f.App.CheckTx(tc.raw).Err, tc.code, tc.phrase)
		})
	}
	// None of them left a trace in the check state: alice's next tx is still sequence 1.
	if err := f.App.CheckTx(f.alice.Sign(t, apptest.ChainID, 1, apptest.Transfer(f.bob.Addr, 1))).Err; err != nil {
		t.Fatalf("valid tx after the rejected ones: %v", err)
	}
}

func TestProcessProposalRejectsBlocksWithInvalidTxs(t *testing.T) {
	f := newFoundation(t)
	next := f.Time.Add(time.Second)
	// bob pays a third party, so the block's first tx leaves alice's account as it is.
	fromBob := f.bob.Sign(t, apptest.ChainID, 0, apptest.Transfer(apptest.NewKey("fd-carol").Addr, core.MicroPerHour))
	if err := f.App.ProcessProposal(f.Height+1, next, [][]byte{fromBob}); err != nil {
		t.Fatalf("a block of one valid tx is rejected: %v", err)
	}
	for _, tc := range rejectedTxs(t, f) {
		t.Run(tc.name, func(t *testing.T) {
			err := f.App.ProcessProposal(f.Height+1, next, [][]byte{fromBob, tc.raw})
			wantCode(t, err, tc.code, tc.phrase)
			if !strings.HasPrefix(err.Error(), "tx 1: ") {
				t.Fatalf("error %q does not name the offending tx", err)
			}
		})
	}
}

func TestFinalizeBlockInvalidTxsChangeNothing(t *testing.T) {
	f := newFoundation(t)
	cases := rejectedTxs(t, f)
	txs := make([][]byte, len(cases))
	for i, tc := range cases {
		txs[i] = tc.raw
	}
	before := f.Hashes[f.Height]
	aliceBefore, bobBefore := f.Account(f.alice.Addr), f.Account(f.bob.Addr)
	supplyBefore := supplyOf(t, f.Chain)

	res := f.Block(txs...)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := res.TxResults[i]
			wantCode(t, r.Err, tc.code, tc.phrase)
			if len(r.Events) != 0 {
				t.Fatalf("failed tx reports events %v", r.Events)
			}
		})
	}
	if !bytes.Equal(res.AppHash, before) {
		t.Fatalf("app hash moved from %X to %X on a block of failing txs", before, res.AppHash)
	}
	if got := f.Account(f.alice.Addr); got != aliceBefore {
		t.Fatalf("alice changed: %+v -> %+v", aliceBefore, got)
	}
	if got := f.Account(f.bob.Addr); got != bobBefore {
		t.Fatalf("bob changed: %+v -> %+v", bobBefore, got)
	}
	if got := supplyOf(t, f.Chain); got != supplyBefore {
		t.Fatalf("supply changed: %+v -> %+v", supplyBefore, got)
	}
}

func supplyOf(t *testing.T, c *apptest.Chain) bank.Supply {
	t.Helper()
	var s bank.Supply
	if err := c.Query("/bank/supply", nil, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPrepareProposalDropsInvalidKeepsOrder(t *testing.T) {
	f := newFoundation(t)
	a, b := f.alice, f.bob
	v1 := a.Sign(t, apptest.ChainID, 1, apptest.Transfer(b.Addr, 1_000_000))
	v2 := b.Sign(t, apptest.ChainID, 0, apptest.Transfer(a.Addr, 500_000))
	v3 := a.Sign(t, apptest.ChainID, 2, apptest.Transfer(b.Addr, 2_000_000))
	var in [][]byte
	for i, tc := range rejectedTxs(t, f) {
		in = append(in, tc.raw)
		switch i { // interleave the valid txs, in their sequence order
		case 1:
			in = append(in, v1)
		case 4:
			in = append(in, v2)
		case 6:
			in = append(in, v3)
		}
	}
	got := f.App.PrepareProposal(f.Height+1, f.Time.Add(time.Second), in, 1<<20)
	want := [][]byte{v1, v2, v3}
	if len(got) != len(want) {
		t.Fatalf("proposal has %d txs, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("proposal tx %d is not valid tx %d", i, i+1)
		}
	}
	if err := f.App.ProcessProposal(f.Height+1, f.Time.Add(time.Second), got); err != nil {
		t.Fatalf("our own proposal is rejected: %v", err)
	}
	// Executing the proposal gives the balances the three transfers imply.
	res := f.Block(got...)
	for i, r := range res.TxResults {
		if r.Err != nil {
			t.Fatalf("tx %d: %v", i, r.Err)
		}
	}
	if ab, bb := f.Account(a.Addr).Balance, f.Account(b.Addr).Balance; ab != 6_500_000 || bb != 13_500_000 {
		t.Fatalf("balances alice %d bob %d, want 6500000 and 13500000", ab, bb)
	}
}

func TestPrepareProposalRespectsMaxBytes(t *testing.T) {
	f := newFoundation(t)
	v1 := f.alice.Sign(t, apptest.ChainID, 1, apptest.Transfer(f.bob.Addr, 1))
	v2 := f.bob.Sign(t, apptest.ChainID, 0, apptest.Transfer(f.alice.Addr, 1))
	got := f.App.PrepareProposal(f.Height+1, f.Time.Add(time.Second), [][]byte{v1, v2}, int64(len(v1)+len(v2)-1))
	if len(got) != 1 || !bytes.Equal(got[0], v1) {
		t.Fatalf("with room for one tx the proposal has %d txs", len(got))
	}
}

// TestCheckTxChainsPendingTxs: the mempool accepts a sender's next txs before a commit, and sees
// the balance they leave.
func TestCheckTxChainsPendingTxs(t *testing.T) {
	f := newFoundation(t) // alice: 9 hours, next sequence 1
	a, b := f.alice, f.bob
	steps := []struct {
		name   string
		seq    uint64
		amount uint64
		code   uint32
		phrase string
	}{
		{"seq 1", 1, 4_000_000, 0, ""},
		{"seq 2", 2, 4_000_000, 0, ""},
		{"seq 3 exceeds what is left", 3, 4_000_000, 202, "balance of " + a.Addr.String() + " is 1 hour, below the 4 hours to send"},
		{"seq 3 within what is left", 3, 1_000_000, 0, ""},
		{"seq 2 again", 2, 1, 105, "sequence 2 of " + a.Addr.String() + " was already used; the next one is 4"},
		{"seq 5 skips 4: held", 5, 1, 0, ""},
		{"seq 70 skips 4, beyond the pending window", 70, 1, 106, "the next one is 4"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			err := f.App.CheckTx(a.Sign(t, apptest.ChainID, s.seq, apptest.Transfer(b.Addr, s.amount))).Err
			if s.code == 0 {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			wantCode(t, err, s.code, s.phrase)
		})
	}
	// CheckTx never touches committed state.
	if got := f.Account(a.Addr); got.Sequence != 1 || got.Balance != 9_000_000 {
		t.Fatalf("committed alice changed by CheckTx: %+v", got)
	}
}

// TestCheckTxMempoolCap: a sender may have MaxPendingPerSender txs beyond its committed sequence;
// the cap moves with each commit.
func TestCheckTxMempoolCap(t *testing.T) {
	a, b := apptest.NewKey("cap-alice"), apptest.NewKey("cap-bob")
	c := newChainWithOptions(t, app.Options{MaxPendingPerSender: 3}, apptest.Genesis(10_000_000, a, b))
	c.Block() // commit genesis so the mempool sees the accounts
	tx := func(seq uint64) []byte { return a.Sign(t, apptest.ChainID, seq, apptest.Transfer(b.Addr, 1)) }
	capMsg := "too many pending txs from this sender: " + a.Addr.String() + " already has 3 txs waiting; wait for them to commit"

	for seq := range uint64(3) {
		if err := c.App.CheckTx(tx(seq)).Err; err != nil {
			t.Fatalf("seq %d: %v", seq, err)
		}
	}
	wantCode(t, c.App.CheckTx(tx(3)).Err, 108, capMsg)
	if err := c.App.CheckTx(b.Sign(t, apptest.ChainID, 0, apptest.Transfer(a.Addr, 1))).Err; err != nil {
		t.Fatalf("another sender is capped too: %v", err)
	}

	c.Block(tx(0))
	// CometBFT rechecks what is left in the mempool after a commit.
	for _, seq := range []uint64{1, 2} {
		if err := c.App.CheckTx(tx(seq)).Err; err != nil {
			t.Fatalf("recheck seq %d: %v", seq, err)
		}
	}
	if err := c.App.CheckTx(tx(3)).Err; err != nil {
		t.Fatalf("seq 3 still capped after seq 0 committed: %v", err)
	}
	wantCode(t, c.App.CheckTx(tx(4)).Err, 108, capMsg)
}

// newChainWithOptions is apptest.NewChain with non-default app options.
func newChainWithOptions(t *testing.T, opts app.Options, g *app.GenesisState) *apptest.Chain {
	t.Helper()
	db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 100})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := app.New(db, opts)
	state, err := app.MarshalGenesis(g)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := a.InitChain(apptest.ChainID, 1, apptest.GenesisTime, state, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &apptest.Chain{TB: t, App: a, DB: db, Time: apptest.GenesisTime, BlockInterval: time.Second, Hashes: [][]byte{hash}}
}
