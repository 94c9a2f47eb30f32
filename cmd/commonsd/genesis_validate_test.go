package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
)

// editGenesisFile rewrites a genesis file's app_state through edit.
func editGenesisFile(t *testing.T, path string, edit func(g *app.GenesisState)) {
	t.Helper()
	doc, err := cmttypes.GenesisDocFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := app.ParseGenesis(doc.AppState)
	if g == nil {
		t.Fatal("app_state does not decode")
	}
	edit(g)
	bz, err := app.MarshalGenesis(g)
	if err != nil {
		t.Fatal(err)
	}
	doc.AppState = json.RawMessage(bz)
	if err := doc.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// editStatement rewrites one statement file through edit (without signing it again).
func editStatement(t *testing.T, path string, edit func(s *Statement)) {
	t.Helper()
	bz, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s Statement
	if err := json.Unmarshal(bz, &s); err != nil {
		t.Fatal(err)
	}
	edit(&s)
	bz, _ = json.MarshalIndent(s, "", "  ")
	if err := os.WriteFile(path, bz, 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyCeremony copies the coordinator's final genesis and gentxs/ into a fresh directory.
func copyCeremony(t *testing.T, c *ceremony) (genesis, gentxs string) {
	t.Helper()
	dir := t.TempDir()
	genesis, gentxs = filepath.Join(dir, "genesis.json"), filepath.Join(dir, "gentxs")
	copyFile(t, c.genesis, genesis)
	os.MkdirAll(gentxs, 0o755)
	entries, _ := os.ReadDir(c.gentxs)
	for _, e := range entries {
		copyFile(t, filepath.Join(c.gentxs, e.Name()), filepath.Join(gentxs, e.Name()))
	}
	return genesis, gentxs
}

// TestGenesisValidateRejects (issue 15, must-show 3): `genesis validate` rejects, each with a
// message naming the field, too few founders, a duplicate handle, a bad param, a statement with a
// bad signature, two statements for one validator key, and a genesis without validators; it passes
// the ceremony's own genesis. collect refuses the two bad statement sets too and changes nothing.
func TestGenesisValidateRejects(t *testing.T) {
	c := newCeremony(t, "commons-validate", "production", []string{"ana", "ben", "cleo"}, []string{"alice", "bob", "carol", "dave"})
	draft, draftGentxs := copyCeremony(t, c) // before collect: no validators yet
	c.run([]string{"added 3 validators"}, append([]string{"genesis", "collect", c.gentxs, "--genesis", c.genesis}, kt(t.TempDir())...)...)
	c.run([]string{"is valid", "4 founders, 3 validators, each with a valid statement"}, "genesis", "validate", c.genesis, "--gentxs", c.gentxs)

	// ana signs a second statement for the same node, under another moniker.
	ana := c.ops[0]
	second := filepath.Join(ana.work, "gentx-ana2.json")
	c.run(nil, append([]string{"genesis", "gentx", "--moniker", "ana2", "--from", "ana", "--p2p", ana.p2p,
		"--genesis", draft, "--output", second}, kt(ana.home)...)...)

	// gentx refuses a port the node does not listen on and a wildcard host; no statement holds the
	// validator's private key.
	for _, p2p := range []string{"127.0.0.1:1", "0.0.0.0:" + strings.Split(ana.p2p, ":")[1]} {
		if out, err := cli(t, append([]string{"genesis", "gentx", "--from", "ana", "--p2p", p2p, "--genesis", draft,
			"--output", filepath.Join(t.TempDir(), "x.json")}, kt(ana.home)...)...); err == nil {
			t.Fatalf("gentx --p2p %s was accepted:\n%s", p2p, out)
		}
	}
	for _, op := range c.ops {
		var pv struct {
			PrivKey struct{ Value string } `json:"priv_key"`
		}
		bz, _ := os.ReadFile(filepath.Join(op.home, "config", "priv_validator_key.json"))
		stmt, _ := os.ReadFile(filepath.Join(c.gentxs, "gentx-"+op.name+".json"))
		if err := json.Unmarshal(bz, &pv); err != nil || len(pv.PrivKey.Value) < 40 || strings.Contains(string(stmt), pv.PrivKey.Value) ||
			strings.Contains(string(stmt), pv.PrivKey.Value[:40]) {
			t.Fatalf("%s: the statement holds the validator's private key, or the key file did not parse (%v)", op.name, err)
		}
	}

	for _, tc := range []struct {
		name    string
		gentxs  bool // validate with --gentxs
		prepare func(genesis, gentxs string)
		want    []string // lines of the output, each naming the field
	}{
		{"too few founders", false, func(genesis, _ string) {
			editGenesisFile(t, genesis, func(g *app.GenesisState) { g.Members.Members = g.Members.Members[:1] })
		}, []string{"app_state.members.members: 1 founding members, fewer than app_state.members.params.vouches_to_join (2)"}},
		{"duplicate handle", false, func(genesis, _ string) {
			editGenesisFile(t, genesis, func(g *app.GenesisState) { g.Members.Members[2].Handle = "alice" })
		}, []string{`app_state.members.members[2].handle: "alice" is also members[0]'s handle`}},
		{"bad param", false, func(genesis, _ string) {
			editGenesisFile(t, genesis, func(g *app.GenesisState) { g.Claims.Params.AttestationWindow = 0 })
		}, []string{"app_state.claims.params: attestation_window 0 must be between 1 and"}},
		{"two bad params, a bad founder address and a bad handle at once", false, func(genesis, _ string) {
			editGenesisFile(t, genesis, func(g *app.GenesisState) {
				g.Members.Params.VouchesToJoin = 1
				g.Disputes.Params.JurySize = 4
				g.Members.Members[1].Address = "commons1nope"
				g.Members.Members[3].Handle = "Dave"
			})
		}, []string{"app_state.members.params: vouches_to_join 1 must be between 2 and 100",
			"app_state.disputes.params: jury_size 4 must be odd",
			"app_state.members.members[1].address:",
			`app_state.members.members[3].handle: invalid handle: "Dave" has upper-case letters`}},
		{"bad signature", true, func(_, gentxs string) {
			editStatement(t, filepath.Join(gentxs, "gentx-ben.json"), func(s *Statement) {
				sig, _ := base64.StdEncoding.DecodeString(s.Signature)
				sig[7] ^= 1
				s.Signature = base64.StdEncoding.EncodeToString(sig)
			})
		}, []string{"gentx-ben.json: signature: does not verify with operator_pub_key"}},
		{"a statement changed after signing", true, func(_, gentxs string) {
			editStatement(t, filepath.Join(gentxs, "gentx-cleo.json"), func(s *Statement) { s.Power = 1000 })
		}, []string{"gentx-cleo.json: signature: does not verify with operator_pub_key",
			`validators[2]: "cleo" with power 10, but its statement says "cleo" with power 1000`}},
		{"two statements for one validator key", true, func(_, gentxs string) {
			copyFile(t, second, filepath.Join(gentxs, "gentx-ana2.json"))
		}, []string{"gentx-ana2.json: pub_key: the same validator key as", "gentx-ana.json"}},
		{"a statement for another draft", true, func(genesis, _ string) {
			editGenesisFile(t, genesis, func(g *app.GenesisState) { g.Members.Members = g.Members.Members[:3] })
		}, []string{"gentx-ana.json: genesis_hash:", "the operator signed for another draft"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			genesis, gentxs := copyCeremony(t, c)
			tc.prepare(genesis, gentxs)
			args := []string{"genesis", "validate", genesis}
			if tc.gentxs {
				args = append(args, "--gentxs", gentxs)
			}
			out, err := cli(t, args...)
			if err == nil || !strings.Contains(err.Error(), "problem(s)") {
				t.Fatalf("validate accepted it (%v):\n%s", err, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Fatalf("output lacks %q:\n%s", w, out)
				}
			}
			t.Logf("validate:\n%s", out)
		})
	}

	// collect refuses the bad signature and the duplicate key too, and leaves the draft unchanged.
	for _, bad := range []func(gentxs string){
		func(gentxs string) {
			editStatement(t, filepath.Join(gentxs, "gentx-ben.json"), func(s *Statement) { s.Moniker = "mallory" })
		},
		func(gentxs string) { copyFile(t, second, filepath.Join(gentxs, "gentx-ana2.json")) },
	} {
		genesis, gentxs := filepath.Join(t.TempDir(), "genesis.json"), t.TempDir()
		copyFile(t, draft, genesis)
		entries, _ := os.ReadDir(draftGentxs)
		for _, e := range entries {
			copyFile(t, filepath.Join(draftGentxs, e.Name()), filepath.Join(gentxs, e.Name()))
		}
		bad(gentxs)
		before, _ := os.ReadFile(genesis)
		out, err := cli(t, append([]string{"genesis", "collect", gentxs, "--genesis", genesis}, kt(t.TempDir())...)...)
		after, _ := os.ReadFile(genesis)
		if err == nil || string(before) != string(after) || !strings.Contains(out, ": signature:") && !strings.Contains(out, ": pub_key:") {
			t.Fatalf("collect with a bad statement: err %v, file changed %v:\n%s", err, string(before) != string(after), out)
		}
	}

	// The draft: everything but validators is fine.
	out, err := cli(t, "genesis", "validate", draft)
	if err == nil || strings.TrimSpace(out) != "validators: none yet: each operator runs `commonsd genesis gentx`, then one runs `commonsd genesis collect DIR`" {
		t.Fatalf("the draft: want only the missing validators, got %v:\n%s", err, out)
	}
}

// TestGenesisAddFounderRefusesDuplicates: the same address or handle twice is refused and the file
// is left as it was; a founder's joined_at is the genesis time; --balance funds the founder.
func TestGenesisAddFounderRefusesDuplicates(t *testing.T) {
	dir := t.TempDir()
	genesis := filepath.Join(dir, "genesis.json")
	mustCLI(t, nil, "genesis", "new", "--chain-id", "dup-1", "--profile", "devnet", "--output", genesis)
	if _, err := cli(t, "genesis", "new", "--chain-id", "dup-1", "--profile", "devnet", "--output", genesis); err == nil {
		t.Fatal("genesis new overwrote an existing file")
	}
	if _, err := cli(t, "genesis", "new", "--chain-id", "dup-1", "--profile", "staging", "--output", filepath.Join(dir, "x.json")); err == nil {
		t.Fatal("an unknown profile was accepted")
	}
	kr := kt(dir)
	mustCLI(t, nil, append([]string{"keys", "add", "alice"}, kr...)...)
	mustCLI(t, nil, append([]string{"keys", "add", "bob"}, kr...)...)
	bob := strings.TrimSpace(mustCLI(t, nil, append([]string{"keys", "show", "bob", "-a"}, kr...)...))
	// By key name from the local keyring, and by address.
	mustCLI(t, []string{"added founder alice", "with 12.5 hours", "1 founders"}, append([]string{"genesis", "add-founder", "alice", "--handle", "alice", "--balance", "12.5", "--genesis", genesis}, kr...)...)
	mustCLI(t, []string{"added founder bob", "2 founders"}, "genesis", "add-founder", bob, "--handle", "bob", "--genesis", genesis)
	before, _ := os.ReadFile(genesis)
	for _, args := range [][]string{
		{"genesis", "add-founder", bob, "--handle", "robert", "--genesis", genesis},
		{"genesis", "add-founder", "commons1qj33q9frjmyh6hf3qggjdmdw8mnc9x3gtf70et", "--handle", "bob", "--genesis", genesis},
	} {
		out, err := cli(t, args...)
		if err == nil || !strings.Contains(err.Error(), "already") {
			t.Fatalf("%v: want a refusal, got %v\n%s", args, err, out)
		}
	}
	if after, _ := os.ReadFile(genesis); string(after) != string(before) {
		t.Fatal("a refused add-founder changed the file")
	}
	doc, err := cmttypes.GenesisDocFromFile(genesis)
	if err != nil {
		t.Fatal(err)
	}
	g, err := app.ParseGenesis(doc.AppState)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Members.Members) != 2 || g.Members.Members[0].JoinedAt != doc.GenesisTime.Unix() || g.Members.Members[1].JoinedAt != doc.GenesisTime.Unix() ||
		len(g.Bank.Accounts) != 1 || g.Bank.Accounts[0].Balance != 12_500_000 || g.Claims.Params.AttestationWindow != 30 ||
		doc.ConsensusParams.Block.MaxBytes != node.MaxBlockBytes {
		t.Fatalf("genesis: members %v, accounts %v, attestation_window %d", g.Members.Members, g.Bank.Accounts, g.Claims.Params.AttestationWindow)
	}
}

// TestInitWithoutGenesisPrintsTheSteps: `commonsd init` with no genesis to join writes nothing,
// prints the ceremony's steps and exits non-zero; with a genesis it installs it byte for byte, and
// in a home that already has a config it only replaces the genesis with --force.
func TestInitWithoutGenesisPrintsTheSteps(t *testing.T) {
	home := filepath.Join(t.TempDir(), "node")
	out, err := cli(t, "init", "mynode", "--home", home)
	if err == nil || !strings.Contains(err.Error(), "--genesis FILE") {
		t.Fatalf("init without a genesis: %v", err)
	}
	for _, step := range []string{"commonsd genesis new --chain-id", "commonsd genesis add-founder", "commonsd genesis gentx",
		"commonsd genesis collect", "commonsd genesis validate", "commonsd genesis hash", "commonsd start", "docs/new-network.md"} {
		if !strings.Contains(out, step) {
			t.Fatalf("the steps lack %q:\n%s", step, out)
		}
	}
	if _, err := os.Stat(home); !os.IsNotExist(err) {
		t.Fatalf("init without a genesis created %s", home)
	}
	genesis := filepath.Join(t.TempDir(), "genesis.json")
	mustCLI(t, nil, "genesis", "new", "--chain-id", "steps-1", "--profile", "production", "--output", genesis)
	want := strings.Fields(mustCLI(t, nil, "genesis", "hash", genesis))[0]
	mustCLI(t, []string{`initialised node "mynode" for chain "steps-1"`, "sha256:  " + want, "no validators yet"}, "init", "mynode", "--genesis", genesis, "--home", home)
	if got := strings.Fields(mustCLI(t, nil, "genesis", "hash", filepath.Join(home, "config", "genesis.json")))[0]; got != want {
		t.Fatalf("installed genesis hashes to %s, the file to %s", got, want)
	}
	if _, err := cli(t, "start", "--home", home); err == nil || !strings.Contains(err.Error(), "has no validators: it is a genesis ceremony's draft") {
		t.Fatalf("start from a draft: %v", err)
	}
	if _, err := cli(t, "init", "mynode", "--genesis", genesis, "--home", home); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("init over an existing genesis without --force: %v", err)
	}
	if _, err := cli(t, "init", "mynode", "--genesis", genesis, "--home", home, "--force", "--p2p-laddr", "tcp://127.0.0.1:1"); err == nil {
		t.Fatal("init --p2p-laddr in an existing home was accepted (it would be ignored)")
	}
	if _, err := cli(t, "init", "mynode", "--genesis", genesis, "--chain-id", "other-1", "--home", t.TempDir()); err == nil {
		t.Fatal("init --chain-id other than the genesis's was accepted")
	}
}
