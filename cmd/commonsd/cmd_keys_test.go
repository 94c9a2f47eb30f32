package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
)

// cliIn runs one commonsd command in-process with stdin as its standard input.
func cliIn(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

// mustFail runs a command that must fail with an error containing want.
func mustFail(t *testing.T, stdin, want string, args ...string) {
	t.Helper()
	out, err := cliIn(t, stdin, args...)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("commonsd %s: got %v (output %q), want an error saying %q", strings.Join(args, " "), err, out, want)
	}
}

// mnemonicOf finds the 24-word line in the text output of `keys add`.
func mnemonicOf(t *testing.T, out string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if len(strings.Fields(line)) == keyring.MnemonicWords && strings.ToLower(line) == line {
			return line
		}
	}
	t.Fatalf("no mnemonic in:\n%s", out)
	return ""
}

func addressOf(t *testing.T, out string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if a, ok := strings.CutPrefix(line, "address: "); ok {
			return a
		}
	}
	t.Fatalf("no address in:\n%s", out)
	return ""
}

// The mnemonic of 256 zero bits and its address on keyring.HDPath (keyring.TestMnemonicKnownVector
// checks the private key it derives against an independent SLIP-0010 computation).
const (
	knownMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon " +
		"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"
	knownAddress = "commons1pywgxt6s0n9qmv2vqgd8vpvcw73j2t2648j9gz"
)

// Must show 2: add, delete, add --recover with the printed mnemonic gives the same address, on the
// default (encrypted file) backend; a fixed mnemonic gives a fixed address; bad mnemonics are refused.
func TestKeysAddDeleteRecover(t *testing.T) {
	t.Setenv(keyring.PassphraseEnv, "correct horse battery")
	h := []string{"--home", t.TempDir()}
	out := mustCLI(t, []string{`created key "alice"`, "path:    m/44'/118'/0'/0'/0'", "WRITE DOWN THESE 24 WORDS", "shown only this once"},
		append([]string{"keys", "add", "alice"}, h...)...)
	addr, mnemonic := addressOf(t, out), mnemonicOf(t, out)
	mustCLI(t, []string{`deleted key "alice"`}, append([]string{"keys", "delete", "alice"}, h...)...)
	mustFail(t, "", "key not found", append([]string{"keys", "show", "alice"}, h...)...)

	out, err := cliIn(t, mnemonic+"\n", append([]string{"keys", "add", "alice", "--recover"}, h...)...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `recovered key "alice"`) || addressOf(t, out) != addr {
		t.Fatalf("recovered another key (want %s):\n%s", addr, out)
	}
	if strings.Contains(out, mnemonic) {
		t.Fatal("--recover printed the mnemonic again")
	}
	mustCLI(t, []string{addr}, append([]string{"keys", "show", "alice", "-a"}, h...)...)
	mustCLI(t, []string{"path:    m/44'/118'/0'/0'/0' (from a mnemonic)"}, append([]string{"keys", "show", "alice"}, h...)...)

	// An existing name is refused before the mnemonic is read.
	mustFail(t, mnemonic+"\n", `a key named "alice" already exists`, append([]string{"keys", "add", "alice", "--recover"}, h...)...)
	mustFail(t, "", `a key named "alice" already exists`, append([]string{"keys", "add", "alice"}, h...)...)

	// The known vector, written here: the same words always give the same address.
	out, err = cliIn(t, knownMnemonic+"\n", append([]string{"keys", "add", "vector", "--recover"}, h...)...)
	if err != nil {
		t.Fatal(err)
	}
	if got := addressOf(t, out); got != knownAddress {
		t.Fatalf("known mnemonic gave %s, want %s", got, knownAddress)
	}

	// Bad mnemonics: each refused with what to fix, and no key stored.
	words := strings.Fields(mnemonic)
	wrongWord := strings.Join(append(append([]string(nil), words[:4]...), append([]string{"notaword"}, words[5:]...)...), " ")
	swapped := append([]string(nil), words...)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	if swapped[0] == swapped[1] {
		swapped[0], swapped[2] = swapped[2], swapped[0]
	}
	for _, c := range []struct{ stdin, want string }{
		{"", "no mnemonic on standard input"},
		{strings.Join(words[:12], " ") + "\n", "it has 12 words; a commonsd mnemonic has 24"},
		{wrongWord + "\n", "word 5 is not in the BIP-39 English word list"},
		{strings.Replace(knownMnemonic, " art", " zoo", 1) + "\n", "checksum does not match"},
	} {
		mustFail(t, c.stdin, c.want, append([]string{"keys", "add", "bob", "--recover"}, h...)...)
	}
	// Swapping two words breaks the checksum in all but about 1 in 256 mnemonics.
	if out, err := cliIn(t, strings.Join(swapped, " ")+"\n", append([]string{"keys", "add", "bob", "--recover"}, h...)...); err == nil {
		if addressOf(t, out) == addr {
			t.Fatal("swapped words restored the same key")
		}
		mustCLI(t, nil, append([]string{"keys", "delete", "bob"}, h...)...)
	}
	mustFail(t, "", "key not found", append([]string{"keys", "show", "bob"}, h...)...)

	// With -o json the mnemonic is in the JSON, and it restores the same key too.
	out = mustCLI(t, nil, append([]string{"keys", "add", "carol", "-o", "json"}, h...)...)
	var v struct {
		Address, Mnemonic string
		HDPath            string `json:"hd_path"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(strings.Fields(v.Mnemonic)) != 24 || v.HDPath != keyring.HDPath {
		t.Fatalf("json mnemonic %q on %q", v.Mnemonic, v.HDPath)
	}
	out, err = cliIn(t, v.Mnemonic, append([]string{"keys", "add", "carol2", "--recover", "-o", "json"}, h...)...)
	if err != nil || !strings.Contains(out, `"address": "`+v.Address+`"`) {
		t.Fatalf("json recover: %v\n%s", err, out)
	}
}

// Must show 2: export then import round-trips on another keyring, and a wrong export passphrase is
// refused.
func TestKeysExportImport(t *testing.T) {
	t.Setenv(keyring.PassphraseEnv, "correct horse battery")
	t.Setenv(keyring.ExportPassphraseEnv, "export passphrase")
	src, dst := []string{"--home", t.TempDir()}, []string{"--home", t.TempDir(), "--keyring-backend", "test"}
	addr := addressOf(t, mustCLI(t, nil, append([]string{"keys", "add", "alice"}, src...)...))

	armored := mustCLI(t, []string{"-----BEGIN COMMONS PRIVATE KEY-----", "Address: " + addr, "-----END COMMONS PRIVATE KEY-----"},
		append([]string{"keys", "export", "alice"}, src...)...)
	file := filepath.Join(t.TempDir(), "alice.key")
	if err := os.WriteFile(file, []byte(armored), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustCLI(t, []string{`imported key "alice"`}, append([]string{"keys", "import", "alice", file}, dst...)...)
	if addressOf(t, out) != addr {
		t.Fatalf("imported another key (want %s):\n%s", addr, out)
	}
	// Same key, not only the same address: the public keys agree.
	pub := func(home []string) string {
		var v struct {
			PubKey string `json:"pub_key"`
		}
		json.Unmarshal([]byte(mustCLI(t, nil, append([]string{"keys", "show", "alice", "-o", "json"}, home...)...)), &v)
		return v.PubKey
	}
	if pub(src) != pub(dst) || pub(src) == "" {
		t.Fatal("imported public key differs")
	}

	// --output-file writes 0600 and never overwrites.
	file2 := filepath.Join(t.TempDir(), "alice2.key")
	mustCLI(t, []string{"exported key", file2}, append([]string{"keys", "export", "alice", "--output-file", file2}, src...)...)
	if st, err := os.Stat(file2); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v", st, err)
	}
	mustFail(t, "", "already exists", append([]string{"keys", "export", "alice", "--output-file", file2}, src...)...)
	out, err := cliIn(t, "", append([]string{"keys", "import", "alice2", file2}, src...)...)
	if err != nil || addressOf(t, out) != addr {
		t.Fatalf("import from --output-file: %v\n%s", err, out)
	}

	// A wrong export passphrase is refused and stores nothing; so are a taken name and a non-export.
	t.Setenv(keyring.ExportPassphraseEnv, "not the export passphrase")
	mustFail(t, "", "wrong export passphrase", append([]string{"keys", "import", "bob", file}, dst...)...)
	mustFail(t, "", "key not found", append([]string{"keys", "show", "bob"}, dst...)...)
	t.Setenv(keyring.ExportPassphraseEnv, "export passphrase")
	mustFail(t, "", `a key named "alice" already exists`, append([]string{"keys", "import", "alice", file}, dst...)...)
	mustFail(t, "just some text", "not a commonsd key export", append([]string{"keys", "import", "bob", "-"}, dst...)...)
	// Standard input works as FILE.
	out, err = cliIn(t, armored, append([]string{"keys", "import", "bob", "-"}, dst...)...)
	if err != nil || addressOf(t, out) != addr {
		t.Fatalf("import from stdin: %v\n%s", err, out)
	}
	// Without the env and without a terminal, the export passphrase cannot be had: say how.
	os.Unsetenv(keyring.ExportPassphraseEnv)
	mustFail(t, "", keyring.ExportPassphraseEnv, append([]string{"keys", "export", "alice"}, src...)...)
}

// Must show 2: rename moves the key and refuses an existing target.
func TestKeysRename(t *testing.T) {
	h := []string{"--home", t.TempDir(), "--keyring-backend", "test"}
	addr := addressOf(t, mustCLI(t, nil, append([]string{"keys", "add", "alice"}, h...)...))
	mustCLI(t, nil, append([]string{"keys", "add", "bob"}, h...)...)
	mustFail(t, "", `a key named "bob" already exists`, append([]string{"keys", "rename", "alice", "bob"}, h...)...)
	mustFail(t, "", "key not found", append([]string{"keys", "rename", "nobody", "dave"}, h...)...)
	mustFail(t, "", "use 1–64 letters", append([]string{"keys", "rename", "alice", "bad name"}, h...)...)
	mustCLI(t, []string{`renamed key "alice" to "carol"`, addr}, append([]string{"keys", "rename", "alice", "carol"}, h...)...)
	mustCLI(t, []string{addr}, append([]string{"keys", "show", "carol", "-a"}, h...)...)
	mustFail(t, "", "key not found", append([]string{"keys", "show", "alice"}, h...)...)
	out := mustCLI(t, nil, append([]string{"keys", "list"}, h...)...)
	if strings.Contains(out, "alice") || !strings.Contains(out, "carol") || !strings.Contains(out, "bob") {
		t.Fatalf("list after rename:\n%s", out)
	}
}
