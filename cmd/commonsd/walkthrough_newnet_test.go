package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
)

// newNetworkDoc is docs/new-network.md.
func newNetworkDoc(t *testing.T) string {
	t.Helper()
	bz, err := os.ReadFile("../../docs/new-network.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(bz)
}

// shellWords splits a command line as sh would for the doc's commands: words separated by spaces,
// double quotes grouping, a " #" comment ending the line.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inQuote, inWord := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '"':
			inQuote, inWord = !inQuote, true
		case c == ' ' && !inQuote:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '#' && !inQuote && !inWord:
			return words
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// TestNewNetworkWalkthrough (issue 15, must-show 4) runs docs/new-network.md command for command, on
// loopback homes: three operators (each with a node home and a working directory), four founders
// and a newcomer, each with their own home. Every command it runs must be in the doc as written; it
// runs it with the substitutions the doc's "Rehearse first" lists (devnet profile, loopback ports,
// the test keyring, a one-minute claim) and the addresses the people send each other. Files sent
// between people are copied between their directories. It ends at the doc's last step: claim 1
// verified.
func TestNewNetworkWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	doc := newNetworkDoc(t)
	type person struct{ name, home, work, p2p, rpc string }
	newPerson := func(name string) *person {
		return &person{name: name, home: t.TempDir(), work: t.TempDir(), p2p: freePort(t), rpc: freePort(t)}
	}
	ana, ben, cleo := newPerson("ana"), newPerson("ben"), newPerson("cleo")
	ops := []*person{ana, ben, cleo}
	people := map[string]*person{}
	for _, n := range []string{"alice", "bob", "carol", "dave", "erin"} {
		people[n] = newPerson(n)
	}
	subs := map[string]string{"production": "devnet", "1h": "1m"}
	for i, op := range ops {
		subs[fmt.Sprintf("203.0.113.%d:26656", i+1)] = op.p2p
		subs[fmt.Sprintf("tcp://203.0.113.%d:26657", i+1)] = "tcp://" + op.rpc
	}
	// run runs the doc's line as p, with the token substitutions of subs and more, in p's working
	// directory and home, and returns the output; wantErr runs a line that must fail.
	exec := func(p *person, line string, more map[string]string, wantErr bool) string {
		t.Helper()
		if !strings.Contains(doc, line) {
			t.Fatalf("docs/new-network.md lacks %q", line)
		}
		words := shellWords(line)
		if words[0] != "commonsd" {
			t.Fatalf("not a commonsd command: %q", line)
		}
		args := words[1:]
		for i, a := range args {
			if v, ok := more[a]; ok {
				args[i] = v
			} else if v, ok := subs[a]; ok {
				args[i] = v
			} else if rest, ok := strings.CutPrefix(a, "~/.commonsd/"); ok {
				args[i] = filepath.Join(p.home, rest)
			}
		}
		t.Chdir(p.work)
		args = append(args, "--home", p.home, "--keyring-backend", "test")
		out, err := cli(t, args...)
		if (err != nil) != wantErr {
			t.Fatalf("%s: commonsd %s: error %v\n%s", p.name, strings.Join(args, " "), err, out)
		}
		return out
	}
	run := func(p *person, line string, more map[string]string, want ...string) string {
		t.Helper()
		out := exec(p, line, more, false)
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Fatalf("%s: %q: output lacks %q:\n%s", p.name, line, w, out)
			}
		}
		return out
	}
	send := func(from, to *person, names ...string) {
		t.Helper()
		for _, n := range names {
			src, dst := filepath.Join(from.work, n), filepath.Join(to.work, n)
			if fi, err := os.Stat(src); err == nil && fi.IsDir() {
				os.MkdirAll(dst, 0o755)
				entries, _ := os.ReadDir(src)
				for _, e := range entries {
					copyFile(t, filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()))
				}
				continue
			}
			copyFile(t, src, dst)
		}
	}
	hashOf := func(out string) string { return strings.Fields(out)[0] }
	rename := func(from, to string) map[string]string { return map[string]string{from: to} }

	// 1. Ana writes the genesis.
	run(ana, "commonsd genesis new --chain-id commons-1 --profile production --output genesis.json", nil, "devnet params")

	// 2. The founders send their addresses.
	for _, n := range []string{"alice", "bob", "carol", "dave"} {
		run(people[n], "commonsd keys add alice", rename("alice", n)) // its output is the keys work's (mnemonic); the address is read next
		addr := strings.TrimSpace(run(people[n], "commonsd keys show alice -a", rename("alice", n)))
		subs["<"+n+"-address>"] = addr
	}

	// 3. Ana adds the founders; validate finds only the missing validators.
	for _, n := range []string{"alice", "bob", "carol", "dave"} {
		run(ana, fmt.Sprintf("commonsd genesis add-founder <%s-address> --handle %s", n, n), nil, "added founder "+n)
	}
	if out := exec(ana, "commonsd genesis validate genesis.json", nil, true); !strings.HasPrefix(out, "validators: none yet") || strings.Count(out, "\n") != 1 {
		t.Fatalf("the draft: validate should report only the missing validators:\n%s", out)
	}
	send(ana, ben, "genesis.json")
	send(ana, cleo, "genesis.json")

	// 4. Each operator: a node home and a signed statement.
	for _, op := range ops {
		n := op.name
		laddr := map[string]string{"tcp://0.0.0.0:26656": "tcp://" + op.p2p, "tcp://0.0.0.0:26657": "tcp://" + op.rpc}
		run(op, fmt.Sprintf("commonsd init %s --genesis genesis.json --p2p-laddr tcp://0.0.0.0:26656 --rpc-laddr tcp://0.0.0.0:26657", n), laddr, "no validators yet")
		run(op, "commonsd keys add "+n, nil)
		i := map[string]int{"ana": 1, "ben": 2, "cleo": 3}[n]
		run(op, fmt.Sprintf("commonsd genesis gentx --moniker %s --from %s --p2p 203.0.113.%d:26656", n, n, i), nil, "wrote gentx-"+n+".json")
	}
	send(ben, ana, "gentx-ben.json")
	send(cleo, ana, "gentx-cleo.json")

	// 5. Ana collects.
	for _, line := range []string{"mkdir gentxs", "mv gentx-ana.json gentx-ben.json gentx-cleo.json gentxs/"} {
		if !strings.Contains(doc, line) {
			t.Fatalf("docs/new-network.md lacks %q", line)
		}
	}
	os.Mkdir(filepath.Join(ana.work, "gentxs"), 0o755)
	for _, n := range []string{"ana", "ben", "cleo"} {
		if err := os.Rename(filepath.Join(ana.work, "gentx-"+n+".json"), filepath.Join(ana.work, "gentxs", "gentx-"+n+".json")); err != nil {
			t.Fatal(err)
		}
	}
	run(ana, "commonsd genesis collect gentxs", nil, "added 3 validators to genesis.json", "wrote persistent_peers")
	run(ana, "commonsd genesis validate genesis.json --gentxs gentxs", nil, "4 founders, 3 validators, each with a valid statement")
	final := hashOf(run(ana, "commonsd genesis hash genesis.json", nil))
	send(ana, ben, "genesis.json", "gentxs")
	send(ana, cleo, "genesis.json", "gentxs")
	run(ana, "commonsd init ana --genesis genesis.json --force", nil, "installed the genesis of commons-1")
	if h := hashOf(run(ana, "commonsd genesis hash ~/.commonsd/config/genesis.json", nil)); h != final {
		t.Fatalf("ana's installed genesis hashes to %s, not %s", h, final)
	}

	// 6. Ben and Cleo check and install.
	for _, op := range []*person{ben, cleo} {
		r := rename("ben", op.name)
		if h := hashOf(run(op, "commonsd genesis hash genesis.json", r)); h != final {
			t.Fatalf("%s received a genesis hashing to %s, not %s", op.name, h, final)
		}
		run(op, "commonsd genesis validate genesis.json --gentxs gentxs", r, "is valid")
		run(op, "commonsd genesis collect gentxs", r, "left as it is", "wrote persistent_peers")
		run(op, "commonsd init ben --genesis genesis.json --force", r, "installed the genesis of commons-1")
		if h := hashOf(run(op, "commonsd genesis hash ~/.commonsd/config/genesis.json", r)); h != final {
			t.Fatalf("%s's installed genesis hashes to %s, not %s", op.name, h, final)
		}
	}

	// 7. Start: `commonsd start` in each home, as its own process.
	if !strings.Contains(doc, "commonsd start\n") {
		t.Fatal("docs/new-network.md lacks `commonsd start`")
	}
	var nodes []*netNode
	for _, op := range ops {
		n := &netNode{home: op.home, c: rpcAt(t, op.rpc)}
		n.start(t)
		nodes = append(nodes, n)
	}
	t.Cleanup(func() { stopAll(nodes) })
	waitAll(t, nodes, 2)
	// caughtUp waits until every node has the blocks the most advanced one has: a tx committed
	// through one operator's node may be a block away on another's.
	caughtUp := func() {
		t.Helper()
		var top int64
		for _, n := range nodes {
			top = max(top, n.height())
		}
		waitAll(t, nodes, top)
	}
	run(people["dave"], "commonsd status --node tcp://203.0.113.1:26657", nil, "chain id:    commons-1")

	// 8. The first vouch.
	erin := people["erin"]
	run(erin, "commonsd keys add erin", nil)
	subs["<erin-address>"] = strings.TrimSpace(run(erin, "commonsd keys show erin -a", nil))
	run(people["alice"], "commonsd tx vouch <erin-address> --handle erin --from alice --node tcp://203.0.113.1:26657", nil, "code:   0 (ok)", "vouches=1 needed=2")
	caughtUp()
	run(people["bob"], "commonsd tx vouch <erin-address> --from bob --node tcp://203.0.113.2:26657", nil, "code:   0 (ok)", "member_admitted")
	caughtUp()
	run(people["carol"], "commonsd query member <erin-address> --node tcp://203.0.113.3:26657", nil, "handle:   erin", "status:   probation")

	// 9. The first verified claim: carol's minute, once the chain is a minute old (nobody claims
	// time before joining, and founders joined at the genesis time).
	gdoc := readGenesis(t, ana.home)
	for start := time.Now(); ; time.Sleep(500 * time.Millisecond) {
		st, err := nodes[0].c.Status(context.Background())
		if err == nil && st.SyncInfo.LatestBlockTime.Sub(gdoc.GenesisTime) > 62*time.Second {
			break
		}
		if time.Since(start) > 2*time.Minute {
			t.Fatalf("the chain is not a minute past its genesis time after 2 minutes: %v %v", st, err)
		}
	}
	run(people["carol"], `commonsd tx claim submit --category community --summary "Set up the commons" --duration 1h --from carol --node tcp://203.0.113.3:26657`, nil,
		"code:   0 (ok)", "claim_submitted claim_id=1")
	caughtUp()
	run(people["alice"], "commonsd tx attest 1 approve --from alice --node tcp://203.0.113.1:26657", nil, "attested")
	run(people["bob"], "commonsd tx attest 1 approve --from bob --node tcp://203.0.113.2:26657", nil, "attested")
	deadline := time.Now().Add(60 * time.Second)
	for {
		out := run(people["dave"], "commonsd query claim 1 --node tcp://203.0.113.1:26657", nil)
		if strings.Contains(out, "claim 1: verified") {
			t.Logf("genesis %s; the first verified claim:\n%s", final, out)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("claim 1 not verified after the attestation window:\n%s", out)
		}
		time.Sleep(time.Second)
	}
}

// TestNewNetworkParamsDocumented: docs/new-network.md lists every production param (the modules'
// DefaultParams, as `genesis new --profile production` writes them) once, with its value.
func TestNewNetworkParamsDocumented(t *testing.T) {
	doc := newNetworkDoc(t)
	line := regexp.MustCompile("(?m)^- `([a-z]+)\\.([a-z_]+)` = `([^`]*)`: .+$")
	documented := map[string]string{}
	for _, m := range line.FindAllStringSubmatch(doc, -1) {
		key := m[1] + "." + m[2]
		if _, dup := documented[key]; dup {
			t.Fatalf("%s documented twice", key)
		}
		documented[key] = m[3]
	}
	bz, err := app.MarshalGenesis(app.DefaultGenesis())
	if err != nil {
		t.Fatal(err)
	}
	var g map[string]map[string]json.RawMessage
	if err := json.Unmarshal(bz, &g); err != nil {
		t.Fatal(err)
	}
	count := 0
	for module, section := range g {
		var params map[string]any
		if err := json.Unmarshal(section["params"], &params); err != nil {
			t.Fatal(err)
		}
		for name, v := range params {
			count++
			var want string
			switch v := v.(type) {
			case []any:
				parts := make([]string, len(v))
				for i, p := range v {
					parts[i] = fmt.Sprint(p)
				}
				want = strings.Join(parts, ",")
			default:
				want = fmt.Sprint(v)
			}
			key := module + "." + name
			got, ok := documented[key]
			if !ok {
				t.Errorf("docs/new-network.md does not document %s (production value %s)", key, want)
			} else if got != want {
				t.Errorf("docs/new-network.md: %s = %s, but the production value is %s", key, got, want)
			}
			delete(documented, key)
		}
	}
	for key := range documented {
		t.Errorf("docs/new-network.md documents %s, which is no param", key)
	}
	if count < 30 {
		t.Fatalf("only %d params found", count)
	}
}
