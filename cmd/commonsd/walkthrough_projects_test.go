package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
)

// TestREADMEProjectsWalkthrough runs the README's projects walkthrough through the CLI against a
// devnet node: a project, three tagged claims of 1, 2 and 4 hours verified, their shares in ppm,
// 70 hours paid in and distributed as 10, 20 and 40 hours, and the same period refused a second
// time with code 710. The attestation window is 3 s instead of 30; START, END and ACCOUNT are the
// values the README tells the reader to fill in.
func TestREADMEProjectsWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("node-level test")
	}
	d := startREADMEDevnet(t, "### Projects walkthrough", func(g *app.GenesisState) { g.Claims.Params.AttestationWindow = 3 })
	section, c, F, exec, run := d.section, d.c, d.F, d.exec, d.run
	// fill runs a README command whose placeholders the reader replaces: the README line is checked
	// with the placeholders, the command runs with the values.
	fill := func(want []string, values map[string]string, args ...string) string {
		t.Helper()
		if line := readmeLine(args...); !strings.Contains(section, line) {
			t.Fatalf("the README's projects walkthrough lacks %q", line)
		}
		filled := make([]string, len(args))
		for i, a := range args {
			if v, ok := values[a]; ok {
				a = v
			}
			filled[i] = a
		}
		return exec(want, filled...)
	}
	start := time.Now().UTC().Add(-time.Hour).Truncate(time.Second).Format(time.RFC3339)

	run([]string{"project_created", "handle=garden"}, "tx", "projects", "create", "garden", "--name", "Community garden", "--steward", "judy", "--from", "carol")
	run([]string{"project garden (1): Community garden", "balance:   0 hours"}, "query", "project", "garden")
	for _, w := range []struct{ who, summary, d string }{{"grace", "Weeding", "1h"}, {"heidi", "Compost bins", "2h"}, {"ivan", "Raised beds", "4h"}} {
		run([]string{"claim_submitted", "project=garden"}, "tx", "claim", "submit", "--category", "ecology", "--summary", w.summary,
			"--duration", w.d, "--project", "garden", "--from", w.who)
	}
	mustContain(t, section, "for id in 1 2 3; do for m in alice bob; do $B tx attest $id approve --from $m; done; done", "sleep 30")
	for _, id := range []string{"1", "2", "3"} {
		for _, m := range []string{"alice", "bob"} {
			exec([]string{"attested"}, "tx", "attest", id, "approve", "--from", m)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, _ := cli(t, append([]string{"query", "claim", "3"}, F...)...)
		if strings.Contains(out, "claim 3: verified") {
			mustContain(t, out, "project:   garden")
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("claim 3 not verified after 20 s:\n%s", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	end := st.SyncInfo.LatestBlockTime.UTC().Truncate(time.Second).Add(time.Second).Format(time.RFC3339)
	time.Sleep(time.Second) // the next blocks' time passes END, so the period has ended
	period := map[string]string{"START": start, "END": end}
	out := fill(nil, period, "query", "project-shares", "garden", "--from", "START", "--to", "END")
	mustContain(t, out, "7 hours in 3 verified claims", "grace  1 hour  142857 ppm", "heidi  2 hours  285714 ppm", "ivan  4 hours  571429 ppm")

	var view struct {
		Project struct{ Account string } `json:"project"`
	}
	if err := json.Unmarshal([]byte(exec(nil, "query", "project", "garden", "-o", "json")), &view); err != nil || view.Project.Account == "" {
		t.Fatalf("query project -o json: %v %+v", err, view)
	}
	fill([]string{"code:   0 (ok)"}, map[string]string{"ACCOUNT": view.Project.Account}, "tx", "transfer", "ACCOUNT", "70", "--from", "alice")
	fill([]string{"distribution ", "total=70000000uhour", "contributors=3"}, period, "tx", "projects", "distribute", "garden", "--start", "START", "--end", "END", "--from", "judy")
	run([]string{"1 distribution", "70 hours by", "grace  1 hour  paid 10 hours", "heidi  2 hours  paid 20 hours", "ivan  4 hours  paid 40 hours"},
		"query", "distributions", "garden")
	out, _ = cli(t, append([]string{"tx", "projects", "distribute", "garden", "--start", start, "--end", end, "--from", "judy"}, F...)...)
	mustContain(t, out, "710", "a period is distributed once")
	mustContain(t, section, "# code 710: a period is distributed once")
}
