package app_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
	"github.com/commonsledger/commons/x/projects"
)

// badSig flips one bit of a signed tx's signature.
func badSig(t *testing.T, raw []byte) []byte {
	t.Helper()
	var tx auth.Tx
	if err := tx.Unmarshal(raw); err != nil {
		t.Fatal(err)
	}
	tx.Signature[0] ^= 0x80
	return mustMarshal(t, &tx)
}

// TestRejectionPrecedence: a tx with several faults is refused for the first of them in runTx's order
// (decoding, chain id, signer account, sequence, [CheckTx: pending cap], signature, messages), with
// the same code in CheckTx, ProcessProposal and FinalizeBlock, whether FinalizeBlock verified its
// signature in a batch or not; and CheckTx verifies no signature for a tx refused before that step.
func TestRejectionPrecedence(t *testing.T) {
	f := newFoundation(t)
	a, b, carol := f.alice, f.bob, apptest.NewKey("order-carol") // carol has no account
	unknownBadSig := badSig(t, carol.Sign(t, apptest.ChainID, 0, apptest.Transfer(a.Addr, 1)))
	cases := []struct {
		name     string
		raw      []byte
		code     uint32
		verifies bool // CheckTx gets as far as the signature
	}{
		{"unknown signer and bad signature", unknownBadSig, 107, false},
		{"wrong chain id and bad signature", badSig(t, a.Sign(t, "other-chain", 1, apptest.Transfer(b.Addr, 1))), 104, false},
		{"reused sequence and bad signature", badSig(t, a.Sign(t, apptest.ChainID, 0, apptest.Transfer(b.Addr, 1))), 105, false},
		{"skipped sequence and bad signature", badSig(t, a.Sign(t, apptest.ChainID, 500, apptest.Transfer(b.Addr, 1))), 106, false}, // beyond the held window
		{"bad signature and zero amount", badSig(t, a.Sign(t, apptest.ChainID, 1, apptest.Transfer(b.Addr, 0))), 103, true},
		{"non-canonical, unknown signer and bad signature", append(bytes.Clone(unknownBadSig), 0x20, 0x01), 114, false},
	}
	// One block of all of them, then 16 of bob's valid txs, so that FinalizeBlock batch-verifies.
	block := make([][]byte, 0, len(cases)+16)
	for _, tc := range cases {
		block = append(block, tc.raw)
	}
	for seq := range uint64(16) {
		block = append(block, b.Sign(t, apptest.ChainID, seq, apptest.Transfer(a.Addr, 1)))
	}
	next := f.Time.Add(f.BlockInterval)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, v0 := f.App.SigStats()
			wantCode(t, f.App.CheckTx(tc.raw).Err, tc.code, "")
			if _, _, v := f.App.SigStats(); (v != v0) != tc.verifies {
				t.Fatalf("CheckTx verified %d signatures; want verification %v", v-v0, tc.verifies)
			}
			wantCode(t, f.App.ProcessProposal(f.Height+1, next, [][]byte{tc.raw}), tc.code, "")
		})
	}
	for _, txs := range [][][]byte{block[:len(cases)], block} {
		r, err := f.App.FinalizeBlock(f.Height+1, next, apptest.BlockHash(f.Height+1, txs), txs) // not committed: the next run redoes the height
		if err != nil {
			t.Fatal(err)
		}
		for i, tc := range cases {
			wantCode(t, r.TxResults[i].Err, tc.code, "")
		}
		for i := len(cases); i < len(txs); i++ {
			if err := r.TxResults[i].Err; err != nil {
				t.Fatalf("bob's tx %d: %v", i-len(cases), err)
			}
		}
	}
}

// TestCheckTxPendingCapBeforeSignature: the mempool's pending-tx cap is checked before the signature.
func TestCheckTxPendingCapBeforeSignature(t *testing.T) {
	a, b := apptest.NewKey("capsig-alice"), apptest.NewKey("capsig-bob")
	c := newChainWithOptions(t, app.Options{MaxPendingPerSender: 2}, apptest.Genesis(10_000_000, a, b))
	c.Block()
	for seq := range uint64(2) {
		if err := c.App.CheckTx(a.Sign(t, apptest.ChainID, seq, apptest.Transfer(b.Addr, 1))).Err; err != nil {
			t.Fatal(err)
		}
	}
	_, _, v0 := c.App.SigStats()
	wantCode(t, c.App.CheckTx(badSig(t, a.Sign(t, apptest.ChainID, 2, apptest.Transfer(b.Addr, 1)))).Err, 108, "already has 2 txs waiting")
	if _, _, v := c.App.SigStats(); v != v0 {
		t.Fatalf("a capped tx cost %d signature verifications", v-v0)
	}
}

// TestSigCacheHoldsOnlyPassedTxs: CheckTx caches a tx only when it passes, ProcessProposal caches the
// txs it verified and executed, FinalizeBlock uses the cache and then drops what it executed.
func TestSigCacheHoldsOnlyPassedTxs(t *testing.T) {
	f := newFoundation(t)
	e0, _, v0 := f.App.SigStats()
	stats := func(wantEntries int, wantVerified uint64) {
		t.Helper()
		if e, _, v := f.App.SigStats(); e != e0+wantEntries || v != v0+wantVerified {
			t.Fatalf("cache entries +%d and verifications +%d; want +%d and +%d", e-e0, v-v0, wantEntries, wantVerified)
		}
	}
	ok := f.alice.Sign(t, apptest.ChainID, 1, apptest.Transfer(f.bob.Addr, 1))
	if err := f.App.CheckTx(ok).Err; err != nil {
		t.Fatal(err)
	}
	stats(1, 1)
	if err := f.App.CheckTx(ok).Err; err == nil { // now a reused sequence: refused before the cache matters
		t.Fatal("the same tx was admitted twice")
	}
	stats(1, 1)
	// Verified, but fails in its message: not cached.
	wantCode(t, f.App.CheckTx(f.alice.Sign(t, apptest.ChainID, 2, apptest.Transfer(f.bob.Addr, 0))).Err, 201, "")
	stats(1, 2)
	// A tx the mempool never saw, verified and executed by ProcessProposal: cached for FinalizeBlock.
	fromBob := f.bob.Sign(t, apptest.ChainID, 0, apptest.Transfer(f.alice.Addr, 1))
	if err := f.App.ProcessProposal(f.Height+1, f.Time.Add(f.BlockInterval), [][]byte{ok, fromBob}); err != nil {
		t.Fatal(err)
	}
	stats(2, 3)
	for i, r := range f.Block(ok, fromBob).TxResults {
		if r.Err != nil {
			t.Fatalf("tx %d: %v", i, r.Err)
		}
	}
	stats(0, 3) // no verification in FinalizeBlock; both entries dropped once executed
}

// TestNonCanonicalTxRejected is hardening finding 5: re-encodings of a valid tx (an unknown field
// appended to the envelope; a body with a non-minimal varint, correctly signed) are refused with
// auth's code 114 in CheckTx, ProcessProposal and FinalizeBlock, and change nothing; the canonical tx
// then passes.
func TestNonCanonicalTxRejected(t *testing.T) {
	f := newFoundation(t)
	a, b := f.alice, f.bob
	valid := a.Sign(t, apptest.ChainID, 1, apptest.Transfer(b.Addr, 1))
	var tx auth.Tx
	if err := tx.Unmarshal(valid); err != nil {
		t.Fatal(err)
	}
	// The body's sequence field (tag 0x10, value 1) rewritten as the two-byte varint 0x81 0x00.
	i := bytes.Index(tx.BodyBytes, []byte{0x10, 0x01, 0x1a})
	if i < 0 {
		t.Fatalf("no sequence field in body %X", tx.BodyBytes)
	}
	longVarint := append(append(bytes.Clone(tx.BodyBytes[:i]), 0x10, 0x81, 0x00), tx.BodyBytes[i+2:]...)
	sig, err := a.Priv.Sign(auth.SignBytes(longVarint))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, phrase string
		raw          []byte
	}{
		{"unknown field appended to the envelope", "the envelope is", append(bytes.Clone(valid), 0x20, 0x01)},
		{"body with a non-minimal varint", "the body is",
			mustMarshal(t, &auth.Tx{BodyBytes: longVarint, PubKey: tx.PubKey, Signature: sig})},
	}
	const fix = "re-encode it with commonsd or a protobuf encoder"
	before, aliceBefore := f.Hashes[f.Height], f.Account(a.Addr)
	next := f.Time.Add(f.BlockInterval)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if dtx, err := auth.Decode(tc.raw); err == nil {
				t.Fatalf("decodes: %+v", dtx.Body)
			}
			wantCode(t, f.App.CheckTx(tc.raw).Err, 114, "tx is not canonically encoded: "+tc.phrase)
			wantCode(t, f.App.CheckTx(tc.raw).Err, 114, fix)
			wantCode(t, f.App.ProcessProposal(f.Height+1, next, [][]byte{tc.raw}), 114, tc.phrase)
		})
	}
	res := f.Block(cases[0].raw, cases[1].raw)
	for i, tc := range cases {
		wantCode(t, res.TxResults[i].Err, 114, tc.phrase)
	}
	if !bytes.Equal(res.AppHash, before) {
		t.Fatalf("app hash moved from %X to %X on a block of non-canonical txs", before, res.AppHash)
	}
	if got := f.Account(a.Addr); got != aliceBefore {
		t.Fatalf("alice changed: %+v -> %+v", aliceBefore, got)
	}
	if err := f.Block(valid).TxResults[0].Err; err != nil {
		t.Fatalf("the canonical tx: %v", err)
	}
}

// TestPendingAccountCountsTheMempool: /app/pending-account answers from the check state, so its
// sequence counts the signer's txs accepted by CheckTx and not yet committed (what a client signs
// its next tx with), while /bank/account keeps the committed sequence; after the block commits
// them, both agree.
func TestPendingAccountCountsTheMempool(t *testing.T) {
	a, b := apptest.NewKey("pending-alice"), apptest.NewKey("pending-bob")
	c := newChainWithOptions(t, app.Options{MaxPendingPerSender: 8}, apptest.Genesis(10_000_000, a, b))
	c.Block()
	var txs [][]byte
	for seq := range uint64(3) {
		var pending bank.QueryAccountResponse
		if err := c.Query("/app/pending-account/"+a.Addr.String(), nil, &pending); err != nil {
			t.Fatal(err)
		}
		if pending.Account.Sequence != seq {
			t.Fatalf("pending sequence %d with %d txs in the mempool", pending.Account.Sequence, seq)
		}
		tx := a.Sign(t, apptest.ChainID, pending.Account.Sequence, apptest.Transfer(b.Addr, 1))
		if err := c.App.CheckTx(tx).Err; err != nil {
			t.Fatal(err)
		}
		txs = append(txs, tx)
	}
	if got := c.Seq(a.Addr); got != 0 {
		t.Fatalf("committed sequence %d before any block", got)
	}
	var stranger bank.QueryAccountResponse
	if err := c.Query("/app/pending-account/"+apptest.NewKey("pending-nobody").Addr.String(), nil, &stranger); err != nil || stranger.Exists {
		t.Fatalf("an address with no account: exists %v, %v", stranger.Exists, err)
	}
	c.Block(txs...)
	var pending bank.QueryAccountResponse
	if err := c.Query("/app/pending-account/"+a.Addr.String(), nil, &pending); err != nil {
		t.Fatal(err)
	}
	if c.Seq(a.Addr) != 3 || pending.Account.Sequence != 3 {
		t.Fatalf("after the block: committed %d, pending %d; want 3 and 3", c.Seq(a.Addr), pending.Account.Sequence)
	}
}

// TestListQueriesBoundTheOffset: a listing over ABCI walks its index up to offset + limit entries
// under CometBFT's shared lock, so an offset beyond app.MaxQueryOffset is refused (902) on every
// list route; the bound itself is served.
func TestListQueriesBoundTheOffset(t *testing.T) {
	a := apptest.NewKey("offset-alice")
	c := newChainWithOptions(t, app.Options{}, apptest.Genesis(10_000_000, a))
	c.Block()
	for _, q := range []struct {
		path string
		req  interface{ Marshal() ([]byte, error) }
	}{
		{"/claims/claims", &claims.QueryClaimsRequest{Offset: app.MaxQueryOffset + 1}},
		{"/members/members", &members.QueryMembersRequest{Offset: app.MaxQueryOffset + 1}},
		{"/disputes/disputes", &disputes.QueryDisputesRequest{Offset: app.MaxQueryOffset + 1}},
		{"/gov/proposals", &gov.QueryProposalsRequest{Offset: app.MaxQueryOffset + 1}},
		{"/bank/history/" + a.Addr.String(), &bank.QueryHistoryRequest{Offset: app.MaxQueryOffset + 1}},
		{"/projects/projects", &projects.QueryProjectsRequest{Offset: app.MaxQueryOffset + 1}},
	} {
		data, _ := q.req.Marshal()
		if _, _, err := c.App.Query(q.path, data, 0); !errors.Is(err, app.ErrBadQuery) || !strings.Contains(err.Error(), "use filters") {
			t.Errorf("%s at offset %d: %v", q.path, app.MaxQueryOffset+1, err)
		}
	}
	data, _ := (&claims.QueryClaimsRequest{Offset: app.MaxQueryOffset}).Marshal()
	if _, _, err := c.App.Query("/claims/claims", data, 0); err != nil {
		t.Fatalf("offset %d: %v", app.MaxQueryOffset, err)
	}
}

// TestCheckStateSeesEachCommit: CheckTx remembers the accounts it read from one commit to the next
// (App.checkReads), and each commit's writes reach what it remembers: after a block spends most of
// alice's balance, CheckTx refuses what she no longer has, and sees what bob received.
func TestCheckStateSeesEachCommit(t *testing.T) {
	a, b := apptest.NewKey("seen-alice"), apptest.NewKey("seen-bob")
	c := newChainWithOptions(t, app.DefaultOptions(), apptest.Genesis(10_000_000, a, b))
	c.Block()
	spend := a.Sign(t, apptest.ChainID, 0, apptest.Transfer(b.Addr, 6_000_000))
	if err := c.App.CheckTx(spend).Err; err != nil { // reads (and remembers) alice's and bob's accounts
		t.Fatal(err)
	}
	c.Block(spend)
	wantCode(t, c.App.CheckTx(a.Sign(t, apptest.ChainID, 1, apptest.Transfer(b.Addr, 5_000_000))).Err, 202, "is 4 hours, below the 5 hours to send")
	if err := c.App.CheckTx(b.Sign(t, apptest.ChainID, 0, apptest.Transfer(a.Addr, 15_000_000))).Err; err != nil {
		t.Fatalf("bob spending what the block gave him: %v", err)
	}
}
