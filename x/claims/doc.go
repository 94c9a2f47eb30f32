// Package claims holds contribution claims: a member claims a past work interval, other active
// members attest to it during the attestation window, and at the first block at or past the
// deadline the claim is finalised. A VERIFIED claim mints its duration in micro-hours to the
// claimant through the bank; a REJECTED claim frees its interval.
//
// A claimant's PENDING and VERIFIED claims never overlap in time. The overlap index
// (claimant, start) → (id, end) makes the check a short range scan: any claim that overlaps
// [start, end) starts in [start - max_claim_duration, end).
package claims
