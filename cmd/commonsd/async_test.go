package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
)

// Five back-to-back --async txs from one key all go in, a tx signed offline goes in too, and a
// --dry-run sends nothing: each is signed with the sequence the node's mempool expects next
// (/app/pending-account). Before, the second failed with "sequence already used".
func TestBackToBackAsyncTxs(t *testing.T) {
	if testing.Short() {
		t.Skip("node-level test")
	}
	home := t.TempDir()
	rpc := freePort(t)
	if err := initDevnet(home, node.InitOptions{BlockTime: time.Second, RPCAddr: "tcp://" + rpc, P2PAddr: "tcp://" + freePort(t)}); err != nil {
		t.Fatal(err)
	}
	n, c := startInProcess(t, home)
	defer n.Stop()
	waitHeightC(t, c, 2)
	F := []string{"--home", home, "--keyring-backend", "test", "--node", "tcp://" + rpc}
	for i := 0; i < 5; i++ {
		mustCLI(t, []string{"code:   0 (ok)"}, append([]string{"tx", "transfer", "bob", "1", "--from", "alice", "--async"}, F...)...)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		out := mustCLI(t, nil, append([]string{"query", "account", "bob"}, F...)...)
		if strings.Contains(out, "balance:  105 hours") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("bob did not receive the five hours:\n%s", out)
		}
		time.Sleep(200 * time.Millisecond)
	}

	// Offline signing: the unsigned tx from --generate-only (alice by address: the online machine
	// needs no key), signed by tx sign without a node, sent by tx broadcast.
	alice := strings.TrimSpace(mustCLI(t, nil, append([]string{"keys", "show", "alice", "-a"}, F...)...))
	unsigned := mustCLI(t, []string{`"chain_id": "commons-devnet"`, `"sequence": "5"`, `"amount": "1000000"`},
		append([]string{"tx", "transfer", "bob", "1", "--from", alice, "--generate-only"}, F...)...)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "unsigned.json"), []byte(unsigned), 0o600)
	signed := mustCLI(t, nil, "tx", "sign", filepath.Join(dir, "unsigned.json"), "--from", "alice", "--home", home, "--keyring-backend", "test",
		"--node", "tcp://127.0.0.1:1") // no node: signing never asks one
	os.WriteFile(filepath.Join(dir, "signed.txt"), []byte(signed), 0o600)
	mustCLI(t, []string{"code:   0 (ok)", "height:"}, append([]string{"tx", "broadcast", filepath.Join(dir, "signed.txt")}, F...)...)
	mustCLI(t, []string{"balance:  106 hours"}, append([]string{"query", "account", "bob"}, F...)...)
	if _, err := cli(t, append([]string{"tx", "broadcast", filepath.Join(dir, "unsigned.json")}, F...)...); err == nil || !strings.Contains(err.Error(), "not a signed tx") {
		t.Fatalf("broadcasting the unsigned file: %v", err)
	}

	// --dry-run runs the tx on the node's current state and sends nothing: a transfer that would
	// pass shows its events; one beyond alice's balance shows the code it would get.
	mustCLI(t, []string{"status: dry run: the tx would pass now; nothing was sent", "transfer"},
		append([]string{"tx", "transfer", "bob", "1", "--from", "alice", "--dry-run"}, F...)...)
	out, err := cli(t, append([]string{"tx", "transfer", "bob", "1000", "--from", "alice", "--dry-run"}, F...)...)
	if err == nil || !strings.Contains(err.Error(), "would be rejected (dry run; nothing was sent)") || !strings.Contains(out, "status: dry run: nothing was sent") {
		t.Fatalf("a dry run beyond the balance: %v\n%s", err, out)
	}
	time.Sleep(2 * time.Second) // a block or two: nothing was sent, so nothing changes
	mustCLI(t, []string{"balance:  106 hours"}, append([]string{"query", "account", "bob"}, F...)...)
}

// On a terminal a tx command shows the messages and asks; anything but y or yes cancels before
// signing; --yes skips the question; without a terminal nothing is asked (scripts work as before).
func TestConfirmTx(t *testing.T) {
	msgs := []*auth.Msg{{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: "commons1bob", Amount: 2_500_000}}}}
	run := func(tty bool, input string, yes bool) (string, error) {
		saved := stdinIsTerminal
		defer func() { stdinIsTerminal = saved }()
		stdinIsTerminal = func(io.Reader) bool { return tty }
		cmd := newTxCmd()
		var errOut bytes.Buffer
		cmd.SetIn(strings.NewReader(input))
		cmd.SetErr(&errOut)
		cmd.Flags().AddFlagSet(cmd.PersistentFlags()) // as Execute merges them
		if yes {
			cmd.Flags().Set("yes", "true")
		}
		err := confirmTx(cmd, "alice", "commons-devnet", "", msgs)
		return errOut.String(), err
	}
	if out, err := run(true, "n\n", false); err == nil || !strings.Contains(err.Error(), "nothing was signed") ||
		!strings.Contains(out, "signing as alice on chain commons-devnet") || !strings.Contains(out, `"amount": "2500000"`) || !strings.Contains(out, "confirm? [y/N]") {
		t.Fatalf("answer n: %v\n%q", err, out)
	}
	if _, err := run(true, "yes\n", false); err != nil {
		t.Fatalf("answer yes: %v", err)
	}
	if out, err := run(true, "", true); err != nil || out != "" {
		t.Fatalf("--yes: %v %q", err, out)
	}
	if out, err := run(false, "", false); err != nil || out != "" {
		t.Fatalf("no terminal: %v %q", err, out)
	}
}
