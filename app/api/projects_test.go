package api_test

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
)

// TestProjectsEndpoints: a project with two contributors (1 h and 2 h) and a distribution of 9
// hours is listed, shown with its balance, contributors and distribution, and its shares over a
// period sum to 1,000,000 ppm; the claim page names its project. Unknown projects are 404, a
// missing or reversed period 400.
func TestProjectsEndpoints(t *testing.T) {
	f := []apptest.Key{apptest.NewKey("member0"), apptest.NewKey("member1"), apptest.NewKey("member2")}
	c := apptest.NewChain(t, "", apptest.ContribGenesis(100_000_000, f...))
	c.Block()
	must := func(k apptest.Key, msgs ...*auth.Msg) { apptest.MustExec(t, c, k, msgs...) }
	must(f[0], apptest.CreateProject("garden", "Community garden", f[1]))
	from := c.Time
	must(f[0], apptest.ProjectClaim(c.HoursAgo(2), c.HoursAgo(1), "care", "garden"))
	must(f[1], apptest.ProjectClaim(c.HoursAgo(3), c.HoursAgo(1), "care", "garden"))
	must(f[2], apptest.Approve(1), apptest.Approve(2))
	must(f[1], apptest.Approve(1))
	must(f[0], apptest.Approve(2))
	c.Settle(8 * 24 * time.Hour)
	to := c.Time.Add(time.Second)
	must(f[2], apptest.Transfer(apptest.ProjectAccount(1), 9_000_000))
	must(f[1], apptest.Distribute("garden", from, to))
	must(f[2], apptest.Transfer(apptest.ProjectAccount(1), 500_000))
	srv := httptest.NewServer(api.New(c.App, api.Options{}))
	t.Cleanup(srv.Close)
	l := &ledger{srv: srv, chain: c}

	var list struct {
		Total uint64 `json:"total"`
		Items []struct {
			Handle      string `json:"handle"`
			Account     string `json:"account"`
			Distributed uint64 `json:"distributed"`
		} `json:"items"`
	}
	if code := l.get(t, "/api/v1/projects", &list); code != 200 || list.Total != 1 || list.Items[0].Handle != "garden" ||
		list.Items[0].Account != apptest.ProjectAccount(1).String() || list.Items[0].Distributed != 9_000_000 {
		t.Fatalf("GET /projects: %d %+v", code, list)
	}
	type share struct {
		Contributor struct{ Address, Handle string } `json:"contributor"`
		Uhours      uint64                           `json:"uhours"`
		Ppm         uint64                           `json:"ppm"`
	}
	var detail struct {
		Project      struct{ Handle string } `json:"project"`
		Balance      uint64                  `json:"balance"`
		Contributors []share                 `json:"contributors"`
		Distribution struct {
			Total uint64 `json:"total"`
			Items []struct {
				Total   uint64 `json:"total"`
				Payouts []struct {
					Contributor struct{ Handle string } `json:"contributor"`
					Amount      uint64                  `json:"amount"`
				} `json:"payouts"`
			} `json:"items"`
		} `json:"distributions"`
	}
	if code := l.get(t, "/api/v1/projects/garden", &detail); code != 200 || detail.Balance != 500_000 || len(detail.Contributors) != 2 ||
		detail.Distribution.Total != 1 || len(detail.Distribution.Items[0].Payouts) != 2 {
		t.Fatalf("GET /projects/garden: %d %+v", code, detail)
	}
	paid := map[string]uint64{}
	for _, p := range detail.Distribution.Items[0].Payouts {
		paid[p.Contributor.Handle] = p.Amount
	}
	if paid["member0"] != 3_000_000 || paid["member1"] != 6_000_000 {
		t.Fatalf("payouts %v, want member0 3 hours and member1 6", paid)
	}
	var shares struct {
		Uhours uint64  `json:"uhours"`
		Shares []share `json:"shares"`
	}
	path := fmt.Sprintf("/api/v1/projects/garden/shares?from=%d&to=%s", from.Unix(), to.Format(time.RFC3339))
	if code := l.get(t, path, &shares); code != 200 || shares.Uhours != 3_000_000 || len(shares.Shares) != 2 ||
		shares.Shares[0].Ppm+shares.Shares[1].Ppm != 1_000_000 {
		t.Fatalf("GET %s: %d %+v", path, code, shares)
	}
	var claim struct {
		Claim struct{ Project string } `json:"claim"`
	}
	if code := l.get(t, "/api/v1/claims/1", &claim); code != 200 || claim.Claim.Project != "garden" {
		t.Fatalf("GET /claims/1: %d %+v", code, claim)
	}
	for path, want := range map[string]int{"/api/v1/projects/orchard": 404, "/api/v1/projects/orchard/shares?from=1&to=2": 404,
		"/api/v1/projects/garden/shares": 400, "/api/v1/projects/garden/shares?from=2&to=1": 400, "/api/v1/projects/garden/shares?from=x&to=1": 400} {
		if code := l.get(t, path, nil); code != want {
			t.Errorf("GET %s: %d, want %d", path, code, want)
		}
	}
}
