// Package claims holds contribution claims: a member claims a past work interval, other active
// members attest to it during the attestation window, and at the first block at or past the
// deadline the claim is finalised. A VERIFIED claim mints its duration in micro-hours to the
// claimant through the bank; a REJECTED claim frees its interval. A VERIFIED claim whose dispute is
// finally upheld becomes REVERSED (reverse.go): its hours are burned (or become debt) and its
// interval stays taken. Each member's claims record (verified, reversed, verdicts given, approvals
// on reversed claims) is kept here.
//
// A claimant's PENDING, VERIFIED and REVERSED claims never overlap in time. The overlap index
// (claimant, start) → (id, end) makes the check one seek: only the live claim starting last
// before end can overlap [start, end). Rejected time may be claimed again max_reclaims times
// (reclaim.go); a member has at most max_pending_claims PENDING claims, and a block at most
// MaxClaimsPerBlock new claims, so that finalisation keeps up. A claim's body is written once;
// attestations and finalisation write its small ClaimTally.
//
// Care work and privacy (design §9, countersign.go): a claim may keep its summary private (only its
// SHA-256, summary_hash, is sent and stored), evidence may be a hash alone, and a claim may carry
// its beneficiary's countersignature over the claim's ClaimStatement; the categories in
// require_beneficiary need one. A countersignature proves who holds a key, not who the person is:
// docs/privacy.md.
package claims
