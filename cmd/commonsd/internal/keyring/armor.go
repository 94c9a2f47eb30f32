package keyring

import (
	"bytes"
	stded25519 "crypto/ed25519"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/core"
)

// An exported key is one PEM block (RFC 7468 framing, with RFC 1421-style headers), made and read by
// Go's encoding/pem:
//
//	-----BEGIN COMMONS PRIVATE KEY-----
//	Address: commons1…            the key's address, checked again on import
//	Cipher: aes-256-gcm
//	KDF: scrypt
//	Key-Type: ed25519
//	Nonce: <base64, 12 bytes>
//	Salt: <base64, 16 bytes>
//	Scrypt-N: 32768
//	Scrypt-P: 1
//	Scrypt-R: 8
//	Version: 1
//
//	<base64 of AES-256-GCM(key = scrypt(passphrase, salt, N, r, p), the 64-byte ed25519 private key)>
//	-----END COMMONS PRIVATE KEY-----
//
// The sealing is the file keyring's own (seal and open), under the export passphrase.

// ArmorType is the PEM block type of an exported key.
const ArmorType = "COMMONS PRIVATE KEY"

// ExportPassphraseEnv supplies the export passphrase of `keys export` and `keys import`
// non-interactively (scripts), as PassphraseEnv does the keyring's.
const ExportPassphraseEnv = "COMMONSD_EXPORT_PASSPHRASE"

const armorVersion = "1"

// Bounds on an imported block's scrypt parameters: at most 1 GiB of memory (128·r·N bytes), so a
// crafted file cannot make an import exhaust the machine.
const maxScryptN, maxScryptR, maxScryptP = 1 << 20, 8, 4

// Armor seals priv under pass and returns the armored block.
func Armor(priv ed25519.PrivKey, pass string) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("not an ed25519 private key (%d bytes)", len(priv))
	}
	if pass == "" {
		return nil, fmt.Errorf("an export needs a passphrase: set %s or run on a terminal", ExportPassphraseEnv)
	}
	s, err := seal(priv, pass)
	if err != nil {
		return nil, err
	}
	b64 := base64.StdEncoding.EncodeToString
	return pem.EncodeToMemory(&pem.Block{
		Type: ArmorType,
		Headers: map[string]string{
			"Version":  armorVersion,
			"Key-Type": "ed25519",
			"Address":  core.AddressFromPubKey(priv.PubKey().Bytes()).String(),
			"KDF":      s.KDF,
			"Scrypt-N": strconv.Itoa(s.N),
			"Scrypt-R": strconv.Itoa(s.R),
			"Scrypt-P": strconv.Itoa(s.P),
			"Salt":     b64(s.Salt),
			"Nonce":    b64(s.Nonce),
			"Cipher":   "aes-256-gcm",
		},
		Bytes: s.Ciphertext,
	}), nil
}

// Unarmor opens an armored block with pass and returns the private key. A wrong passphrase, a changed
// block and a block that is not an export each give an error that says so.
func Unarmor(armored []byte, pass string) (ed25519.PrivKey, error) {
	block, _ := pem.Decode(armored)
	if block == nil {
		return nil, fmt.Errorf("not a commonsd key export: no -----BEGIN %s----- block found", ArmorType)
	}
	if block.Type != ArmorType {
		return nil, fmt.Errorf("not a commonsd key export: the block is a %q, not a %q", block.Type, ArmorType)
	}
	h := block.Headers
	for name, want := range map[string]string{"Version": armorVersion, "Key-Type": "ed25519", "KDF": "scrypt", "Cipher": "aes-256-gcm"} {
		if h[name] != want {
			return nil, fmt.Errorf("key export: header %s is %q; this commonsd reads only %q (made by a newer commonsd, or damaged)", name, h[name], want)
		}
	}
	s := &sealed{KDF: h["KDF"], Ciphertext: block.Bytes}
	var err error
	if s.N, err = armorInt(h, "Scrypt-N", maxScryptN); err != nil {
		return nil, err
	}
	if s.N < 2 || s.N&(s.N-1) != 0 {
		return nil, fmt.Errorf("key export: header Scrypt-N is %d; it must be a power of two", s.N)
	}
	if s.R, err = armorInt(h, "Scrypt-R", maxScryptR); err != nil {
		return nil, err
	}
	if s.P, err = armorInt(h, "Scrypt-P", maxScryptP); err != nil {
		return nil, err
	}
	if s.Salt, err = armorBytes(h, "Salt", 16); err != nil {
		return nil, err
	}
	if s.Nonce, err = armorBytes(h, "Nonce", 12); err != nil {
		return nil, err
	}
	priv, err := open(s, pass)
	if errors.Is(err, errWrongPassphrase) {
		return nil, errors.New("wrong export passphrase (or damaged export file)")
	}
	if err != nil {
		return nil, err
	}
	if len(priv) != ed25519.PrivateKeySize || !bytes.Equal(stded25519.NewKeyFromSeed(priv[:32]), priv) {
		return nil, errors.New("key export: the sealed key is not a valid ed25519 private key (damaged export file)")
	}
	if addr := core.AddressFromPubKey(priv.PubKey().Bytes()).String(); addr != h["Address"] {
		return nil, fmt.Errorf("key export: header Address is %q but the key's address is %s (damaged or edited file)", h["Address"], addr)
	}
	return priv, nil
}

func armorInt(h map[string]string, name string, maxV int) (int, error) {
	v, err := strconv.Atoi(h[name])
	if err != nil || v < 1 || v > maxV {
		return 0, fmt.Errorf("key export: header %s is %q; it must be a number from 1 to %d", name, h[name], maxV)
	}
	return v, nil
}

func armorBytes(h map[string]string, name string, size int) ([]byte, error) {
	v, err := base64.StdEncoding.DecodeString(h[name])
	if err != nil || len(v) != size {
		return nil, fmt.Errorf("key export: header %s must be %d bytes in base64 (damaged file)", name, size)
	}
	return v, nil
}
