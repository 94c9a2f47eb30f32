package claims

import (
	"crypto/sha256"
	"sync"
	"sync/atomic"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/core"
)

// countersignDomain separates beneficiaries' countersignatures from tx signatures and every other
// use of the same key: a countersignature can never pass as a tx, nor a tx signature as one.
var countersignDomain = []byte("commons-ledger/countersign/v1\x00")

// SummaryHashOf is the summary hash a claim's statement carries: the given summary_hash of a
// private summary, otherwise SHA-256 of the summary text.
func SummaryHashOf(summary string, summaryHash []byte) []byte {
	if len(summaryHash) > 0 {
		return summaryHash
	}
	h := sha256.Sum256([]byte(summary))
	return h[:]
}

// StatementOf is the statement a beneficiary signs for msg, submitted by claimant on chainID.
func StatementOf(chainID, claimant string, msg *MsgSubmitClaim) *ClaimStatement {
	return &ClaimStatement{ChainId: chainID, Claimant: claimant, Start: msg.Start, End: msg.End,
		Category: msg.Category, SummaryHash: SummaryHashOf(msg.Summary, msg.SummaryHash)}
}

// CountersignBytes is what a beneficiary signs: SHA-256(domain || statement), the statement in its
// canonical protobuf encoding (gogoproto writes each field once, in field-number order).
func CountersignBytes(s *ClaimStatement) []byte {
	h := sha256.New()
	h.Write(countersignDomain)
	h.Write(core.MustMarshal(s))
	return h.Sum(nil)
}

// Countersign signs statement s with the beneficiary's key. It is the one way clients create a
// countersignature.
func Countersign(priv ed25519.PrivKey, s *ClaimStatement) (*Countersignature, error) {
	sig, err := priv.Sign(CountersignBytes(s))
	if err != nil {
		return nil, err
	}
	return &Countersignature{PubKey: priv.PubKey().Bytes(), Signature: sig}, nil
}

// BeneficiaryAddress is the address of a countersignature's key: the account its holder would
// have, though a beneficiary needs none.
func (c *Countersignature) BeneficiaryAddress() core.Address { return core.AddressFromPubKey(c.PubKey) }

// checkCountersignShape runs the checks on a countersignature that need no signature verification:
// the key's and signature's lengths, a usable key, and a beneficiary other than the claimant.
func checkCountersignShape(cs *Countersignature, claimant core.Address) error {
	if err := core.CheckEd25519PubKey(cs.PubKey); err != nil {
		return ErrInvalidBeneficiary.Wrapf("beneficiary key %v; the beneficiary signs with a key made by `commonsd keys add`", err)
	}
	if len(cs.Signature) != ed25519.SignatureSize {
		return ErrInvalidBeneficiary.Wrapf("countersignature is %d bytes; an ed25519 signature is %d", len(cs.Signature), ed25519.SignatureSize)
	}
	if cs.BeneficiaryAddress().Equal(claimant) {
		return ErrBeneficiaryIsClaimant.Wrapf("%s countersigned its own claim; the beneficiary (the person cared for, the "+
			"maintainer) signs with their own key: `commonsd claim countersign --from THEIR-KEY`", claimant)
	}
	return nil
}

// verifyCountersignature checks the one ed25519 signature a claim may carry against the statement
// rebuilt from the claim, so a countersignature for another chain, claimant, interval, category or
// summary fails.
func verifyCountersignature(cs *Countersignature, s *ClaimStatement) error {
	if !countersigsVerified.verify(cs.PubKey, CountersignBytes(s), cs.Signature) {
		return ErrBadCountersignature.Wrapf("the countersignature of %s is not over this claim (chain %s, claimant %s, %s, "+
			"category %s, summary hash %X); the beneficiary must sign the statement of exactly this claim with `commonsd claim countersign`",
			cs.BeneficiaryAddress(), s.ChainId, s.Claimant, core.FormatInterval(s.Start, s.End), s.Category, s.SummaryHash)
	}
	return nil
}

// countersigsVerified remembers the countersignatures that verified, so that a claim checked by
// CheckTx, PrepareProposal, ProcessProposal and FinalizeBlock costs one curve verification, not
// four. It memoises a pure function (the answer is the same with or without it, so nothing reaches
// state through it), keeps only successes, and holds at most verifiedMemoSize keys of 32 bytes
// (about 0.5 MB), forgetting the oldest first.
var countersigsVerified = &verifiedMemo{}

const verifiedMemoSize = 8192

type verifiedMemo struct {
	mu     sync.Mutex
	seen   map[[32]byte]struct{}
	order  [][32]byte // ring of the keys in seen, oldest at next
	next   int
	checks atomic.Uint64 // curve verifications done (tests)
}

func (m *verifiedMemo) verify(pub, msg, sig []byte) bool {
	h := sha256.New()
	for _, part := range [][]byte{pub, sig, msg} { // pub and sig have fixed lengths (checked before)
		h.Write(part)
	}
	var key [32]byte
	h.Sum(key[:0])
	m.mu.Lock()
	_, ok := m.seen[key]
	m.mu.Unlock()
	if ok {
		return true
	}
	m.checks.Add(1)
	if !ed25519.PubKey(pub).VerifySignature(msg, sig) {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen == nil {
		m.seen, m.order = map[[32]byte]struct{}{}, make([][32]byte, verifiedMemoSize)
	}
	if _, ok := m.seen[key]; !ok {
		delete(m.seen, m.order[m.next])
		m.order[m.next] = key
		m.seen[key] = struct{}{}
		m.next = (m.next + 1) % verifiedMemoSize
	}
	return true
}
