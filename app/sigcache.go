package app

import (
	"crypto/sha256"
	"runtime"
	"sync"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/auth"
)

// sigCacheBytes bounds the memory the signature cache holds: raw tx sizes plus an estimate of the
// decoded form (see entryCost). 64 MiB holds ~60,000 single transfers (or ~1,800 txs of the 16 KiB
// maximum), several full mempools of typical txs.
const sigCacheBytes = 64 << 20

// sigCache remembers txs (by hash of their exact bytes) that passed CheckTx, or that a proposal
// executed successfully, with their decoded form, so such a tx is neither verified nor decoded again
// in PrepareProposal, ProcessProposal, FinalizeBlock or a mempool recheck. Decoding and verification
// are deterministic, so reusing their result cannot change an outcome; the cache only saves work,
// and a miss only costs a re-decode and a re-verification.
//
// Only txs whose signer has an account and whose sequence was next (they passed runTx), or within
// the sender's pending window (held, signature verified), get in, so a flood from unknown keys
// never reaches it. Its memory is bounded in bytes by two generations: new
// entries go to cur; when cur would exceed half the bound, old is dropped and cur becomes old. A hit
// in old moves the entry back to cur, so txs still in the mempool (rechecked after each block)
// survive rotations. A cached DecodedTx is shared: execution reads it and never modifies it.
type sigCache struct {
	mu       sync.Mutex
	cur, old map[[32]byte]cacheEntry
	curBytes int64
	oldBytes int64
	max      int64 // bound on curBytes + oldBytes
}

type cacheEntry struct {
	dtx  *auth.DecodedTx
	cost int64
}

func newSigCache(maxBytes int64) *sigCache {
	return &sigCache{cur: make(map[[32]byte]cacheEntry), old: make(map[[32]byte]cacheEntry), max: maxBytes}
}

// entryCost estimates the bytes one cached tx keeps alive: its decoded envelope (body, key and
// signature are copied out of the raw bytes), the decoded body (strings are copied again, so at
// most the body's size once more), up to 1/8 of each for the allocator's size classes, an overhead
// per message and the map slot. It errs on the high side (about twice the heap for small txs);
// TestSigCacheMemoryBound checks it against the heap.
func entryCost(rawLen int, dtx *auth.DecodedTx) int64 {
	const fixed, perMsg = 512, 256
	return int64(2*rawLen+rawLen/4) + fixed + perMsg*int64(len(dtx.Body.Msgs))
}

// get returns the decoded form of a verified tx, or nil.
func (c *sigCache) get(h [32]byte) *auth.DecodedTx {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.cur[h]; ok {
		return e.dtx
	}
	if e, ok := c.old[h]; ok {
		delete(c.old, h)
		c.oldBytes -= e.cost
		c.insert(h, e)
		return e.dtx
	}
	return nil
}

// add caches a tx that passed runTx with its signature verified.
func (c *sigCache) add(h [32]byte, rawLen int, dtx *auth.DecodedTx) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.cur[h]; ok {
		return
	}
	if e, ok := c.old[h]; ok {
		delete(c.old, h)
		c.oldBytes -= e.cost
	}
	c.insert(h, cacheEntry{dtx: dtx, cost: entryCost(rawLen, dtx)})
}

// insert puts e in cur, first rotating the generations if cur would exceed half the bound.
func (c *sigCache) insert(h [32]byte, e cacheEntry) {
	if e.cost > c.max/2 {
		return // never the case for txs within auth.MaxTxBytes and a sane bound
	}
	if c.curBytes+e.cost > c.max/2 {
		c.old, c.oldBytes = c.cur, c.curBytes
		c.cur, c.curBytes = make(map[[32]byte]cacheEntry, len(c.old)), 0
	}
	c.cur[h] = e
	c.curBytes += e.cost
}

// remove forgets a tx, e.g. one a block executed: its sequence is used, so it can never pass again.
func (c *sigCache) remove(h [32]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.cur[h]; ok {
		delete(c.cur, h)
		c.curBytes -= e.cost
	}
	if e, ok := c.old[h]; ok {
		delete(c.old, h)
		c.oldBytes -= e.cost
	}
}

// stats reports the number of cached txs and their accounted bytes.
func (c *sigCache) stats() (entries int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cur) + len(c.old), c.curBytes + c.oldBytes
}

// preparedTx is a decoded tx, with its signature's outcome once known. The signature is checked by
// runTx, after the cheap checks against state (see checkSignature); prepare may have verified it
// ahead of time, in a batch, for a block.
type preparedTx struct {
	raw  []byte
	hash [32]byte
	dtx  *auth.DecodedTx
	err  error // decode error: the tx fails with it
	// cached: dtx came from the signature cache (so the signature verified earlier)
	cached bool
	// verified and sigErr: the signature's outcome, once known (both unset until then)
	verified bool
	sigErr   error
}

// minBatch is the smallest number of signatures worth batch-verifying; below it each is verified
// on its own. On the benchmark machine (BENCHMARKS.md, round 10) a batch of 4 costs 19 µs a
// signature against 25 µs alone, one of 8 16 µs; a batch of 2 saves nothing.
const minBatch = 4

// prepare decodes the txs of a proposal or block and verifies their signatures in parallel across
// cores. Results are stored by index, so the outcome does not depend on goroutine scheduling.
// Verifying ahead of execution only spends the work early: runTx still consults a tx's signature
// only after its chain id, signer and sequence checks, so a tx fails with the same error whether its
// signature was verified here or not. Nothing is cached here (see cacheExecuted).
//
// Signatures not already in the cache are batch-verified, one batch per core: ed25519 batch
// verification under ZIP-215 (cofactored, as the single verifier) accepts a batch exactly when every
// signature in it verifies on its own, and reports which ones failed, which are then re-verified
// singly for their error. A block of valid txs therefore costs about half the curve arithmetic of
// verifying each signature.
func (a *App) prepare(txs [][]byte) []preparedTx {
	out := a.decodeAll(txs)
	a.verifyAll(out, func(int) bool { return true })
	return out
}

// decodeAll decodes txs in parallel across cores (decodeOne each).
func (a *App) decodeAll(txs [][]byte) []preparedTx {
	out := make([]preparedTx, len(txs))
	parallel(len(txs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = a.decodeOne(txs[i])
		}
	})
	return out
}

// verifyAll batch-verifies, in parallel across cores, the signatures of the decoded txs not
// already verified for which want is true.
func (a *App) verifyAll(out []preparedTx, want func(i int) bool) {
	var todo []int // indices whose signature still needs verifying, ascending
	for i := range out {
		if out[i].err == nil && !out[i].cached && want(i) {
			todo = append(todo, i)
		}
	}
	parallelIn(len(todo), minBatch, func(lo, hi int) { a.verifyBatch(out, todo[lo:hi]) })
}

// parallel calls work on contiguous chunks of [0, n), one chunk per core, and waits.
func parallel(n int, work func(lo, hi int)) { parallelIn(n, 1, work) }

// parallelIn is parallel with chunks of at least atLeast items (unless n is smaller): a few
// signatures split across cores would each fall below minBatch and be verified one by one.
func parallelIn(n, atLeast int, work func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n/max(atLeast, 1))
	if workers <= 1 {
		work(0, n)
		return
	}
	per := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			work(lo, hi)
		}(lo, min(lo+per, n))
	}
	wg.Wait()
}

// verifyBatch verifies the signatures of out[idx...] and records each outcome in place.
func (a *App) verifyBatch(out []preparedTx, idx []int) {
	if len(idx) < minBatch {
		for _, i := range idx {
			a.verifyOne(&out[i])
		}
		return
	}
	bv := ed25519.NewBatchVerifier()
	for _, i := range idx {
		t := &out[i].dtx.Tx
		// Decode checked the key and signature sizes, so Add cannot fail.
		if err := bv.Add(ed25519.PubKey(t.PubKey), auth.SignBytes(t.BodyBytes), t.Signature); err != nil {
			panic("sigcache: batch add: " + err.Error())
		}
	}
	a.sigChecks.Add(uint64(len(idx)))
	a.batchedSigs.Add(uint64(len(idx)))
	_, valid := bv.Verify()
	for k, i := range idx {
		if valid[k] {
			out[i].verified = true
		} else {
			a.verifyOne(&out[i]) // for its exact error
		}
	}
}

// decodeOne decodes raw, or takes its decoded form from the cache when it was verified before. An
// oversized tx is refused by Decode before it is even hashed.
func (a *App) decodeOne(raw []byte) preparedTx {
	var hash [32]byte
	if len(raw) <= auth.MaxTxBytes {
		hash = sha256.Sum256(raw)
	}
	return a.decodeHashed(raw, hash)
}

// decodeHashed is decodeOne for a tx whose hash is already known (zero for an oversized tx): the
// pool's recheck has it from admission.
func (a *App) decodeHashed(raw []byte, hash [32]byte) preparedTx {
	p := preparedTx{raw: raw, hash: hash}
	if len(raw) <= auth.MaxTxBytes {
		if p.dtx = a.sigs.get(p.hash); p.dtx != nil {
			p.cached, p.verified = true, true
			return p
		}
	}
	p.dtx, p.err = auth.Decode(raw)
	return p
}

// verifyOne verifies p's signature and records the outcome in p.
func (a *App) verifyOne(p *preparedTx) {
	a.sigChecks.Add(1)
	p.sigErr = p.dtx.VerifySignature()
	p.verified = p.sigErr == nil
}

// checkSignature is runTx's signature check: the outcome recorded in p, or a verification now.
func (a *App) checkSignature(p *preparedTx) error {
	if !p.verified && p.sigErr == nil {
		a.verifyOne(p)
	}
	return p.sigErr
}

// cacheExecuted caches a tx that passed runTx (so its signature verified) in CheckTx or a proposal.
func (a *App) cacheExecuted(p *preparedTx) {
	if !p.cached && p.verified {
		a.sigs.add(p.hash, len(p.raw), p.dtx)
	}
}
