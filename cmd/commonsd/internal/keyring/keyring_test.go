package keyring

import (
	"errors"
	"testing"
)

func TestFileBackendEncryptsAndRoundTrips(t *testing.T) {
	home := t.TempDir()
	t.Setenv(PassphraseEnv, "correct horse")
	kr, err := Open(home, BackendFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := kr.Add("alice")
	if err != nil {
		t.Fatal(err)
	}
	priv, err := kr.PrivKey("alice")
	if err != nil {
		t.Fatal(err)
	}
	if string(priv.PubKey().Bytes()) != string(rec.PubKey) {
		t.Fatal("decrypted key does not match stored public key")
	}
	shown, _ := kr.Show("alice")
	if shown.Priv != nil || shown.Crypto == nil {
		t.Fatal("file backend stored the private key in plain text")
	}
	t.Setenv(PassphraseEnv, "wrong")
	if _, err := kr.PrivKey("alice"); err == nil || err.Error() != "wrong passphrase (or damaged key file)" {
		t.Fatalf("wrong passphrase: got %v", err)
	}
	if _, err := kr.Add("alice"); err == nil {
		t.Fatal("overwrote an existing key")
	}
}

func TestTestBackendListDelete(t *testing.T) {
	kr, _ := Open(t.TempDir(), BackendTest, nil)
	for _, n := range []string{"bob", "alice"} {
		if _, err := kr.Add(n); err != nil {
			t.Fatal(err)
		}
	}
	list, _ := kr.List()
	if len(list) != 2 || list[0].Name != "alice" || list[1].Name != "bob" {
		t.Fatalf("list = %+v", list)
	}
	if err := kr.Delete("alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Show("alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("show deleted key: %v", err)
	}
	if _, err := kr.Add("bad name"); err == nil {
		t.Fatal("accepted a name with a space")
	}
	if _, err := Open(t.TempDir(), "os", nil); err == nil {
		t.Fatal("accepted unknown backend")
	}
}
