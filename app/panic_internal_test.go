package app

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// faultyReader makes the first read of a key under prefix panic with fault, and records that key:
// a test-only stand-in for a handler bug, injected under the block's state without any hook in
// production code. The prefix is a module's byte (core.PrefixClaims): the key layout under it is
// the module's own, so the test learns which key failed instead of building it.
type faultyReader struct {
	core.Reader
	prefix  []byte
	fault   func(key []byte) any
	faulted *[]byte
}

func (r faultyReader) Get(key []byte) ([]byte, bool) {
	if *r.faulted == nil && bytes.HasPrefix(key, r.prefix) {
		*r.faulted = bytes.Clone(key)
		panic(r.fault(key))
	}
	return r.Reader.Get(key)
}

type panicKey struct {
	priv ed25519.PrivKey
	addr core.Address
}

func newPanicKey(name string) panicKey {
	seed := sha256.Sum256([]byte("panic-test/" + name))
	priv := ed25519.GenPrivKeyFromSecret(seed[:])
	return panicKey{priv: priv, addr: core.AddressFromPubKey(priv.PubKey().Bytes())}
}

func (k panicKey) sign(t *testing.T, seq uint64, msgs ...*auth.Msg) []byte {
	t.Helper()
	raw, err := auth.Sign(k.priv, &auth.TxBody{ChainId: "panic-chain", Sequence: seq, Msgs: msgs})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

var panicGenesisTime = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// newPanicApp is a chain with two funded founding members, block 1 committed.
func newPanicApp(t *testing.T, keys ...panicKey) *App {
	t.Helper()
	db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	g := DefaultGenesis()
	for i, k := range keys {
		g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: k.addr.String(), Balance: 10_000_000})
		g.Members.Members = append(g.Members.Members, &members.Member{Address: k.addr.String(), Handle: fmt.Sprintf("panic-%d", i)})
	}
	state, err := MarshalGenesis(g)
	if err != nil {
		t.Fatal(err)
	}
	a := New(db, DefaultOptions())
	if _, err := a.InitChain("panic-chain", 1, panicGenesisTime, state, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.FinalizeBlock(1, panicGenesisTime.Add(time.Second), testBlockHash(1), nil); err != nil {
		t.Fatal(err)
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	return a
}

// finalizeFaulty runs block height with the first read under prefix answered by fault, then
// commits. It returns the block's results and the key whose read failed.
func finalizeFaulty(t *testing.T, a *App, height int64, prefix []byte, fault func([]byte) any, txs ...[]byte) (*core.BlockResult, []byte) {
	t.Helper()
	base := a.db.ReadLatest()
	var faulted []byte
	// FinalizeBlock continues a block state left one height below (as it does InitChain's).
	a.block = &blockState{base: base, reads: store.NewReadCache(base), kv: store.NewOverlay(faultyReader{Reader: base, prefix: prefix, fault: fault, faulted: &faulted}), height: height - 1}
	res, err := a.FinalizeBlock(height, panicGenesisTime.Add(time.Duration(height)*time.Second), testBlockHash(height), txs)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	return res, faulted
}

// TestHandlerPanicIsRecoveredDeterministically injects a panic into the attest handler (its first
// read of claims state, the claim, panics) on two independent apps. The attest tx fails with core/3 and the same log on
// both, the txs around it in the same block succeed, both apps commit the same app hash, and the
// chain goes on: the next block, without the fault, commits normally on both.
func TestHandlerPanicIsRecoveredDeterministically(t *testing.T) {
	alice, bob := newPanicKey("alice"), newPanicKey("bob")
	fault := func(key []byte) any { return fmt.Sprintf("injected fault reading %x", key) }
	var hashes [2][]byte
	for i := range hashes {
		a := newPanicApp(t, alice, bob)
		txs := [][]byte{
			alice.sign(t, 0, &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bob.addr.String(), Amount: 5}}}),
			bob.sign(t, 0, &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: 1, Verdict: claims.Verdict_VERDICT_APPROVE}}}),
			alice.sign(t, 1, &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bob.addr.String(), Amount: 6}}}),
		}
		res, faulted := finalizeFaulty(t, a, 2, []byte{core.PrefixClaims}, fault, txs...)
		if faulted == nil {
			t.Fatal("the attest handler read no claims state")
		}
		if res.TxResults[0].Err != nil || res.TxResults[2].Err != nil {
			t.Fatalf("txs around the panicking one failed: %v, %v", res.TxResults[0].Err, res.TxResults[2].Err)
		}
		_, code, log := core.ABCIInfo(res.TxResults[1].Err)
		want := "tx handler panicked: injected fault reading " + fmt.Sprintf("%x", faulted) + "; please report this as a bug"
		if code != core.ErrPanic.Code || log != want {
			t.Fatalf("panicking tx: code %d log %q; want %d %q", code, log, core.ErrPanic.Code, want)
		}
		if len(res.TxResults[1].Events) != 0 {
			t.Fatalf("panicking tx emitted %v", res.TxResults[1].Events)
		}
		hashes[i] = res.AppHash
		// The chain goes on, and bob's sequence 0 was not consumed by the failed tx.
		next, err := a.FinalizeBlock(3, panicGenesisTime.Add(3*time.Second), testBlockHash(3), [][]byte{
			bob.sign(t, 0, &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: alice.addr.String(), Amount: 1}}})})
		if err != nil || next.TxResults[0].Err != nil {
			t.Fatalf("block after the panic: %v %v", err, next.TxResults[0].Err)
		}
		if err := a.Commit(); err != nil {
			t.Fatal(err)
		}
		v := a.db.ReadLatest()
		if err := a.CheckInvariants(v); err != nil {
			t.Fatal(err)
		}
		v.Discard()
	}
	if !bytes.Equal(hashes[0], hashes[1]) {
		t.Fatalf("apps disagree after a recovered panic: %X vs %X", hashes[0], hashes[1])
	}
}

// TestStorageFailureStopsTheNode: a storage failure inside a handler (here an unreadable claim)
// is not a tx result. FinalizeBlock re-raises it, so the node stops instead of committing a block
// computed on state it could not read.
func TestStorageFailureStopsTheNode(t *testing.T) {
	alice, bob := newPanicKey("alice"), newPanicKey("bob")
	a := newPanicApp(t, alice, bob)
	fault := func(key []byte) any { return &core.FatalError{Err: fmt.Errorf("read %x: disk on fire", key)} }
	defer func() {
		r := recover()
		if fe, ok := r.(*core.FatalError); !ok || !strings.Contains(fe.Error(), "disk on fire") {
			t.Fatalf("FinalizeBlock did not stop on a storage failure: recovered %v", r)
		}
		if h, _ := a.Info(); h != 1 {
			t.Fatalf("committed height %d after the failure, want 1", h)
		}
	}()
	finalizeFaulty(t, a, 2, []byte{core.PrefixClaims}, fault,
		bob.sign(t, 0, &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: 1, Verdict: claims.Verdict_VERDICT_APPROVE}}}))
}
