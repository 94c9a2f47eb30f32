package auth_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

func testKey(name string) ed25519.PrivKey {
	seed := sha256.Sum256([]byte("auth-test/" + name))
	return ed25519.GenPrivKeyFromSecret(seed[:])
}

func transfer(amount uint64) *auth.Msg {
	to := core.AddressFromPubKey(testKey("bob").PubKey().Bytes())
	return &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: to.String(), Amount: amount}}}
}

func mustSign(t testing.TB, priv ed25519.PrivKey, body *auth.TxBody) []byte {
	t.Helper()
	raw, err := auth.Sign(priv, body)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func mustMarshal(t testing.TB, m interface{ Marshal() ([]byte, error) }) []byte {
	t.Helper()
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// envelope builds a Tx around arbitrary parts, bypassing Sign, to reach each decode check.
func envelope(t testing.TB, body []byte, pubLen, sigLen int) []byte {
	return mustMarshal(t, &auth.Tx{BodyBytes: body, PubKey: make([]byte, pubLen), Signature: make([]byte, sigLen)})
}

func TestDecodeRejects(t *testing.T) {
	alice := testKey("alice")
	okBody := mustMarshal(t, &auth.TxBody{ChainId: "c", Msgs: []*auth.Msg{transfer(1)}})
	msgs := func(n int) []*auth.Msg {
		out := make([]*auth.Msg, n)
		for i := range out {
			out[i] = transfer(uint64(i + 1))
		}
		return out
	}
	tests := []struct {
		name   string
		raw    []byte
		want   *core.Error
		phrase string
	}{
		{"empty", nil, auth.ErrMalformedTx, "malformed tx: empty tx"},
		{"garbage", []byte("this is not protobuf \xff\xff\xff"), auth.ErrMalformedTx, "envelope does not decode"},
		{"too large", make([]byte, auth.MaxTxBytes+1), auth.ErrTxTooLarge, "tx too large: 16385 bytes; the limit is 16384"},
		{"pubkey too short", envelope(t, okBody, 31, 64), auth.ErrMalformedTx, "pub_key must be 32 bytes (ed25519), got 31"},
		{"pubkey missing", envelope(t, okBody, 0, 64), auth.ErrMalformedTx, "pub_key must be 32 bytes (ed25519), got 0"},
		{"secp256k1-sized pubkey", envelope(t, okBody, 33, 64), auth.ErrMalformedTx, "got 33"},
		{"signature too short", envelope(t, okBody, 32, 63), auth.ErrMalformedTx, "signature must be 64 bytes, got 63"},
		{"signature too long", envelope(t, okBody, 32, 65), auth.ErrMalformedTx, "signature must be 64 bytes, got 65"},
		{"body garbage", envelope(t, []byte{0xff, 0xff, 0xff}, 32, 64), auth.ErrMalformedTx, "body does not decode"},
		{"no messages", mustSign(t, alice, &auth.TxBody{ChainId: "c"}), auth.ErrNoMessages, "tx has no messages: add at least one message"},
		{"too many messages", mustSign(t, alice, &auth.TxBody{ChainId: "c", Msgs: msgs(auth.MaxMsgsPerTx + 1)}),
			auth.ErrTooManyMessages, "17 messages; the limit is 16"},
		{"memo too long", mustSign(t, alice, &auth.TxBody{ChainId: "c", Msgs: msgs(1), Memo: strings.Repeat("m", auth.MaxMemoBytes+1)}),
			auth.ErrMemoTooLong, "memo too long: 257 bytes; the limit is 256"},
		{"empty message", mustSign(t, alice, &auth.TxBody{ChainId: "c", Msgs: []*auth.Msg{transfer(1), {}}}),
			auth.ErrUnknownMessage, "message 1 is empty or of a type this node does not know"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := auth.Decode(tc.raw)
			if err == nil {
				t.Fatalf("Decode accepted it: %+v", d.Body)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %s/%d", err, tc.want.Codespace, tc.want.Code)
			}
			if _, code, log := core.ABCIInfo(err); code != tc.want.Code || !strings.Contains(log, tc.phrase) {
				t.Fatalf("code %d log %q; want code %d saying %q", code, log, tc.want.Code, tc.phrase)
			}
		})
	}
}

func TestDecodeAcceptsLimits(t *testing.T) {
	alice := testKey("alice")
	msgs := make([]*auth.Msg, auth.MaxMsgsPerTx)
	for i := range msgs {
		msgs[i] = transfer(1)
	}
	raw := mustSign(t, alice, &auth.TxBody{ChainId: "c", Msgs: msgs, Memo: strings.Repeat("m", auth.MaxMemoBytes)})
	if _, err := auth.Decode(raw); err != nil {
		t.Fatalf("a tx at every limit is rejected: %v", err)
	}
}

func TestSignDecodeVerifyRoundTrip(t *testing.T) {
	alice := testKey("alice")
	body := &auth.TxBody{ChainId: "commons-1", Sequence: 42, Msgs: []*auth.Msg{transfer(2_500_000)}, Memo: "for the garden"}
	raw := mustSign(t, alice, body)
	d, err := auth.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.VerifySignature(); err != nil {
		t.Fatal(err)
	}
	want := core.AddressFromPubKey(alice.PubKey().Bytes())
	if !d.Signer.Equal(want) {
		t.Fatalf("signer %s, want %s", d.Signer, want)
	}
	if d.Body.ChainId != "commons-1" || d.Body.Sequence != 42 || d.Body.Memo != "for the garden" ||
		d.Body.Msgs[0].GetTransfer().Amount != 2_500_000 || auth.MsgName(d.Body.Msgs[0]) != "transfer" {
		t.Fatalf("decoded body %+v", d.Body)
	}
	// Signing is deterministic (ed25519), so a client re-signing gets the same bytes and tx hash.
	if again := mustSign(t, alice, body); !bytes.Equal(again, raw) {
		t.Fatal("signing the same body twice gave different bytes")
	}
}

func TestVerifySignatureFails(t *testing.T) {
	alice, mallory := testKey("alice"), testKey("mallory")
	signedFor := func(chain string) *auth.Tx {
		var tx auth.Tx
		if err := tx.Unmarshal(mustSign(t, alice, &auth.TxBody{ChainId: chain, Msgs: []*auth.Msg{transfer(1)}})); err != nil {
			t.Fatal(err)
		}
		return &tx
	}
	tests := []struct {
		name   string
		tamper func(tx *auth.Tx)
	}{
		{"body of another chain id", func(tx *auth.Tx) { tx.BodyBytes = signedFor("other-chain").BodyBytes }},
		{"amount changed", func(tx *auth.Tx) {
			tx.BodyBytes = mustMarshal(t, &auth.TxBody{ChainId: "commons-1", Msgs: []*auth.Msg{transfer(1_000_000)}})
		}},
		{"signature bit flipped", func(tx *auth.Tx) { tx.Signature[10] ^= 0x01 }},
		{"someone else's key", func(tx *auth.Tx) { tx.PubKey = mallory.PubKey().Bytes() }},
		{"signature over the raw body without the domain", func(tx *auth.Tx) {
			sig, err := alice.Sign(tx.BodyBytes)
			if err != nil {
				t.Fatal(err)
			}
			tx.Signature = sig
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := signedFor("commons-1")
			tc.tamper(tx)
			d, err := auth.Decode(mustMarshal(t, tx))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			err = d.VerifySignature()
			if !errors.Is(err, auth.ErrBadSignature) {
				t.Fatalf("VerifySignature = %v, want ErrBadSignature", err)
			}
			_, code, log := core.ABCIInfo(err)
			want := "signature verification failed: signature does not match body and key of " + d.Signer.String()
			if code != 103 || !strings.HasPrefix(log, want) {
				t.Fatalf("code %d log %q, want 103 %q…", code, log, want)
			}
		})
	}
}

func TestMsgName(t *testing.T) {
	tests := []struct {
		msg  *auth.Msg
		want string
	}{
		{transfer(1), "transfer"},
		{&auth.Msg{Sum: &auth.Msg_Vouch{}}, "vouch"},
		{&auth.Msg{Sum: &auth.Msg_SubmitClaim{}}, "submit_claim"},
		{&auth.Msg{Sum: &auth.Msg_Attest{}}, "attest"},
		{&auth.Msg{Sum: &auth.Msg_OpenDispute{}}, "open_dispute"},
		{&auth.Msg{Sum: &auth.Msg_JuryVote{}}, "jury_vote"},
		{&auth.Msg{}, "unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := auth.MsgName(tc.msg); got != tc.want {
				t.Fatalf("MsgName = %q, want %q", got, tc.want)
			}
		})
	}
}

// Hand-written protobuf wire helpers, to build encodings a protobuf encoder would never write.
func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// field appends a length-delimited field: tag, then len(data) as a varint padded to lenBytes bytes
// (a non-minimal varint when lenBytes is more than it needs), then data.
func field(b []byte, num int, data []byte, lenBytes int) []byte {
	b = appendVarint(b, uint64(num)<<3|2)
	l := appendVarint(nil, uint64(len(data)))
	for len(l) < lenBytes {
		l[len(l)-1] |= 0x80
		l = append(l, 0)
	}
	return append(append(b, l...), data...)
}

// signRaw wraps body bytes, whatever their encoding, in a canonical envelope correctly signed by priv,
// so that only the encoding of the body can be at fault.
func signRaw(t testing.TB, priv ed25519.PrivKey, body []byte) []byte {
	t.Helper()
	sig, err := priv.Sign(auth.SignBytes(body))
	if err != nil {
		t.Fatal(err)
	}
	return mustMarshal(t, &auth.Tx{BodyBytes: body, PubKey: priv.PubKey().Bytes(), Signature: sig})
}

// nonCanonicalTxs are re-encodings of one valid tx (or of its body, re-signed so the signature holds)
// that protobuf decoding accepts as the same tx. Each must be refused with ErrNonCanonicalTx.
func nonCanonicalTxs(t testing.TB) []struct {
	name string
	raw  []byte
} {
	alice := testKey("alice")
	body := mustMarshal(t, &auth.TxBody{ChainId: "c", Sequence: 1, Msgs: []*auth.Msg{transfer(1)}})
	raw := signRaw(t, alice, body)
	var tx auth.Tx
	if err := tx.Unmarshal(raw); err != nil {
		t.Fatal(err)
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	bodyF, pubF, sigF := field(nil, 1, tx.BodyBytes, 1), field(nil, 2, tx.PubKey, 1), field(nil, 3, tx.Signature, 1)
	chainF, seqF, msgF := field(nil, 1, []byte("c"), 1), []byte{0x10, 0x01}, field(nil, 3, mustMarshal(t, transfer(1)), 1)
	// Msg{transfer: MsgTransfer with an unknown varint field 3 appended}.
	unknownInMsg := field(nil, 1, append(mustMarshal(t, transfer(1).GetTransfer()), 0x18, 0x07), 1)
	return []struct {
		name string
		raw  []byte
	}{
		{"envelope with an unknown varint field appended", cat(raw, []byte{0x20, 0x01})},
		{"envelope with an unknown bytes field appended", field(cat(raw), 9, []byte("relayer"), 1)},
		{"envelope with a non-minimal length varint", cat(field(nil, 1, tx.BodyBytes, 2), pubF, sigF)},
		{"envelope with fields out of order", cat(pubF, bodyF, sigF)},
		{"envelope with body_bytes twice", cat(field(nil, 1, []byte("x"), 1), bodyF, pubF, sigF)},
		{"body with an unknown field", signRaw(t, alice, cat(body, []byte{0x28, 0x05}))},
		{"body with a non-minimal sequence varint", signRaw(t, alice, cat(chainF, []byte{0x10, 0x81, 0x00}, msgF))},
		{"body with an explicit default sequence", signRaw(t, alice, cat(chainF, []byte{0x10, 0x00}, msgF))},
		{"body with fields out of order", signRaw(t, alice, cat(seqF, chainF, msgF))},
		{"message with an unknown field", signRaw(t, alice, cat(chainF, seqF, field(nil, 3, unknownInMsg, 1)))},
	}
}

func TestDecodeRejectsNonCanonical(t *testing.T) {
	for _, tc := range nonCanonicalTxs(t) {
		t.Run(tc.name, func(t *testing.T) {
			d, err := auth.Decode(tc.raw)
			if err == nil {
				t.Fatalf("Decode accepted it: %+v", d.Body)
			}
			_, code, log := core.ABCIInfo(err)
			if !errors.Is(err, auth.ErrNonCanonicalTx) || code != 114 ||
				!strings.HasPrefix(log, "tx is not canonically encoded: the ") ||
				!strings.Contains(log, "re-encode it with commonsd or a protobuf encoder") {
				t.Fatalf("code %d log %q; want 114 ErrNonCanonicalTx", code, log)
			}
		})
	}
}

// TestDecodeCanonicalRoundTrip: what Sign writes is canonical, including values that need multi-byte
// varints and every message type.
func TestDecodeCanonicalRoundTrip(t *testing.T) {
	alice := testKey("alice")
	msgs := []*auth.Msg{
		transfer(1 << 62),
		{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: "x", Handle: "h"}}},
		{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{Start: -5, End: 1 << 40, Category: "care", Summary: "s",
			Evidence: []*claims.Evidence{{}}}}},
		{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: 300, Verdict: claims.Verdict_VERDICT_REJECT, Note: "n"}}},
		{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{}}},
	}
	raw := mustSign(t, alice, &auth.TxBody{ChainId: "commons-1", Sequence: 1 << 35, Msgs: msgs, Memo: "m"})
	if _, err := auth.Decode(raw); err != nil {
		t.Fatalf("a tx written by Sign is refused: %v", err)
	}
}
