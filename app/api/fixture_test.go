package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
)

// ledger is an in-memory chain with claims in every status, served by an API server.
type ledger struct {
	chain    *apptest.Chain
	founders []apptest.Key
	srv      *httptest.Server
	perRound int // claims per founder per round
}

// newLedger builds rounds of claims on an in-memory chain: every founder submits perFounder claims
// a round, the next founder attests each (one in five rejected), and a day passes so that the
// round is finalised. The last round stays pending. rounds*founders*perFounder claims in all.
func newLedger(tb testing.TB, founders, rounds, perFounder int, opts api.Options) *ledger {
	tb.Helper()
	l := newLedgerChain(tb, founders, perFounder)
	c := l.chain
	next := uint64(1)
	for round := range rounds {
		var submits, attests [][]byte
		for fi, f := range l.founders {
			msgs := l.roundClaims(fi, round)
			submits = append(submits, l.sign(tb, f, msgs, 0)...)
		}
		for fi := range l.founders {
			attestor := l.founders[(fi+1)%founders]
			msgs := make([]*auth.Msg, 0, perFounder)
			for k := range perFounder {
				id := next + uint64(fi*perFounder+k)
				if k%5 == 4 {
					msgs = append(msgs, apptest.Reject(id))
				} else {
					msgs = append(msgs, apptest.Approve(id))
				}
			}
			attests = append(attests, l.sign(tb, attestor, msgs, len(submits)/founders)...)
		}
		next += uint64(founders * perFounder)
		c.BlockInterval = time.Second
		mustBlock(tb, c, submits)
		if round == rounds-1 {
			break
		}
		mustBlock(tb, c, attests)
		c.BlockInterval = 24 * time.Hour
		mustBlock(tb, c, nil)
	}
	l.srv = httptest.NewServer(api.New(c.App, opts))
	tb.Cleanup(l.srv.Close)
	return l
}

// newLedgerChain is a chain of founders funded members (one approval verifies a claim, an hour to
// attest, room for perFounder pending claims each), its genesis committed with a first block.
func newLedgerChain(tb testing.TB, founders, perFounder int) *ledger {
	tb.Helper()
	l := &ledger{perRound: perFounder}
	for i := range founders {
		l.founders = append(l.founders, apptest.NewKey(fmt.Sprintf("founder%02d", i)))
	}
	g := apptest.ContribGenesis(100_000_000, l.founders...)
	g.Claims.Params.MinApprovals = 1
	g.Claims.Params.AttestationWindow = 3600
	g.Claims.Params.MaxPendingClaims = max(g.Claims.Params.MaxPendingClaims, uint32(perFounder))
	l.chain = apptest.NewChain(tb, "", g)
	l.chain.Block()
	return l
}

// roundClaims are founder fi's claims of a round: one-minute claims two minutes apart on one time
// line from 20 days before genesis, the category turning with founder and claim.
func (l *ledger) roundClaims(fi, round int) []*auth.Msg {
	base := apptest.GenesisTime.Add(-20 * 24 * time.Hour)
	msgs := make([]*auth.Msg, 0, l.perRound)
	for k := range l.perRound {
		j := round*l.perRound + k
		start := base.Add(time.Duration(j) * 2 * time.Minute)
		cat := claims.DefaultCategories()[(fi+j)%len(claims.DefaultCategories())]
		msgs = append(msgs, apptest.SubmitClaim(start, start.Add(time.Minute), cat, fmt.Sprintf("work %d of %s", j, l.founders[fi].Name)))
	}
	return msgs
}

// sign splits msgs into txs of at most auth.MaxMsgsPerTx, with sequences following the committed
// one plus skip (txs already queued for the same block).
func (l *ledger) sign(tb testing.TB, k apptest.Key, msgs []*auth.Msg, skip int) [][]byte {
	seq := l.chain.Seq(k.Addr)
	var out [][]byte
	for i := 0; i < len(msgs); i += auth.MaxMsgsPerTx {
		out = append(out, k.Sign(tb, apptest.ChainID, seq+uint64(skip+len(out)), msgs[i:min(i+auth.MaxMsgsPerTx, len(msgs))]...))
	}
	return out
}

func mustBlock(tb testing.TB, c *apptest.Chain, txs [][]byte) {
	tb.Helper()
	for i, r := range c.Block(txs...).TxResults {
		if r.Err != nil {
			tb.Fatalf("block %d tx %d: %v", c.Height, i, r.Err)
		}
	}
}

// get fetches path from the server and decodes the JSON answer into out (if not nil).
func (l *ledger) get(tb testing.TB, path string, out any) int {
	tb.Helper()
	resp, err := http.Get(l.srv.URL + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			tb.Fatalf("GET %s: %v in %s", path, err, body)
		}
	}
	return resp.StatusCode
}
