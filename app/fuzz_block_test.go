package app_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// Bounds on what one fuzz input may build, so every execution stays a few milliseconds.
const (
	fuzzMaxBlocks      = 8
	fuzzMaxTxsPerBlock = 12
	fuzzMaxMsgsPerTx   = 3
	fuzzMaxString      = 48
)

// fuzzKeys are the signers of FuzzFinalizeBlock: four founding members, two candidates with no
// account, and one funded outsider who is not a member.
var fuzzKeys = func() []apptest.Key {
	var ks []apptest.Key
	for _, n := range []string{"fzf-0", "fzf-1", "fzf-2", "fzf-3", "fzc-0", "fzc-1", "fzo-0"} {
		ks = append(ks, apptest.NewKey(n))
	}
	return ks
}()

func fuzzGenesis() *app.GenesisState {
	g := apptest.ContribGenesis(50_000_000, fuzzKeys[:4]...)
	g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: fuzzKeys[6].Addr.String(), Balance: 1 << 62}) // large, with headroom: supply must stay below MaxUint64
	cp, mp := claims.DevnetParams(), members.DevnetParams()
	g.Claims.Params, g.Members.Params = &cp, &mp
	return g
}

// fuzzBytes reads the fuzz input; once it is used up every read returns zeros.
type fuzzBytes struct{ b []byte }

func (r *fuzzBytes) more() bool { return len(r.b) > 0 }

func (r *fuzzBytes) byte() byte {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *fuzzBytes) u16() uint16 { return uint16(r.byte())<<8 | uint16(r.byte()) }

func (r *fuzzBytes) u64() uint64 {
	var buf [8]byte
	n := copy(buf[:], r.b)
	r.b = r.b[n:]
	return binary.BigEndian.Uint64(buf[:])
}

// str is a string of up to fuzzMaxString raw bytes: empty, ASCII, UTF-8 or invalid UTF-8.
func (r *fuzzBytes) str() string {
	n := min(int(r.byte())%(fuzzMaxString+1), len(r.b))
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// fuzzChain is one run: a fresh chain and the txs' expected sequences.
type fuzzChain struct {
	*apptest.Chain
	claims uint64 // claims submitted so far (ids 1..claims)
}

// amount is a transfer amount: small, around a balance, or any uint64 (MaxUint64 included).
func (r *fuzzBytes) amount() uint64 {
	switch r.byte() % 4 {
	case 0:
		return uint64(r.u16())
	case 1:
		return uint64(r.u16()) * 1_000_000
	case 2:
		return 1<<64 - 1 - uint64(r.byte())
	default:
		return r.u64()
	}
}

func (c *fuzzChain) address(r *fuzzBytes) string {
	switch k := r.byte(); {
	case k < 240:
		return fuzzKeys[int(k)%len(fuzzKeys)].Addr.String()
	case k < 248:
		return r.str() // garbage
	default:
		return apptest.NewKey(fmt.Sprintf("fz-new-%d", k)).Addr.String() // an account that does not exist
	}
}

// claimTimes are a claim's bounds: relative to the coming block time, or raw int64s.
func (c *fuzzChain) claimTimes(r *fuzzBytes) (int64, int64) {
	now := c.Time.Add(c.BlockInterval).Unix()
	if r.byte()%8 == 0 {
		return int64(r.u64()), int64(r.u64())
	}
	end := now - int64(r.u16())*30
	return end - int64(r.u16()), end
}

func (c *fuzzChain) msg(r *fuzzBytes, kind byte) *auth.Msg {
	switch kind % 4 {
	case 0:
		return &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: c.address(r), Amount: r.amount()}}}
	case 1:
		handle := r.str()
		if r.byte()%2 == 0 {
			handle = fmt.Sprintf("fz-%d", r.byte())
		}
		return &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: c.address(r), Handle: handle}}}
	case 2:
		start, end := c.claimTimes(r)
		cats := claims.DefaultCategories()
		cat := cats[int(r.byte())%len(cats)]
		if r.byte()%8 == 0 {
			cat = r.str()
		}
		m := &claims.MsgSubmitClaim{Start: start, End: end, Category: cat, Summary: r.str()}
		for range r.byte() % 12 { // up to 11: beyond max_evidence (8) too
			m.Evidence = append(m.Evidence, &claims.Evidence{Uri: r.str(), Sha256: bytes.Repeat([]byte{1}, int(r.byte()%40))})
		}
		return &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: m}}
	default:
		id := 1 + uint64(r.byte())%(c.claims+2) // sometimes one past the last: not found
		if r.byte()%16 == 0 {
			id = r.u64()
		}
		v := claims.Verdict(r.byte() % 4) // 0 and 3 are not verdicts
		return &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: id, Verdict: v, Note: r.str()}}}
	}
}

// block decodes txs until an end-of-block op or the input ends. seqs are the signers' next
// sequences, advanced optimistically for each tx signed with the right one.
func (c *fuzzChain) block(tb testing.TB, r *fuzzBytes) [][]byte {
	seqs := make([]uint64, len(fuzzKeys))
	for i, k := range fuzzKeys {
		seqs[i] = c.Seq(k.Addr)
	}
	c.BlockInterval = time.Second
	var txs [][]byte
	for r.more() && len(txs) < fuzzMaxTxsPerBlock {
		op := r.byte()
		if op >= 0xf0 { // end of block; the low bits pick how far its time is past the previous block
			c.BlockInterval = []time.Duration{time.Second, 31 * time.Second, time.Hour, 25 * time.Hour}[op%4]
			break
		}
		if op >= 0xe8 { // raw bytes: whatever a byzantine proposer may include
			txs = append(txs, []byte(r.str()))
			continue
		}
		i := int(r.byte()) % len(fuzzKeys)
		body := &auth.TxBody{ChainId: apptest.ChainID, Sequence: seqs[i]}
		switch r.byte() % 16 {
		case 0:
			body.Sequence = max(seqs[i], 1) - 1 // replay
		case 1:
			body.Sequence += 1 + uint64(r.byte()%3) // gap
		case 2:
			body.ChainId = "other-chain"
		case 3:
			body.Memo = r.str()
		}
		body.Msgs = append(body.Msgs, c.msg(r, op)) // op's low bits pick the first message's kind
		for range int(op>>6) % fuzzMaxMsgsPerTx {
			body.Msgs = append(body.Msgs, c.msg(r, r.byte()))
		}
		raw, err := auth.Sign(fuzzKeys[i].Priv, body)
		if err != nil {
			tb.Fatal(err)
		}
		if body.ChainId == apptest.ChainID && body.Sequence == seqs[i] {
			seqs[i]++
		}
		txs = append(txs, raw)
	}
	return txs
}

// fuzzDB is one in-memory store per fuzzing process, wiped between inputs: opening a fresh Badger
// for every input would cost more than running it. KeepRecent exceeds any height an input reaches,
// so Badger's discard timestamp stays 0: after Wipe, commits restart at height 1, and Badger asserts
// (log.Fatal) on a commit below a discard timestamp it has already cleaned up to.
var fuzzDB *store.DB

func newFuzzChain(tb testing.TB) *fuzzChain {
	if fuzzDB == nil {
		db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 2 * fuzzMaxBlocks})
		if err != nil {
			tb.Fatal(err)
		}
		fuzzDB = db
	}
	if err := fuzzDB.Wipe(); err != nil {
		tb.Fatal(err)
	}
	a := app.New(fuzzDB, app.DefaultOptions())
	state, err := app.MarshalGenesis(fuzzGenesis())
	if err != nil {
		tb.Fatal(err)
	}
	hash, err := a.InitChain(apptest.ChainID, 1, apptest.GenesisTime, state, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &fuzzChain{Chain: &apptest.Chain{TB: tb, App: a, DB: fuzzDB, Time: apptest.GenesisTime,
		BlockInterval: time.Second, Hashes: [][]byte{hash}}}
}

// FuzzFinalizeBlock decodes the input into up to eight blocks of transfers, vouches, claims and
// attestations with fuzzed fields (amounts up to MaxUint64, raw int64 times, empty, unicode and
// invalid UTF-8 strings, too much evidence, bad verdicts, replays, gaps, other chains, raw garbage),
// signed by a fixed set of keys, and runs them through ProcessProposal and FinalizeBlock. No handler
// may panic (a recovered panic fails the tx with core/3, which counts as a crash here), every
// rejection carries a registered code, ProcessProposal accepts a block exactly when all its txs
// succeed, and the invariants hold after every block. Run it with go test ./app -fuzz
// FuzzFinalizeBlock; the seeds are in testdata/fuzz/FuzzFinalizeBlock.
func FuzzFinalizeBlock(f *testing.F) {
	f.Fuzz(fuzzBlocks)
}

func fuzzBlocks(t *testing.T, input []byte) {
	c := newFuzzChain(t)
	r := &fuzzBytes{b: input}
	for range fuzzMaxBlocks {
		if !r.more() {
			break
		}
		txs := c.block(t, r)
		fuzzRunBlock(t, c, txs)
	}
	// A day later every claim is final: minting and rejection run on whatever was built.
	c.BlockInterval = 25 * time.Hour
	fuzzRunBlock(t, c, nil)
}

func fuzzRunBlock(t *testing.T, c *fuzzChain, txs [][]byte) {
	t.Helper()
	next := c.Time.Add(c.BlockInterval)
	proposalErr := c.App.ProcessProposal(c.Height+1, next, txs)
	res := c.Block(txs...)
	allOK := true
	for i, tr := range res.TxResults {
		if tr.Err == nil {
			for _, e := range tr.Events {
				if e.Type == "claim_submitted" {
					c.claims++
				}
			}
			continue
		}
		allOK = false
		_, code, log := core.ABCIInfo(tr.Err)
		if code == core.ErrPanic.Code || code == core.ErrInternal.Code || log == "" {
			t.Fatalf("height %d tx %d: %q (code %d)", c.Height, i, log, code)
		}
	}
	if (proposalErr == nil) != allOK {
		t.Fatalf("height %d: ProcessProposal said %v but FinalizeBlock's txs all succeeded: %v", c.Height, proposalErr, allOK)
	}
	if err := c.Invariants(); err != nil {
		t.Fatalf("height %d: %v", c.Height, err)
	}
}
