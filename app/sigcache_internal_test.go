package app

import (
	"crypto/sha256"
	"runtime"
	"strings"
	"testing"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
)

const testAddr = "commons1vtxrlqqr5jm49l53vqjchn29g34evk598ec5p6"

// cacheTx decodes the i-th of a family of distinct txs of msgs transfers to `to` and a memo, with an
// unverified signature (the cache never looks at it).
func cacheTx(t testing.TB, i, msgs int, memo, to string) ([32]byte, int, *auth.DecodedTx) {
	t.Helper()
	seed := sha256.Sum256([]byte("sigcache-test"))
	priv := ed25519.GenPrivKeyFromSecret(seed[:])
	body := &auth.TxBody{ChainId: "c", Sequence: uint64(i), Memo: memo}
	for range msgs {
		body.Msgs = append(body.Msgs, &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{
			To: to, Amount: 1}}})
	}
	bodyBytes, err := body.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	tx := auth.Tx{BodyBytes: bodyBytes, PubKey: priv.PubKey().Bytes(), Signature: make([]byte, 64)}
	raw, err := tx.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dtx, err := auth.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(raw), len(raw), dtx
}

// TestSigCacheBoundedInBytes: whatever is added, the accounted bytes stay within the bound; the newest
// entries are kept (eviction drops the older generation, not everything), an entry still being hit
// survives, and remove frees its bytes.
func TestSigCacheBoundedInBytes(t *testing.T) {
	const bound = 1 << 20
	c := newSigCache(bound)
	big := strings.Repeat("m", auth.MaxMemoBytes)
	hot, hotLen, hotTx := cacheTx(t, -1, auth.MaxMsgsPerTx, big, testAddr)
	c.add(hot, hotLen, hotTx)
	var hashes [][32]byte
	for i := range 2000 {
		h, n, dtx := cacheTx(t, i, 1+i%auth.MaxMsgsPerTx, big[:i%len(big)], testAddr)
		c.add(h, n, dtx)
		hashes = append(hashes, h)
		if _, b := c.stats(); b > bound {
			t.Fatalf("after %d adds the cache accounts %d bytes; the bound is %d", i+1, b, bound)
		}
		if c.get(hot) == nil {
			t.Fatalf("the entry hit after every add was evicted at add %d", i+1)
		}
	}
	n, b := c.stats()
	if n >= len(hashes) || b < bound/4 {
		t.Fatalf("%d entries, %d bytes: the cache should be partly full and have evicted", n, b)
	}
	// Eviction dropped an old generation, not everything: the latest entries (at most 50 × 8 KiB, less
	// than half the bound) are all there.
	for i := len(hashes) - 50; i < len(hashes); i++ {
		if c.get(hashes[i]) == nil {
			t.Fatalf("entry %d of %d, among the latest, was evicted (%d entries cached)", i, len(hashes), n)
		}
	}
	if c.get(hashes[0]) != nil {
		t.Fatal("the oldest entry survived 2000 adds into a 1 MiB cache")
	}
	for _, h := range hashes {
		c.remove(h)
	}
	c.remove(hot)
	if n, b := c.stats(); n != 0 || b != 0 {
		t.Fatalf("after removing everything: %d entries, %d bytes", n, b)
	}
}

// TestSigCacheMemoryBound checks entryCost against the heap: a cache full of small, many-message or
// largest txs keeps alive no more than the bytes it accounts (plus slack), so the byte bound is a
// memory bound.
func TestSigCacheMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a 16 MiB cache three times")
	}
	const bound = 16 << 20
	shapes := []struct {
		name string
		msgs int
		memo string
		to   string
	}{
		{"one transfer", 1, "", testAddr},
		{"16 transfers and a 256-byte memo", auth.MaxMsgsPerTx, strings.Repeat("m", auth.MaxMemoBytes), testAddr},
		{"15.8 KB", 1, "", strings.Repeat("x", 15_600)}, // stateless decoding takes any recipient string
	}
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			heap0 := heapInUse()
			c := newSigCache(bound)
			for i := 0; ; i++ {
				h, n, dtx := cacheTx(t, i, s.msgs, s.memo, s.to)
				if _, b := c.stats(); b+2*entryCost(n, dtx) > bound {
					break // both generations full: the most the cache ever holds
				}
				c.add(h, n, dtx)
			}
			held := int64(heapInUse()) - int64(heap0)
			entries, accounted := c.stats()
			runtime.KeepAlive(c)
			t.Logf("%d entries: %.2f MiB accounted, %.2f MiB held", entries, float64(accounted)/(1<<20), float64(held)/(1<<20))
			if accounted < bound*9/10 || accounted > bound {
				t.Fatalf("filled to %d accounted bytes, want about %d", accounted, bound)
			}
			if held > accounted+(1<<20) {
				t.Fatalf("%d entries hold %d bytes of heap but account for %d", entries, held, accounted)
			}
		})
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
