package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
)

// TestCLIJSONIsTheAPIJSON: `query … -o json` prints, byte for byte, what GET /api/v1/… answers at
// the same height (enum names, RFC 3339 times, uhour integers with decimal hours): the claim, an
// account, a member, the supply and the listings, after a claim has been verified. The CLI asks the
// node over its RPC (ABCI query under /api/v1/), the HTTP API answers from the same handler.
func TestCLIJSONIsTheAPIJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("node-level test")
	}
	home, _ := fastDevnet(t, func(g *app.GenesisState) { g.Claims.Params.AttestationWindow = 2 })
	cfg := config.Default()
	cfg.API.Address = freePort(t)
	n, err := node.Start(home, cfg, io.Discard, node.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Stop()
	c, err := client.New(n.Conf.RPC.ListenAddress)
	if err != nil {
		t.Fatal(err)
	}
	waitHeightC(t, c, 2)
	F := []string{"--home", home}
	run := func(want []string, args ...string) string { return mustCLI(t, want, append(args, F...)...) }
	run([]string{"claim_submitted claim_id=1"}, "tx", "claim", "submit", "--category", "care", "--summary", "Night shift", "--duration", "1h", "--from", "carol")
	run(nil, "tx", "attest", "1", "approve", "--from", "alice")
	run(nil, "tx", "attest", "1", "approve", "--from", "bob")
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(run(nil, "query", "claim", "1"), "claim 1: verified") {
		if time.Now().After(deadline) {
			t.Fatal("claim 1 was not verified")
		}
		time.Sleep(200 * time.Millisecond)
	}
	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h := strconv.FormatInt(st.SyncInfo.LatestBlockHeight, 10)
	carol := strings.TrimSpace(run(nil, "keys", "show", "carol", "-a"))
	for _, tc := range []struct {
		cli []string
		api string
	}{
		{[]string{"query", "claim", "1"}, "/claims/1"},
		{[]string{"query", "account", "carol"}, "/accounts/" + carol},
		{[]string{"query", "member", "carol"}, "/members/" + carol},
		{[]string{"query", "supply"}, "/supply"},
		{[]string{"query", "claims", "--status", "verified", "--claimant", "carol"}, "/claims?claimant=" + carol + "&limit=20&offset=0&status=verified"},
		{[]string{"query", "members", "--limit", "3"}, "/members?limit=3"},
		{[]string{"query", "account-history", "carol"}, "/accounts/" + carol + "/history?limit=50"}, // the CLI lists 50 by default, the API 20
	} {
		got := run(nil, append(tc.cli, "-o", "json", "--height", h)...)
		sep := "?"
		if strings.Contains(tc.api, "?") {
			sep = "&"
		}
		want := httpGet(t, "http://"+cfg.API.Address+api.Prefix+tc.api+sep+"height="+h)
		if got != want {
			t.Errorf("commonsd %v -o json differs from GET %s:\nCLI: %s\nAPI: %s", tc.cli, tc.api, got, want)
		}
		if !strings.Contains(got, `"`) || strings.Contains(got, `"status": 2`) {
			t.Errorf("commonsd %v -o json: %s", tc.cli, got)
		}
	}
	// The claim's JSON names its status and gives RFC 3339 times and uhour with hours.
	mustContain(t, run(nil, "query", "claim", "1", "-o", "json"), `"status": "verified"`, `"minted": 1000000`, `"minted_hours": "1"`, `"submitted_at": "20`)
	// Errors keep the API's message.
	if _, err := cli(t, append([]string{"query", "claim", "99", "-o", "json"}, F...)...); err == nil || !strings.Contains(err.Error(), "no claim 99") {
		t.Fatalf("a missing claim: %v", err)
	}
}

// httpGet returns the body of a 200 answer to GET url.
func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	bz, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v\n%s", url, resp.StatusCode, err, bz)
	}
	return string(bz)
}
