package loadgen

import (
	"crypto/rand"
	"encoding/hex"
)

// kvGen makes kvstore txs "<key>=<value>" of a fixed size from random hex, so every tx is a new
// key (the kvstore app accepts any tx with exactly one '=' not at either end).
type kvGen struct {
	size, lanesN int
}

func newKVGen(cfg Config) *kvGen {
	size := cfg.TxSize
	if size <= 0 {
		size = sampleTransferSize()
	}
	return &kvGen{size: max(size, 8), lanesN: max(cfg.Concurrency, 1)}
}

func (g *kvGen) lanes() int   { return g.lanesN }
func (g *kvGen) txBytes() int { return g.size }
func (g *kvGen) rejected(int) {}
func (g *kvGen) presign(int)  {}
func (g *kvGen) next(int) ([]byte, func(txResult)) {
	raw := make([]byte, (g.size+1)/2)
	rand.Read(raw)
	tx := []byte(hex.EncodeToString(raw))[:g.size]
	tx[g.size/3] = '='
	return tx, nil
}
