package claims_test

import "github.com/commonsledger/commons/app/apptest"

// The message tests here moved from package app and share their cast and helpers with it (and with
// the other modules' message tests); apptest holds them, under these short names here.
var (
	alice, bob, carol, dave = apptest.Alice, apptest.Bob, apptest.Carol, apptest.Dave
	erin, outsider          = apptest.Erin, apptest.Outsider

	contribChain = apptest.ContribChain
	exec         = apptest.Exec
	mustExec     = apptest.MustExec
	wantErr      = apptest.WantErr
	logOf        = apptest.LogOf
	event        = apptest.Event
	claimOf      = apptest.ClaimOf
	next         = (*apptest.Chain).NextTime
	hoursAgo     = (*apptest.Chain).HoursAgo
	settle       = (*apptest.Chain).Settle
	at           = apptest.Yesterday // a time of the day before genesis, the day the cap tests claim
)
