package app

import (
	"crypto/sha256"
	"runtime"
	"sync"

	"github.com/commonsledger/commons/x/auth"
)

// sigCache remembers txs (by hash of their exact bytes) whose signature verified, so a tx verified in
// CheckTx is not verified again in ProcessProposal or FinalizeBlock. Verification is deterministic,
// so skipping it cannot change a result; the cache only saves work.
type sigCache struct {
	mu  sync.Mutex
	set map[[32]byte]struct{}
	max int
}

func newSigCache(max int) *sigCache { return &sigCache{set: make(map[[32]byte]struct{}), max: max} }

func (c *sigCache) has(h [32]byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.set[h]
	return ok
}

func (c *sigCache) add(h [32]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.set) >= c.max {
		clear(c.set) // crude but bounded; a miss only costs one re-verification
	}
	c.set[h] = struct{}{}
}

// preparedTx is a decoded tx with its signature checked, ready to execute.
type preparedTx struct {
	raw  []byte
	hash [32]byte
	dtx  *auth.DecodedTx
	err  error // decode or signature error: the tx fails with it
}

// prepare decodes and verifies txs in parallel across cores. Results are stored by index, so the
// outcome does not depend on goroutine scheduling.
func (a *App) prepare(txs [][]byte) []preparedTx {
	out := make([]preparedTx, len(txs))
	workers := min(runtime.GOMAXPROCS(0), len(txs))
	if workers <= 1 {
		for i, raw := range txs {
			out[i] = a.prepareOne(raw)
		}
		return out
	}
	var wg sync.WaitGroup
	next := make(chan int, len(txs))
	for i := range txs {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = a.prepareOne(txs[i])
			}
		}()
	}
	wg.Wait()
	return out
}

func (a *App) prepareOne(raw []byte) preparedTx {
	p := preparedTx{raw: raw, hash: sha256.Sum256(raw)}
	p.dtx, p.err = auth.Decode(raw)
	if p.err != nil || a.sigs.has(p.hash) {
		return p
	}
	if p.err = p.dtx.VerifySignature(); p.err == nil {
		a.sigs.add(p.hash)
	}
	return p
}
