package app_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/core"
)

// TestAppMempool follows txs through the app-side mempool (mempool.type = "app"): CheckTx adds
// what it accepts or holds, in arrival order and once; the pool refuses past its size (115); each tx
// is handed out for gossip once; the proposal is built from the pool; and at each commit the
// included txs leave, the rest are rechecked on the new state, and a tx the block made invalid is
// dropped.
func TestAppMempool(t *testing.T) {
	c, a, b := poolChain(t, "pool", 4)
	tx := func(seq, amount uint64) []byte {
		return a.Sign(t, apptest.ChainID, seq, apptest.Transfer(b.Addr, amount))
	}
	bob := func(seq uint64) []byte { return b.Sign(t, apptest.ChainID, seq, apptest.Transfer(a.Addr, 1)) }
	a0, a1, a2 := tx(0, 1_000_000), tx(1, 1_000_000), tx(2, 1_000_000)
	propose := func() [][]byte {
		t.Helper()
		return c.App.PrepareProposal(c.Height+1, c.Time.Add(c.BlockInterval), nil, 1<<20)
	}

	for _, raw := range [][]byte{a0, a2, bob(0)} {
		if r := c.App.CheckTx(raw); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if r := c.App.CheckTx(a0); r.Err != nil || r.Note != "already in this node's mempool" {
		t.Fatalf("a tx sent twice: err %v note %q", r.Err, r.Note)
	}
	wantTxs(t, "first reap", c.App.ReapTxs(0), a0, a2, bob(0))
	wantTxs(t, "second reap", c.App.ReapTxs(0))
	if err := c.App.CheckTx(a1).Err; err != nil { // runs a2 behind it (promote)
		t.Fatal(err)
	}
	wantCode(t, c.App.CheckTx(bob(1)).Err, 115, "this node's mempool holds 4 txs")
	wantTxs(t, "reap after a1", c.App.ReapTxs(0), a1)
	// The proposal takes the pool in arrival order, each sender's txs in sequence order.
	wantTxs(t, "proposal", propose(), a0, bob(0), a1, a2)

	// A block with two of them: those leave; a2, held behind a1 at the recheck, runs again after it.
	c.Block(a0, bob(0))
	wantTxs(t, "after the first block", propose(), a1, a2)
	wantTxs(t, "nothing new to gossip", c.App.ReapTxs(0))
	// Another node's block used sequence 1 with a different tx: a1 is dropped, a2 is now next.
	other := tx(1, 2_000_000)
	c.Block(other)
	wantTxs(t, "after the conflicting block", propose(), a2)
	if err := c.App.CheckTx(bob(1)).Err; err != nil {
		t.Fatalf("room again after the commit: %v", err)
	}
	wantTxs(t, "reap of the new tx only", c.App.ReapTxs(0), bob(1))
	c.Block(propose()...)
	wantTxs(t, "empty after the block of everything", propose())
	if acc := c.Account(a.Addr); acc.Sequence != 3 {
		t.Fatalf("alice's sequence %d; want 3", acc.Sequence)
	}
}

// TestAppMempoolReapBytes: a reap stops at maxBytes (always handing out at least one tx), and the
// next one goes on from there.
func TestAppMempoolReapBytes(t *testing.T) {
	c, a, b := poolChain(t, "reap", 100)
	var all [][]byte
	for seq := range uint64(5) {
		raw := a.Sign(t, apptest.ChainID, seq, apptest.Transfer(b.Addr, 1))
		if err := c.App.CheckTx(raw).Err; err != nil {
			t.Fatal(err)
		}
		all = append(all, raw)
	}
	wantTxs(t, "two fit", c.App.ReapTxs(uint64(len(all[0])+len(all[1]))), all[0], all[1])
	wantTxs(t, "one too large still goes alone", c.App.ReapTxs(1), all[2])
	wantTxs(t, "the rest", c.App.ReapTxs(0), all[3], all[4])
}

// TestAppMempoolOff: without Options.Pool the app keeps no txs: the proposal is built from the txs
// CometBFT offers, and nothing is reaped.
func TestAppMempoolOff(t *testing.T) {
	a, b := apptest.NewKey("nopool-alice"), apptest.NewKey("nopool-bob")
	c := newChainWithOptions(t, app.DefaultOptions(), apptest.Genesis(10_000_000, a, b))
	c.Block()
	raw := a.Sign(t, apptest.ChainID, 0, apptest.Transfer(b.Addr, 1))
	if err := c.App.CheckTx(raw).Err; err != nil {
		t.Fatal(err)
	}
	wantTxs(t, "reap", c.App.ReapTxs(0))
	wantTxs(t, "proposal of nothing offered", c.App.PrepareProposal(c.Height+1, c.Time.Add(c.BlockInterval), nil, 1<<20))
	wantTxs(t, "proposal of the offered tx", c.App.PrepareProposal(c.Height+1, c.Time.Add(c.BlockInterval), [][]byte{raw}, 1<<20), raw)
}

// poolChain starts a chain whose app keeps a mempool of size txs, with two funded keys named after
// name, one block in.
func poolChain(t *testing.T, name string, size int) (c *apptest.Chain, a, b apptest.Key) {
	t.Helper()
	a, b = apptest.NewKey(name+"-alice"), apptest.NewKey(name+"-bob")
	opts := app.DefaultOptions()
	opts.Pool = app.PoolOptions{Size: size}
	c = newChainWithOptions(t, opts, apptest.Genesis(10_000_000, a, b))
	c.Block()
	return c, a, b
}

func wantTxs(t *testing.T, what string, got [][]byte, want ...[]byte) {
	t.Helper()
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		same = bytes.Equal(got[i], want[i])
	}
	if !same {
		t.Fatalf("%s: got %s; want %s", what, txNames(got, want), txNames(want, want))
	}
}

// txNames names each tx by its index in ref (or "?" if it is not there), for failure messages.
func txNames(txs, ref [][]byte) string {
	var names []string
	for _, tx := range txs {
		name := "?"
		for i, r := range ref {
			if bytes.Equal(tx, r) {
				name = fmt.Sprint(i)
			}
		}
		names = append(names, name)
	}
	return "[" + strings.Join(names, " ") + "]"
}

// TestAppMempoolInsertTx: txs from peers are queued and admitted together, at the next gossip round
// or when 256 have gathered, in arrival order; one with a bad signature is not admitted, and one from
// a key with no account costs no signature verification.
func TestAppMempoolInsertTx(t *testing.T) {
	a, b, stranger := apptest.NewKey("insert-alice"), apptest.NewKey("insert-bob"), apptest.NewKey("insert-stranger")
	opts := app.DefaultOptions()
	opts.Pool, opts.MaxPendingPerSender = app.PoolOptions{Size: 1000}, 300
	c := newChainWithOptions(t, opts, apptest.Genesis(10_000_000, a, b))
	c.Block()
	tx := func(seq uint64) []byte { return a.Sign(t, apptest.ChainID, seq, apptest.Transfer(b.Addr, 1)) }
	pending := func() uint64 { return c.App.PendingAccount(a.Addr).Account.Sequence }

	_, _, v0 := c.App.SigStats()
	if r := c.App.InsertTx(stranger.Sign(t, apptest.ChainID, 0, apptest.Transfer(a.Addr, 1))); r.Err != nil || r.Note != "" {
		t.Fatalf("a queued tx reports %v %q; want nothing yet", r.Err, r.Note)
	}
	wantTxs(t, "a stranger's tx", c.App.ReapTxs(0))
	if _, _, v := c.App.SigStats(); v != v0 {
		t.Fatalf("a tx from a key with no account cost %d signature verifications", v-v0)
	}

	var sent [][]byte
	for _, seq := range []uint64{1, 0, 2} { // seq 1 arrives first: held, then run behind seq 0
		sent = append(sent, tx(seq))
		c.App.InsertTx(sent[len(sent)-1])
	}
	c.App.InsertTx(badSig(t, b.Sign(t, apptest.ChainID, 0, apptest.Transfer(a.Addr, 1))))
	if got := pending(); got != 0 {
		t.Fatalf("pending sequence %d before the gossip round; want 0 (nothing admitted yet)", got)
	}
	wantTxs(t, "the gossip round admits the queue", c.App.ReapTxs(0), sent...)
	if got := pending(); got != 3 {
		t.Fatalf("pending sequence %d; want 3", got)
	}

	var batch [][]byte
	for seq := uint64(3); seq < 3+256; seq++ {
		batch = append(batch, tx(seq))
		c.App.InsertTx(batch[len(batch)-1])
	}
	if got := pending(); got != 259 {
		t.Fatalf("pending sequence %d after 256 queued txs; want 259 (admitted without waiting for a gossip round)", got)
	}
	wantTxs(t, "the batch", c.App.ReapTxs(0), batch...)
	c.Block(c.App.PrepareProposal(c.Height+1, c.Time.Add(c.BlockInterval), nil, 1<<20)...)
	if got := c.Seq(a.Addr); got != 259 {
		t.Fatalf("alice's sequence %d after the block; want 259", got)
	}
}

// TestAppMempoolWaitsForTheBlock: while consensus executes a block (here FinalizeBlock, held at its
// end of block), an RPC CheckTx waits for the step to end instead of competing with it for the
// cores, and gossip neither admits nor blocks: a full batch of InsertTx and a gossip round return at
// once and admit nothing. When the step ends, the CheckTx is answered and the queue admitted.
func TestAppMempoolWaitsForTheBlock(t *testing.T) {
	a, b := apptest.NewKey("step-alice"), apptest.NewKey("step-bob")
	opts := app.DefaultOptions()
	opts.Pool, opts.MaxPendingPerSender = app.PoolOptions{Size: 1000}, 300
	c := newChainWithOptions(t, opts, apptest.Genesis(10_000_000, a, b))
	c.Block()
	inStep, release := make(chan struct{}), make(chan struct{})
	c.App.OnEndBlock(func(*core.Context) {
		close(inStep)
		<-release
	})
	finalized := make(chan error, 1)
	go func() {
		_, err := c.App.FinalizeBlock(c.Height+1, c.Time.Add(c.BlockInterval), apptest.BlockHash(c.Height+1, nil), nil)
		finalized <- err
	}()
	<-inStep

	checked := make(chan core.TxResult, 1)
	go func() { checked <- c.App.CheckTx(a.Sign(t, apptest.ChainID, 0, apptest.Transfer(b.Addr, 1))) }()
	var gossiped [][]byte
	for seq := uint64(0); seq < 256; seq++ { // bob's: a full batch, which would be admitted at once
		gossiped = append(gossiped, b.Sign(t, apptest.ChainID, seq, apptest.Transfer(a.Addr, 1)))
		c.App.InsertTx(gossiped[seq])
	}
	wantTxs(t, "a gossip round during the block", c.App.ReapTxs(0))
	// The queue is bounded in bytes: the InsertTx that takes it to 4 MiB waits for the step to end.
	big := make(chan struct{})
	go func() {
		for range 64 {
			c.App.InsertTx(bytes.Repeat([]byte{0xff}, 64<<10)) // garbage, refused when admitted
		}
		close(big)
	}()
	select {
	case <-big:
		t.Fatal("InsertTx queued 4 MiB while the block was executing; want the last call to wait")
	case <-time.After(200 * time.Millisecond):
	}
	select {
	case r := <-checked:
		t.Fatalf("CheckTx answered (%v) while the block was executing; want it to wait", r.Err)
	case <-time.After(200 * time.Millisecond):
	}
	if n, _ := c.App.PoolSize(); n != 0 {
		t.Fatalf("%d txs admitted while the block was executing; want 0", n)
	}

	close(release)
	if err := <-finalized; err != nil {
		t.Fatal(err)
	}
	c.Height++
	c.Time = c.Time.Add(c.BlockInterval)
	if err := c.App.Commit(); err != nil {
		t.Fatal(err)
	}
	if r := <-checked; r.Err != nil {
		t.Fatalf("CheckTx after the block: %v", r.Err)
	}
	<-big // the queue admitted (the garbage refused) once the step ended
	if n, _ := c.App.PoolSize(); n != 257 {
		t.Fatalf("%d txs pooled after the block; want 257 (the CheckTx'd and the gossiped batch)", n)
	}
	for _, k := range []struct {
		key  apptest.Key
		want uint64
	}{{a, 1}, {b, 256}} {
		if got := c.App.PendingAccount(k.key.Addr).Account.Sequence; got != k.want {
			t.Fatalf("pending sequence %d; want %d", got, k.want)
		}
	}
}

// TestAppMempoolInboxWait: with PoolOptions.InboxWait, a gossip round leaves the queue alone until
// its oldest tx has waited that long, so the queue gathers a larger batch; a proposal admits the
// queue at once, so a queued tx is never kept out of a block.
func TestAppMempoolInboxWait(t *testing.T) {
	a, b := apptest.NewKey("wait-alice"), apptest.NewKey("wait-bob")
	opts := app.DefaultOptions()
	opts.Pool, opts.MaxPendingPerSender = app.PoolOptions{Size: 1000, InboxWait: 300 * time.Millisecond}, 200
	c := newChainWithOptions(t, opts, apptest.Genesis(10_000_000, a, b))
	c.Block()
	var sent [][]byte
	for seq := uint64(0); seq < 3; seq++ {
		sent = append(sent, a.Sign(t, apptest.ChainID, seq, apptest.Transfer(b.Addr, 1)))
		c.App.InsertTx(sent[seq])
	}
	wantTxs(t, "a gossip round before the wait", c.App.ReapTxs(0))
	if got := c.App.PendingAccount(a.Addr).Account.Sequence; got != 0 {
		t.Fatalf("pending sequence %d before the wait ended; want 0 (still queued)", got)
	}
	time.Sleep(300 * time.Millisecond)
	wantTxs(t, "a gossip round after the wait", c.App.ReapTxs(0), sent...)

	more := a.Sign(t, apptest.ChainID, 3, apptest.Transfer(b.Addr, 1))
	c.App.InsertTx(more)
	wantTxs(t, "the proposal admits the queue", c.App.PrepareProposal(c.Height+1, c.Time.Add(c.BlockInterval), nil, 1<<20), append(sent, more)...)
}

// TestAppMempoolConcurrentCheckTx: CheckTx calls made at once (as CometBFT makes the RPC's with the
// app-side mempool) are admitted together, each exactly once: every tx is accepted, every sender's
// pending sequence counts all of its txs, and each signature is verified once.
func TestAppMempoolConcurrentCheckTx(t *testing.T) {
	const senders, each = 8, 40
	keys := make([]apptest.Key, senders)
	for i := range keys {
		keys[i] = apptest.NewKey(fmt.Sprintf("together-%d", i))
	}
	opts := app.DefaultOptions()
	opts.Pool = app.PoolOptions{Size: 1000}
	c := newChainWithOptions(t, opts, apptest.Genesis(10_000_000, keys...))
	c.Block()
	txs := make([][][]byte, senders)
	for i, k := range keys {
		for seq := range uint64(each) {
			txs[i] = append(txs[i], k.Sign(t, apptest.ChainID, seq, apptest.Transfer(keys[(i+1)%senders].Addr, 1)))
		}
	}
	_, _, v0 := c.App.SigStats()
	var wg sync.WaitGroup
	errs := make(chan error, senders*each)
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, raw := range txs[i] { // one sender's txs in order, beside the others'
				if r := c.App.CheckTx(raw); r.Err != nil {
					errs <- r.Err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, k := range keys {
		if got := c.App.PendingAccount(k.Addr).Account.Sequence; got != each {
			t.Fatalf("%s: pending sequence %d; want %d", k.Addr, got, each)
		}
	}
	if n, _ := c.App.PoolSize(); n != senders*each {
		t.Fatalf("pool holds %d txs; want %d", n, senders*each)
	}
	if _, _, v := c.App.SigStats(); v-v0 != senders*each {
		t.Fatalf("%d signature verifications for %d txs; want one each", v-v0, senders*each)
	}
	// How the calls were grouped depends on the scheduler, so it is not asserted here; the rules
	// are (TestArrivalsGather, TestVerifyAllBatchesSmallSets).
	waits, batched := c.App.GatherStats()
	t.Logf("%d calls waited for others; %d of %d signatures verified in batches", waits, batched, senders*each)
}

// TestAppMempoolOneSenderNeverWaits: a sender that waits for each CheckTx answer before sending the
// next never overlaps itself, so no call waits for others to be admitted with it, however fast.
func TestAppMempoolOneSenderNeverWaits(t *testing.T) {
	keys := []apptest.Key{apptest.NewKey("alone-0"), apptest.NewKey("alone-1"), apptest.NewKey("alone-2"), apptest.NewKey("alone-3")}
	opts := app.DefaultOptions()
	opts.Pool = app.PoolOptions{Size: 1000}
	c := newChainWithOptions(t, opts, apptest.Genesis(10_000_000, keys...))
	c.Block()
	var txs [][]byte
	for seq := range uint64(50) { // four accounts' txs, interleaved, sent one after another
		for i, k := range keys {
			txs = append(txs, k.Sign(t, apptest.ChainID, seq, apptest.Transfer(keys[(i+1)%len(keys)].Addr, 1)))
		}
	}
	for _, raw := range txs {
		if r := c.App.CheckTx(raw); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if waits, batched := c.App.GatherStats(); waits != 0 || batched != 0 {
		t.Fatalf("one sender: %d calls waited for others, %d signatures batch-verified; want none", waits, batched)
	}
}

// TestAppMempoolDropsEveryTxABlockCarried: a tx a block carried leaves the pool even when it failed
// there, as CometBFT's mempool drops every committed tx: its result is in that block, and proposing
// the same bytes again would give one tx two results.
func TestAppMempoolDropsEveryTxABlockCarried(t *testing.T) {
	c, a, b := poolChain(t, "carried", 100)
	a0 := a.Sign(t, apptest.ChainID, 0, apptest.Transfer(b.Addr, 1))
	a1 := a.Sign(t, apptest.ChainID, 1, apptest.Transfer(b.Addr, 1))
	for _, raw := range [][]byte{a0, a1} {
		if err := c.App.CheckTx(raw).Err; err != nil {
			t.Fatal(err)
		}
	}
	res := c.Block(a1, a0) // out of order, as a byzantine proposer might: a1 fails, a0 passes
	wantCode(t, res.TxResults[0].Err, 106, "sequence 1")
	if res.TxResults[1].Err != nil {
		t.Fatal(res.TxResults[1].Err)
	}
	wantTxs(t, "after the block that carried both", c.App.PrepareProposal(c.Height+1, c.Time.Add(c.BlockInterval), nil, 1<<20))
}
