package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/members"
)

func startInProcess(t *testing.T, home string) (*node.Node, *client.Client) {
	t.Helper()
	cfg := config.Default()
	cfg.API.Enable = false
	n, err := node.Start(home, cfg, io.Discard, node.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(n.Conf.RPC.ListenAddress)
	if err != nil {
		t.Fatal(err)
	}
	c.CommitTimeout = 30 * time.Second
	return n, c
}

// TestExportRoundTrip runs the contribution loop on a devnet, exports its state with
// `commonsd export`, starts a new chain from the export, and checks that every query answers
// identically on both.
func TestExportRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("node-level test")
	}
	home, _ := fastDevnet(t, func(g *app.GenesisState) {
		g.Claims.Params.AttestationWindow = 2 // so the claim finalises quickly
	})

	n, c := startInProcess(t, home)
	waitHeightC(t, c, 2) // CometBFT reports a height before the app has committed it
	kr, _ := keyring.Open(home, keyring.BackendTest, nil)
	dana, _ := kr.Add("dana")
	ctx := context.Background()
	send := func(from string, m *auth.Msg) {
		t.Helper()
		k, _ := kr.PrivKey(from)
		if _, err := c.SignAndBroadcast(ctx, k, DevnetChainID, "", false, m); err != nil {
			t.Fatalf("%s: %v", from, err)
		}
	}
	bobRec, _ := kr.Show("bob")
	send("alice", &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bobRec.Address, Amount: 2_500_000}}})
	send("alice", &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: dana.Address, Handle: "dana"}}})
	send("bob", &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: dana.Address}}})
	st, _ := c.Status(ctx)
	end := st.SyncInfo.LatestBlockTime.Unix()
	waitHeightC(t, c, st.SyncInfo.LatestBlockHeight+1) // CheckTx may still see the block before
	send("carol", &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{Start: end - 5400, End: end, Category: "care", Summary: "shift"}}})
	send("alice", &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: 1, Verdict: claims.Verdict_VERDICT_APPROVE}}})
	send("bob", &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: 1, Verdict: claims.Verdict_VERDICT_APPROVE}}})
	time.Sleep(3 * time.Second)
	before := snapshotQueries(t, c, kr)
	if err := n.Stop(); err != nil {
		t.Fatal(err)
	}

	// The stopped node's state passes every invariant, and its app hash recomputes from scratch.
	mustCLI(t, []string{"all invariants hold at height", "recomputed from scratch matches"}, "debug", "invariants", "--home", home)

	exported := filepath.Join(t.TempDir(), "export.json")
	root := newRootCmd()
	root.SetArgs([]string{"export", "--home", home, "--output-file", exported})
	root.SetErr(io.Discard)
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	// The new chain: same validator key and config, the exported genesis, empty data.
	home2 := t.TempDir()
	copyDir(t, filepath.Join(home, "config"), filepath.Join(home2, "config"))
	copyDir(t, filepath.Join(home, "keyring-test"), filepath.Join(home2, "keyring-test"))
	bz, _ := os.ReadFile(exported)
	if err := os.WriteFile(filepath.Join(home2, "config", "genesis.json"), bz, 0o644); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(home2, "data"), 0o755)
	os.WriteFile(filepath.Join(home2, "data", "priv_validator_state.json"), []byte(`{"height":"0","round":0,"step":0}`), 0o644)
	n2, c2 := startInProcess(t, home2)
	defer n2.Stop()
	waitHeightC(t, c2, 2)
	after := snapshotQueries(t, c2, kr)
	for path, want := range before {
		if !bytes.Equal(after[path], want) {
			t.Errorf("%s differs after export/import", path)
		}
	}
	if len(before) < 8 {
		t.Fatalf("compared only %d queries", len(before))
	}
}

// snapshotQueries answers every query path a user has, for the demo keys, at the latest height.
func snapshotQueries(t *testing.T, c *client.Client, kr *keyring.Keyring) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	paths := []string{"/app/supply", "/app/params", "/claims/stats", "/claims/claim/1", "/claims/claims", "/members/members", "/bank/supply", "/bank/params"}
	recs, _ := kr.List()
	for _, r := range recs {
		paths = append(paths, "/bank/account/"+r.Address, "/members/member/"+r.Address, "/bank/history/"+r.Address, "/app/record/"+r.Address)
	}
	for _, p := range paths {
		v, _, err := c.Query(context.Background(), p, nil, 0)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[p] = v
	}
	return out
}

func waitHeightC(t *testing.T, c *client.Client, h int64) {
	t.Helper()
	for i := 0; i < 300; i++ {
		if got, err := c.AppHeight(context.Background()); err == nil && got >= h {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no height %d", h)
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
}
