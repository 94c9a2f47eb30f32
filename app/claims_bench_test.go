package app_test

import (
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// BenchmarkCheckTxClaimManyClaims: CheckTx of a one-claim SubmitClaim by a member holding 57,600
// adjacent one-second VERIFIED claims (16 hours of them) against one by a member holding none. The
// overlap check is one seek, so the two should cost the same (the issue asks for within 2×).
//
//	go test ./app/ -run '^$' -bench BenchmarkCheckTxClaimManyClaims -benchtime 20000x
func BenchmarkCheckTxClaimManyClaims(b *testing.B) {
	dense, empty := apptest.NewKey("dense"), apptest.NewKey("empty")
	const perRound = 64 // txs checked between commits: the mempool's per-sender cap
	g := apptest.ContribGenesis(0, dense, empty, apptest.NewKey("third"))
	g.Claims.Params.MinClaimDuration = 1
	g.Claims.Params.MaxPendingClaims = perRound
	c := apptest.NewChain(b, "", g)
	c.Block()
	end := apptest.GenesisTime.Add(-2 * time.Hour)
	c.LoadDenseClaims(dense, 16*3600, end, claims.ClaimStatus_CLAIM_STATUS_VERIFIED)
	for _, bc := range []struct {
		name string
		k    apptest.Key
	}{{"member-with-no-claims", empty}, {"member-with-57600-claims", dense}} {
		// perRound claims of a minute each, right after the dense ones, sequences 0 … perRound-1.
		txs := make([][]byte, perRound)
		for i := range txs {
			from := end.Add(time.Duration(i) * time.Minute)
			txs[i] = bc.k.Sign(b, apptest.ChainID, uint64(i), apptest.SubmitClaim(from, from.Add(time.Minute), "code", "benchmark work"))
		}
		b.Run(bc.name, func(b *testing.B) {
			var r core.TxResult
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if i%perRound == 0 {
					b.StopTimer()
					c.Block() // commit nothing: the check state starts again from sequence 0
					b.StartTimer()
				}
				if r = c.App.CheckTx(txs[i%perRound]); r.Err != nil {
					b.Fatal(r.Err)
				}
			}
		})
	}
}
