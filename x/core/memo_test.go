package core

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"sync"
	"testing"
)

func TestMemoIsBounded(t *testing.T) {
	m := newMemo[string, int](4)
	for i := range 100 {
		m.put(string(rune('a'+i)), i)
		if n := len(m.cur) + len(m.old); n > 8 {
			t.Fatalf("after %d puts the memo holds %d entries, above 2×4", i+1, n)
		}
	}
	// A hit in the old generation moves the entry to the new one, so it survives the next rotation.
	m = newMemo[string, int](2)
	m.put("a", 1)
	m.put("b", 2)
	m.put("c", 3) // rotates: old {a, b}, cur {c}
	if v, ok := m.get("a"); !ok || v != 1 {
		t.Fatalf("get(a) = %d, %v after one rotation; want 1, true", v, ok)
	}
	m.put("d", 4) // rotates: old {c, a}, cur {d}
	if _, ok := m.get("a"); !ok {
		t.Fatal("a, used after the first rotation, was dropped by the second")
	}
	if _, ok := m.get("b"); ok {
		t.Fatal("b, unused for two rotations, is still held")
	}
}

// The memos change how long an address takes to spell or parse, never the result: for more
// addresses than they hold, used from several goroutines, each spelling matches the uncached one
// and parses back to the same bytes, and a caller that modifies what it got changes no later answer.
func TestAddressMemosMatchTheEncoding(t *testing.T) {
	addr := func(i int) Address {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(i))
		h := sha256.Sum256(b[:])
		return Address(h[:AddressLen])
	}
	n := 3 * addressMemoSize
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 2 { // workers overlap, so the same addresses are met concurrently
				a := addr(i % (n / 2))
				s := a.String()
				if want := a.encode(); s != want {
					t.Errorf("String() = %s, want %s", s, want)
					return
				}
				for _, spelling := range []string{s, strings.ToUpper(s)} {
					got, err := ParseAddress(spelling)
					if err != nil || !got.Equal(a) {
						t.Errorf("ParseAddress(%s) = %x, %v; want %x", spelling, []byte(got), err, []byte(a))
						return
					}
					got[0] ^= 0xff // the caller's copy
				}
			}
		}()
	}
	wg.Wait()
	if len(addressStrings.cur)+len(addressStrings.old) > 2*addressMemoSize {
		t.Fatalf("address memo holds %d entries, above its bound", len(addressStrings.cur)+len(addressStrings.old))
	}
	a := addr(7)
	got, err := ParseAddress(a.String())
	if err != nil || !got.Equal(a) {
		t.Fatalf("after callers modified their copies, ParseAddress = %x, %v; want %x", []byte(got), err, []byte(a))
	}
	if _, err := ParseAddress(strings.ToUpper(a.String()[:len(a.String())-1]) + "Q"); err == nil {
		t.Fatal("a mixed-case, mis-checksummed spelling of a memoized address parsed")
	}
}
