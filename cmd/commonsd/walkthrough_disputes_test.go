package main

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
)

// readmeSection returns the README section that starts with heading, up to the next heading of
// the same or a higher level.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	bz, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(bz)
	i := strings.Index(s, "\n"+heading)
	if i < 0 {
		t.Fatalf("README has no %q", heading)
	}
	s = s[i+1+len(heading):]
	level := heading[:strings.IndexByte(heading, ' ')+1] // "### "
	for _, h := range []string{"\n## ", "\n" + level} {
		if j := strings.Index(s, h); j >= 0 {
			s = s[:j]
		}
	}
	return s
}

// readmeLine is how the README writes a command: "$B ARGS", arguments with spaces in double quotes.
func readmeLine(args ...string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = a
		if strings.ContainsAny(a, " '") {
			q[i] = `"` + a + `"`
		}
	}
	return "$B " + strings.Join(q, " ")
}

// TestREADMEDisputeWalkthrough runs the README's disputes walkthrough, command for command, through
// the CLI against a devnet node, after the contribution loop it continues (so the claim is claim 2).
// The windows are shorter (3 s attestation, 6 s jury), and where the README sleeps the test waits
// for the state the README then shows. Every command it runs must appear in the README's section.
func TestREADMEDisputeWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("node-level test")
	}
	d := startREADMEDevnet(t, "### Disputes walkthrough", func(g *app.GenesisState) {
		if g.Disputes.Params.JurySize != 3 || g.Disputes.Params.JuryWindow != 30 || g.Disputes.Params.AppealWindow != 60 ||
			g.Disputes.Params.DisputeWindow != 300 || g.Claims.Params.AttestationWindow != 30 {
			t.Fatalf("the README states the devnet's windows; genesis has disputes %+v, attestation_window %d",
				g.Disputes.Params, g.Claims.Params.AttestationWindow)
		}
		g.Claims.Params.AttestationWindow = 3
		g.Disputes.Params.JuryWindow = 6
	})
	section, home, F, exec, run := d.section, d.home, d.F, d.exec, d.run
	// waitFor polls a README command until its output has until (the README sleeps instead).
	waitFor := func(until string, args ...string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			out, err := cli(t, append(args, F...)...)
			if err == nil && strings.Contains(out, until) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("commonsd %s: no %q after 20 s:\n%s", strings.Join(args, " "), until, out)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	kr, err := keyring.Open(home, keyring.BackendTest, nil)
	if err != nil {
		t.Fatal(err)
	}
	keyName := map[string]string{} // address → key name
	recs, err := kr.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		keyName[r.Address] = r.Name
	}

	// The contribution loop before it (claim 1, carol's), as the README's walkthrough runs it.
	exec([]string{`created key "dana"`}, "keys", "add", "dana")
	exec([]string{"member_vouched"}, "tx", "vouch", "dana", "--handle", "dana", "--from", "alice")
	exec([]string{"member_admitted"}, "tx", "vouch", "dana", "--from", "bob")
	exec([]string{"claim_submitted claim_id=1"}, "tx", "claim", "submit", "--category", "care",
		"--summary", "Evening shift at the food bank", "--duration", "1h30m", "--from", "carol")
	exec([]string{"attested"}, "tx", "attest", "1", "approve", "--from", "alice")
	exec([]string{"attested"}, "tx", "attest", "1", "approve", "--from", "bob")
	keyName[strings.TrimSpace(exec(nil, "keys", "show", "dana", "-a"))] = "dana"

	// frank's claim, verified.
	run([]string{"claim_submitted claim_id=2", "duration=2000000uhour"}, "tx", "claim", "submit", "--category", "code",
		"--summary", "Fixed the rota app's login bug", "--duration", "2h", "--from", "frank")
	run([]string{"attested"}, "tx", "attest", "2", "approve", "--from", "grace")
	run([]string{"attested"}, "tx", "attest", "2", "approve", "--from", "heidi")
	mustContain(t, section, "sleep 30", "# claim 2: verified, 2 hours of code", "# balance: 2 hours")
	waitFor("claim 2: verified", "query", "claim", "2")
	run([]string{"claim 2: verified, 2 hours of code"}, "query", "claim", "2")
	run([]string{"balance:  2 hours (2000000uhour)"}, "query", "account", "frank")
	run([]string{"code:   0 (ok)", "transfer sender="}, "tx", "transfer", "grace", "1", "--from", "frank")

	// ivan's dispute and its jury of 3, by handle.
	run([]string{"dispute_opened dispute_id=1 claim_id=2"}, "tx", "dispute", "open", "2",
		"--reason", "The rota app had no commits that day", "--from", "ivan")
	waitFor("jury:", "query", "dispute", "1")
	out := run([]string{"dispute 1: voting, on claim 2 by frank", "disputant: ivan,", "reason:    The rota app had no commits that day",
		"(round 1)", "votes:     0 uphold, 0 dismiss"}, "query", "dispute", "1")
	first := juryOf(t, out, exec, keyName, 3)
	for _, j := range first {
		if slices.Contains([]string{"frank", "grace", "heidi", "ivan"}, j) {
			t.Fatalf("%s is on the jury: the claimant, attestors and disputant are excluded (jury %v)", j, first)
		}
	}
	mustContain(t, section, "for j in JUROR1 JUROR2 JUROR3; do $B tx dispute vote 1 uphold --from $j; done")
	for _, j := range first {
		exec([]string{"jury_vote dispute_id=1", "vote=uphold round=1"}, "tx", "dispute", "vote", "1", "uphold", "--from", j)
	}
	waitFor("dispute 1: upheld", "query", "dispute", "1")
	run([]string{"dispute 1: upheld, on claim 2 by frank", "votes:     3 uphold, 0 dismiss", "decided:   upheld at", ": majority",
		"appeal:    the losing side may appeal until"}, "query", "dispute", "1")

	// frank appeals; the appeal jury of 7 excludes the first jury; it upholds, final.
	run([]string{"dispute_appealed dispute_id=1 claim_id=2", "first_outcome=upheld"}, "tx", "dispute", "appeal", "1", "--from", "frank")
	waitFor("(round 3)", "query", "dispute", "1")
	out = run([]string{"dispute 1: appealed, on claim 2 by frank", "first:     upheld at", "majority (3 uphold, 0 dismiss; jury " + strings.Join(first, ", ") + ")",
		"appealed:  by frank at", "(round 3)"}, "query", "dispute", "1")
	appeal := juryOf(t, out, exec, keyName, 7)
	for _, j := range appeal {
		if slices.Contains(first, j) || slices.Contains([]string{"frank", "grace", "heidi", "ivan"}, j) {
			t.Fatalf("%s is on the appeal jury %v (first jury %v)", j, appeal, first)
		}
	}
	mustContain(t, section, "for j in J1 J2 J3 J4 J5 J6 J7; do $B tx dispute vote 1 uphold --from $j; done")
	for _, j := range appeal {
		exec([]string{"jury_vote dispute_id=1", "vote=uphold round=3"}, "tx", "dispute", "vote", "1", "uphold", "--from", j)
	}
	waitFor("final:     yes", "query", "dispute", "1")
	run([]string{"dispute 1: upheld, on claim 2 by frank", "votes:     7 uphold, 0 dismiss", "decided:   upheld at",
		": appeal: majority", "final:     yes"}, "query", "dispute", "1")
	run([]string{"1 matching", "dispute 1: upheld"}, "query", "disputes", "--status", "upheld")

	// The reversal, in the block that made the dispute final.
	run([]string{"claim 2: reversed, 2 hours of code", "reversed:  by dispute 1 at", "1 hour burned, 1 hour left as the claimant's debt"},
		"query", "claim", "2")
	run([]string{"balance:  0 hours (0uhour)", "debt:     1 hour (from reversed claims"}, "query", "account", "frank")
	out = run([]string{"4 entries", "debt", "burn", "transfer_out", "mint", "claim 2"}, "query", "account-history", "frank")
	if !regexp.MustCompile(`(?s)debt .*1 hour.*claim 2.*burn .*1 hour.*claim 2.*transfer_out.*mint .*2 hours.*claim 2`).MatchString(out) {
		t.Fatalf("frank's history, newest first, is not debt, burn, transfer_out, mint:\n%s", out)
	}
	run([]string{"claims:    1 verified (2 hours), 1 reversed (2 hours)", "strikes:   1 active, 1 ever", "as claimant of claim 2 (dispute 1)", "debt:      1 hour"},
		"query", "record", "frank")
	for _, approver := range []string{"grace", "heidi"} {
		exec([]string{"verdicts:  1 approval given (1 on claims later reversed)", "strikes:   1 active", "as approver of claim 2 (dispute 1)"},
			"query", "record", approver)
	}
	run([]string{"reversed:    2 hours (1 hour burned, 1 hour still owed as debt)", "1 reversed"}, "query", "supply")
	mustContain(t, section, "# claim 2: reversed; reversed: by dispute 1 …: 1 hour burned, 1 hour left as the claimant's debt",
		"# balance: 0 hours; debt: 1 hour", "# reversed: 2 hours (1 hour burned, 1 hour still owed as debt)")
}

// juryOf reads the jury line of `query dispute` text (handles), checks it has size distinct members
// and that it names the same members as -o json does by address, and returns the handles.
func juryOf(t *testing.T, text string, exec func([]string, ...string) string, keyName map[string]string, size int) []string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^  jury:      (.+) \(round \d\)$`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no jury line:\n%s", text)
	}
	jury := strings.Split(m[1], ", ")
	var res struct {
		Dispute struct {
			Jurors []struct {
				Address string `json:"address"`
			} `json:"jurors"`
		} `json:"dispute"`
	}
	if err := json.Unmarshal([]byte(exec(nil, "query", "dispute", "1", "-o", "json")), &res); err != nil {
		t.Fatal(err)
	}
	if len(jury) != size || len(res.Dispute.Jurors) != size {
		t.Fatalf("jury of %d wanted; text %v, json %v", size, jury, res.Dispute.Jurors)
	}
	for i, j := range res.Dispute.Jurors {
		if a := j.Address; keyName[a] != jury[i] {
			t.Fatalf("juror %d: text says %q, json %s (key %q)", i, jury[i], a, keyName[a])
		}
		if slices.Index(jury, jury[i]) != i {
			t.Fatalf("juror %s drawn twice: %v", jury[i], jury)
		}
	}
	return jury
}

// mustContain fails unless s contains every want.
func mustContain(t *testing.T, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Fatalf("the README's disputes walkthrough lacks %q", w)
		}
	}
}
