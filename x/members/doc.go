// Package members holds membership: the founding members from genesis, candidates vouched for by
// active members, and their admission once `vouches_to_join` active members have vouched. Only
// active members may vouch, submit claims, attest or take part in disputes; other modules ask
// through Keeper.IsActive, and Keeper.Suspension refuses a suspended member first (members/311).
//
// Strikes (strikes.go) come from reversed claims; strikes_to_suspend of them within strike_window
// make a member SUSPENDED for suspension_period, lifted at the end of the first block past it.
package members
