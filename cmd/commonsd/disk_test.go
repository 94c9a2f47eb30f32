package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
)

// stop ends the node with SIGTERM (a clean shutdown: Badger flushes its memtable into a table
// file) and waits for it.
func (p *procNode) stop() {
	p.t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.exited(); code != 0 {
		p.t.Fatalf("node exited with %d on SIGTERM; log tail:\n%s", code, p.logTail(2000))
	}
}

// copyTree copies the regular files of from into to.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStartRefusesDamagedState damages the state database of a stopped node in several ways and
// requires `commonsd start` to exit non-zero, before CometBFT starts, with a message that names
// the damaged file and says what to do, rather than start on whatever Badger would make of it.
func TestStartRefusesDamagedState(t *testing.T) {
	if testing.Short() {
		t.Skip("process-level test")
	}
	p := newProcNode(t)
	p.start()
	p.waitHeight(4)
	p.stop()
	dbDir := node.AppDBDir(p.home)
	tables, _ := filepath.Glob(filepath.Join(dbDir, "*.sst"))
	if len(tables) == 0 {
		t.Fatalf("no table file in %s after a clean stop", dbDir)
	}
	table := filepath.Base(tables[0])

	tests := []struct {
		name, file string
		f          func([]byte) []byte
		phrase     string
	}{
		{"table truncated", table, func(b []byte) []byte { return b[:len(b)/2] }, table},
		{"table byte flipped", table, func(b []byte) []byte { b[len(b)/3] ^= 0x5a; return b }, table},
		{"table deleted", table, func([]byte) []byte { return nil }, table},
		{"MANIFEST deleted", "MANIFEST", func([]byte) []byte { return nil }, "MANIFEST is missing"},
		{"MANIFEST truncated", "MANIFEST", func(b []byte) []byte { return b[:len(b)/2] }, "not listed in MANIFEST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			copyTree(t, p.home, home)
			damage(t, filepath.Join(node.AppDBDir(home), tc.file), tc.f)
			cmd := exec.Command(binary, "start", "--home", home, "--api-enable=false")
			done := make(chan struct{})
			var out []byte
			var err error
			go func() { out, err = cmd.CombinedOutput(); close(done) }()
			select {
			case <-done:
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("node still running on a damaged database; output:\n%s", tail(out, 2000))
			}
			if err == nil || cmd.ProcessState.ExitCode() == 0 {
				t.Fatalf("start exited 0 on a damaged database; output:\n%s", tail(out, 2000))
			}
			msg := string(out)
			for _, want := range []string{"state database is damaged", tc.phrase, "restore"} {
				if !strings.Contains(msg, want) {
					t.Fatalf("output does not say %q:\n%s", want, tail(out, 2000))
				}
			}
			if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine ") {
				t.Fatalf("start crashed instead of refusing:\n%s", tail(out, 2000))
			}
			for _, line := range strings.Split(msg, "\n") {
				if strings.Contains(line, "damaged") {
					t.Logf("exit %d: %s", cmd.ProcessState.ExitCode(), strings.ReplaceAll(line, home, "<home>"))
				}
			}
		})
	}
	t.Run("undamaged copy starts", func(t *testing.T) {
		p.start()
		p.waitHeight(6)
		p.kill()
	})
}

// damage rewrites the file at path with f; a nil result deletes it.
func damage(t *testing.T, path string, f func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if out := f(b); out == nil {
		err = os.Remove(path)
	} else {
		err = os.WriteFile(path, out, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}
