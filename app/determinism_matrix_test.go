package app_test

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/members"
)

// recordedBlock is one block of a simulation run, as CometBFT would hand it to a replaying node.
type recordedBlock struct {
	time time.Time
	txs  [][]byte
}

// simRecording is a simulation run: its blocks, the app hash after each height (index 0 is the
// genesis hash) and the ABCI code of every tx.
type simRecording struct {
	genesis *app.GenesisState
	blocks  []recordedBlock
	hashes  [][]byte
	codes   [][]uint32
	ok      int
}

// simGenesis is the genesis runSim builds for cfg, rebuilt so a replay starts from the same state.
func simGenesis(s *simulator) *app.GenesisState {
	g := apptest.ContribGenesis(100_000_000, s.founders...)
	for _, k := range s.outside {
		g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: k.Addr.String(), Balance: 50_000_000})
	}
	cp, mp, dp := claims.DevnetParams(), members.DevnetParams(), disputes.DevnetParams()
	mp.StrikesToSuspend = 2 // so that suspensions (and their lifting) happen within a run
	cp.Reviewers, cp.MinReviewerApprovals = 3, 1
	g.Claims.Params, g.Members.Params, g.Disputes.Params = &cp, &mp, &dp
	g.Gov.Params.VotingPeriod, g.Gov.Params.QuorumPermille = 120, 100 // proposals close, and some pass, within a run
	return g
}

// recordSim runs the seeded simulation of sim_test.go (vouches, claims, attestations, transfers,
// many invalid on purpose; day-long gaps) for cfg.blocks blocks and records everything.
func recordSim(t *testing.T, cfg simConfig) simRecording {
	t.Helper()
	s := newSimulator(t, cfg)
	rec := simRecording{genesis: simGenesis(s)}
	for range cfg.blocks {
		s.c.BlockInterval = s.interval()
		txs := s.txs()
		res := s.c.Block(txs...)
		s.tally(res.TxResults, res.Events)
		rec.blocks = append(rec.blocks, recordedBlock{time: s.c.Time, txs: txs})
		rec.codes = append(rec.codes, resultCodes(res.TxResults))
	}
	if err := s.c.Invariants(); err != nil {
		t.Fatalf("seed %d: %v", cfg.seed, err)
	}
	rec.hashes, rec.ok = s.c.Hashes, s.out.ok
	return rec
}

func resultCodes(rs []core.TxResult) []uint32 {
	out := make([]uint32, len(rs))
	for i, r := range rs {
		_, out[i], _ = core.ABCIInfo(r.Err)
	}
	return out
}

// replayRecording feeds the recorded blocks, with their times, to a fresh app on a store in dir
// ("" for memory) and requires the recorded app hash and tx codes at every height. With
// reopenAt > 0 the store is closed after that height and the app rebuilt on the reopened store,
// as after a restart.
func replayRecording(t *testing.T, rec simRecording, dir string, reopenAt int) {
	t.Helper()
	c := apptest.NewChain(t, dir, rec.genesis)
	if !bytes.Equal(c.Hashes[0], rec.hashes[0]) {
		t.Fatalf("genesis hash %X, recorded %X", c.Hashes[0], rec.hashes[0])
	}
	for i, b := range rec.blocks {
		h := int64(i + 1)
		res, err := c.App.FinalizeBlock(h, b.time, apptest.BlockHash(h, b.txs), b.txs)
		if err != nil {
			t.Fatalf("replay height %d: %v", h, err)
		}
		if err := c.App.Commit(); err != nil {
			t.Fatalf("replay commit %d: %v", h, err)
		}
		c.Height, c.Time, c.Hashes = h, b.time, append(c.Hashes, res.AppHash)
		if !bytes.Equal(res.AppHash, rec.hashes[h]) {
			t.Fatalf("replay from genesis diverges at height %d: %X, recorded %X", h, res.AppHash, rec.hashes[h])
		}
		if got := resultCodes(res.TxResults); fmt.Sprint(got) != fmt.Sprint(rec.codes[i]) {
			t.Fatalf("replay height %d: tx codes %v, recorded %v", h, got, rec.codes[i])
		}
		if int(h) == reopenAt && dir != "" {
			c = reopen(t, c, dir)
		}
	}
	checkRecomputedLattice(t, c)
}

// reopen closes c's store and builds a new app on the same directory, as a restarted node would.
func reopen(t *testing.T, c *apptest.Chain, dir string) *apptest.Chain {
	t.Helper()
	if err := c.DB.Close(); err != nil {
		t.Fatal(err)
	}
	db := openStore(t, dir)
	n := &apptest.Chain{TB: t, App: app.New(db, app.DefaultOptions()), DB: db, Height: c.Height, Time: c.Time, Hashes: c.Hashes}
	if h, hash := n.App.Info(); h != c.Height || !bytes.Equal(hash, c.Hashes[h]) {
		t.Fatalf("reopened store reports height %d hash %X; committed %d %X", h, hash, c.Height, c.Hashes[c.Height])
	}
	return n
}

func openStore(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(dir, store.Options{InMemory: dir == "", KeepRecent: 100})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestDeterminismMatrix runs the simulation three times for each of three seeds, 200 blocks each,
// with GOMAXPROCS 1, 2 and 4 (tx decoding and signature checks run in parallel), and requires
// identical app hashes and tx codes at every height. Then a fresh app replays each seed's recorded
// blocks from genesis and must reproduce every height's hash; for one seed the replay runs on disk
// and restarts halfway.
func TestDeterminismMatrix(t *testing.T) {
	blocks := 200
	if testing.Short() {
		blocks = 60
	}
	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	for _, seed := range []uint64{7, 1009, 20261124} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			cfg := simConfig{seed: seed, blocks: blocks, founders: 8, candidates: 12}
			var runs []simRecording
			for _, p := range []int{1, 2, 4} {
				runtime.GOMAXPROCS(p)
				runs = append(runs, recordSim(t, cfg))
			}
			runtime.GOMAXPROCS(procs)
			for r := 1; r < len(runs); r++ {
				for h := range runs[0].hashes {
					if !bytes.Equal(runs[0].hashes[h], runs[r].hashes[h]) {
						t.Fatalf("run %d diverges from run 0 at height %d: %X vs %X", r, h, runs[r].hashes[h], runs[0].hashes[h])
					}
				}
				if fmt.Sprint(runs[0].codes) != fmt.Sprint(runs[r].codes) {
					t.Fatalf("run %d: tx codes differ from run 0", r)
				}
			}
			if runs[0].ok < blocks/2 {
				t.Fatalf("weak workload: %d successful txs in %d blocks", runs[0].ok, blocks)
			}
			dir := ""
			if seed == 7 {
				dir = t.TempDir()
			}
			replayRecording(t, runs[0], dir, blocks/2)
			t.Logf("3 runs × %d blocks identical (%d txs ok); replay from genesis reproduced all %d hashes; final app hash %X",
				blocks, runs[0].ok, len(runs[0].hashes), runs[0].hashes[len(runs[0].hashes)-1])
		})
	}
}
