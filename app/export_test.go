package app

import "github.com/commonsledger/commons/x/core"

// SigStats reports, for tests in package app_test, the signature cache's entries and accounted
// bytes, and the number of signature verifications the app has done.
func (a *App) SigStats() (entries int, bytes int64, verifications uint64) {
	n, b := a.sigs.stats()
	return n, b, a.sigChecks.Load()
}

// OnEndBlock sets, for tests in package app_test, a function each end of block calls first
// (inside FinalizeBlock, so inside a block step).
func (a *App) OnEndBlock(f func(*core.Context)) { a.onEndBlock = f }

// GatherStats reports, for tests in package app_test, how many CheckTx calls waited for others to
// be admitted with them, and how many signatures were verified in batches.
func (a *App) GatherStats() (waits, batched uint64) {
	return a.gatherWaits.Load(), a.batchedSigs.Load()
}
