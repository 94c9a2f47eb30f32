// Package disputes lets members challenge a VERIFIED claim before a randomly drawn jury (design §8):
// MsgOpenDispute opens a dispute, the end of the next block draws its jury from the eligible members
// (core.Draw on the block hash), jurors vote with MsgJuryVote, and the first block at or past the
// voting deadline decides it (a redraw once without quorum). The losing side may appeal once
// (MsgAppeal) to a jury of 2 × jury_size + 1 that excludes the first; its decision is final.
// A finally upheld dispute reverses the claim (claims.Keeper.Reverse: burn, then debt) and strikes
// the claimant, each approving attestor and the claimant's vouchers (members.Keeper.Strike), within
// a per-block budget (reverse.go). Each member's dispute record (disputes opened and how they ended,
// jury seats, votes and no-shows) is kept here.
package disputes
