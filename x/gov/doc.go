// Package gov is member governance (design §9): an eligible member (ACTIVE: admitted, past
// probation, not suspended) proposes a change, eligible members vote YES, NO or ABSTAIN during
// voting_period (one member, one vote, changeable until the end), and at the end of the block that
// closes the vote the proposal passes or not and, if it passed, executes.
//
// A proposal passes with a quorum (votes cast, abstentions included, at least quorum_permille of
// the eligible members when the vote closes) and more than half of the non-abstaining votes YES;
// a change of the gov module's own params needs more than two thirds. Execution is deterministic
// and runs once: a failure is recorded in the proposal (FAILED), never retried.
//
// This step has two kinds: params (any module's whole parameter set, validated by that module when
// proposed and again when executed) and text (a signal with no effect).
package gov
