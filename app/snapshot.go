package app

// Restored reloads what the app caches from state after state sync replaced the store's contents
// with a snapshot: the chain id, and the check state, which must build on the restored height.
// CometBFT calls nothing else on the app during a restore, so no block is in flight.
func (a *App) Restored() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.discardBlock()
	v := a.db.ReadLatest()
	id, _ := v.Get(chainIDKey)
	v.Discard()
	a.setChainID(string(id))
	a.resetCheckState(nil, nil, nil)
}
