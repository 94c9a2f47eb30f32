package core

import "sync"

// memo remembers the results of a pure function (here, bech32 encoding and decoding of addresses),
// safe for concurrent use and bounded: it keeps at most 2×max entries in two generations. New
// entries go to cur; when cur is full it becomes old and the old one is dropped, and a hit in old
// moves back to cur, so the addresses in use stay while a flood of new ones only rotates it.
type memo[K comparable, V any] struct {
	mu       sync.Mutex
	cur, old map[K]V
	max      int
}

func newMemo[K comparable, V any](max int) *memo[K, V] {
	return &memo[K, V]{cur: make(map[K]V), old: make(map[K]V), max: max}
}

func (m *memo[K, V]) get(k K) (V, bool) {
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

func (m *memo[K, V]) put(k K, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.putLocked(k, v)
}

func (m *memo[K, V]) putLocked(k K, v V) {
	if len(m.cur) >= m.max {
		m.old, m.cur = m.cur, make(map[K]V, m.max)
	}
	m.cur[k] = v
}
