package core

// FatalError marks a failure of the node's own storage (an I/O error, an undecodable stored value):
// the node must stop rather than compute on unknown state. Handlers never recover it into a tx
// result, because another node's copy of the state may well be fine.
type FatalError struct{ Err error }

func (e *FatalError) Error() string { return "storage failure: " + e.Err.Error() }
func (e *FatalError) Unwrap() error { return e.Err }

// RecoverFatal, deferred, turns a *FatalError panic into *errp and lets any other panic go on. It
// is for background work (snapshots, verification) that must fail rather than stop the node:
//
//	defer core.RecoverFatal(&err)
func RecoverFatal(errp *error) {
	if r := recover(); r != nil {
		fe, ok := r.(*FatalError)
		if !ok {
			panic(r)
		}
		*errp = fe
	}
}
