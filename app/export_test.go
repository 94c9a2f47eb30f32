package app

// SigStats reports, for tests in package app_test, the signature cache's entries and accounted
// bytes, and the number of signature verifications the app has done.
func (a *App) SigStats() (entries int, bytes int64, verifications uint64) {
	n, b := a.sigs.stats()
	return n, b, a.sigChecks.Load()
}
