package main

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
)

// TestREADMEGovWalkthrough runs the README's governance walkthrough, command for command, through
// the CLI against a fresh devnet node, with a 4-second voting period instead of a minute (where the
// README sleeps, the test waits for the state it then shows). Every command it runs must appear in
// the README's section. It also shows that a bad --set is refused before anything is signed, and that
// the chain refuses params its module rejects.
func TestREADMEGovWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("node-level test")
	}
	d := startREADMEDevnet(t, "### Governance walkthrough", func(g *app.GenesisState) {
		if g.Gov.Params.VotingPeriod != 60 || g.Claims.Params.MinApprovals != 2 || len(g.Members.Members) != 15 {
			t.Fatalf("the README states a minute to vote, min_approvals 2 and 15 founders; genesis has %+v, %d, %d",
				g.Gov.Params, g.Claims.Params.MinApprovals, len(g.Members.Members))
		}
		g.Gov.Params.VotingPeriod = 4
	})
	section, F, exec, run := d.section, d.F, d.exec, d.run

	run([]string{"proposal_submitted proposal_id=1", "kind=params", "module=claims"}, "tx", "gov", "propose", "params", "claims",
		"--set", "min_approvals=3", "--summary", "Three approvals per claim", "--from", "alice")
	mustContain(t, section, "for m in alice bob carol frank grace heidi; do $B tx gov vote 1 yes --from $m; done")
	for _, m := range []string{"alice", "bob", "carol", "frank", "grace", "heidi"} {
		exec([]string{"proposal_vote proposal_id=1", "option=yes"}, "tx", "gov", "vote", "1", "yes", "--from", m)
	}
	run([]string{"option=no"}, "tx", "gov", "vote", "1", "no", "--from", "ivan")
	out := run([]string{"proposal 1: voting, params (claims)", "tally:    6 yes, 1 no, 0 abstain", "voting:   until", `"min_approvals":3`}, "query", "proposal", "1")
	if strings.Count(out, "voted:") != 7 {
		t.Fatalf("seven votes expected:\n%s", out)
	}
	mustContain(t, section, "sleep 60", "# proposal 1: passed", "# min approvals: 3", "# 1 matching")
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(exec(nil, "query", "proposal", "1"), "proposal 1: passed") {
		if time.Now().After(deadline) {
			t.Fatal("proposal 1 did not pass within 20 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	run([]string{"proposal 1: passed", "15 eligible: 6 yes, 1 no, 0 abstain of 15 eligible"}, "query", "proposal", "1")
	run([]string{"min approvals:      3"}, "query", "params")
	run([]string{"1 matching", "proposal 1: passed"}, "query", "proposals", "--status", "passed")

	// Refused before signing: an unknown param name; refused by the chain: a value out of range.
	refused := func(want []string, args ...string) {
		t.Helper()
		out, err := cli(t, append(args, F...)...)
		if err == nil {
			t.Fatalf("commonsd %s succeeded:\n%s", strings.Join(args, " "), out)
		}
		for _, w := range want {
			if !strings.Contains(out+err.Error(), w) {
				t.Fatalf("commonsd %s: %v\n%s\nlacks %q", strings.Join(args, " "), err, out, w)
			}
		}
	}
	refused([]string{`claims params have no "min_aprovals"`, "min_approvals"},
		"tx", "gov", "propose", "params", "claims", "--set", "min_aprovals=3", "--summary", "typo", "--from", "alice")
	refused([]string{"code 604", "claims: min_approvals must be at least 1"},
		"tx", "gov", "propose", "params", "claims", "--set", "min_approvals=0", "--summary", "none", "--from", "alice")
}

// show-validator prints the node's consensus key as its genesis lists it (and a validator proposal
// takes it); a home without a node says how to make one.
func TestShowValidator(t *testing.T) {
	home := t.TempDir()
	if err := initDevnet(home, node.InitOptions{RPCAddr: "tcp://" + freePort(t), P2PAddr: "tcp://" + freePort(t)}); err != nil {
		t.Fatal(err)
	}
	doc := readGenesis(t, home)
	want := base64.StdEncoding.EncodeToString(doc.Validators[0].PubKey.Bytes())
	if out := mustCLI(t, nil, "show-validator", "--home", home); strings.TrimSpace(out) != want {
		t.Fatalf("show-validator %q, genesis validator %q", out, want)
	}
	if _, err := cli(t, "show-validator", "--home", t.TempDir()); err == nil || !strings.Contains(err.Error(), "commonsd init") {
		t.Fatalf("empty home: %v", err)
	}
}

// Help shows boolean flags as --flag, not pflag's --flag[=true|false], and keeps the columns.
func TestHelpShowsBooleanFlagsPlainly(t *testing.T) {
	for _, args := range [][]string{{"sim", "--help"}, {"tx", "transfer", "--help"}, {"start", "--help"}} {
		out := mustCLI(t, nil, args...)
		if strings.Contains(out, "[=true|false]") || !strings.Contains(out, "      --help") && !strings.Contains(out, "  -h, --help  ") {
			t.Fatalf("commonsd %s:\n%s", strings.Join(args, " "), out)
		}
	}
}

// The client configuration: `config set home` in the default home points every command at a
// devnet's home, `config set keyring-backend test` there makes its test keyring the default, so
// `keys list` needs no flags; flags still win; unknown settings are refused.
func TestClientConfig(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("COMMONSD_HOME", "")
	devnet := t.TempDir()
	if err := initDevnet(devnet, node.InitOptions{RPCAddr: "tcp://" + freePort(t), P2PAddr: "tcp://" + freePort(t)}); err != nil {
		t.Fatal(err)
	}
	if out, _ := cli(t, "keys", "list"); strings.Contains(out, "alice") {
		t.Fatalf("keys list found the devnet's keys in an empty default home:\n%s", out)
	}
	mustCLI(t, []string{`home = "` + devnet + `"`}, "config", "set", "home", devnet)
	mustCLI(t, []string{`keyring-backend = "test"`}, "config", "set", "keyring-backend", "test", "--home", devnet)
	mustCLI(t, []string{"test"}, "config", "get", "keyring-backend", "--home", devnet)
	mustCLI(t, []string{"keyring-backend = test"}, "config", "list", "--home", devnet)
	mustCLI(t, []string{"alice", "bob", "victor"}, "keys", "list")
	if out, err := cli(t, "keys", "list", "--keyring-backend", "file"); err == nil && strings.Contains(out, "alice") {
		t.Fatalf("the flag did not win over the client setting:\n%s", out)
	}
	if _, err := cli(t, "config", "set", "colour", "red"); err == nil || !strings.Contains(err.Error(), "the settings are node, chain-id") {
		t.Fatalf("unknown setting: %v", err)
	}
}
