package core

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/btcutil/bech32"
)

// Bech32Prefix is the human-readable part of every address.
const Bech32Prefix = "commons"

// AddressLen is the length of a raw address: the first 20 bytes of SHA-256(pubkey).
const AddressLen = 20

// Address is a raw 20-byte account address.
type Address []byte

// AddressFromPubKey derives the address of an ed25519 public key.
func AddressFromPubKey(pub []byte) Address {
	h := sha256.Sum256(pub)
	return Address(h[:AddressLen])
}

// addressMemoSize bounds each direction's memo of address spellings to 2×16,384 entries (~130 bytes
// each with the map's overhead: ~4 MiB a direction): the accounts busy over many blocks. A flood of
// new addresses only rotates it.
const addressMemoSize = 1 << 14

// The bech32 spellings of addresses in use, both ways: a transfer spells its sender and recipient
// in its history entries and events, and parses its recipient, in CheckTx, every recheck and each
// block, and bech32's checksum costs about a microsecond each time.
var (
	addressStrings = newMemo[[AddressLen]byte, string](addressMemoSize) // raw → "commons1…"
	addressesRaw   = newMemo[string, [AddressLen]byte](addressMemoSize) // canonical "commons1…" → raw
)

// String renders the address as bech32 "commons1…".
func (a Address) String() string {
	if len(a) != AddressLen {
		return a.encode()
	}
	k := [AddressLen]byte(a)
	if s, ok := addressStrings.get(k); ok {
		return s
	}
	s := a.encode()
	addressStrings.put(k, s)
	return s
}

func (a Address) encode() string {
	conv, err := bech32.ConvertBits(a, 8, 5, true)
	if err != nil {
		return fmt.Sprintf("invalid-address(%x)", []byte(a))
	}
	s, err := bech32.Encode(Bech32Prefix, conv)
	if err != nil {
		return fmt.Sprintf("invalid-address(%x)", []byte(a))
	}
	return s
}

// Equal reports whether two addresses are the same bytes.
func (a Address) Equal(b Address) bool { return bytes.Equal(a, b) }

// ParseAddress decodes a bech32 commons1… address and says precisely what is wrong otherwise.
func ParseAddress(s string) (Address, error) {
	if raw, ok := addressesRaw.get(s); ok {
		return Address(raw[:]), nil // a copy: callers own what they get
	}
	a, err := parseAddress(s)
	if err == nil && s == strings.ToLower(s) {
		addressesRaw.put(s, [AddressLen]byte(a))
	}
	return a, err
}

func parseAddress(s string) (Address, error) {
	if s == "" {
		return nil, ErrInvalidAddress.Wrapf("empty address; expected %s1…", Bech32Prefix)
	}
	if strings.ToLower(s) != s && strings.ToUpper(s) != s {
		return nil, ErrInvalidAddress.Wrapf("%q mixes upper and lower case", s)
	}
	// Only the original bech32 checksum is accepted (not bech32m), so each address has exactly one
	// spelling up to case.
	hrp, data, version, err := bech32.DecodeGeneric(strings.ToLower(s))
	if err == nil && version != bech32.Version0 {
		err = errors.New("bech32m checksum; addresses use bech32")
	}
	if err != nil {
		return nil, ErrInvalidAddress.Wrapf("%q is not bech32 (%v); expected %s1…", s, err, Bech32Prefix)
	}
	if hrp != Bech32Prefix {
		return nil, ErrInvalidAddress.Wrapf("%q has prefix %q; expected %s1…", s, hrp, Bech32Prefix)
	}
	raw, err := bech32.ConvertBits(data, 5, 8, false)
	if err != nil || len(raw) != AddressLen {
		return nil, ErrInvalidAddress.Wrapf("%q does not hold a %d-byte address", s, AddressLen)
	}
	return Address(raw), nil
}
