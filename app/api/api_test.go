package api_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// The API tests over a real node, with every endpoint and its bad input, are in
// cmd/commonsd/internal/node (api_e2e_test.go). These cover what needs no node.

func TestOpenAPIDescribesEveryEndpoint(t *testing.T) {
	l := newLedger(t, 2, 1, 1, api.Options{})
	var doc struct {
		OpenAPI    string                    `json:"openapi"`
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if code := l.get(t, "/api/v1/openapi.json", &doc); code != 200 || doc.OpenAPI != "3.0.3" {
		t.Fatalf("GET openapi.json: %d, version %q", code, doc.OpenAPI)
	}
	want := []string{"/status", "/accounts/{address}", "/accounts/{address}/history", "/members", "/members/{address}", "/claims", "/claims/{id}",
		"/disputes", "/disputes/{id}", "/proposals", "/proposals/{id}", "/validators", "/supply", "/supply/history", "/stats/categories", "/stats/daily", "/params", "/txs/{hash}", "/blocks", "/blocks/{height}", "/search", "/openapi.json",
		"/projects", "/projects/{handle}", "/projects/{handle}/shares"}
	var got []string
	for p := range doc.Paths {
		got = append(got, strings.TrimPrefix(p, "/api/v1"))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("paths %v, want %v", got, want)
	}
	// Every $ref points at a defined schema.
	raw := fetch(t, l.srv.URL+"/api/v1/openapi.json")
	for _, part := range strings.Split(raw, `"$ref": "#/components/schemas/`)[1:] {
		name := part[:strings.IndexByte(part, '"')]
		if doc.Components.Schemas[name] == nil {
			t.Errorf("$ref to undefined schema %q", name)
		}
	}
	for _, name := range []string{"Claim", "ClaimList", "ClaimDetail", "Reviewer", "Member", "MemberList", "Account", "HistoryEntryList", "Reversal", "Record", "Strike", "Tx", "Error",
		"Proposal", "ProposalList", "ProposalDetail", "ProposalVote", "Tally", "ParamsChange", "ValidatorChange", "Validators", "Validator", "ValidatorEvent", "GovParams",
		"Block", "BlockSummary", "BlockSummaryList", "BlockTx", "Proposer",
		"Project", "ProjectList", "ProjectDetail", "Share", "Shares", "Distribution", "DistributionList", "Payout", "ProjectsParams"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("no schema %s", name)
		}
	}
	// The drawn reviewers' fields and filter are documented.
	var params []string
	for _, p := range doc.Paths["/api/v1/claims"]["get"].(map[string]any)["parameters"].([]any) {
		params = append(params, p.(map[string]any)["name"].(string))
	}
	if !slices.Contains(params, "awaiting") {
		t.Errorf("/claims parameters %v lack awaiting", params)
	}
	var statuses []any
	for _, p := range doc.Paths["/api/v1/proposals"]["get"].(map[string]any)["parameters"].([]any) {
		if p := p.(map[string]any); p["name"] == "status" {
			statuses = p["schema"].(map[string]any)["enum"].([]any)
		}
	}
	if fmt.Sprint(statuses) != "[voting passed rejected failed]" {
		t.Errorf("/proposals status enum %v", statuses)
	}
	if _, ok := doc.Paths["/api/v1/proposals/{id}"]["get"].(map[string]any)["responses"].(map[string]any)["404"]; !ok {
		t.Errorf("/proposals/{id} documents no 404")
	}
	// The block endpoints read CometBFT's block store: no ?height= (the path names the block; the
	// list pages with before=), and a 503 without a node.
	for path, want := range map[string]string{"/api/v1/blocks": "[before limit offset]", "/api/v1/blocks/{height}": "[height]", "/api/v1/txs/{hash}": "[hash height]"} {
		op := doc.Paths[path]["get"].(map[string]any)
		var names []string
		for _, p := range op["parameters"].([]any) {
			p := p.(map[string]any)
			names = append(names, p["name"].(string))
			if p["in"] == "path" && p["name"] == "height" && !strings.HasPrefix(p["description"].(string), "A block height") {
				t.Errorf("%s: path parameter height is described as %q", path, p["description"])
			}
		}
		if fmt.Sprint(names) != want {
			t.Errorf("%s parameters %v, want %s", path, names, want)
		}
		if _, ok := op["responses"].(map[string]any)["503"]; !ok {
			t.Errorf("%s documents no 503", path)
		}
	}
	for schema, fields := range map[string][]string{"Claim": {"reviewers", "reviewer_approvals", "outcome_reason", "project"},
		"ClaimDetail": {"reviewers"}, "Reviewer": {"address", "handle", "attested", "verdict"},
		"ParamsChange": {"module", "params"}, "Validators": {"validators", "total_power", "history"},
		"Params":        {"bank", "members", "claims", "disputes", "gov", "projects"},
		"ProjectDetail": {"project", "balance", "contributors", "distributions"},
		"Block":         {"height", "time", "hash", "proposer", "num_txs", "app_hash", "result_app_hash", "results_stored", "txs", "events"},
		"BlockSummary":  {"height", "time", "hash", "proposer", "num_txs", "app_hash"}, "BlockTx": {"hash", "signer", "messages", "code", "log"},
		"Proposal": {"kind", "proposer", "status", "tally", "threshold",
			"eligible", "voting_end", "closed_at", "result", "params", "validator"}} {
		sc, _ := doc.Components.Schemas[schema].(map[string]any)
		props, _ := sc["properties"].(map[string]any)
		for _, f := range fields {
			if props[f] == nil {
				t.Errorf("schema %s has no property %s", schema, f)
			}
		}
	}
}

func fetch(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestCORS(t *testing.T) {
	tests := []struct {
		name, origin, method string
		allowed              []string
		wantCode             int
		wantAllow            string
	}{
		{"listed origin", "https://a.example", "GET", []string{"https://a.example"}, 200, "https://a.example"},
		{"other origin", "https://b.example", "GET", []string{"https://a.example"}, 200, ""},
		{"any origin", "https://b.example", "GET", []string{"*"}, 200, "*"},
		{"no origins configured", "https://a.example", "GET", nil, 200, ""},
		{"preflight", "https://a.example", "OPTIONS", []string{"https://a.example"}, 204, "https://a.example"},
		{"preflight refused", "https://b.example", "OPTIONS", []string{"https://a.example"}, 204, ""},
	}
	l := newLedger(t, 2, 1, 1, api.Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := api.New(l.chain.App, api.Options{CORSOrigins: tc.allowed})
			req := httptest.NewRequest(tc.method, "/api/v1/status", nil)
			req.Header.Set("Origin", tc.origin)
			if tc.method == "OPTIONS" {
				req.Header.Set("Access-Control-Request-Method", "GET")
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.wantCode || w.Header().Get("Access-Control-Allow-Origin") != tc.wantAllow {
				t.Fatalf("got %d allow-origin %q, want %d %q", w.Code, w.Header().Get("Access-Control-Allow-Origin"), tc.wantCode, tc.wantAllow)
			}
		})
	}
}

func TestNotReadableWithoutNode(t *testing.T) {
	l := newLedger(t, 2, 1, 1, api.Options{})
	tests := []struct {
		method, path string
		code         int
		message      string
	}{
		{"POST", "/api/v1/claims", 405, "method POST is not allowed; this API is read-only (GET)"},
		{"DELETE", "/api/v1/members/x", 405, "method DELETE is not allowed; this API is read-only (GET)"},
		{"GET", "/api/v1/txs/" + strings.Repeat("ab", 32), 503, "this server has no tx index (it is not running inside a node)"},
		{"GET", "/api/v1/blocks", 503, "this server has no block store (it is not running inside a node)"},
		{"GET", "/api/v1/blocks/1", 503, "this server has no block store (it is not running inside a node)"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, l.srv.URL+tc.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.code || e.Code != tc.code || e.Message != tc.message {
				t.Fatalf("got %d %+v, want %d %q", resp.StatusCode, e, tc.code, tc.message)
			}
		})
	}
}

func TestExplorerAssets(t *testing.T) {
	l := newLedger(t, 2, 1, 1, api.Options{})
	tests := []struct {
		path, contentType string
		code              int
	}{
		{"/", "text/html; charset=utf-8", 200},
		{"/app.js", "text/javascript; charset=utf-8", 200},
		{"/style.css", "text/css; charset=utf-8", 200},
		{"/favicon.svg", "image/svg+xml", 200},
		{"/nope.html", "text/plain; charset=utf-8", 404},
	}
	for _, tc := range tests {
		resp, err := http.Get(l.srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code || resp.Header.Get("Content-Type") != tc.contentType {
			t.Errorf("GET %s: %d %q, want %d %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.code, tc.contentType)
		}
		if tc.code == 200 && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("GET %s: no strict CSP", tc.path)
		}
	}
}

// TestClaimPagesMatchTheModule checks, page by page, that /claims hands its paging and status
// filter to the claims module's query (the API has no listing code of its own) and answers what
// the module's ABCI query answers.
func TestClaimPagesMatchTheModule(t *testing.T) {
	l := newLedger(t, 3, 3, 7, api.Options{}) // 63 claims: 21 pending, the rest verified or rejected
	for _, status := range []string{"", "pending", "verified", "rejected"} {
		for _, page := range []struct{ offset, limit int }{{0, 20}, {5, 7}, {20, 100}, {60, 10}, {63, 5}, {1000, 1}} {
			var got struct {
				Total uint64
				Items []struct{ ID uint64 }
			}
			path := fmt.Sprintf("/api/v1/claims?offset=%d&limit=%d", page.offset, page.limit)
			if status != "" {
				path += "&status=" + status
			}
			if code := l.get(t, path, &got); code != 200 {
				t.Fatalf("GET %s: %d", path, code)
			}
			req := &claims.QueryClaimsRequest{Offset: uint64(page.offset), Limit: uint64(page.limit)}
			for i, name := range []string{"pending", "verified", "rejected"} {
				if name == status {
					req.Status = claims.ClaimStatus(i + 1)
				}
			}
			var want claims.QueryClaimsResponse
			if err := l.chain.Query("/claims/claims", req, &want); err != nil {
				t.Fatal(err)
			}
			var gotIDs, wantIDs []uint64
			for _, c := range got.Items {
				gotIDs = append(gotIDs, c.ID)
			}
			for _, c := range want.Claims {
				wantIDs = append(wantIDs, c.Id)
			}
			if got.Total != want.Total || !slices.Equal(gotIDs, wantIDs) {
				t.Errorf("GET %s: total %d ids %v; the module says %d %v", path, got.Total, gotIDs, want.Total, wantIDs)
			}
		}
	}
}

// The OpenAPI document passes the checks a standard linter (Redocly's recommended rules) failed it
// on: every nullable schema has a type beside it, servers are present, and security is declared
// (empty: the API is public). `npx @redocly/cli lint` on the served document reports it valid.
func TestOpenAPILintRules(t *testing.T) {
	l := newLedger(t, 2, 1, 1, api.Options{})
	var doc map[string]any
	if code := l.get(t, "/api/v1/openapi.json", &doc); code != 200 {
		t.Fatalf("GET openapi.json: %d", code)
	}
	if s, _ := doc["servers"].([]any); len(s) == 0 {
		t.Fatal("no servers")
	}
	if _, ok := doc["security"]; !ok {
		t.Fatal("no security declaration")
	}
	var walk func(path string, v any)
	nullable := 0
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["nullable"] == true {
				nullable++
				if _, ok := x["type"]; !ok {
					t.Errorf("%s: nullable without a type", path)
				}
			}
			for k, c := range x {
				walk(path+"."+k, c)
			}
		case []any:
			for i, c := range x {
				walk(path+"["+strconv.Itoa(i)+"]", c)
			}
		}
	}
	walk("", doc)
	if nullable == 0 {
		t.Fatal("no nullable schemas seen: the walk did not reach the schemas")
	}
}

// ?format=csv serves a list's items as CSV, one column per scalar field with nested objects
// flattened, the header even when empty; another format is a 400.
func TestCSVDownloads(t *testing.T) {
	l := newLedger(t, 2, 1, 1, api.Options{})
	get := func(path string) (int, string, string) {
		t.Helper()
		resp, err := http.Get(l.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	code, ctype, body := get("/api/v1/claims?format=csv&limit=5")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if code != 200 || !strings.HasPrefix(ctype, "text/csv") || len(lines) < 2 ||
		!strings.HasPrefix(lines[0], "id,claimant.address,claimant.handle,category,summary,start,end,") {
		t.Fatalf("claims CSV: %d %s\n%s", code, ctype, body)
	}
	for _, path := range []string{"/api/v1/supply/history?format=csv"} {
		if code, ctype, body := get(path); code != 200 || !strings.HasPrefix(ctype, "text/csv") || !strings.HasPrefix(body, "day,minted,") {
			t.Fatalf("%s: %d %s\n%s", path, code, ctype, body)
		}
	}
	if code, _, body := get("/api/v1/claims?format=xml"); code != 400 || !strings.Contains(body, "use json (the default) or csv") {
		t.Fatalf("format xml: %d %s", code, body)
	}
}

// ?height= answers as of an earlier kept block (its height and block time); a height above the
// latest, zero or malformed is a 400.
func TestHeightParameter(t *testing.T) {
	l := newLedger(t, 2, 1, 1, api.Options{})
	var latest struct {
		Height int64 `json:"height"`
	}
	if code := l.get(t, "/api/v1/status", &latest); code != 200 || latest.Height < 2 {
		t.Fatalf("status: %d, height %d", code, latest.Height)
	}
	var at1, now struct {
		Height    int64  `json:"height"`
		BlockTime string `json:"block_time"`
	}
	if code := l.get(t, "/api/v1/supply?height=1", &at1); code != 200 || at1.Height != 1 {
		t.Fatalf("supply at height 1: %d, answered as of height %d", code, at1.Height)
	}
	if code := l.get(t, "/api/v1/supply", &now); code != 200 || now.Height != latest.Height || now.BlockTime == at1.BlockTime {
		t.Fatalf("supply now: %d, height %d, block time %s (at height 1: %s)", code, now.Height, now.BlockTime, at1.BlockTime)
	}
	for _, bad := range []string{"0", "x", strconv.FormatInt(latest.Height+1, 10)} {
		var e struct {
			Message string `json:"message"`
		}
		if code := l.get(t, "/api/v1/supply?height="+bad, &e); code != 400 || !strings.Contains(e.Message, "give a block height from 1 to the latest") {
			t.Fatalf("height %s: %d %q", bad, code, e.Message)
		}
	}
}

// Server.Query, the API as the node answers it over ABCI: the same bytes as GET, the height read
// at (the ABCI height becomes ?height=), and the API's refusals as query errors with its message.
func TestQueryOverABCI(t *testing.T) {
	l := newLedger(t, 2, 1, 1, api.Options{})
	s := api.New(l.chain.App, api.Options{})
	got, h, err := s.Query("/api/v1/claims/1", 0)
	if err != nil || h != l.chain.Height {
		t.Fatalf("claim 1: height %d (latest %d), %v", h, l.chain.Height, err)
	}
	if want := fetch(t, l.srv.URL+"/api/v1/claims/1"); string(got) != want {
		t.Fatalf("ABCI %s\nHTTP %s", got, want)
	}
	if _, h, err := s.Query("/api/v1/supply", 1); err != nil || h != 1 {
		t.Fatalf("supply at height 1: answered at %d, %v", h, err)
	}
	if _, h, err := s.Query("/api/v1/supply?height=1", 2); err != nil || h != 1 {
		t.Fatalf("the path's own ?height= wins: answered at %d, %v", h, err)
	}
	for _, c := range []struct {
		path string
		want *core.Error
		msg  string
	}{
		{"/api/v1/claims/99", app.ErrNotFound, "no claim 99"},
		{"/api/v1/claims/x", app.ErrBadQuery, "is not a number"},
		{"/api/v1/claims?status=lost", app.ErrBadQuery, "is not one of pending"},
		{"/api/v1/nowhere", app.ErrNotFound, "/api/v1/nowhere"},
		{"/explorer", app.ErrBadQuery, "not an API path"},
	} {
		_, _, err := s.Query(c.path, 0)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v; want %v with %q", c.path, err, c.want, c.msg)
		}
	}
}
