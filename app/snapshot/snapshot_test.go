package snapshot

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/bank"
)

var (
	alice, bob, erin = apptest.NewKey("alice"), apptest.NewKey("bob"), apptest.NewKey("erin")
	outsider         = apptest.NewKey("outsider")
)

// testChunkSize is small so that the test state spans several chunks.
const testChunkSize = 512

// busyChain runs transfers and a full contribution loop (vouches, a claim, approvals, a verified
// mint) so that every module has state in the snapshot.
func busyChain(t *testing.T) *apptest.Chain {
	t.Helper()
	g := apptest.ContribGenesis(10_000_000, alice, bob)
	g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: outsider.Addr.String(), Balance: 5_000_000})
	c := apptest.NewChain(t, "", g)
	must := func(res []error) {
		t.Helper()
		for _, err := range res {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	block := func(txs ...[]byte) {
		t.Helper()
		var errs []error
		for _, r := range c.Block(txs...).TxResults {
			errs = append(errs, r.Err)
		}
		must(errs)
	}
	block(c.Tx(alice, apptest.Transfer(outsider.Addr, 1_250_000)), c.Tx(outsider, apptest.Transfer(bob.Addr, 300_000)))
	block(c.Tx(alice, apptest.Vouch(erin, "erin")))
	block(c.Tx(bob, apptest.Vouch(erin, "")))
	c.Settle(3 * time.Hour) // erin claims time since she joined
	start := c.Time.Add(-2 * time.Hour)
	block(c.Tx(erin, apptest.SubmitClaim(start, start.Add(90*time.Minute), "care", "evening shift at the shelter")))
	block(c.Tx(alice, apptest.Approve(1)), c.Tx(bob, apptest.Approve(1)))
	c.BlockInterval = 7 * 24 * time.Hour
	block() // past the attestation window: the claim is verified and minted
	c.BlockInterval = time.Second
	block(c.Tx(erin, apptest.Transfer(alice.Addr, 500_000)))
	return c
}

func newManager(t *testing.T, db *store.DB, a Restorer, opts Options) *Manager {
	t.Helper()
	if opts.ChunkSize == 0 {
		opts.ChunkSize = testChunkSize
	}
	m, err := New(filepath.Join(t.TempDir(), "snapshots"), db, a, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// freshNode is an empty store with an app on it, as a node that is about to state sync has.
func freshNode(t *testing.T) (*store.DB, *app.App, *Manager) {
	t.Helper()
	db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 100})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := app.New(db, app.DefaultOptions())
	return db, a, newManager(t, db, a, Options{})
}

// snapshotAt takes a snapshot of the chain's current height and returns its descriptor.
func snapshotAt(t *testing.T, c *apptest.Chain) (*Manager, Descriptor) {
	t.Helper()
	m := newManager(t, c.DB, c.App, Options{KeepRecent: 2})
	if err := m.Take(c.Height); err != nil {
		t.Fatal(err)
	}
	list := m.List()
	if len(list) != 1 || list[0].Height != uint64(c.Height) || list[0].Format != Format {
		t.Fatalf("List after one snapshot at %d: %+v", c.Height, list)
	}
	if list[0].Chunks < 3 {
		t.Fatalf("snapshot has %d chunks; the test wants several", list[0].Chunks)
	}
	return m, list[0]
}

// applyAll feeds chunks to dst in order and returns the result of the last one.
func applyAll(t *testing.T, dst *Manager, chunks [][]byte) ApplyResult {
	t.Helper()
	var res ApplyResult
	for i, ch := range chunks {
		res = dst.ApplyChunk(uint32(i), ch, "peer1")
		if res.Status != ApplyAccept && i < len(chunks)-1 {
			t.Fatalf("chunk %d: %+v", i, res)
		}
	}
	return res
}

func loadChunks(t *testing.T, m *Manager, d Descriptor) [][]byte {
	t.Helper()
	out := make([][]byte, d.Chunks)
	for i := range out {
		if out[i] = m.LoadChunk(d.Height, d.Format, uint32(i)); out[i] == nil {
			t.Fatalf("chunk %d of snapshot %d not served", i, d.Height)
		}
	}
	return out
}

func pairs(r interface {
	Iterate([]byte, []byte, bool, func(k, v []byte) bool)
}) []string {
	var out []string
	r.Iterate(nil, nil, false, func(k, v []byte) bool {
		out = append(out, fmt.Sprintf("%x=%x", k, v))
		return true
	})
	return out
}

// TestSnapshotRestoreRoundTrip: snapshot a busy chain, restore it into a fresh store, and get the
// same pairs, app hash, chain id and query answers; then both execute the next block alike.
func TestSnapshotRestoreRoundTrip(t *testing.T) {
	c := busyChain(t)
	h := c.Height
	src, d := snapshotAt(t, c)
	next := c.Tx(alice, apptest.Transfer(bob.Addr, 1))
	c.Block(next) // the source moves on; the snapshot stays at h

	dstDB, dstApp, dst := freshNode(t)
	if got := dst.Offer(d, c.Hashes[h]); got != OfferAccept {
		t.Fatalf("Offer = %v, want accept", got)
	}
	if res := applyAll(t, dst, loadChunks(t, src, d)); res.Status != ApplyAccept {
		t.Fatalf("last chunk: %+v", res)
	}

	want, err := c.DB.ReadAt(h)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Discard()
	got := dstDB.ReadLatest()
	defer got.Discard()
	wp, gp := pairs(want), pairs(got)
	if len(wp) == 0 || len(wp) != len(gp) {
		t.Fatalf("restored %d pairs, source has %d", len(gp), len(wp))
	}
	for i := range wp {
		if wp[i] != gp[i] {
			t.Fatalf("pair %d: restored %s, source %s", i, gp[i], wp[i])
		}
	}
	if gh, hash := dstApp.Info(); gh != h || !bytes.Equal(hash, c.Hashes[h]) {
		t.Fatalf("Info after restore = (%d, %X), want (%d, %X)", gh, hash, h, c.Hashes[h])
	}
	if dstApp.ChainID() != apptest.ChainID {
		t.Fatalf("chain id after restore %q", dstApp.ChainID())
	}
	srcMeta, _ := c.DB.MetaAt(h)
	if m := dstDB.Committed(); m.Time != srcMeta.Time {
		t.Fatalf("restored block time %d, want %d", m.Time, srcMeta.Time)
	}
	for _, path := range []string{"/app/supply", "/claims/claim/1", "/members/members", "/bank/account/" + erin.Addr.String(),
		"/bank/account/" + outsider.Addr.String()} {
		wantBz, _, werr := c.App.Query(path, nil, h)
		gotBz, gotH, gerr := dstApp.Query(path, nil, h)
		if werr != nil || gerr != nil || gotH != h || !bytes.Equal(wantBz, gotBz) {
			t.Fatalf("query %s at %d: restored (%x, %v), source (%x, %v)", path, h, gotBz, gerr, wantBz, werr)
		}
	}
	if err := dstApp.CheckInvariants(got); err != nil {
		t.Fatal(err)
	}

	// Following blocks: the restored app accepts and executes block h+1 exactly as the source did.
	if r := dstApp.CheckTx(next); r.Err != nil {
		t.Fatalf("CheckTx on the restored app: %v", r.Err)
	}
	res, err := dstApp.FinalizeBlock(h+1, c.Time, apptest.BlockHash(h+1, [][]byte{next}), [][]byte{next})
	if err != nil {
		t.Fatal(err)
	}
	if err := dstApp.Commit(); err != nil {
		t.Fatal(err)
	}
	if res.TxResults[0].Err != nil || !bytes.Equal(res.AppHash, c.Hashes[h+1]) {
		t.Fatalf("block %d on the restored app: tx %v, app hash %X, source %X", h+1, res.TxResults[0].Err, res.AppHash, c.Hashes[h+1])
	}
}

// TestApplyChunkRefusesCorruptChunk: a chunk that does not match its hash in the metadata is
// refused, fetched again and its sender rejected; nothing of it reaches the store, and the
// restore completes once the right bytes arrive.
func TestApplyChunkRefusesCorruptChunk(t *testing.T) {
	c := busyChain(t)
	src, d := snapshotAt(t, c)
	chunks := loadChunks(t, src, d)
	dstDB, dstApp, dst := freshNode(t)
	if got := dst.Offer(d, c.Hashes[c.Height]); got != OfferAccept {
		t.Fatalf("Offer = %v", got)
	}
	if res := dst.ApplyChunk(0, chunks[0], "good"); res.Status != ApplyAccept {
		t.Fatalf("chunk 0: %+v", res)
	}
	for _, tc := range []struct {
		name  string
		chunk []byte
	}{
		{"flipped bit", flip(chunks[1])},
		{"truncated", chunks[1][:len(chunks[1])-1]},
		{"empty", nil},
		{"another chunk", chunks[2]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := dst.ApplyChunk(1, tc.chunk, "evil")
			if res.Status != ApplyRetry || len(res.Refetch) != 1 || res.Refetch[0] != 1 ||
				len(res.RejectSenders) != 1 || res.RejectSenders[0] != "evil" {
				t.Fatalf("corrupt chunk 1: %+v, want retry, refetch [1], reject [evil]", res)
			}
			if h, _ := dstApp.Info(); h != 0 {
				t.Fatalf("Info height %d during restore", h)
			}
		})
	}
	for i := 1; i < len(chunks); i++ {
		if res := dst.ApplyChunk(uint32(i), chunks[i], "good"); res.Status != ApplyAccept {
			t.Fatalf("chunk %d after the retry: %+v", i, res)
		}
	}
	if m := dstDB.Committed(); m.Height != c.Height || !bytes.Equal(m.AppHash, c.Hashes[c.Height]) {
		t.Fatalf("after restore: height %d hash %X", m.Height, m.AppHash)
	}
}

func flip(b []byte) []byte {
	out := bytes.Clone(b)
	out[len(out)/2] ^= 0x01
	return out
}

// TestRestoreRejectsStateNotMatchingAppHash: a snapshot whose data does not reproduce the app
// hash CometBFT verified is rejected, and the store is left empty with nothing to be found.
func TestRestoreRejectsStateNotMatchingAppHash(t *testing.T) {
	c := busyChain(t)
	src, d := snapshotAt(t, c)
	chunks := loadChunks(t, src, d)
	h := c.Height

	t.Run("metadata lattice is not the app hash", func(t *testing.T) {
		db, _, dst := freshNode(t)
		if got := dst.Offer(d, c.Hashes[h-1]); got != OfferReject {
			t.Fatalf("Offer with the app hash of another height = %v, want reject", got)
		}
		wantEmpty(t, db)
	})

	t.Run("data is not the metadata's lattice", func(t *testing.T) {
		// A dishonest producer keeps the real lattice (so the offer passes) but serves other data,
		// with chunk hashes that match that data.
		forged, forgedChunks := forge(t, d, chunks)
		db, a, dst := freshNode(t)
		if got := dst.Offer(forged, c.Hashes[h]); got != OfferAccept {
			t.Fatalf("Offer = %v, want accept (the lattice is genuine)", got)
		}
		if res := applyAll(t, dst, forgedChunks); res.Status != ApplyRejectSnapshot {
			t.Fatalf("last chunk of forged data: %+v, want reject snapshot", res)
		}
		wantEmpty(t, db)
		if gh, _ := a.Info(); gh != 0 {
			t.Fatalf("Info height %d after a rejected restore", gh)
		}
		// The same node then restores the genuine snapshot.
		if got := dst.Offer(d, c.Hashes[h]); got != OfferAccept {
			t.Fatalf("Offer of the genuine snapshot = %v", got)
		}
		if res := applyAll(t, dst, chunks); res.Status != ApplyAccept {
			t.Fatalf("genuine snapshot: %+v", res)
		}
		if gh, hash := a.Info(); gh != h || !bytes.Equal(hash, c.Hashes[h]) {
			t.Fatalf("Info after the genuine restore = (%d, %X)", gh, hash)
		}
	})
}

// forge changes one value in the last chunk and re-signs the chunk hashes, keeping the lattice.
func forge(t *testing.T, d Descriptor, chunks [][]byte) (Descriptor, [][]byte) {
	t.Helper()
	md, err := DecodeMetadata(d.Metadata)
	if err != nil {
		t.Fatal(err)
	}
	last := len(chunks) - 1
	var out []byte
	if err := decodePairs(chunks[last], func(k, v []byte) error {
		out = appendPair(out, k, append(bytes.Clone(v), 0x00))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	forged := append(append([][]byte(nil), chunks[:last]...), out)
	md.ChunkHashes[last] = sha256.Sum256(out)
	return describe(md.Encode(), md), forged
}

func wantEmpty(t *testing.T, db *store.DB) {
	t.Helper()
	if m := db.Committed(); m.Height != 0 {
		t.Fatalf("committed height %d, want 0", m.Height)
	}
	if db.HasOrphans() {
		t.Fatal("restored pairs left behind in the store")
	}
}

func TestOfferRejects(t *testing.T) {
	c := busyChain(t)
	_, d := snapshotAt(t, c)
	hash := c.Hashes[c.Height]
	with := func(f func(*Descriptor)) Descriptor {
		x := d
		x.Metadata = bytes.Clone(d.Metadata)
		f(&x)
		return x
	}
	for _, tc := range []struct {
		name string
		d    Descriptor
		want OfferResult
	}{
		{"format 2", with(func(x *Descriptor) { x.Format = 2 }), OfferRejectFormat},
		{"garbage metadata", with(func(x *Descriptor) { x.Metadata = []byte("hello") }), OfferReject},
		{"empty metadata", with(func(x *Descriptor) { x.Metadata = nil }), OfferReject},
		{"truncated metadata", with(func(x *Descriptor) { x.Metadata = x.Metadata[:len(x.Metadata)-1] }), OfferReject},
		{"other height", with(func(x *Descriptor) { x.Height++ }), OfferReject},
		{"other chunk count", with(func(x *Descriptor) { x.Chunks++ }), OfferReject},
		{"hash is not of the metadata", with(func(x *Descriptor) { x.Hash = bytes.Repeat([]byte{1}, 32) }), OfferReject},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _, dst := freshNode(t)
			if got := dst.Offer(tc.d, hash); got != tc.want {
				t.Fatalf("Offer = %v, want %v", got, tc.want)
			}
			wantEmpty(t, db)
			if res := dst.ApplyChunk(0, []byte("x"), "peer"); res.Status != ApplyAbort {
				t.Fatalf("chunk with no accepted snapshot: %+v, want abort", res)
			}
		})
	}
	t.Run("node already has state", func(t *testing.T) {
		other := busyChain(t)
		m := newManager(t, other.DB, other.App, Options{})
		if got := m.Offer(d, hash); got != OfferAbort {
			t.Fatalf("Offer to a node at height %d = %v, want abort", other.Height, got)
		}
		if other.DB.Committed().Height != other.Height {
			t.Fatal("refused offer changed the node's state")
		}
	})
}

// TestProductionEveryIntervalKeepsRecent: snapshots appear at multiples of the interval, only the
// newest keep_recent stay, and a crashed snapshot's temporary directory never shows.
func TestProductionEveryIntervalKeepsRecent(t *testing.T) {
	c := busyChain(t) // height 7
	dir := filepath.Join(t.TempDir(), "snapshots")
	stale := filepath.Join(dir, ".tmp-3")
	if err := os.MkdirAll(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	m, err := New(dir, c.DB, c.App, Options{Interval: 3, KeepRecent: 2, ChunkSize: testChunkSize})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("stale temporary snapshot dir survived New: %v", err)
	}
	for range 8 {
		c.Block()
		m.Committed(c.Height)
		m.Wait() // in a node blocks keep going; waiting keeps the test deterministic
	}
	var heights []uint64
	for _, d := range m.List() {
		heights = append(heights, d.Height)
	}
	if fmt.Sprint(heights) != "[15 12]" {
		t.Fatalf("snapshots on disk at heights %v, want [15 12] (interval 3, keep 2, tip %d)", heights, c.Height)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("snapshot dir holds %d entries, want 2", len(entries))
	}
	if m.LoadChunk(9, Format, 0) != nil || m.LoadChunk(15, Format, 1_000) != nil || m.LoadChunk(15, 2, 0) != nil {
		t.Fatal("served a chunk that does not exist")
	}
	// A chunk damaged on disk is not served.
	if err := os.WriteFile(filepath.Join(dir, "15", chunkName(0)), []byte("rot"), 0o644); err != nil {
		t.Fatal(err)
	}
	if m.LoadChunk(15, Format, 0) != nil {
		t.Fatal("served a chunk that no longer matches its hash")
	}
}

// TestSnapshotWhileBlocksCommit: blocks keep committing while a snapshot is written, and the
// snapshot still holds exactly the state of its own height (run with -race).
func TestSnapshotWhileBlocksCommit(t *testing.T) {
	c := busyChain(t)
	m := newManager(t, c.DB, c.App, Options{Interval: uint64(c.Height), KeepRecent: 1})
	h := c.Height
	m.Committed(h)
	for range 5 {
		c.Block(c.Tx(alice, apptest.Transfer(bob.Addr, 7)))
	}
	m.Wait()
	list := m.List()
	if len(list) != 1 || list[0].Height != uint64(h) {
		t.Fatalf("snapshots %+v, want one at %d", list, h)
	}
	db, a, dst := freshNode(t)
	if got := dst.Offer(list[0], c.Hashes[h]); got != OfferAccept {
		t.Fatalf("Offer = %v", got)
	}
	if res := applyAll(t, dst, loadChunks(t, m, list[0])); res.Status != ApplyAccept {
		t.Fatalf("restore: %+v", res)
	}
	if gh, hash := a.Info(); gh != h || !bytes.Equal(hash, c.Hashes[h]) || db.Committed().Height != h {
		t.Fatalf("Info after restore (%d, %X), want (%d, %X)", gh, hash, h, c.Hashes[h])
	}
}
