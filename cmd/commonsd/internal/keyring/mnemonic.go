package keyring

import (
	stded25519 "crypto/ed25519"
	"errors"
	"fmt"
	"strings"

	"github.com/anyproto/go-slip10"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cosmos/go-bip39"
)

// HDPath is the SLIP-0010 path of every key made from a mnemonic: BIP-44's purpose 44', coin type
// 118' (Commons Ledger has no SLIP-44 coin type of its own; 118' is the Cosmos Hub's, which
// CometBFT-based chains' wallets use), account 0', change 0', index 0'. SLIP-0010 derives ed25519
// keys on hardened indexes only, so every level is hardened. Because SLIP-0010's ed25519 master key
// is keyed "ed25519 seed" and BIP-32's secp256k1 one "Bitcoin seed", the same mnemonic in a Cosmos
// wallet gives keys unrelated to this one. See docs/decisions.md, "Keys: BIP-39 mnemonics".
const HDPath = "m/44'/118'/0'/0'/0'"

// MnemonicWords is the length of the mnemonics commonsd makes and accepts: 24 English BIP-39 words,
// 256 bits of entropy and an 8-bit checksum.
const MnemonicWords = 24

// ErrBadMnemonic is returned (wrapped, with what is wrong) for a mnemonic that cannot be a key's.
var ErrBadMnemonic = errors.New("bad mnemonic")

// NewMnemonic returns a fresh 24-word BIP-39 mnemonic from 256 bits of the system's randomness.
func NewMnemonic() (string, error) {
	entropy, err := bip39.NewEntropy(256)
	if err != nil {
		return "", err
	}
	return bip39.NewMnemonic(entropy)
}

// NormalizeMnemonic returns mnemonic in its canonical form (lower case, one space between words),
// or an error that says which word is wrong or that the checksum does not match. It never echoes a
// word: the error may end up in a terminal's scrollback or a log.
func NormalizeMnemonic(mnemonic string) (string, error) {
	words := strings.Fields(strings.ToLower(mnemonic))
	if len(words) == 0 {
		return "", fmt.Errorf("%w: it is empty; give the %d words you wrote down, separated by spaces", ErrBadMnemonic, MnemonicWords)
	}
	if len(words) != MnemonicWords {
		return "", fmt.Errorf("%w: it has %d words; a commonsd mnemonic has %d", ErrBadMnemonic, len(words), MnemonicWords)
	}
	for i, w := range words {
		if _, ok := bip39.ReverseWordMap[w]; !ok {
			return "", fmt.Errorf("%w: word %d is not in the BIP-39 English word list; check its spelling against what you wrote down", ErrBadMnemonic, i+1)
		}
	}
	canon := strings.Join(words, " ")
	if _, err := bip39.MnemonicToByteArray(canon); err != nil {
		return "", fmt.Errorf("%w: its checksum does not match: a word is wrong (each is in the word list) or two are swapped; check each word and its order against what you wrote down", ErrBadMnemonic)
	}
	return canon, nil
}

// PrivKeyFromMnemonic derives the key of mnemonic: the BIP-39 seed (no BIP-39 passphrase), then
// SLIP-0010 ed25519 on HDPath.
func PrivKeyFromMnemonic(mnemonic string) (ed25519.PrivKey, error) {
	canon, err := NormalizeMnemonic(mnemonic)
	if err != nil {
		return nil, err
	}
	return DeriveKey(bip39.NewSeed(canon, ""), HDPath)
}

// DeriveKey derives the ed25519 key at path (every index hardened, e.g. "m/0'/1'") from a SLIP-0010
// seed by SLIP-0010.
func DeriveKey(seed []byte, path string) (ed25519.PrivKey, error) {
	node, err := slip10.DeriveForPath(path, seed)
	if err != nil {
		return nil, fmt.Errorf("derivation path %q: %w (every index must be hardened, like m/44'/118'/0')", path, err)
	}
	return ed25519.PrivKey(stded25519.NewKeyFromSeed(node.RawSeed())), nil
}
