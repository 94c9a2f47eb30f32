// Package members holds membership: the founding members from genesis, candidates vouched for by
// active members, and their admission once `vouches_to_join` active members have vouched. Only
// active members may vouch, submit claims or attest; the claims module asks this package through
// Keeper.IsActive.
package members
