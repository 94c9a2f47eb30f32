package claims

import "github.com/commonsledger/commons/x/core"

// Codespace of the claims module.
const Codespace = "claims"

var (
	ErrClaimantNotMember = core.Register(Codespace, 401, "only active members may submit claims")
	ErrInvalidInterval   = core.Register(Codespace, 402, "claim interval is empty")
	ErrEndInFuture       = core.Register(Codespace, 403, "claim ends in the future")
	ErrClaimTooOld       = core.Register(Codespace, 404, "claim starts too long ago")
	ErrClaimTooLong      = core.Register(Codespace, 405, "claim is too long")
	ErrUnknownCategory   = core.Register(Codespace, 406, "unknown category")
	ErrClaimOverlaps     = core.Register(Codespace, 407, "claim overlaps another claim")
	ErrSummaryTooLong    = core.Register(Codespace, 408, "summary too long")
	ErrInvalidEvidence   = core.Register(Codespace, 409, "invalid evidence")
	ErrClaimNotFound     = core.Register(Codespace, 410, "claim not found")
	ErrAttestorNotMember = core.Register(Codespace, 411, "only active members may attest")
	ErrSelfAttestation   = core.Register(Codespace, 412, "cannot attest your own claim")
	ErrDuplicateAttest   = core.Register(Codespace, 413, "already attested this claim")
	ErrWindowClosed      = core.Register(Codespace, 414, "attestation window closed")
	ErrInvalidVerdict    = core.Register(Codespace, 415, "invalid verdict")
	ErrNoteTooLong       = core.Register(Codespace, 416, "note too long")
	ErrInvalidGenesis    = core.Register(Codespace, 417, "invalid claims genesis")
	ErrClaimTooShort     = core.Register(Codespace, 418, "claim is too short")
	ErrTooManyPending    = core.Register(Codespace, 419, "too many pending claims")
	ErrReclaimLimit      = core.Register(Codespace, 420, "time already claimed and rejected too often")
	ErrBlockClaimsFull   = core.Register(Codespace, 421, "block holds the most new claims allowed")
	ErrNotVerified       = core.Register(Codespace, 422, "claim is not verified")
	ErrBeforeJoining     = core.Register(Codespace, 423, "claim starts before the claimant joined")
	ErrNotClaimant       = core.Register(Codespace, 424, "not the claimant")
	ErrNotPending        = core.Register(Codespace, 425, "claim is not pending")
	ErrUnknownProject    = core.Register(Codespace, 426, "unknown project")
	// 440–446: private summaries and beneficiaries' countersignatures (design §9, care work). 427–439
	// are free (426 is the unknown project).
	ErrNoSummary             = core.Register(Codespace, 440, "claim has neither a summary nor a summary hash")
	ErrSummaryAndHash        = core.Register(Codespace, 441, "claim has both a summary and a summary hash")
	ErrInvalidSummaryHash    = core.Register(Codespace, 442, "summary hash is not 32 bytes")
	ErrBeneficiaryRequired   = core.Register(Codespace, 443, "category requires a beneficiary's countersignature")
	ErrInvalidBeneficiary    = core.Register(Codespace, 444, "unusable beneficiary key or countersignature")
	ErrBeneficiaryIsClaimant = core.Register(Codespace, 445, "beneficiary is the claimant")
	ErrBadCountersignature   = core.Register(Codespace, 446, "countersignature does not match the claim")
)
