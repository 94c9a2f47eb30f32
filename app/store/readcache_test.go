package store

import (
	"testing"

	"github.com/commonsledger/commons/x/core"
)

// countingReader counts the Gets that reach it.
type countingReader struct {
	core.Reader
	gets int
}

func (c *countingReader) Get(key []byte) ([]byte, bool) {
	c.gets++
	return c.Reader.Get(key)
}

func TestReadCacheReadsEachKeyOnce(t *testing.T) {
	parent := &countingReader{Reader: model{"a": []byte("1"), "b": []byte("2")}}
	c := NewReadCache(parent)
	for range 3 {
		if v, ok := c.Get([]byte("a")); !ok || string(v) != "1" {
			t.Fatalf("a = %q, %v; want 1", v, ok)
		}
		if v, ok := c.Get([]byte("zz")); ok || v != nil {
			t.Fatalf("absent key = %q, %v; want nothing", v, ok)
		}
	}
	if parent.gets != 2 || c.Len() != 2 {
		t.Fatalf("parent read %d times, cache holds %d keys; want 2 and 2 (a hit and a miss, each once)", parent.gets, c.Len())
	}
	var keys []string
	c.Iterate(nil, nil, false, func(k, _ []byte) bool { keys = append(keys, string(k)); return true })
	if len(keys) != 2 || keys[0] != "a" || keys[1] != "b" {
		t.Fatalf("iterate = %v; want the parent's keys [a b]", keys)
	}
}

// The lattice computed through the cache, after the block has read every key, equals the one
// computed from the parent directly.
func TestReadCacheLatticeMatchesParent(t *testing.T) {
	parent := model{"a": []byte("1"), "b": []byte("2"), "c": []byte("3")}
	var base Lattice
	for k, v := range parent {
		base.Add([]byte(k), v)
	}
	c := NewReadCache(parent)
	o := NewOverlay(c)
	o.Get([]byte("a"))
	o.Set([]byte("a"), []byte("10"))
	o.Delete([]byte("b"))
	o.Set([]byte("d"), []byte("4"))
	want := UpdateLattice(base, parent, o)
	if got := NewExpansionCache(8).Update(base, c, o); got != want {
		t.Fatal("the lattice read through the cache differs from the one read from the parent")
	}
}

// TestPeeringReadCache: a miss asks the peer first and the parent only when the peer holds
// nothing; what either answers is remembered.
func TestPeeringReadCache(t *testing.T) {
	parent := &countingReader{Reader: model{"a": []byte("1"), "b": []byte("2")}}
	peer := NewReadCache(parent)
	peer.Get([]byte("a"))
	peer.Get([]byte("z")) // absent: the peer remembers that too
	parent.gets = 0
	c := NewPeeringReadCache(parent, func(k []byte) ([]byte, bool, bool) { return peer.Peek(k) })
	for _, tc := range []struct {
		key, want string
		found     bool
		gets      int // parent reads so far
	}{{"a", "1", true, 0}, {"z", "", false, 0}, {"b", "2", true, 1}, {"b", "2", true, 1}, {"a", "1", true, 1}} {
		v, found := c.Get([]byte(tc.key))
		if string(v) != tc.want || found != tc.found || parent.gets != tc.gets {
			t.Fatalf("Get(%q) = %q, %v after %d parent reads; want %q, %v after %d", tc.key, v, found, parent.gets, tc.want, tc.found, tc.gets)
		}
	}
	if _, _, ok := c.Peek([]byte("q")); ok {
		t.Fatal("Peek of a key never read answered")
	}
}

// TestReadCacheRebase: a bounded cache carried across a commit answers exactly as the new version
// does: keys it held that the block wrote take the new value or their deletion, keys the block
// did not write keep theirs, keys it did not hold are read from the new parent; nil forgets all.
func TestReadCacheRebase(t *testing.T) {
	v1 := model{"a": []byte("1"), "b": []byte("2"), "c": []byte("3")}
	c := NewBoundedReadCache(v1, 1<<20)
	for _, k := range []string{"a", "b", "c", "d"} {
		c.Get([]byte(k))
	}
	block := NewOverlay(v1)
	block.Set([]byte("a"), []byte("10"))
	block.Delete([]byte("b"))
	block.Set([]byte("d"), []byte("40")) // held as absent
	block.Set([]byte("e"), []byte("50")) // not held
	v2 := model{"a": []byte("10"), "c": []byte("3"), "d": []byte("40"), "e": []byte("50")}
	parent := &countingReader{Reader: v2}
	c.Rebase(parent, block)
	for _, k := range []string{"a", "b", "c", "d", "e", "f"} {
		got, ok := c.Get([]byte(k))
		want, wok := v2.Get([]byte(k))
		if ok != wok || string(got) != string(want) {
			t.Fatalf("%s after rebase = %q, %v; the new version has %q, %v", k, got, ok, want, wok)
		}
	}
	if parent.gets != 2 { // e and f: the only keys the cache did not hold
		t.Fatalf("the new parent was read %d times; want 2", parent.gets)
	}
	c.Rebase(parent, nil)
	if c.Len() != 0 {
		t.Fatalf("rebase without the block's writes kept %d keys", c.Len())
	}
}

// TestBoundedReadCacheStartsAfresh: a bounded cache never holds more bytes than its bound, whether
// it grows by reads or by a rebase onto larger values.
func TestBoundedReadCacheStartsAfresh(t *testing.T) {
	big := make([]byte, 1000)
	parent := model{}
	for i := range 10 {
		parent[string(rune('a'+i))] = big
	}
	bound := 3 * (1 + 1000 + cachedOverhead)
	c := NewBoundedReadCache(parent, bound)
	for i := range 10 {
		c.Get([]byte{byte('a' + i)})
		if c.Len() > 3 || c.size > bound {
			t.Fatalf("holds %d keys, %d bytes; bound %d bytes (3 keys)", c.Len(), c.size, bound)
		}
	}
	if c.Len() == 0 {
		t.Fatal("holds nothing after reads within its bound")
	}
	block := NewOverlay(parent)
	block.Set([]byte("j"), make([]byte, 5000)) // a key it holds grows past the bound
	c.Rebase(parent, block)
	if c.size > bound {
		t.Fatalf("holds %d bytes after a rebase; bound %d", c.size, bound)
	}
}
