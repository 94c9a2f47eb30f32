package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"

	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
)

// TestRemoteSigner is docs/operating.md's "Remote signer" example as real processes: the devnet
// validator's key and sign state move to a signer home, the node's config.toml sets
// priv_validator_laddr, and `commonsd signer` dials it; the node, which no longer holds the key,
// makes blocks signed by the remote signer. Stopping the signer stops block production.
func TestRemoteSigner(t *testing.T) {
	if testing.Short() {
		t.Skip("process-level test")
	}
	p := newProcNode(t)
	doc := readGenesis(t, p.home)
	signerHome := t.TempDir()
	for _, f := range []string{"config/priv_validator_key.json", "data/priv_validator_state.json"} {
		bz, err := os.ReadFile(filepath.Join(p.home, f))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(signerHome, f)), 0o700)
		if err := os.WriteFile(filepath.Join(signerHome, f), bz, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(filepath.Join(p.home, "config", "priv_validator_key.json")) // the node keeps no key
	conf, err := node.LoadCometConfig(p.home)
	if err != nil {
		t.Fatal(err)
	}
	laddr := "tcp://" + freePort(t)
	conf.PrivValidatorListenAddr = laddr
	cmtcfg.WriteConfigFile(filepath.Join(p.home, "config", "config.toml"), conf)

	log, err := os.Create(filepath.Join(signerHome, "signer.log"))
	if err != nil {
		t.Fatal(err)
	}
	signer := exec.Command(binary, "signer", "--home", signerHome, "--validator-addr", laddr, "--chain-id", doc.ChainID)
	signer.Stdout, signer.Stderr = log, log
	if err := signer.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { signer.Process.Kill(); signer.Wait() })
	p.start()
	p.waitHeight(5)
	if out := string(p.logTail(20000)); !strings.Contains(out, "waiting for the remote signer") {
		t.Fatalf("the node did not use the remote signer:\n%s", tail([]byte(out), 2000))
	}
	signer.Process.Kill()
	signer.Wait()
	time.Sleep(2 * time.Second)
	h := p.height()
	time.Sleep(3 * time.Second)
	if after := p.height(); after > h+1 {
		out, _ := os.ReadFile(filepath.Join(signerHome, "signer.log"))
		t.Fatalf("blocks went on without the signer: %d then %d\n%s", h, after, tail(out, 1000))
	}
}
