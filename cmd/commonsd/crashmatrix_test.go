package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/snapshot"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
)

// crashPoints are the failpoints of app/failpoint, in the order a block passes them; snapshots are
// taken every 3 heights, so during-snapshot is armed at a multiple of 3.
var crashPoints = []string{"after-finalize", "before-commit", "mid-commit", "after-commit", "during-snapshot"}

// crashKills is how many random SIGKILLs TestCrashMatrix adds after the failpoints: CRASH_KILLS,
// default 5 (`make crash CRASH_KILLS=100` runs the long version).
func crashKills(t *testing.T) int {
	s := os.Getenv("CRASH_KILLS")
	if s == "" {
		return 5
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		t.Fatalf("CRASH_KILLS=%q: want a count", s)
	}
	return n
}

// crashAudit remembers what a node showed before each crash and checks, after each restart, that
// none of it changed: the header chain (app hash, txs, results) of every height seen, and every tx
// a client saw committed. At the end it replays the whole chain from genesis in a fresh app.
type crashAudit struct {
	t *testing.T
	p *procNode
	l *loader

	headers map[int64]headerFacts // by height, as first seen
	known   map[string]int64      // txs a client saw committed → their height
	order   []string              // known, in the order they were seen
	asked   map[string]bool       // txs already looked up in the index

	kills, restarts, hashMismatches, txsLost, txsRechecked int
	killsMidSnapshot, snapshotsChecked                     int
}

// headerFacts are the commitments CometBFT stores for one height h: the app hash after h and the
// hash of h's tx results (both carried by header h+1), and the hash of h's txs.
type headerFacts struct{ appHash, resultsHash, dataHash string }

func newCrashAudit(t *testing.T, p *procNode, l *loader) *crashAudit {
	return &crashAudit{t: t, p: p, l: l, headers: map[int64]headerFacts{}, known: map[string]int64{}, asked: map[string]bool{}}
}

// observe records the commitments of every height up to the node's latest, and looks up the most
// recently accepted txs so that those a client saw committed join the set that must survive.
func (a *crashAudit) observe() {
	a.t.Helper()
	top := a.p.height() - 1 // header top+1 exists
	if top < 1 {
		return
	}
	from := int64(1)
	for from <= top {
		if _, ok := a.headers[from]; !ok {
			break
		}
		from++
	}
	a.compareHeaders(a.fetchHeaders(from, top), false)
	// The newest accepted txs are the ones a crash would lose if anything could; look them up.
	sent := a.l.sentTxs()
	recent := make([]string, 0, len(sent))
	for h := range sent {
		if !a.asked[h] {
			recent = append(recent, h)
		}
	}
	sort.Slice(recent, func(i, j int) bool { return sent[recent[i]] > sent[recent[j]] })
	for _, h := range recent[:min(len(recent), 100)] {
		if r, err := a.p.c.Tx(context.Background(), h); err == nil && r.TxResult.Code == 0 {
			a.known[h] = r.Height
			a.asked[h] = true
			a.order = append(a.order, h)
		}
	}
}

// fetchHeaders reads the commitments of heights [from, to] from headers from+1..to+1.
func (a *crashAudit) fetchHeaders(from, to int64) map[int64]headerFacts {
	a.t.Helper()
	out := map[int64]headerFacts{}
	for lo := from; lo <= to+1; lo += 20 {
		hi := min(lo+19, to+1)
		res, err := a.p.c.RPC.BlockchainInfo(context.Background(), lo, hi)
		if err != nil {
			a.t.Fatalf("headers %d..%d: %v", lo, hi, err)
		}
		for _, m := range res.BlockMetas {
			h := m.Header.Height
			f := out[h-1]
			f.appHash, f.resultsHash = m.Header.AppHash.String(), m.Header.LastResultsHash.String()
			out[h-1] = f
			g := out[h]
			g.dataHash = m.Header.DataHash.String()
			out[h] = g
		}
	}
	for h := range out {
		if h < from || h > to {
			delete(out, h)
		}
	}
	return out
}

// compareHeaders checks got against what was recorded and records what is new. A difference is an
// app-hash mismatch: the chain the node serves after a crash is not the one it served before.
func (a *crashAudit) compareHeaders(got map[int64]headerFacts, strict bool) {
	a.t.Helper()
	for h, f := range got {
		old, seen := a.headers[h]
		if !seen {
			a.headers[h] = f
			continue
		}
		if old != f {
			a.hashMismatches++
			a.t.Errorf("height %d changed across a crash: %+v → %+v", h, old, f)
		}
	}
	if strict && len(got) == 0 {
		a.t.Fatal("no headers to compare")
	}
}

// verify runs after a restart: the node's committed app hash must be the one the chain recorded
// for its height, every recorded height must read the same, and every tx seen committed must still
// be committed at the same height.
func (a *crashAudit) verify() {
	a.t.Helper()
	info, err := a.p.c.RPC.ABCIInfo(context.Background())
	if err != nil {
		a.t.Fatalf("abci_info after restart: %v", err)
	}
	if f, ok := a.headers[info.Response.LastBlockHeight]; ok {
		if got := strings.ToUpper(hex.EncodeToString(info.Response.LastBlockAppHash)); got != f.appHash {
			a.hashMismatches++
			a.t.Errorf("app reports hash %s at height %d; the chain recorded %s", got, info.Response.LastBlockHeight, f.appHash)
		}
	}
	var last int64
	for h := range a.headers {
		last = max(last, h)
	}
	// Recheck the most recent heights, the ones a crash could have touched; the replay at the end
	// covers all of them.
	a.compareHeaders(a.fetchHeaders(max(1, last-40), last), true)
	// Likewise the txs confirmed last (the test ends by rechecking all of them).
	recent := map[string]int64{}
	for _, h := range a.order[max(0, len(a.order)-200):] {
		recent[h] = a.known[h]
	}
	a.recheckTxs(recent)
}

func (a *crashAudit) recheckTxs(txs map[string]int64) {
	a.t.Helper()
	for hash, height := range txs {
		a.txsRechecked++
		r, err := a.p.c.Tx(context.Background(), hash)
		switch {
		case err != nil:
			a.txsLost++
			a.t.Errorf("tx %s committed at height %d before a crash is gone: %v", hash, height, err)
		case r.Height != height || r.TxResult.Code != 0:
			a.txsLost++
			a.t.Errorf("tx %s committed at height %d before a crash: now at height %d with code %d", hash, height, r.Height, r.TxResult.Code)
		}
	}
}

// killed records a kill; a snapshot left half-written (its temporary directory) means the kill
// landed while a snapshot was being taken.
func (a *crashAudit) killed() {
	a.kills++
	if tmp, _ := filepath.Glob(filepath.Join(a.p.home, "data", "snapshots", ".tmp-*")); len(tmp) > 0 {
		a.killsMidSnapshot++
	}
}

// checkSnapshots requires every snapshot on disk after a restart to be complete and to match the
// chain: no temporary directory survives, each chunk hashes as its metadata says, and the
// metadata's lattice gives the app hash the chain recorded for its height.
func (a *crashAudit) checkSnapshots() {
	a.t.Helper()
	dir := filepath.Join(a.p.home, "data", "snapshots")
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(tmp) > 0 {
		// The restarted node removes them at start; one may belong to a snapshot running now.
		for _, d := range tmp {
			if h, _ := strconv.ParseInt(strings.TrimPrefix(filepath.Base(d), ".tmp-"), 10, 64); h < a.p.height()-20 {
				a.t.Errorf("stale unfinished snapshot %s survived a restart", d)
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		h, err := strconv.ParseInt(e.Name(), 10, 64)
		if err != nil || !e.IsDir() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, e.Name(), "metadata"))
		if errors.Is(err, os.ErrNotExist) {
			continue // pruned between ReadDir and here
		}
		if err != nil {
			a.t.Errorf("snapshot %d: %v", h, err)
			continue
		}
		md, err := snapshot.DecodeMetadata(raw)
		if err != nil {
			a.t.Errorf("snapshot %d: metadata: %v", h, err)
			continue
		}
		for i, want := range md.ChunkHashes {
			b, err := os.ReadFile(filepath.Join(dir, e.Name(), fmt.Sprintf("chunk-%06d", i)))
			if errors.Is(err, os.ErrNotExist) {
				break // pruned meanwhile
			}
			if err != nil || sha256.Sum256(b) != want {
				a.t.Errorf("snapshot %d chunk %d is damaged (%v)", h, i, err)
			}
		}
		if f, ok := a.headers[h]; ok && fmt.Sprintf("%X", md.AppHash()) != f.appHash {
			a.hashMismatches++
			a.t.Errorf("snapshot %d has app hash %X; the chain has %s", h, md.AppHash(), f.appHash)
		}
		a.snapshotsChecked++
	}
}

// restart starts the stopped node, waits until it is two blocks past before, and verifies.
func (a *crashAudit) restart(before int64) {
	a.t.Helper()
	a.p.start()
	a.restarts++
	a.p.waitHeight(before + 2)
	a.verify()
	a.checkSnapshots()
}

// replay fetches every block of the chain and feeds it to a fresh app built from the node's
// genesis: each height must give the app hash the chain recorded, and the transfers it commits must
// add up to bob's balance. It returns the heights replayed and the txs committed in them.
func (a *crashAudit) replay() (heights, txs int) {
	a.t.Helper()
	doc, err := cmttypes.GenesisDocFromFile(filepath.Join(a.p.home, "config", "genesis.json"))
	if err != nil {
		a.t.Fatal(err)
	}
	db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 1})
	if err != nil {
		a.t.Fatal(err)
	}
	defer db.Close()
	fresh := app.New(db, app.DefaultOptions())
	vals := make([]core.ValidatorUpdate, len(doc.Validators))
	for i, v := range doc.Validators {
		vals[i] = core.ValidatorUpdate{PubKey: v.PubKey.Bytes(), Power: v.Power}
	}
	if _, err := fresh.InitChain(doc.ChainID, doc.InitialHeight, doc.GenesisTime, doc.AppState, vals); err != nil {
		a.t.Fatal(err)
	}
	var last int64
	for h := range a.headers {
		last = max(last, h)
	}
	bob := a.p.addr("bob").String()
	var moved uint64
	for h := doc.InitialHeight; h <= last; h++ {
		hh := h
		b, err := a.p.c.RPC.Block(context.Background(), &hh)
		if err != nil {
			a.t.Fatalf("block %d: %v", h, err)
		}
		raw := make([][]byte, len(b.Block.Txs))
		for i, tx := range b.Block.Txs {
			raw[i] = tx
		}
		res, err := fresh.FinalizeBlock(h, b.Block.Time, b.Block.Hash(), raw)
		if err != nil {
			a.t.Fatalf("replay block %d: %v", h, err)
		}
		if err := fresh.Commit(); err != nil {
			a.t.Fatal(err)
		}
		if got := fmt.Sprintf("%X", res.AppHash); got != a.headers[h].appHash {
			a.hashMismatches++
			a.t.Errorf("replay from genesis gives app hash %s at height %d; the chain has %s", got, h, a.headers[h].appHash)
		}
		for i, r := range res.TxResults {
			if r.Err != nil {
				continue
			}
			txs++
			moved += transferredTo(a.t, raw[i], bob)
		}
	}
	v := db.ReadLatest()
	defer v.Discard()
	if err := fresh.CheckInvariants(v); err != nil {
		a.t.Errorf("replayed state: %v", err)
	}
	acc, _, err := a.p.c.Account(context.Background(), a.p.addr("bob"), last)
	if err != nil {
		a.t.Fatal(err)
	}
	if acc.Account.Balance != 100*core.MicroPerHour+moved {
		a.t.Errorf("bob holds %d uhour at height %d; genesis 100 hours plus committed transfers %d gives %d",
			acc.Account.Balance, last, moved, 100*core.MicroPerHour+moved)
	}
	return int(last - doc.InitialHeight + 1), txs
}

// transferredTo is the amount a committed tx moved to addr.
func transferredTo(t *testing.T, raw []byte, addr string) uint64 {
	d, err := auth.Decode(raw)
	if err != nil {
		t.Fatalf("committed tx does not decode: %v", err)
	}
	var n uint64
	for _, m := range d.Body.Msgs {
		if tr := m.GetTransfer(); tr != nil && tr.To == addr {
			n += tr.Amount
		}
	}
	return n
}

// TestCrashMatrix stops a loaded node at each failpoint of block execution, then SIGKILLs it at
// CRASH_KILLS random instants, restarting it each time. After every restart the node must serve
// the same chain (app hash, txs and results of every height seen before), report the recorded app
// hash for its committed height, and still hold every tx a client saw committed. At the end the
// whole chain is replayed from genesis in a fresh app, height by height.
func TestCrashMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("process-level crash test")
	}
	p := newProcNode(t)
	// Snapshots every 3 heights, so that kills also land while one is being written.
	p.env = []string{"COMMONSD_SNAPSHOT_INTERVAL=3", "COMMONSD_SNAPSHOT_KEEP_RECENT=2"}
	p.start()
	p.waitHeight(2)
	l := startLoad(p, 0)
	defer l.halt()
	a := newCrashAudit(t, p, l)

	for _, point := range crashPoints {
		p.waitHeight(p.height() + 2)
		a.observe()
		at := p.height() + 4
		if point == "during-snapshot" {
			at += (3 - at%3) % 3 // a snapshot height
		}
		p.kill()
		a.killed()
		p.start(crashEnv(point, at))
		if code := p.exited(); code != 137 {
			t.Fatalf("crash point %s@%d: exit code %d, want 137; log tail:\n%s", point, at, code, p.logTail(2000))
		}
		if msg := fmt.Sprintf("crash point %s reached at height %d", point, at); !p.logHas(msg) {
			t.Fatalf("log does not say %q", msg)
		}
		a.restart(at)
		t.Logf("crash point %s at height %d: restarted, chain and txs intact", point, at)
	}

	n := crashKills(t)
	seed := int64(1)
	if s := os.Getenv("CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	rng := rand.New(rand.NewSource(seed))
	for i := 0; i < n; i++ {
		// A random instant within the next block or few: mid-FinalizeBlock, mid-Commit, idle.
		time.Sleep(time.Duration(rng.Intn(900)) * time.Millisecond)
		a.observe()
		if i%4 == 3 {
			// Aim at a snapshot: kill as soon as a snapshot height (a multiple of 3) commits,
			// while its snapshot is being written in the background.
			from, deadline := p.height(), time.Now().Add(10*time.Second)
			for h := from; (h == from || h%3 != 0) && time.Now().Before(deadline); h = p.height() {
			}
		} else {
			time.Sleep(time.Duration(rng.Intn(400)) * time.Millisecond)
		}
		before := p.height()
		p.kill()
		a.killed()
		a.restart(before)
		if (i+1)%10 == 0 || i+1 == n {
			t.Logf("random kill %d/%d survived (height %d, %d txs seen committed so far)", i+1, n, p.height(), len(a.known))
		}
	}
	l.halt()
	t.Log("load: " + l.stats())
	p.waitMempoolEmpty()
	p.waitHeight(p.height() + 2)
	a.observe()
	a.recheckTxs(a.known) // every tx seen committed, across all crashes, one last time
	heights, txs := a.replay()
	summary := fmt.Sprintf("crash matrix: %d failpoints, %d random kills; kills survived %d, restarts %d; "+
		"committed txs checked %d (every committed tx of %d heights, replayed from genesis; %d of them confirmed "+
		"by a client before a crash and re-queried %d times after restarts); txs lost %d; app-hash mismatches %d; "+
		"snapshots checked after restarts %d (kills that landed mid-snapshot %d)",
		len(crashPoints), n, a.kills, a.restarts, txs, heights, len(a.known), a.txsRechecked, a.txsLost, a.hashMismatches,
		a.snapshotsChecked, a.killsMidSnapshot)
	t.Log(summary)
	fmt.Println(summary)
	if a.txsLost != 0 || a.hashMismatches != 0 {
		t.Fatalf("%d committed txs lost, %d app-hash mismatches", a.txsLost, a.hashMismatches)
	}
	p.kill()
	checkStoreAtRest(t, p.home)
}

// checkStoreAtRest opens the stopped node's state database and recomputes its app hash from every
// stored pair: what survived the crashes is exactly what the stored commitment says.
func checkStoreAtRest(t *testing.T, home string) {
	t.Helper()
	db, err := store.Open(node.AppDBDir(home), store.Options{KeepRecent: 1})
	if err != nil {
		t.Fatalf("state database after the crashes: %v", err)
	}
	defer db.Close()
	v := db.ReadLatest()
	defer v.Discard()
	m := db.Committed()
	l := store.RecomputeLattice(v)
	if got := l.Hash(); !bytes.Equal(got, m.AppHash) {
		t.Fatalf("height %d: stored pairs hash to %X, the stored app hash is %X", m.Height, got, m.AppHash)
	}
}
