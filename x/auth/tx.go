package auth

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"sync"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/core"
)

// Limits on the envelope. They are consensus rules: changing them is a protocol change.
const (
	MaxTxBytes   = 16 << 10
	MaxMsgsPerTx = 16
	MaxMemoBytes = 256
)

// signDomain separates Commons Ledger tx signatures from every other use of the same key.
var signDomain = []byte("commons-ledger/tx/v1\x00")

// SignBytes is what a signer signs: SHA-256(domain || body_bytes) over body_bytes exactly as sent.
func SignBytes(bodyBytes []byte) []byte {
	h := sha256.New()
	h.Write(signDomain)
	h.Write(bodyBytes)
	return h.Sum(nil)
}

// DecodedTx is a tx whose envelope and body decoded and passed the stateless checks. Its signature
// is not verified yet: call VerifySignature.
type DecodedTx struct {
	Tx     Tx
	Body   TxBody
	Signer core.Address
}

// Decode parses raw tx bytes and runs every check that needs no state. Only the canonical encoding
// of a tx is accepted (see checkCanonical), so a tx's hash cannot be changed by re-encoding it.
func Decode(raw []byte) (*DecodedTx, error) {
	if len(raw) > MaxTxBytes {
		return nil, ErrTxTooLarge.Wrapf("%d bytes; the limit is %d", len(raw), MaxTxBytes)
	}
	if len(raw) == 0 {
		return nil, ErrMalformedTx.Wrapf("empty tx")
	}
	d := &DecodedTx{}
	if err := d.Tx.Unmarshal(raw); err != nil {
		return nil, ErrMalformedTx.Wrapf("envelope does not decode: %v", err)
	}
	if err := checkCanonical("envelope", raw, &d.Tx); err != nil {
		return nil, err
	}
	if len(d.Tx.PubKey) != ed25519.PubKeySize {
		return nil, ErrMalformedTx.Wrapf("pub_key must be %d bytes (ed25519), got %d", ed25519.PubKeySize, len(d.Tx.PubKey))
	}
	if len(d.Tx.Signature) != ed25519.SignatureSize {
		return nil, ErrMalformedTx.Wrapf("signature must be %d bytes, got %d", ed25519.SignatureSize, len(d.Tx.Signature))
	}
	if err := d.Body.Unmarshal(d.Tx.BodyBytes); err != nil {
		return nil, ErrMalformedTx.Wrapf("body does not decode: %v", err)
	}
	if err := checkCanonical("body", d.Tx.BodyBytes, &d.Body); err != nil {
		return nil, err
	}
	if len(d.Body.Msgs) == 0 {
		return nil, ErrNoMessages.Wrapf("add at least one message")
	}
	if len(d.Body.Msgs) > MaxMsgsPerTx {
		return nil, ErrTooManyMessages.Wrapf("%d messages; the limit is %d", len(d.Body.Msgs), MaxMsgsPerTx)
	}
	if len(d.Body.Memo) > MaxMemoBytes {
		return nil, ErrMemoTooLong.Wrapf("%d bytes; the limit is %d", len(d.Body.Memo), MaxMemoBytes)
	}
	for i, m := range d.Body.Msgs {
		if m == nil || m.Sum == nil {
			return nil, ErrUnknownMessage.Wrapf("message %d is empty or of a type this node does not know", i)
		}
	}
	if err := checkPubKey(d.Tx.PubKey); err != nil { // last: it is the costliest stateless check
		return nil, err
	}
	d.Signer = core.AddressFromPubKey(d.Tx.PubKey)
	return d, nil
}

// checkCanonical requires raw to be exactly the encoding Marshal gives for m, the message decoded
// from it: every field at most once, in field-number order, with minimal varints and lengths, no
// explicitly encoded default values and no unknown fields. Protobuf decoding accepts each of those
// variations, so without this rule anyone relaying a tx could re-encode it (the body is covered by
// the signature, but the envelope is not, and a body may be re-encoded before signing too) into new
// bytes with a new tx hash that decode to the same tx. With it, a tx has exactly one valid encoding.
// The check covers the messages inside the body, since they are part of its encoding.
func checkCanonical(part string, raw []byte, m canonicalMsg) error {
	n := m.Size()
	if n != len(raw) {
		return nonCanonical(part, raw, n, 0)
	}
	bp := canonBufs.Get().(*[]byte)
	defer canonBufs.Put(bp)
	if cap(*bp) < n {
		*bp = make([]byte, n)
	}
	canon := (*bp)[:n]
	if _, err := m.MarshalToSizedBuffer(canon); err != nil { // cannot happen for a message that just decoded
		return ErrMalformedTx.Wrapf("%s does not re-encode: %v", part, err)
	}
	if bytes.Equal(raw, canon) {
		return nil
	}
	return nonCanonical(part, raw, n, commonPrefix(raw, canon))
}

// canonicalMsg is what gogoproto generates for every message.
type canonicalMsg interface {
	Size() int
	MarshalToSizedBuffer([]byte) (int, error)
}

// canonBufs holds re-encoding buffers (up to MaxTxBytes each), so the check allocates nothing.
var canonBufs = sync.Pool{New: func() any { b := make([]byte, 0, MaxTxBytes); return &b }}

func commonPrefix(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

func nonCanonical(part string, raw []byte, canonLen, at int) error {
	detail := fmt.Sprintf("the %s is %d bytes and its canonical encoding %d bytes", part, len(raw), canonLen)
	if canonLen == len(raw) {
		detail = fmt.Sprintf("the %s differs from its canonical encoding from byte %d on", part, at)
	}
	return ErrNonCanonicalTx.Wrapf("%s (an unknown, repeated or out-of-order field, a non-minimal varint or an "+
		"explicit default value); re-encode it with commonsd or a protobuf encoder that writes each field once, "+
		"in field-number order, without unknown fields", detail)
}

// VerifySignature checks the ed25519 signature over SignBytes(body_bytes).
func (d *DecodedTx) VerifySignature() error {
	pk := ed25519.PubKey(d.Tx.PubKey)
	if !pk.VerifySignature(SignBytes(d.Tx.BodyBytes), d.Tx.Signature) {
		return ErrBadSignature.Wrapf("signature does not match body and key of %s; re-sign the tx with that key", d.Signer)
	}
	return nil
}

// Sign builds and signs a tx with priv. It is the one way clients create txs.
func Sign(priv ed25519.PrivKey, body *TxBody) ([]byte, error) {
	bodyBytes, err := body.Marshal()
	if err != nil {
		return nil, fmt.Errorf("encode tx body: %w", err)
	}
	sig, err := priv.Sign(SignBytes(bodyBytes))
	if err != nil {
		return nil, fmt.Errorf("sign tx: %w", err)
	}
	tx := Tx{BodyBytes: bodyBytes, PubKey: priv.PubKey().Bytes(), Signature: sig}
	return tx.Marshal()
}

// MsgName is the stable name of a message type, used in events, metrics and the CLI.
func MsgName(m *Msg) string {
	switch m.Sum.(type) {
	case *Msg_Transfer:
		return "transfer"
	case *Msg_Vouch:
		return "vouch"
	case *Msg_SubmitClaim:
		return "submit_claim"
	case *Msg_Attest:
		return "attest"
	case *Msg_OpenDispute:
		return "open_dispute"
	case *Msg_JuryVote:
		return "jury_vote"
	case *Msg_Appeal:
		return "appeal"
	case *Msg_Propose:
		return "propose"
	case *Msg_Vote:
		return "vote"
	case *Msg_WithdrawClaim:
		return "withdraw_claim"
	case *Msg_CreateProject:
		return "create_project"
	case *Msg_Distribute:
		return "distribute"
	default:
		return "unknown"
	}
}
