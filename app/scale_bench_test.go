package app_test

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/snapshot"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// BenchmarkScale (`make bench-scale`, issue 18) asks how the chain behaves as the commons grows
// from a village to a country. For each member count in COMMONS_SCALE (comma-separated; 10000 by
// default, `make bench-scale` runs 10000,100000,1000000) it builds, on disk, a state of that many
// ACTIVE members with scaleClaimsPerMember VERIFIED one-hour claims each (their mints in the
// account histories), written straight to the store as a genesis import would (CommitDirect), on
// top of the 1,000 funded founders that send the measured txs. Then it measures, on that state:
//
//   - FinalizeBlock tx/s for blocks of 1,000 transfers (founders to loaded members spread over the
//     whole key space) and 1,000 claims, signatures pre-checked as on a node whose mempool had them;
//   - Commit time per block;
//   - API latency, p50 and p99 of 200 requests per endpoint, answered in process (no network);
//   - bytes on disk per member and per claim (the Badger directory's allocated blocks);
//   - snapshot size, the time to take it, and a state sync: the time to restore it into an empty
//     store, checked against the app hash.
//
// COMMONS_SCALE_PROFILE=DIR writes a CPU profile of the measured blocks (FinalizeBlock and Commit)
// per size to DIR/scale-<members>.cpu; COMMONS_SCALE_SNAPSHOT=0 leaves the snapshot out.
//
// Each size runs once whatever -benchtime says (its setup dwarfs any loop); the figures are printed
// as a table row and reported as metrics. BENCHMARKS.md records a run.
func BenchmarkScale(b *testing.B) {
	for _, m := range scaleSizes(b) {
		b.Run("members="+strconv.Itoa(m), func(b *testing.B) { benchScale(b, m) })
	}
}

const (
	scaleClaimsPerMember = 10
	scaleChunk           = 20_000 // members or claims per direct commit
	scaleBlocks          = 30     // measured blocks of each tx type
	scaleAPIRequests     = 200    // per endpoint
	scaleSettleQuiet     = 10 * time.Second
	scaleSettleMax       = 15 * time.Minute
)

func scaleSizes(b *testing.B) []int {
	env := os.Getenv("COMMONS_SCALE")
	if env == "" {
		env = "10000"
	}
	var out []int
	for _, f := range strings.Split(env, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("COMMONS_SCALE=%q: give member counts separated by commas", env)
		}
		out = append(out, n)
	}
	return out
}

// scaleMember is the i-th loaded member's address: the hash of its index stands for a public key.
func scaleMember(i int) core.Address {
	pk := sha256.Sum256([]byte("scale-member-" + strconv.Itoa(i)))
	return core.AddressFromPubKey(pk[:])
}

func benchScale(b *testing.B, m int) {
	dir := b.TempDir()
	stateDir := filepath.Join(dir, "state")
	founders := benchKeys("founder", 1000)
	c := benchChain(b, stateDir, founders)
	c.Block()
	ks := c.App.Keepers()
	start := time.Now()
	for done := 0; done < m; done += scaleChunk {
		c.CommitDirect(func(ctx *core.Context) {
			ms := make([]*members.Member, 0, scaleChunk)
			for i := done; i < min(done+scaleChunk, m); i++ {
				a := scaleMember(i).String()
				ms = append(ms, &members.Member{Address: a, Handle: fmt.Sprintf("m%07d", i), Status: members.MemberStatus_MEMBER_STATUS_ACTIVE,
					JoinedAt: apptest.GenesisTime.Add(-400 * 24 * time.Hour).Unix(), Root: a})
			}
			ks.Members.ImportMembers(ctx, ms)
		})
	}
	scaleProgress("%d members loaded in %s", m, time.Since(start).Round(time.Second))
	diskMembers := diskUsage(b, stateDir)
	n := m * scaleClaimsPerMember
	cats := claims.DefaultCategories()
	end := apptest.GenesisTime.Add(-24 * time.Hour)
	for done := 0; done < n; done += scaleChunk {
		c.CommitDirect(func(ctx *core.Context) {
			next := ks.Claims.Counts(ctx.KV).NextId
			chunk := make([]*claims.Claim, 0, scaleChunk)
			for k := done; k < min(done+scaleChunk, n); k++ {
				i, j := k%m, k/m // member i's j-th claim: hours going back, two apart
				to := end.Add(-time.Duration(2*j) * time.Hour)
				cl := &claims.Claim{Id: next + uint64(k-done), Claimant: scaleMember(i).String(), Start: to.Add(-time.Hour).Unix(), End: to.Unix(),
					Category: cats[k%len(cats)], Summary: "scale work " + strconv.Itoa(k), Status: claims.ClaimStatus_CLAIM_STATUS_VERIFIED,
					SubmittedAt: to.Unix(), Deadline: to.Unix() + 3600, FinalizedAt: to.Unix() + 3600}
				cl.Minted = claims.MintedFor(cl.Start, cl.End)
				chunk = append(chunk, cl)
			}
			if done%(n/10+1) < scaleChunk {
				scaleProgress("claims: %d of %d loaded (%s)", done, n, time.Since(start).Round(time.Second))
			}
			ks.Claims.ImportClaims(ctx.KV, chunk)
			for _, cl := range chunk {
				if err := ks.Bank.Mint(ctx, scaleMember(int((cl.Id-next)+uint64(done))%m), cl.Minted, cl.Id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	c.Block() // the check state reads the loaded state
	load := time.Since(start)
	diskAll := diskUsage(b, stateDir)
	if err := c.Invariants(); err != nil {
		b.Fatalf("the loaded state breaks an invariant: %v", err)
	}

	seqs := make([]uint64, len(founders))
	for i, f := range founders {
		seqs[i] = c.Seq(f.Addr)
	}
	transfers := func(i int) []byte {
		k := i % len(founders)
		to := scaleMember(int((uint64(i) * 2654435761) % uint64(m))) // spread over the key space
		tx := founders[k].Sign(b, apptest.ChainID, seqs[k], apptest.Transfer(to, core.MicroPerHour))
		seqs[k]++
		return tx
	}
	scaleProgress("state loaded in %s", load.Round(time.Second))
	scaleSettle(c.DB)
	scaleProgress("measuring blocks (keep the machine quiet from here)")
	stopProfile := scaleProfile(b, m)
	transferTPS, commitT := scaleBlocksOf(b, c, transfers)
	claimsTx := func(i int) []byte {
		k := i % len(founders)
		to := apptest.GenesisTime.Add(-time.Duration(i/len(founders)+1) * time.Minute)
		tx := founders[k].Sign(b, apptest.ChainID, seqs[k], apptest.SubmitClaim(to.Add(-time.Minute), to, "code", "scale claim"))
		seqs[k]++
		return tx
	}
	claimTPS, commitC := scaleBlocksOf(b, c, claimsTx)
	stopProfile()
	commits := append(commitT, commitC...)
	slices.Sort(commits)

	scaleProgress("blocks measured; measuring the API")
	apiRows, worstP99 := scaleAPI(b, c, m, n)
	var snapBytes int64
	var chunks uint32
	var take, restore time.Duration
	if os.Getenv("COMMONS_SCALE_SNAPSHOT") != "0" {
		snapBytes, chunks, take, restore = scaleSnapshot(b, c, dir)
	}

	perMember := float64(diskMembers) / float64(m)
	perClaim := float64(diskAll-diskMembers) / float64(n)
	fmt.Printf("\nscale: %d members, %d claims (loaded in %s)\n", m, n, load.Round(time.Second))
	fmt.Printf("| members | claims | transfer tx/s | claim tx/s | commit p50 / max | disk per member | disk per claim | snapshot | take | restore |\n")
	fmt.Printf("| %d | %d | %.0f | %.0f | %s / %s | %.0f B | %.0f B | %.1f MB in %d chunks | %s | %s |\n",
		m, n, transferTPS, claimTPS, commits[len(commits)/2].Round(time.Millisecond), commits[len(commits)-1].Round(time.Millisecond),
		perMember, perClaim, float64(snapBytes)/1e6, chunks, take.Round(time.Millisecond), restore.Round(time.Millisecond))
	fmt.Printf("| endpoint (%d members) | p50 | p99 | max |\n", m)
	for _, r := range apiRows {
		fmt.Printf("| %s | %s | %s | %s |\n", r.name, r.p50, r.p99, r.max)
	}
	b.ReportMetric(transferTPS, "transfer-tx/s")
	b.ReportMetric(claimTPS, "claim-tx/s")
	b.ReportMetric(float64(commits[len(commits)/2].Microseconds())/1000, "commit-p50-ms")
	b.ReportMetric(float64(worstP99.Microseconds())/1000, "api-worst-p99-ms")
	b.ReportMetric(perClaim, "disk-B/claim")
	b.ReportMetric(perMember, "disk-B/member")
}

// scaleProgress prints a timestamped progress line to stderr (a 1M-member load takes most of an
// hour; the table goes to stdout at the end).
func scaleProgress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench-scale %s: %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// scaleSettle waits, up to scaleSettleMax, until Badger has no compaction due and its tree has not
// changed for scaleSettleQuiet. A bulk load writes in minutes what a chain writes in years, and can
// leave level-0 tables that every range read must visit and compactions that share the two cores
// with the measured blocks; a node that has held the state for a while has neither. The tree's
// shape is printed before and after, so a run shows which it measured (in BENCHMARKS.md's round 6
// the 1M load had nothing due, and the 10k state never leaves the memtables).
func scaleSettle(db *store.DB) {
	shape, due := db.LSM()
	scaleProgress("LSM after loading (compaction due: %t):%s", due, shape)
	start, quietSince := time.Now(), time.Now()
	for time.Since(quietSince) < scaleSettleQuiet {
		if time.Since(start) > scaleSettleMax {
			scaleProgress("Badger has not settled after %s; measuring anyway", scaleSettleMax)
			break
		}
		time.Sleep(time.Second)
		next, dueNow := db.LSM()
		if dueNow || next != shape {
			quietSince = time.Now()
		}
		shape = next
	}
	scaleProgress("LSM settled in %s:%s", time.Since(start).Round(time.Second), shape)
}

// scaleProfile starts a CPU profile of the measured blocks when COMMONS_SCALE_PROFILE names a
// directory, and returns the function that stops it.
func scaleProfile(b *testing.B, m int) func() {
	dir := os.Getenv("COMMONS_SCALE_PROFILE")
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("scale-%d.cpu", m)))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// scaleBlocksOf runs scaleBlocks blocks of benchBlockTxs txs of next through CheckTx (untimed) and
// FinalizeBlock (timed), then Commit (timed apart), and returns the FinalizeBlock tx/s and each
// commit's time.
func scaleBlocksOf(b *testing.B, c *apptest.Chain, next txSource) (float64, []time.Duration) {
	var exec time.Duration
	var commits []time.Duration
	for blk := range scaleBlocks {
		txs := make([][]byte, benchBlockTxs)
		for i := range txs {
			txs[i] = next(blk*benchBlockTxs + i)
			if r := c.App.CheckTx(txs[i]); r.Err != nil {
				b.Fatalf("CheckTx: %v", r.Err)
			}
		}
		c.Height++
		c.Time = c.Time.Add(c.BlockInterval)
		t0 := time.Now()
		res, err := c.App.FinalizeBlock(c.Height, c.Time, apptest.BlockHash(c.Height, txs), txs)
		exec += time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		for i, r := range res.TxResults {
			if r.Err != nil {
				b.Fatalf("block %d tx %d: %v", c.Height, i, r.Err)
			}
		}
		t0 = time.Now()
		if err := c.App.Commit(); err != nil {
			b.Fatal(err)
		}
		commits = append(commits, time.Since(t0))
		c.Hashes = append(c.Hashes, res.AppHash)
	}
	return float64(scaleBlocks*benchBlockTxs) / exec.Seconds(), commits
}

type scaleRow struct {
	name          string
	p50, p99, max time.Duration
}

// scaleAPI times scaleAPIRequests requests to each main endpoint, in process, and returns p50, p99
// and the slowest (the first, for an answer the API caches per height) per endpoint, and the worst
// p99.
func scaleAPI(b *testing.B, c *apptest.Chain, m, n int) ([]scaleRow, time.Duration) {
	srv := api.New(c.App, api.Options{})
	member := func(i int) string { return scaleMember(int((uint64(i) * 40503) % uint64(m))).String() }
	claim := func(i int) string { return strconv.FormatUint(1+(uint64(i)*2654435761)%uint64(n), 10) }
	cats := claims.DefaultCategories()
	endpoints := []struct {
		name string
		path func(i int) string
	}{
		{"/status", func(int) string { return "/status" }},
		{"/accounts/{address}", func(i int) string { return "/accounts/" + member(i) }},
		{"/accounts/{address}/history", func(i int) string { return "/accounts/" + member(i) + "/history" }},
		{"/members/{address}", func(i int) string { return "/members/" + member(i) }},
		{"/members?handle=", func(i int) string { return fmt.Sprintf("/members?handle=m%03d", i%1000) }},
		{"/claims", func(int) string { return "/claims" }},
		{"/claims/{id}", func(i int) string { return "/claims/" + claim(i) }},
		{"/claims?claimant=", func(i int) string { return "/claims?claimant=" + member(i) }},
		{"/claims?category=", func(i int) string { return "/claims?category=" + cats[i%len(cats)] }},
		{"/claims?status=verified", func(int) string { return "/claims?status=verified" }},
		{"/claims?from=&to=", func(i int) string {
			to := apptest.GenesisTime.Add(-time.Duration(24+i%200) * time.Hour)
			return "/claims?from=" + to.Add(-time.Hour).UTC().Format(time.RFC3339) + "&to=" + to.UTC().Format(time.RFC3339)
		}},
		{"/supply", func(int) string { return "/supply" }},
		{"/stats/categories", func(int) string { return "/stats/categories" }},
		{"/stats/daily", func(int) string { return "/stats/daily" }},
		{"/params", func(int) string { return "/params" }},
	}
	var rows []scaleRow
	var worst time.Duration
	for _, e := range endpoints {
		times := make([]time.Duration, scaleAPIRequests)
		for i := range times {
			req := httptest.NewRequest(http.MethodGet, api.Prefix+e.path(i), nil)
			w := httptest.NewRecorder()
			t0 := time.Now()
			srv.ServeHTTP(w, req)
			times[i] = time.Since(t0)
			if w.Code != http.StatusOK {
				b.Fatalf("GET %s: %d %s", req.URL, w.Code, w.Body.String())
			}
		}
		slices.Sort(times)
		r := scaleRow{e.name, times[len(times)/2], times[len(times)*99/100], times[len(times)-1]}
		worst = max(worst, r.p99)
		rows = append(rows, r)
	}
	return rows, worst
}

// scaleSnapshot takes a snapshot of the latest height and restores it into an empty on-disk store,
// as state sync does, checking the restored app hash; it returns the snapshot's bytes and chunks
// and the time to take and to restore it.
func scaleSnapshot(b *testing.B, c *apptest.Chain, dir string) (size int64, chunks uint32, take, restore time.Duration) {
	src, err := snapshot.New(filepath.Join(dir, "snapshots"), c.DB, c.App, snapshot.Options{KeepRecent: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	t0 := time.Now()
	if err := src.Take(c.Height); err != nil {
		b.Fatal(err)
	}
	take = time.Since(t0)
	d := src.List()[0]
	db, err := store.Open(filepath.Join(dir, "restored"), store.Options{KeepRecent: 100})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	dstApp := app.New(db, app.DefaultOptions())
	dst, err := snapshot.New(filepath.Join(dir, "restored-snapshots"), db, dstApp, snapshot.Options{KeepRecent: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer dst.Close()
	t0 = time.Now()
	if got := dst.Offer(d, c.Hashes[c.Height]); got != snapshot.OfferAccept {
		b.Fatalf("offer: %v", got)
	}
	for i := range d.Chunks {
		chunk := src.LoadChunk(d.Height, d.Format, i)
		size += int64(len(chunk))
		if res := dst.ApplyChunk(i, chunk, "bench"); res.Status != snapshot.ApplyAccept {
			b.Fatalf("chunk %d: %+v", i, res)
		}
	}
	restore = time.Since(t0)
	if h, hash := dstApp.Info(); h != c.Height || string(hash) != string(c.Hashes[c.Height]) {
		b.Fatalf("restored to height %d hash %X; want %d %X", h, hash, c.Height, c.Hashes[c.Height])
	}
	return size, d.Chunks, take, restore
}

// diskUsage is the space the files under dir take on disk (allocated blocks, so Badger's sparse
// preallocated value-log files count only what they hold).
func diskUsage(b *testing.B, dir string) int64 {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			total += st.Blocks * 512
		} else {
			total += info.Size()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return total
}
