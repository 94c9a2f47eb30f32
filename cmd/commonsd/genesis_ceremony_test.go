package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/members"
)

// ceremonyOperator is one operator's machine: a node home (with the account key in its test
// keyring) and the ports of the node.
type ceremonyOperator struct {
	name, home string
	p2p, rpc   string // 127.0.0.1:PORT
	work       string // the operator's working directory (genesis.json, gentx file)
}

// ceremonyFounder is one founder's laptop: a keyring home with one key.
type ceremonyFounder struct{ name, home, addr string }

// ceremony is a genesis ceremony run through the CLI: operators[0] coordinates (new, add-founder,
// collect) in its working directory.
type ceremony struct {
	t         *testing.T
	chainID   string
	ops       []*ceremonyOperator
	founders  []*ceremonyFounder
	genesis   string // the coordinator's genesis.json
	gentxs    string // the coordinator's gentxs/
	finalHash string
}

// kt are the flags of a command run in home with its test keyring.
func kt(home string) []string { return []string{"--home", home, "--keyring-backend", "test"} }

func (c *ceremony) run(want []string, args ...string) string {
	c.t.Helper()
	return mustCLI(c.t, want, args...)
}

// newCeremony runs the ceremony up to the gentx files in the coordinator's gentxs/ directory: a
// genesis of profile, the founders added by the address each sent, every operator's home from the
// draft, and one statement per operator.
func newCeremony(t *testing.T, chainID, profile string, ops, founders []string) *ceremony {
	t.Helper()
	c := &ceremony{t: t, chainID: chainID}
	for _, name := range ops {
		c.ops = append(c.ops, &ceremonyOperator{name: name, home: t.TempDir(), work: t.TempDir(), p2p: freePort(t), rpc: freePort(t)})
	}
	coord := c.ops[0]
	c.genesis = filepath.Join(coord.work, "genesis.json")
	c.gentxs = filepath.Join(coord.work, "gentxs")
	c.run([]string{"no founders and no validators yet"}, "genesis", "new", "--chain-id", chainID, "--profile", profile, "--output", c.genesis)
	for _, name := range founders {
		f := &ceremonyFounder{name: name, home: t.TempDir()}
		c.run(nil, append([]string{"keys", "add", name}, kt(f.home)...)...)
		f.addr = strings.TrimSpace(c.run(nil, append([]string{"keys", "show", name, "-a"}, kt(f.home)...)...))
		c.run([]string{"added founder " + name}, "genesis", "add-founder", f.addr, "--handle", name, "--genesis", c.genesis)
		c.founders = append(c.founders, f)
	}
	if err := os.MkdirAll(c.gentxs, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, op := range c.ops {
		draft := filepath.Join(op.work, "genesis.json")
		if op != coord {
			copyFile(t, c.genesis, draft)
		}
		c.run([]string{"has no validators yet"}, append([]string{"init", op.name, "--genesis", draft,
			"--p2p-laddr", "tcp://" + op.p2p, "--rpc-laddr", "tcp://" + op.rpc}, kt(op.home)...)...)
		c.run(nil, append([]string{"keys", "add", op.name}, kt(op.home)...)...)
		stmt := filepath.Join(op.work, "gentx-"+op.name+".json")
		c.run([]string{"wrote " + stmt}, append([]string{"genesis", "gentx", "--moniker", op.name, "--from", op.name,
			"--p2p", op.p2p, "--output", stmt}, kt(op.home)...)...)
		copyFile(t, stmt, filepath.Join(c.gentxs, "gentx-"+op.name+".json"))
	}
	return c
}

// finish has the coordinator collect and validate, then every operator copy the final genesis and
// the statements, collect them (which leaves the file as it is and sets its peers), install the
// genesis and compute its hash; every hash must be the coordinator's.
func (c *ceremony) finish() {
	t := c.t
	t.Helper()
	coord := c.ops[0]
	c.run([]string{"added 3 validators", "wrote persistent_peers"}, append([]string{"genesis", "collect", c.gentxs, "--genesis", c.genesis}, kt(coord.home)...)...)
	c.run([]string{"is valid", "4 founders, 3 validators, each with a valid statement"}, "genesis", "validate", c.genesis, "--gentxs", c.gentxs)
	c.finalHash = strings.Fields(c.run(nil, "genesis", "hash", c.genesis))[0]
	for _, op := range c.ops {
		genesis := c.genesis
		if op != coord {
			genesis = filepath.Join(op.work, "genesis.json")
			gentxs := filepath.Join(op.work, "gentxs")
			copyFile(t, c.genesis, genesis)
			os.MkdirAll(gentxs, 0o755)
			for _, o := range c.ops {
				copyFile(t, filepath.Join(c.gentxs, "gentx-"+o.name+".json"), filepath.Join(gentxs, "gentx-"+o.name+".json"))
			}
			c.run([]string{"is valid"}, "genesis", "validate", genesis, "--gentxs", gentxs)
			c.run([]string{"already lists these 3 validators; left as it is", "wrote persistent_peers"},
				append([]string{"genesis", "collect", gentxs, "--genesis", genesis}, kt(op.home)...)...)
		}
		c.run([]string{"installed the genesis of " + c.chainID, "start it with"}, append([]string{"init", op.name, "--genesis", genesis, "--force"}, kt(op.home)...)...)
		for _, file := range []string{genesis, filepath.Join(op.home, "config", "genesis.json")} {
			if h := strings.Fields(c.run(nil, "genesis", "hash", file))[0]; h != c.finalHash {
				t.Fatalf("%s: genesis hash of %s is %s, the coordinator's %s", op.name, file, h, c.finalHash)
			}
		}
		conf, err := node.LoadCometConfig(op.home)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range c.ops {
			if has := strings.Contains(conf.P2P.PersistentPeers, "@"+o.p2p); has != (o != op) {
				t.Fatalf("%s's persistent_peers %q: %s's address %s listed %v", op.name, conf.P2P.PersistentPeers, o.name, o.p2p, has)
			}
		}
	}
}

// start runs every operator's node as its own process and waits for height h on all of them.
func (c *ceremony) start(h int64) []*netNode {
	var nodes []*netNode
	for _, op := range c.ops {
		n := &netNode{home: op.home, c: rpcAt(c.t, op.rpc)}
		n.start(c.t)
		nodes = append(nodes, n)
	}
	c.t.Cleanup(func() { stopAll(nodes) })
	waitAll(c.t, nodes, h)
	return nodes
}

func (c *ceremony) founder(name string) *ceremonyFounder {
	for _, f := range c.founders {
		if f.name == name {
			return f
		}
	}
	c.t.Fatalf("no founder %s", name)
	return nil
}

// rpcAt is a client of the RPC at HOST:PORT.
func rpcAt(t *testing.T, hostPort string) *client.Client {
	t.Helper()
	c, err := client.New("tcp://" + hostPort)
	if err != nil {
		t.Fatal(err)
	}
	c.CommitTimeout = 30 * time.Second
	return c
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	bz, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, bz, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGenesisCeremonyThreeOperators (issue 15, must-show 1): three operators and four founders, each
// with their own home; the founders send their addresses, each operator runs gentx in its own node
// home, the first collects, and all three compute the same `genesis hash` of the final file they
// installed. The three nodes start as separate processes on loopback with the production params and
// make blocks, and founder alice vouches a newcomer in with founder bob.
func TestGenesisCeremonyThreeOperators(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	c := newCeremony(t, "commons-ceremony", "production", []string{"ana", "ben", "cleo"}, []string{"alice", "bob", "carol", "dave"})
	c.finish()
	nodes := c.start(3)

	erinHome := t.TempDir()
	c.run(nil, append([]string{"keys", "add", "erin"}, kt(erinHome)...)...)
	erin := strings.TrimSpace(c.run(nil, append([]string{"keys", "show", "erin", "-a"}, kt(erinHome)...)...))
	var last int64
	for i, v := range []struct{ founder, handle string }{{"alice", "erin"}, {"bob", ""}} {
		f := c.founder(v.founder)
		kr, err := keyring.Open(f.home, keyring.BackendTest, nil)
		if err != nil {
			t.Fatal(err)
		}
		priv, err := kr.PrivKey(v.founder)
		if err != nil {
			t.Fatal(err)
		}
		// Each vouch through another operator's node.
		res, err := nodes[i].c.SignAndBroadcast(context.Background(), priv, c.chainID, "", false,
			&auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: erin, Handle: v.handle}}})
		if err != nil {
			t.Fatalf("%s vouches for erin: %v", v.founder, err)
		}
		t.Logf("%s vouched at height %d", v.founder, res.Height)
		last = res.Height
	}
	waitAll(t, nodes[2:], last) // the third operator's node may be a block behind the one that took the vouch
	out := c.run([]string{"handle:   erin", "status:   probation"}, "query", "member", erin, "--node", "tcp://"+c.ops[2].rpc)
	waitAll(t, nodes, nodes[0].height()+2)
	h := nodes[0].height() - 1
	for _, n := range nodes[1:] {
		if a, b := nodes[0].appHashAfter(t, h), n.appHashAfter(t, h); a != b {
			t.Fatalf("app hash after %d: %s on %s, %s on %s", h, a, nodes[0].home, b, n.home)
		}
	}
	t.Logf("genesis %s; three nodes agree at height %d; erin admitted:\n%s", c.finalHash, h, out)
}
