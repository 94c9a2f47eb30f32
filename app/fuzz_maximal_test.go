package app_test

import (
	"fmt"
	"strings"
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

// Bounds of FuzzMaximalBlocks: blocks of up to maxFuzzTxs maximal txs (about 23 MB of claims, more
// than the 20 MB that Badger takes in one transaction), from maxFuzzMembers members.
const (
	maxFuzzBlocks   = 4
	maxFuzzTxs      = 1500
	maxFuzzMembers  = 300
	maxFuzzBlockLen = 64 << 20 // PrepareProposal's byte budget here: the app's own limits must bind first
)

var maximalMembers = func() []apptest.Key {
	ks := make([]apptest.Key, maxFuzzMembers)
	for i := range ks {
		ks[i] = apptest.NewKey(fmt.Sprintf("fzm-%d", i))
	}
	return ks
}()

// maximalChain is one FuzzMaximalBlocks run.
type maximalChain struct {
	*apptest.Chain
	seqs    []uint64
	nextEnd []int64  // each member's next claim ends here; claims walk back so they never overlap
	claims  []uint64 // ids of submitted claims, in order
	fresh   int      // fresh accounts created so far
}

var maximalDB *store.DB

func newMaximalChain(tb testing.TB) *maximalChain {
	if maximalDB == nil {
		db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 4 * maxFuzzBlocks})
		if err != nil {
			tb.Fatal(err)
		}
		maximalDB = db
	}
	if err := maximalDB.Wipe(); err != nil {
		tb.Fatal(err)
	}
	g := apptest.ContribGenesis(1000*core.MicroPerHour, maximalMembers...)
	cp, mp := claims.DevnetParams(), members.DevnetParams()
	g.Claims.Params, g.Members.Params = &cp, &mp
	a := app.New(maximalDB, app.DefaultOptions())
	state, err := app.MarshalGenesis(g)
	if err != nil {
		tb.Fatal(err)
	}
	hash, err := a.InitChain(apptest.ChainID, 1, apptest.GenesisTime, state, nil)
	if err != nil {
		tb.Fatal(err)
	}
	c := &maximalChain{Chain: &apptest.Chain{TB: tb, App: a, DB: maximalDB, Time: apptest.GenesisTime,
		BlockInterval: time.Second, Hashes: [][]byte{hash}},
		seqs: make([]uint64, maxFuzzMembers), nextEnd: make([]int64, maxFuzzMembers)}
	for i := range c.nextEnd {
		c.nextEnd[i] = apptest.GenesisTime.Unix()
	}
	return c
}

// maximalTx is a tx of kind 0 (three claims with every bulky field at its maximum), 1 (the most
// attestations a tx carries, each with a maximal note) or 2 (the most transfers a tx carries, each
// opening a new account), signed by member m with its next sequence.
func (c *maximalChain) maximalTx(tb testing.TB, kind byte, m int) []byte {
	p := claims.DevnetParams()
	var msgs []*auth.Msg
	switch kind % 3 {
	case 0:
		for range 3 {
			end := c.nextEnd[m]
			c.nextEnd[m] -= 600
			msgs = append(msgs, apptest.MaximalClaim(apptest.ChainID, maximalMembers[m].Addr, time.Unix(end-600, 0), time.Unix(end, 0), fmt.Sprintf("m%d", m)))
		}
	case 1:
		for i := 0; i < auth.MaxMsgsPerTx && i < len(c.claims); i++ {
			id := c.claims[(m*7+i)%len(c.claims)]
			msgs = append(msgs, &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{
				ClaimId: id, Verdict: claims.Verdict(1 + (m+i)%2), Note: strings.Repeat("n", int(p.MaxNoteBytes))}}})
		}
	}
	if len(msgs) == 0 {
		for range auth.MaxMsgsPerTx {
			c.fresh++
			to := apptest.NewKey(fmt.Sprintf("fzm-fresh-%d", c.fresh)).Addr
			msgs = append(msgs, &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: to.String(), Amount: core.MicroPerHour}}})
		}
	}
	raw, err := auth.Sign(maximalMembers[m].Priv, &auth.TxBody{ChainId: apptest.ChainID, Sequence: c.seqs[m], Msgs: msgs,
		Memo: strings.Repeat("m", auth.MaxMemoBytes)})
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// FuzzMaximalBlocks builds a sequence of blocks of maximal txs (maximal claims, attestations with
// maximal notes, transfers opening accounts; the input picks the mix, the count up to 1,500 per block
// and the time between blocks) and drives each through PrepareProposal, ProcessProposal,
// FinalizeBlock and Commit as an honest proposer's block would go. Every block that the proposal
// steps accept must commit, execute every tx it holds, and keep the invariants; a last block a day
// later finalises every claim. It is the "any block consensus can decide commits" property.
// Run it with go test ./app -run '^$' -fuzz FuzzMaximalBlocks.
func FuzzMaximalBlocks(f *testing.F) {
	f.Add([]byte{0, 0, 10, 1, 0, 10, 2, 0, 10})
	f.Add([]byte{0, 0, 200, 1, 0, 250, 2, 1, 100, 0, 3, 50})
	f.Fuzz(func(t *testing.T, input []byte) {
		c := newMaximalChain(t)
		r := &fuzzBytes{b: input}
		for range maxFuzzBlocks {
			if !r.more() {
				break
			}
			kind := r.byte()
			c.BlockInterval = []time.Duration{time.Second, 31 * time.Second, time.Hour, 25 * time.Hour}[r.byte()%4]
			n := 1 + int(r.u16())%maxFuzzTxs
			c.maximalBlock(t, kind, n)
		}
		for range 4 { // a day later, and a few blocks more: every claim becomes final
			c.BlockInterval = 25 * time.Hour
			c.maximalBlock(t, 0, 0)
		}
	})
}

// maximalBlock proposes n maximal txs of the kind mix (kind 3+ mixes all three) and commits what the
// proposal keeps.
func (c *maximalChain) maximalBlock(t *testing.T, kind byte, n int) {
	t.Helper()
	var txs [][]byte
	for i := range n {
		k := kind
		if kind >= 3 {
			k = byte(i)
		}
		txs = append(txs, c.maximalTx(t, k, i%maxFuzzMembers))
		c.seqs[i%maxFuzzMembers]++ // optimistic: a member's later txs in this block follow this one
	}
	next := c.Time.Add(c.BlockInterval)
	kept := c.App.PrepareProposal(c.Height+1, next, txs, maxFuzzBlockLen)
	if err := c.App.ProcessProposal(c.Height+1, next, kept); err != nil {
		t.Fatalf("height %d: ProcessProposal refused the %d txs PrepareProposal kept of %d: %v", c.Height+1, len(kept), len(txs), err)
	}
	res := c.Block(kept...) // fails the test if FinalizeBlock or Commit fails
	for i, tr := range res.TxResults {
		if tr.Err != nil {
			t.Fatalf("height %d tx %d: kept by PrepareProposal but failed: %v", c.Height, i, tr.Err)
		}
		for _, e := range tr.Events {
			if e.Type != "claim_submitted" {
				continue
			}
			for _, a := range e.Attributes {
				if a.Key == "claim_id" {
					var id uint64
					fmt.Sscan(a.Value, &id)
					c.claims = append(c.claims, id)
				}
			}
		}
	}
	for i := range c.seqs {
		c.seqs[i] = c.Seq(maximalMembers[i].Addr)
	}
	if err := c.Invariants(); err != nil {
		t.Fatalf("height %d: %v", c.Height, err)
	}
}
