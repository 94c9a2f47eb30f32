package core_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcutil/bech32"

	"github.com/commonsledger/commons/x/core"
)

// encode renders raw bytes as bech32 with any prefix, to build near-miss addresses.
func encode(t *testing.T, hrp string, raw []byte, bech32m bool) string {
	t.Helper()
	conv, err := bech32.ConvertBits(raw, 8, 5, true)
	if err != nil {
		t.Fatal(err)
	}
	enc := bech32.Encode
	if bech32m {
		enc = bech32.EncodeM
	}
	s, err := enc(hrp, conv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAddressRoundTrip(t *testing.T) {
	addr := core.AddressFromPubKey(bytes.Repeat([]byte{7}, 32))
	s := addr.String()
	if !strings.HasPrefix(s, "commons1") || len(s) != len("commons1")+32+6 {
		t.Fatalf("address renders as %q", s)
	}
	tests := []struct{ name, in string }{
		{"lower case", s},
		{"upper case", strings.ToUpper(s)},
		{"surrounded by nothing else", strings.TrimSpace(s)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := core.ParseAddress(tc.in)
			if err != nil {
				t.Fatalf("ParseAddress(%q): %v", tc.in, err)
			}
			if !got.Equal(addr) || got.String() != s {
				t.Fatalf("ParseAddress(%q) = %s, want %s", tc.in, got, s)
			}
		})
	}
}

func TestParseAddressErrors(t *testing.T) {
	raw := core.AddressFromPubKey(bytes.Repeat([]byte{7}, 32))
	good := raw.String()
	last := good[len(good)-1]
	flipped := byte('q')
	if last == 'q' {
		flipped = 'p'
	}
	badChecksum := good[:len(good)-1] + string(flipped)
	tests := []struct {
		name   string
		in     string
		phrase string
	}{
		{"empty", "", "empty address; expected commons1…"},
		{"wrong prefix", encode(t, "cosmos", raw, false), `has prefix "cosmos"; expected commons1…`},
		{"bad checksum", badChecksum, "is not bech32"},
		{"mixed case", "Commons" + good[len("commons"):], "mixes upper and lower case"},
		{"too short", encode(t, "commons", raw[:19], false), "does not hold a 20-byte address"},
		{"too long (32-byte key as address)", encode(t, "commons", bytes.Repeat([]byte{1}, 32), false), "does not hold a 20-byte address"},
		{"bech32m checksum", encode(t, "commons", raw, true), "is not bech32"},
		{"not bech32 at all", "alice", "is not bech32"},
		{"hex address", "0x" + strings.Repeat("ab", 20), "is not bech32"},
		{"leading space", " " + good, "is not bech32"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr, err := core.ParseAddress(tc.in)
			if err == nil {
				t.Fatalf("ParseAddress(%q) = %s, want an error", tc.in, addr)
			}
			if !errors.Is(err, core.ErrInvalidAddress) {
				t.Fatalf("error %v is not ErrInvalidAddress", err)
			}
			codespace, code, log := core.ABCIInfo(err)
			if codespace != "core" || code != 2 {
				t.Fatalf("ABCI code %s/%d, want core/2", codespace, code)
			}
			if !strings.HasPrefix(log, "invalid address: ") || !strings.Contains(log, tc.phrase) {
				t.Fatalf("log %q does not say %q", log, tc.phrase)
			}
		})
	}
}
