// Package disputes lets members challenge a VERIFIED claim before a randomly drawn jury (design §8):
// MsgOpenDispute opens a dispute, the end of the next block draws its jury from the eligible members
// (core.Draw on the block hash), jurors vote with MsgJuryVote, and the first block at or past the
// voting deadline decides it (a redraw once without quorum). This first step records the outcome
// only: reversal of the claim, appeals and strikes come next (docs/decisions.md).
package disputes
