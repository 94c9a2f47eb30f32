package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/x/claims"
)

// careDevnet starts a devnet node with a 3 s attestation window and a 4 s voting period, and
// returns the CLI's connection flags and a runner of commands that must succeed.
func careDevnet(t *testing.T) (home string, n *node.Node, c *client.Client, F []string) {
	t.Helper()
	home = t.TempDir()
	rpc := freePort(t)
	if err := initDevnet(home, node.InitOptions{BlockTime: 200 * time.Millisecond, RPCAddr: "tcp://" + rpc, P2PAddr: "tcp://" + freePort(t)}); err != nil {
		t.Fatal(err)
	}
	doc := readGenesis(t, home)
	g, err := app.ParseGenesis(doc.AppState)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Claims.Params.RequireBeneficiary) != 0 {
		t.Fatalf("the devnet requires no countersignature (the README's care claim has none); genesis requires it for %v",
			g.Claims.Params.RequireBeneficiary)
	}
	g.Claims.Params.AttestationWindow = 3
	g.Gov.Params.VotingPeriod = 4
	writeAppState(t, home, doc, g)
	n, c = startInProcess(t, home)
	waitHeightC(t, c, 2)
	return home, n, c, []string{"--home", home, "--keyring-backend", "test", "--node", "tcp://" + rpc}
}

// cliFails runs a command that must fail with an error or output containing every want.
func cliFails(t *testing.T, want []string, args ...string) {
	t.Helper()
	out, err := cli(t, args...)
	if err == nil {
		t.Fatalf("commonsd %s succeeded:\n%s", strings.Join(args, " "), out)
	}
	for _, w := range want {
		if !strings.Contains(out+err.Error(), w) {
			t.Fatalf("commonsd %s: %v\n%s\nlacks %q", strings.Join(args, " "), err, out, w)
		}
	}
}

// TestCareWalkthrough is design §9's care work on a devnet, through the CLI: governance makes care
// claims need a beneficiary's countersignature; carol's care claim is refused without one (claims/443,
// naming `commonsd claim countersign`); the person she cared for, whose key has no account, signs
// the claim's statement offline; a countersignature for another interval, or by carol herself, is
// refused; with the right one the claim is accepted, two members approve it, it is VERIFIED, and
// every view shows who countersigned it.
func TestCareWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("node-level test")
	}
	home, n, c, F := careDevnet(t)
	defer n.Stop()
	run := func(want []string, args ...string) string { return mustCLI(t, want, append(args, F...)...) }
	fails := func(want []string, args ...string) { t.Helper(); cliFails(t, want, append(args, F...)...) }

	// Governance: care claims must be countersigned (a params proposal, as for any param).
	run([]string{"proposal_submitted proposal_id=1", "kind=params"}, "tx", "gov", "propose", "params", "claims",
		"--set", `require_beneficiary=["care"]`, "--summary", "Care claims are countersigned by the person cared for", "--from", "alice")
	for _, m := range []string{"alice", "bob", "carol", "frank", "grace", "heidi"} {
		run([]string{"option=yes"}, "tx", "gov", "vote", "1", "yes", "--from", m)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(run(nil, "query", "proposal", "1"), "proposal 1: passed") {
		if time.Now().After(deadline) {
			t.Fatal("proposal 1 did not pass within 20 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	run([]string{"countersigned:      care claims need their beneficiary's countersignature"}, "query", "params")

	// carol's claim: 2 hours ending at the latest block time.
	st, err := c.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	end := st.SyncInfo.LatestBlockTime.UTC().Truncate(time.Second)
	waitHeightC(t, c, st.SyncInfo.LatestBlockHeight+1) // CheckTx may still see the block before
	start, endS := end.Add(-2*time.Hour).Format(time.RFC3339), end.Format(time.RFC3339)
	const summary = "Night shift with Mrs K.: meds at 22:00, turned her at 01:00"
	claim := []string{"tx", "claim", "submit", "--category", "care", "--summary", summary, "--start", start, "--end", endS, "--from", "carol"}
	fails([]string{"code 443", `category "care" must be countersigned`, "commonsd claim countersign"}, claim...)

	// Offline: the statement (no node), and the beneficiary's countersignature with a key that has no account.
	dir := t.TempDir()
	stmt, cs := filepath.Join(dir, "stmt.json"), filepath.Join(dir, "cs.json")
	offline := []string{"--home", home, "--keyring-backend", "test", "--node", "tcp://127.0.0.1:1"} // no node there
	mustCLI(t, nil, append([]string{"claim", "statement", "--claimant", "carol", "--chain-id", "commons-devnet", "--category", "care",
		"--summary", summary, "--start", start, "--end", endS, "--output-file", stmt}, offline...)...)
	mustCLI(t, []string{`created key "mrs-k"`}, append([]string{"keys", "add", "mrs-k"}, offline...)...)
	mrsK := strings.TrimSpace(mustCLI(t, nil, append([]string{"keys", "show", "mrs-k", "-a"}, offline...)...))
	cliFails(t, []string{"is the claimant's own key"}, append([]string{"claim", "countersign", stmt, "--from", "carol"}, offline...)...)
	mustCLI(t, nil, append([]string{"claim", "countersign", stmt, "--from", "mrs-k", "--output-file", cs}, offline...)...)
	run([]string{"(no account yet"}, "query", "account", mrsK)

	// The countersignature is checked against the claim before anything is sent.
	other := append([]string{}, claim...)
	other[8] = end.Add(-3 * time.Hour).Format(time.RFC3339) // --start
	fails([]string{"was signed for another claim", "start " + start + " (the claim: " + other[8] + ")"}, append(other, "--countersigned", cs)...)
	// A countersignature by the claimant's own key is refused by the chain (claims/445): carol signs
	// her own statement with a hand-made file, bypassing the CLI's check.
	selfCS := filepath.Join(dir, "self.json")
	writeSelfCountersignature(t, home, stmt, selfCS)
	fails([]string{"code 445", "countersigned its own claim"}, append(claim, "--countersigned", selfCS)...)

	run([]string{"claim_submitted claim_id=1", "claim_countersigned claim_id=1 beneficiary=" + mrsK}, append(claim, "--countersigned", cs)...)
	run([]string{"attested"}, "tx", "attest", "1", "approve", "--note", "I relieved her at 02:00", "--from", "alice")
	run([]string{"attested"}, "tx", "attest", "1", "approve", "--from", "bob")
	deadline = time.Now().Add(20 * time.Second)
	for !strings.Contains(run(nil, "query", "claim", "1"), "claim 1: verified") {
		if time.Now().After(deadline) {
			t.Fatal("claim 1 was not verified within 20 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	run([]string{"claim 1: verified, 2 hours of care", "summary:   " + summary, "countersigned by beneficiary " + mrsK, "minted:    2 hours"}, "query", "claim", "1")
	run([]string{`"countersigned": true`, `"beneficiary": {`, `"address": "` + mrsK + `"`, `"private_summary": false`}, "query", "claim", "1", "-o", "json")
	run([]string{"(no account yet"}, "query", "account", mrsK) // countersigning made no account
}

// writeSelfCountersignature writes a countersignature of the statement in stmt by the claimant
// carol's own key, as a client that skips `claim countersign`'s check would.
func writeSelfCountersignature(t *testing.T, home, stmt, out string) {
	t.Helper()
	var sf statementFile
	if err := readJSONFile(stmt, &sf); err != nil {
		t.Fatal(err)
	}
	s, err := sf.statement()
	if err != nil {
		t.Fatal(err)
	}
	kr, err := keyring.Open(home, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := kr.PrivKey("carol")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := claims.Countersign(priv, s)
	if err != nil {
		t.Fatal(err)
	}
	bz, err := json.Marshal(countersignatureFileOf(sf, cs))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, bz, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPrivateSummaryLeavesNoText: `tx claim submit --private-summary` sends only the summary's
// SHA-256. After a private and a public claim, every version of every key and value in the node's
// Badger store, and every byte of every file in its data directory (blocks, WAL, tx index, state),
// is scanned: the private text appears nowhere, its hash does (the claim), and the public text
// does too, so the scan can find what it looks for.
func TestPrivateSummaryLeavesNoText(t *testing.T) {
	if testing.Short() {
		t.Skip("node-level test")
	}
	home, n, _, F := careDevnet(t)
	run := func(want []string, args ...string) string { return mustCLI(t, want, append(args, F...)...) }
	const private = "PRIVATE-7f3a: Mr B. could not get out of bed, his daughter asked me to stay"
	const public = "PUBLIC-91c2: Repaired the community garden's gate"
	sum := sha256.Sum256([]byte(private))
	run([]string{"claim_submitted claim_id=1"}, "tx", "claim", "submit", "--category", "care", "--summary", private, "--private-summary",
		"--evidence", "sha256:"+hex.EncodeToString(sum[:]), "--duration", "1h", "--from", "carol")
	run([]string{"claim_submitted claim_id=2"}, "tx", "claim", "submit", "--category", "community", "--summary", public, "--duration", "1h", "--from", "alice")
	run([]string{"summary:   private (sha256 " + hex.EncodeToString(sum[:]) + ")", "evidence:  private (sha256 "}, "query", "claim", "1")
	run([]string{`"private_summary": true`}, "query", "claim", "1", "-o", "json")
	n.Stop()

	privateHits, publicHits, hashHits := 0, 0, 0
	scan := func(bz []byte) {
		privateHits += bytes.Count(bz, []byte(private))
		publicHits += bytes.Count(bz, []byte(public))
		hashHits += bytes.Count(bz, sum[:])
	}
	db, err := badger.OpenManaged(badger.DefaultOptions(node.AppDBDir(home)).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	txn := db.NewTransactionAt(math.MaxUint64, false)
	it := txn.NewIterator(badger.IteratorOptions{AllVersions: true})
	items := 0
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		v, err := item.ValueCopy(nil)
		if err != nil {
			t.Fatal(err)
		}
		scan(item.Key())
		scan(v)
		items++
	}
	it.Close()
	txn.Discard()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if privateHits != 0 || publicHits == 0 || hashHits == 0 {
		t.Fatalf("Badger store (%d entries, all versions): private text %d times (want 0), public text %d times, private hash %d times (want both > 0)",
			items, privateHits, publicHits, hashHits)
	}
	privateHits, publicHits, hashHits = 0, 0, 0
	err = filepath.WalkDir(filepath.Join(home, "data"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		bz, err := os.ReadFile(path)
		scan(bz)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if privateHits != 0 || publicHits == 0 || hashHits == 0 {
		t.Fatalf("data directory: private text %d times (want 0), public text %d times, private hash %d times (want both > 0)",
			privateHits, publicHits, hashHits)
	}
}
