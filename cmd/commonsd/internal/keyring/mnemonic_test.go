package keyring

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// The BIP-39 mnemonic of 256 zero bits, and what it derives on HDPath. The private key was checked
// once against an independent HMAC-SHA512 implementation of SLIP-0010 (Python's hashlib and hmac);
// the address is core.AddressFromPubKey of its public key.
const (
	vectorMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon " +
		"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"
	vectorSeed    = "3bc1e4ddfeaa9e1279e07664c003088ad9576bf39e6386911c8e7017865ce8b4"
	vectorPub     = "1884827c3324b13454be77d7656d0ddeb3bb3d0774bcff0f2c547515d2b2015c"
	vectorAddress = "commons1pywgxt6s0n9qmv2vqgd8vpvcw73j2t2648j9gz"
)

func TestMnemonicKnownVector(t *testing.T) {
	priv, err := PrivKeyFromMnemonic(vectorMnemonic)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(priv[:32]); got != vectorSeed {
		t.Fatalf("private key %s, want %s", got, vectorSeed)
	}
	if got := hex.EncodeToString(priv.PubKey().Bytes()); got != vectorPub {
		t.Fatalf("public key %s, want %s", got, vectorPub)
	}
	kr, _ := Open(t.TempDir(), BackendTest, nil)
	// Upper case, extra spaces and a newline are the same mnemonic.
	r, err := kr.Recover("v", "  "+strings.ToUpper(strings.ReplaceAll(vectorMnemonic, " ", "   "))+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if r.Address != vectorAddress || r.HDPath != HDPath {
		t.Fatalf("recovered %s on %q, want %s on %q", r.Address, r.HDPath, vectorAddress, HDPath)
	}
}

// SLIP-0010's published test vector 1 for ed25519 (seed 000102…0f), every step of its chain.
func TestSLIP10Ed25519Vector1(t *testing.T) {
	seed, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	for _, v := range []struct{ path, priv, pub string }{
		{"m", "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7", "a4b2856bfec510abab89753fac1ac0e1112364e7d250545963f135f2a33188ed"},
		{"m/0'", "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3", "8c8a13df77a28f3445213a0f432fde644acaa215fc72dcdf300d5efaa85d350c"},
		{"m/0'/1'", "b1d0bad404bf35da785a64ca1ac54b2617211d2777696fbffaf208f746ae84f2", "1932a5270f335bed617d5b935c80aedb1a35bd9fc1e31acafd5372c30f5c1187"},
		{"m/0'/1'/2'", "92a5b23c0b8a99e37d07df3fb9966917f5d06e02ddbd909c7e184371463e9fc9", "ae98736566d30ed0e9d2f4486a64bc95740d89c7db33f52121f8ea8f76ff0fc1"},
		{"m/0'/1'/2'/2'", "30d1dc7e5fc04c31219ab25a27ae00b50f6fd66622f6e9c913253d6511d1e662", "8abae2d66361c879b900d204ad2cc4984fa2aa344dd7ddc46007329ac76c429c"},
		{"m/0'/1'/2'/2'/1000000000'", "8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793", "3c24da049451555d51a7014a37337aa4e12d41e485abccfa46b47dfb2af54b7a"},
	} {
		priv, err := DeriveKey(seed, v.path)
		if err != nil {
			t.Fatalf("%s: %v", v.path, err)
		}
		if got := hex.EncodeToString(priv[:32]); got != v.priv {
			t.Errorf("%s: private key %s, want %s", v.path, got, v.priv)
		}
		if got := hex.EncodeToString(priv.PubKey().Bytes()); got != v.pub {
			t.Errorf("%s: public key %s, want %s", v.path, got, v.pub)
		}
	}
	if _, err := DeriveKey(seed, "m/0'/1"); err == nil {
		t.Fatal("derived a non-hardened index")
	}
}

func TestBadMnemonicsRefused(t *testing.T) {
	words := strings.Fields(vectorMnemonic)
	swapped := append([]string(nil), words...)
	swapped[0], swapped[23] = swapped[23], swapped[0]
	for _, c := range []struct{ name, mnemonic, want string }{
		{"empty", "  \n", "it is empty"},
		{"12 words", strings.Join(words[:12], " "), "it has 12 words; a commonsd mnemonic has 24"},
		{"unknown word", strings.Replace(vectorMnemonic, "art", "arty", 1), "word 24 is not in the BIP-39 English word list"},
		{"checksum", strings.Replace(vectorMnemonic, " art", " zoo", 1), "checksum does not match"},
		{"swapped", strings.Join(swapped, " "), "checksum does not match"},
	} {
		_, err := PrivKeyFromMnemonic(c.mnemonic)
		if !errors.Is(err, ErrBadMnemonic) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an ErrBadMnemonic saying %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "arty") {
			t.Errorf("%s: the error echoes a word: %v", c.name, err)
		}
	}
}

func TestCreateRecoverRenameFileBackend(t *testing.T) {
	t.Setenv(PassphraseEnv, "correct horse")
	kr, _ := Open(t.TempDir(), BackendFile, nil)
	r, mnemonic, err := kr.Create("alice")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Fields(mnemonic)); n != MnemonicWords {
		t.Fatalf("mnemonic has %d words", n)
	}
	if _, _, err := kr.Create("alice"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("create over an existing key: %v", err)
	}
	if _, err := kr.Recover("alice", mnemonic); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("recover over an existing key: %v", err)
	}
	if _, err := kr.Recover("alice2", mnemonic); err != nil {
		t.Fatal(err)
	}
	// Rename keeps the encrypted key as it is and refuses a taken name.
	if _, err := kr.Rename("alice", "alice2"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("rename onto an existing key: %v", err)
	}
	moved, err := kr.Rename("alice", "carol")
	if err != nil {
		t.Fatal(err)
	}
	if moved.Address != r.Address || moved.Name != "carol" {
		t.Fatalf("renamed record %+v", moved)
	}
	if _, err := kr.Show("alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old name still there: %v", err)
	}
	priv, err := kr.PrivKey("carol")
	if err != nil {
		t.Fatal(err)
	}
	if string(priv.PubKey().Bytes()) != string(r.PubKey) {
		t.Fatal("renamed key decrypts to another key")
	}
	if _, err := kr.Rename("nobody", "dave"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("rename of a missing key: %v", err)
	}
}

// A key file written before mnemonics existed (no hd_path) still reads, signs and lists.
func TestKeyFileWithoutHDPathStillReads(t *testing.T) {
	kr, _ := Open(t.TempDir(), BackendTest, nil)
	r, err := kr.Add("old")
	if err != nil {
		t.Fatal(err)
	}
	if r.HDPath != "" {
		t.Fatalf("a random key has hd_path %q", r.HDPath)
	}
	if _, err := kr.PrivKey("old"); err != nil {
		t.Fatal(err)
	}
}
