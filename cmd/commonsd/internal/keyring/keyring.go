// Package keyring stores ed25519 keys under a node or client home. The "file" backend encrypts each
// private key with a passphrase (scrypt + AES-256-GCM); the "test" backend stores keys in plain text
// for devnets and tests and must never hold real keys.
//
// Keys made by Create come from a 24-word BIP-39 mnemonic by SLIP-0010 on HDPath (mnemonic.go), and
// Recover restores them from it; Armor and Unarmor move one key between keyrings as an encrypted
// text block (armor.go). Key files written before mnemonics existed have no hd_path and stay valid.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"golang.org/x/crypto/scrypt"

	"github.com/commonsledger/commons/x/core"
)

// Backends.
const (
	BackendFile = "file"
	BackendTest = "test"
)

// PassphraseEnv supplies the file backend's passphrase non-interactively (scripts, CI).
const PassphraseEnv = "COMMONSD_KEYRING_PASSPHRASE"

// ErrNotFound is returned for a key name that is not in the keyring.
var ErrNotFound = errors.New("key not found")

// errWrongPassphrase is open's error when the AEAD refuses: a wrong passphrase or a changed file.
var errWrongPassphrase = errors.New("wrong passphrase (or damaged key file)")

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// Keyring is a directory of key files.
type Keyring struct {
	dir        string
	backend    string
	passphrase func(confirm bool) (string, error)
}

// Record is one stored key.
type Record struct {
	Name    string  `json:"name"`
	Address string  `json:"address"`
	PubKey  []byte  `json:"pub_key"`
	HDPath  string  `json:"hd_path,omitempty"`  // set when the key was derived from a mnemonic
	Priv    []byte  `json:"priv_key,omitempty"` // test backend only
	Crypto  *sealed `json:"crypto,omitempty"`   // file backend only
}

type sealed struct {
	KDF        string `json:"kdf"`
	N, R, P    int
	Salt       []byte `json:"salt"`
	Nonce      []byte `json:"nonce"`
	Ciphertext []byte `json:"ciphertext"`
}

// Open returns the keyring of backend under home. passphrase is asked for file-backend secrets
// (confirm=true when creating a key); it may be nil for the test backend.
func Open(home, backend string, passphrase func(confirm bool) (string, error)) (*Keyring, error) {
	if backend != BackendFile && backend != BackendTest {
		return nil, fmt.Errorf("unknown keyring backend %q: use %q (encrypted) or %q (plain, development only)", backend, BackendFile, BackendTest)
	}
	dir := filepath.Join(home, "keyring-"+backend)
	return &Keyring{dir: dir, backend: backend, passphrase: passphrase}, nil
}

// Dir is the directory holding the key files.
func (k *Keyring) Dir() string { return k.dir }

func (k *Keyring) path(name string) string { return filepath.Join(k.dir, name+".json") }

// Add creates a new random key, with no mnemonic (devnet keys). It refuses to overwrite an existing
// name. Create makes a key that a mnemonic can restore.
func (k *Keyring) Add(name string) (Record, error) {
	return k.Import(name, ed25519.GenPrivKey())
}

// Create makes a key from a fresh 24-word mnemonic and returns it with the mnemonic, which is stored
// nowhere: the caller shows it once. It refuses an existing name before anything is generated.
func (k *Keyring) Create(name string) (Record, string, error) {
	if err := k.CheckNewName(name); err != nil {
		return Record{}, "", err
	}
	mnemonic, err := NewMnemonic()
	if err != nil {
		return Record{}, "", err
	}
	r, err := k.Recover(name, mnemonic)
	if err != nil {
		return Record{}, "", err
	}
	return r, mnemonic, nil
}

// Recover stores under name the key that mnemonic derives (see PrivKeyFromMnemonic).
func (k *Keyring) Recover(name, mnemonic string) (Record, error) {
	if err := k.CheckNewName(name); err != nil {
		return Record{}, err
	}
	priv, err := PrivKeyFromMnemonic(mnemonic)
	if err != nil {
		return Record{}, err
	}
	return k.store(name, priv, HDPath)
}

// Import stores priv under name.
func (k *Keyring) Import(name string, priv ed25519.PrivKey) (Record, error) {
	return k.store(name, priv, "")
}

// CheckNewName returns an error unless name is a valid key name that is not taken yet.
func (k *Keyring) CheckNewName(name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("key name %q: use 1–64 letters, digits, '.', '_' or '-'", name)
	}
	if _, err := os.Stat(k.path(name)); err == nil {
		return k.errExists(name)
	}
	return nil
}

func (k *Keyring) errExists(name string) error {
	return fmt.Errorf("a key named %q already exists in %s; pick another name or delete it first", name, k.dir)
}

func (k *Keyring) store(name string, priv ed25519.PrivKey, hdPath string) (Record, error) {
	if err := k.CheckNewName(name); err != nil {
		return Record{}, err
	}
	pub := priv.PubKey().Bytes()
	r := Record{Name: name, Address: core.AddressFromPubKey(pub).String(), PubKey: pub, HDPath: hdPath}
	if k.backend == BackendTest {
		r.Priv = priv
	} else {
		pass, err := k.ask(true)
		if err != nil {
			return Record{}, err
		}
		if r.Crypto, err = seal(priv, pass); err != nil {
			return Record{}, err
		}
	}
	if err := k.write(r); err != nil {
		return Record{}, err
	}
	r.Priv, r.Crypto = nil, nil
	return r, nil
}

// write creates r's key file; it never replaces one (O_EXCL), so two writers cannot both win a name.
func (k *Keyring) write(r Record) error {
	if err := os.MkdirAll(k.dir, 0o700); err != nil {
		return err
	}
	bz, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(k.path(r.Name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return k.errExists(r.Name)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(bz); err != nil {
		f.Close()
		os.Remove(k.path(r.Name))
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(k.path(r.Name))
		return err
	}
	return nil
}

func (k *Keyring) ask(confirm bool) (string, error) {
	if p := os.Getenv(PassphraseEnv); p != "" {
		return p, nil
	}
	if k.passphrase == nil {
		return "", fmt.Errorf("the file keyring needs a passphrase: set %s or run interactively", PassphraseEnv)
	}
	return k.passphrase(confirm)
}

// Show returns the public record of name.
func (k *Keyring) Show(name string) (Record, error) {
	bz, err := os.ReadFile(k.path(name))
	if errors.Is(err, os.ErrNotExist) {
		return Record{}, fmt.Errorf("%w: no key named %q in %s (see `commonsd keys list`)", ErrNotFound, name, k.dir)
	}
	if err != nil {
		return Record{}, err
	}
	var r Record
	if err := json.Unmarshal(bz, &r); err != nil {
		return Record{}, fmt.Errorf("key file %s is damaged: %w", k.path(name), err)
	}
	return r, nil
}

// PrivKey returns the private key of name, decrypting it if needed.
func (k *Keyring) PrivKey(name string) (ed25519.PrivKey, error) {
	r, err := k.Show(name)
	if err != nil {
		return nil, err
	}
	if r.Crypto == nil {
		if len(r.Priv) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("key %q has no private key", name)
		}
		return ed25519.PrivKey(r.Priv), nil
	}
	pass, err := k.ask(false)
	if err != nil {
		return nil, err
	}
	return open(r.Crypto, pass)
}

// List returns every key, by name.
func (k *Keyring) List() ([]Record, error) {
	entries, err := os.ReadDir(k.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		r, err := k.Show(name)
		if err != nil {
			return nil, err
		}
		r.Priv, r.Crypto = nil, nil
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Rename moves the key oldName to newName, refusing a newName that is taken. The private key is not
// decrypted: the file keyring's passphrase is not needed.
func (k *Keyring) Rename(oldName, newName string) (Record, error) {
	r, err := k.Show(oldName)
	if err != nil {
		return Record{}, err
	}
	if err := k.CheckNewName(newName); err != nil {
		return Record{}, err
	}
	r.Name = newName
	if err := k.write(r); err != nil {
		return Record{}, err
	}
	if err := os.Remove(k.path(oldName)); err != nil {
		return Record{}, fmt.Errorf("wrote %s but could not remove %s (delete it by hand): %w", k.path(newName), k.path(oldName), err)
	}
	r.Priv, r.Crypto = nil, nil
	return r, nil
}

// Delete removes a key.
func (k *Keyring) Delete(name string) error {
	if _, err := k.Show(name); err != nil {
		return err
	}
	return os.Remove(k.path(name))
}

const scryptN, scryptR, scryptP = 1 << 15, 8, 1

func seal(priv ed25519.PrivKey, pass string) (*sealed, error) {
	s := &sealed{KDF: "scrypt", N: scryptN, R: scryptR, P: scryptP, Salt: make([]byte, 16)}
	if _, err := rand.Read(s.Salt); err != nil {
		return nil, err
	}
	gcm, err := aead(pass, s)
	if err != nil {
		return nil, err
	}
	s.Nonce = make([]byte, gcm.NonceSize())
	if _, err := rand.Read(s.Nonce); err != nil {
		return nil, err
	}
	s.Ciphertext = gcm.Seal(nil, s.Nonce, priv, nil)
	return s, nil
}

func open(s *sealed, pass string) (ed25519.PrivKey, error) {
	gcm, err := aead(pass, s)
	if err != nil {
		return nil, err
	}
	pt, err := gcm.Open(nil, s.Nonce, s.Ciphertext, nil)
	if err != nil {
		return nil, errWrongPassphrase
	}
	return ed25519.PrivKey(pt), nil
}

func aead(pass string, s *sealed) (cipher.AEAD, error) {
	key, err := scrypt.Key([]byte(pass), s.Salt, s.N, s.R, s.P, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
