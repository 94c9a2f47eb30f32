package core

import "sync"

// memo remembers the results of a pure function (here, bech32 encoding and decoding of addresses),
// safe for concurrent use and bounded: it keeps at most 2×max entries in two generations. New
// entries go to cur; when cur is full it becomes old and the old one is dropped, and a hit in old
// moves back to cur, so the addresses in use stay while a flood of new ones only rotates it.
type memo[V any] struct {
	mu       sync.Mutex
	cur, old map[string]V
	max      int
}

func newMemo[V any](max int) *memo[V] {
	return &memo[V]{cur: make(map[string]V), old: make(map[string]V), max: max}
}

func (m *memo[V]) get(k string) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.cur[k]; ok {
		return v, true
	}
	v, ok := m.old[k]
	if ok {
		delete(m.old, k)
		m.putLocked(k, v)
	}
	return v, ok
}

func (m *memo[V]) put(k string, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.putLocked(k, v)
}

func (m *memo[V]) putLocked(k string, v V) {
	if len(m.cur) >= m.max {
		m.old, m.cur = m.cur, make(map[string]V, m.max)
	}
	m.cur[k] = v
}
