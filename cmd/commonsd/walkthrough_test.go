package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
)

// cli runs one commonsd command in-process and returns its stdout and error.
func cli(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

// mustCLI runs a command that must succeed and whose output must contain every want.
func mustCLI(t *testing.T, want []string, args ...string) string {
	t.Helper()
	out, err := cli(t, args...)
	if err != nil {
		t.Fatalf("commonsd %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Fatalf("commonsd %s: output lacks %q:\n%s", strings.Join(args, " "), w, out)
		}
	}
	return out
}

// TestREADMEWalkthrough runs the README's walkthrough, command for command, through the CLI against
// a devnet node (with a 3 s attestation window instead of 30 s) and checks what the README promises.
// As the README does, it runs `config set home` once and then gives no --home, --keyring-backend or
// --node flag: the devnet's client.toml names its keyring and RPC address.
func TestREADMEWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("node-level test")
	}
	home, _ := fastDevnet(t, func(g *app.GenesisState) {
		g.Claims.Params.AttestationWindow = 3
	})
	n, c := startInProcess(t, home)
	defer n.Stop()
	waitHeightC(t, c, 2)
	t.Setenv("HOME", t.TempDir()) // an empty default home, whose client.toml points at the devnet
	t.Setenv("COMMONSD_HOME", "")
	run := func(want []string, args ...string) string { return mustCLI(t, want, args...) }
	run([]string{`home = "` + home + `"`}, "config", "set", "home", home)

	run([]string{"chain id:    commons-devnet"}, "status")
	run([]string{"alice", "bob", "carol"}, "keys", "list")
	bob := strings.TrimSpace(run(nil, "keys", "show", "bob", "-a"))
	if !strings.HasPrefix(bob, "commons1") {
		t.Fatalf("keys show -a: %q", bob)
	}
	run([]string{"code:   0 (ok)", "height:", "transfer sender="}, "tx", "transfer", "bob", "2.5", "--from", "alice")
	run([]string{"balance:  102.5 hours (102500000uhour)"}, "query", "account", "bob")
	run([]string{`"balance": 102500000`, `"balance_hours": "102.5"`}, "query", "account", "bob", "-o", "json")
	run([]string{"code:   0 (ok)"}, "tx", "transfer", "carol", "2500000uhour", "--from", "bob")
	for _, bad := range []struct{ amount, want string }{
		{"0", "code 201"}, {"1000", "code 202"},
	} {
		out, err := cli(t, "tx", "transfer", "bob", bad.amount, "--from", "alice")
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Fatalf("transfer %s: want an error with %q, got %v\n%s", bad.amount, bad.want, err, out)
		}
	}

	// The contribution loop.
	run([]string{`created key "dana"`}, "keys", "add", "dana")
	run([]string{"member_vouched", "vouches=1 needed=2"}, "tx", "vouch", "dana", "--handle", "dana", "--from", "alice")
	run([]string{"member_admitted"}, "tx", "vouch", "dana", "--from", "bob")
	run([]string{"status:   probation", "handle:   dana"}, "query", "member", "dana")
	out, err := cli(t, "tx", "claim", "submit", "--category", "care", "--summary", "First shift", "--duration", "1h30m", "--from", "dana")
	if err == nil || !strings.Contains(err.Error(), "code 423") || !strings.Contains(err.Error(), "claim only time since you joined") {
		t.Fatalf("a newcomer's claim of time before joining: want code 423, got %v\n%s", err, out)
	}
	run([]string{"claim_submitted claim_id=1", "duration=1500000uhour"}, "tx", "claim", "submit", "--category", "care",
		"--summary", "Evening shift at the food bank", "--duration", "1h30m", "--from", "carol")
	run([]string{"attested"}, "tx", "attest", "1", "approve", "--note", "I was on the same shift", "--from", "alice")
	run([]string{"attested"}, "tx", "attest", "1", "approve", "--from", "bob")
	run([]string{"claim 1: pending", "approvals: 2, rejections: 0"}, "query", "claim", "1")
	time.Sleep(4 * time.Second)
	run([]string{"claim 1: verified, 1.5 hours of care", "minted:    1.5 hours", `"I was on the same shift"`}, "query", "claim", "1")
	run([]string{"balance:  104 hours (104000000uhour)"}, "query", "account", "carol")
	run([]string{"minted:      1.5 hours", "care       1.5 hours (1 verified claim)"}, "query", "supply")
	run([]string{"1 matching", "claim 1: verified"}, "query", "claims", "--status", "verified")
	run([]string{"categories:         care, code"}, "query", "params")
}
