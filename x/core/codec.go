package core

import "fmt"

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

// MustUnmarshal decodes a stored value. State is written only by its module, so a value that does
// not decode means the local store is corrupt: it panics with *FatalError.
func MustUnmarshal(b []byte, m interface{ Unmarshal([]byte) error }) {
	if err := m.Unmarshal(b); err != nil {
		panic(&FatalError{Err: fmt.Errorf("stored %T does not decode: %w", m, err)})
	}
}

// Load decodes the value stored at key into m and reports whether there was one; m is left as it
// is when the key is absent, so callers set defaults before calling.
func Load(r Reader, key []byte, m interface{ Unmarshal([]byte) error }) bool {
	b, ok := r.Get(key)
	if ok {
		MustUnmarshal(b, m)
	}
	return ok
}

// MustMarshal encodes a value for storage. Encoding a generated message cannot fail short of a bug.
func MustMarshal(m interface{ Marshal() ([]byte, error) }) []byte {
	b, err := m.Marshal()
	if err != nil {
		panic(fmt.Sprintf("core: marshal %T: %v", m, err))
	}
	return b
}
