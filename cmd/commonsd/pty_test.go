//go:build linux

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: the master end the test types into and reads from, the
// slave end the command runs on as its controlling terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pty slave: %v", err)
	}
	return master, slave
}

// onTerminal runs the built commonsd with args on a pseudo-terminal, answers its first question
// (after "confirm? [y/N]") with answer, and returns all it printed and its exit error.
func onTerminal(t *testing.T, answer string, args ...string) (string, error) {
	t.Helper()
	master, slave := openPTY(t)
	defer master.Close()
	cmd := exec.Command(binary, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	var mu sync.Mutex
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { // the terminal's screen: everything the command writes
		defer close(done)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			mu.Unlock()
			if err != nil { // EIO once the command has exited and closed the terminal
				return
			}
		}
	}()
	screen := func() string { mu.Lock(); defer mu.Unlock(); return out.String() }
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(screen(), "confirm? [y/N]") {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("commonsd %s asked nothing on a terminal:\n%s", strings.Join(args, " "), screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := io.WriteString(master, answer+"\n"); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	return screen(), err
}

// TestConfirmOnATerminal: on a real terminal (a pseudo-terminal), a transfer shows what will be
// signed and asks; "n" signs and sends nothing (the balance does not move), "y" sends it.
func TestConfirmOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("node-level test")
	}
	home, _ := fastDevnet(t, func(*app.GenesisState) {})
	n, c := startInProcess(t, home)
	defer n.Stop()
	waitHeightC(t, c, 2)
	F := []string{"--home", home}
	balanceLine := regexp.MustCompile(`balance:[^\n]*`) // the output's height line moves on
	balance := func() string {
		return balanceLine.FindString(mustCLI(t, []string{"balance:"}, append([]string{"query", "account", "bob"}, F...)...))
	}
	before := balance()
	out, err := onTerminal(t, "n", append([]string{"tx", "transfer", "bob", "2", "--from", "alice"}, F...)...)
	if err == nil || !strings.Contains(out, "signing as alice") || !strings.Contains(out, `"amount": "2000000"`) || !strings.Contains(out, "nothing was signed") {
		t.Fatalf("answering n: %v\n%s", err, out)
	}
	time.Sleep(time.Second) // a few blocks: nothing was sent, so nothing moves
	if after := balance(); after != before {
		t.Fatalf("answering n moved bob's balance:\n%s\n%s", before, after)
	}
	out, err = onTerminal(t, "y", append([]string{"tx", "transfer", "bob", "2", "--from", "alice"}, F...)...)
	if err != nil || !strings.Contains(out, "code:   0 (ok)") {
		t.Fatalf("answering y: %v\n%s", err, out)
	}
	mustCLI(t, []string{"balance:  102 hours"}, append([]string{"query", "account", "bob"}, F...)...)
}
