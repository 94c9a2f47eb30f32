package members_test

import "github.com/commonsledger/commons/app/apptest"

// The message tests here moved from package app and share their cast and helpers with it (and with
// the other modules' message tests); apptest holds them, under these short names here.
var (
	alice, bob            = apptest.Alice, apptest.Bob
	erin, frank, outsider = apptest.Erin, apptest.Frank, apptest.Outsider

	contribChain = apptest.ContribChain
	exec         = apptest.Exec
	mustExec     = apptest.MustExec
	wantErr      = apptest.WantErr
	event        = apptest.Event
	memberOf     = apptest.MemberOf
	noCooldown   = apptest.NoCooldown
)
