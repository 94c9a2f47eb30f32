package core

import "fmt"

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

// Update reads the value at key into a fresh T (the zero value when absent), lets fn change it and
// writes it back: the read-modify-write of a counter record.
func Update[T any, P interface {
	*T
	Unmarshal([]byte) error
	Marshal() ([]byte, error)
}](kv KV, key []byte, fn func(P)) {
	p := P(new(T))
	Load(kv, key, p)
	fn(p)
	kv.Set(key, MustMarshal(p))
}
