package main

import (
	"strings"
	"testing"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
)

// readmeDevnet is a devnet node running one README walkthrough: the walkthrough's section, the
// node's client, and the flags ($F) every command gets.
type readmeDevnet struct {
	t       *testing.T
	heading string
	section string
	home    string
	c       *client.Client
	F       []string
}

// startREADMEDevnet inits a devnet (200 ms blocks) for the README section under heading, lets
// setup check and change its genesis (the test's shorter windows), starts the node until the test
// ends and waits for block 2.
func startREADMEDevnet(t *testing.T, heading string, setup func(g *app.GenesisState)) *readmeDevnet {
	t.Helper()
	d := &readmeDevnet{t: t, heading: heading, section: readmeSection(t, heading)}
	d.home, _ = fastDevnet(t, setup)
	n, c := startInProcess(t, d.home)
	t.Cleanup(func() { _ = n.Stop() })
	waitHeightC(t, c, 2)
	d.c, d.F = c, []string{"--home", d.home, "--keyring-backend", "test", "--node", n.Conf.RPC.ListenAddress}
	return d
}

// exec runs a command with $F and checks its output has every want.
func (d *readmeDevnet) exec(want []string, args ...string) string {
	d.t.Helper()
	return mustCLI(d.t, want, append(args, d.F...)...)
}

// run is exec for a command the README's section shows as is.
func (d *readmeDevnet) run(want []string, args ...string) string {
	d.t.Helper()
	if line := readmeLine(args...); !strings.Contains(d.section, line+" ") && !strings.Contains(d.section, line+"\n") {
		d.t.Fatalf("the README's %q lacks %q", d.heading, line)
	}
	return d.exec(want, args...)
}
