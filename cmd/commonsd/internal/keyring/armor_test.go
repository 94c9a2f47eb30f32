package keyring

import (
	"bytes"
	"strings"
	"testing"
)

func TestArmorRoundTrip(t *testing.T) {
	priv, err := PrivKeyFromMnemonic(vectorMnemonic)
	if err != nil {
		t.Fatal(err)
	}
	armored, err := Armor(priv, "export pass")
	if err != nil {
		t.Fatal(err)
	}
	text := string(armored)
	for _, want := range []string{"-----BEGIN COMMONS PRIVATE KEY-----\n", "Address: " + vectorAddress, "KDF: scrypt", "Scrypt-N: 32768", "-----END COMMONS PRIVATE KEY-----\n"} {
		if !strings.Contains(text, want) {
			t.Fatalf("armor lacks %q:\n%s", want, text)
		}
	}
	got, err := Unarmor(armored, "export pass")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, priv) {
		t.Fatal("unarmored another key")
	}
	// Surrounding text (an e-mail, a note) is ignored.
	if _, err := Unarmor([]byte("here is my key\n"+text+"bye\n"), "export pass"); err != nil {
		t.Fatal(err)
	}
	if _, err := Armor(priv, ""); err == nil {
		t.Fatal("armored under an empty passphrase")
	}
}

func TestUnarmorRefuses(t *testing.T) {
	priv, _ := PrivKeyFromMnemonic(vectorMnemonic)
	armored, _ := Armor(priv, "export pass")
	text := string(armored)
	other, _ := Armor(priv, "export pass")
	otherSalt := header(string(other), "Salt")
	for _, c := range []struct{ name, armor, pass, want string }{
		{"wrong passphrase", text, "wrong", "wrong export passphrase"},
		{"no block", "just text", "export pass", "no -----BEGIN COMMONS PRIVATE KEY----- block"},
		{"other type", strings.ReplaceAll(text, "COMMONS PRIVATE KEY", "RSA PRIVATE KEY"), "export pass", `the block is a "RSA PRIVATE KEY"`},
		{"newer version", strings.Replace(text, "Version: 1", "Version: 2", 1), "export pass", "header Version"},
		{"edited address", strings.Replace(text, vectorAddress, "commons1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", 1), "export pass", "header Address"},
		{"edited salt", strings.Replace(text, header(text, "Salt"), otherSalt, 1), "export pass", "wrong export passphrase"},
		{"huge scrypt", strings.Replace(text, "Scrypt-N: 32768", "Scrypt-N: 1073741824", 1), "export pass", "header Scrypt-N"},
		{"scrypt not a power of two", strings.Replace(text, "Scrypt-N: 32768", "Scrypt-N: 32767", 1), "export pass", "power of two"},
	} {
		_, err := Unarmor([]byte(c.armor), c.pass)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error saying %q", c.name, err, c.want)
		}
	}
}

func header(armor, name string) string {
	for _, line := range strings.Split(armor, "\n") {
		if v, ok := strings.CutPrefix(line, name+": "); ok {
			return v
		}
	}
	return ""
}
