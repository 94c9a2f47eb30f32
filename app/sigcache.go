package app

import (
	"crypto/sha256"
	"runtime"
	"sync"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/auth"
)

// sigCache remembers txs (by hash of their exact bytes) that decoded and whose signature verified,
// with their decoded form, so a tx checked in CheckTx is neither verified nor decoded again in
// PrepareProposal, ProcessProposal, FinalizeBlock or a mempool recheck. Decoding and verification
// are deterministic, so reusing their result cannot change an outcome; the cache only saves work.
// A cached DecodedTx is shared: execution reads it and never modifies it.
type sigCache struct {
	mu  sync.Mutex
	set map[[32]byte]*auth.DecodedTx
	max int
}

func newSigCache(max int) *sigCache {
	return &sigCache{set: make(map[[32]byte]*auth.DecodedTx), max: max}
}

// get returns the decoded form of a verified tx, or nil.
func (c *sigCache) get(h [32]byte) *auth.DecodedTx {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.set[h]
}

func (c *sigCache) add(h [32]byte, dtx *auth.DecodedTx) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.set) >= c.max {
		clear(c.set) // crude but bounded; a miss only costs one re-decode and re-verification
	}
	c.set[h] = dtx
}

// preparedTx is a decoded tx with its signature checked, ready to execute.
type preparedTx struct {
	raw  []byte
	hash [32]byte
	dtx  *auth.DecodedTx
	err  error // decode or signature error: the tx fails with it
	// verified: the signature checked out (now or earlier, per the cache)
	verified bool
}

// minBatch is the smallest number of signatures worth batch-verifying; below it each is verified
// on its own.
const minBatch = 8

// prepare decodes and verifies txs in parallel across cores. Results are stored by index, so the
// outcome does not depend on goroutine scheduling. Signatures not already in the cache are
// batch-verified, one batch per core: ed25519 batch verification under ZIP-215 (cofactored, as the
// single verifier) accepts a batch exactly when every signature in it verifies on its own, and
// reports which ones failed, which are then re-verified singly for their error. A block of valid
// txs therefore costs about half the curve arithmetic of verifying each signature.
func (a *App) prepare(txs [][]byte) []preparedTx {
	out := make([]preparedTx, len(txs))
	parallel(len(txs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = a.decodeOne(txs[i])
		}
	})
	var todo []int // indices whose signature still needs verifying, ascending
	for i := range out {
		if out[i].err == nil && !out[i].verified {
			todo = append(todo, i)
		}
	}
	parallel(len(todo), func(lo, hi int) { a.verifyBatch(out, todo[lo:hi]) })
	return out
}

// parallel calls work on contiguous chunks of [0, n), one chunk per core, and waits.
func parallel(n int, work func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
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
	_, valid := bv.Verify()
	for k, i := range idx {
		if valid[k] {
			out[i].verified = true
			a.sigs.add(out[i].hash, out[i].dtx)
		} else {
			a.verifyOne(&out[i]) // for its exact error
		}
	}
}

// decodeOne decodes raw, or takes its decoded form from the cache when it was verified before.
func (a *App) decodeOne(raw []byte) preparedTx {
	p := preparedTx{raw: raw, hash: sha256.Sum256(raw)}
	if p.dtx = a.sigs.get(p.hash); p.dtx != nil {
		p.verified = true
		return p
	}
	p.dtx, p.err = auth.Decode(raw)
	return p
}

func (a *App) verifyOne(p *preparedTx) {
	if p.err = p.dtx.VerifySignature(); p.err == nil {
		p.verified = true
		a.sigs.add(p.hash, p.dtx)
	}
}

// prepareOne decodes and verifies one tx (CheckTx).
func (a *App) prepareOne(raw []byte) preparedTx {
	p := a.decodeOne(raw)
	if p.err == nil && !p.verified {
		a.verifyOne(&p)
	}
	return p
}
