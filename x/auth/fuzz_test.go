package auth_test

import (
	"bytes"
	"testing"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
)

// FuzzDecode feeds arbitrary bytes to Decode. It must never panic, and whatever it accepts must meet
// every envelope limit, so later stages can rely on them, and be canonically encoded. The seed
// corpus is in testdata/fuzz/FuzzDecode (valid txs, near misses of each check, and non-canonical
// re-encodings of a valid tx); run the fuzzer with go test ./x/auth -fuzz FuzzDecode.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := auth.Decode(raw)
		if err != nil {
			if _, code, _ := core.ABCIInfo(err); code < 101 || code > 199 {
				t.Fatalf("Decode error %v has code %d, outside auth's block", err, code)
			}
			return
		}
		switch {
		case len(raw) > auth.MaxTxBytes:
			t.Fatalf("accepted %d bytes", len(raw))
		case len(d.Tx.PubKey) != 32 || len(d.Tx.Signature) != 64:
			t.Fatalf("accepted pub_key %d bytes, signature %d bytes", len(d.Tx.PubKey), len(d.Tx.Signature))
		case len(d.Body.Msgs) == 0 || len(d.Body.Msgs) > auth.MaxMsgsPerTx:
			t.Fatalf("accepted %d messages", len(d.Body.Msgs))
		case len(d.Body.Memo) > auth.MaxMemoBytes:
			t.Fatalf("accepted a %d-byte memo", len(d.Body.Memo))
		case !d.Signer.Equal(core.AddressFromPubKey(d.Tx.PubKey)):
			t.Fatalf("signer %s is not the key's address", d.Signer)
		}
		// Only the canonical encoding is accepted: re-encoding gives back the very bytes (so the tx
		// hash is fixed by its content), for the envelope and for the body.
		if again, err := d.Tx.Marshal(); err != nil || !bytes.Equal(again, raw) {
			t.Fatalf("accepted a non-canonical envelope (re-encodes to %X, err %v)", again, err)
		}
		if again, err := d.Body.Marshal(); err != nil || !bytes.Equal(again, d.Tx.BodyBytes) {
			t.Fatalf("accepted a non-canonical body (re-encodes to %X, err %v)", again, err)
		}
		for i, m := range d.Body.Msgs {
			if m == nil || m.Sum == nil || auth.MsgName(m) == "unknown" {
				t.Fatalf("accepted message %d of unknown type", i)
			}
		}
		_ = d.VerifySignature() // must not panic on any accepted envelope
	})
}
