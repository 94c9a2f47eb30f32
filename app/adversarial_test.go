package app_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// The adversarial catalogue of docs/security.md: one test (or table) per attack.

// twinChains starts two independent apps on the same genesis and chain id. The twin never sees a
// tx in CheckTx, so its ProcessProposal and FinalizeBlock verify every signature afresh.
func twinChains(t *testing.T, g func() *app.GenesisState) (*apptest.Chain, *apptest.Chain) {
	t.Helper()
	return apptest.NewChain(t, "", g()), apptest.NewChain(t, "", g())
}

// codeOf is the registered ABCI code of err (0 for success).
func codeOf(err error) uint32 {
	_, code, _ := core.ABCIInfo(err)
	return code
}

// samePathsVerdict runs raw through CheckTx on c, ProcessProposal on both chains, and then
// FinalizeBlock and Commit on both, and requires one code from every path and one app hash from
// both chains. It returns that code.
func samePathsVerdict(t *testing.T, c, twin *apptest.Chain, raw []byte) uint32 {
	t.Helper()
	check := codeOf(c.App.CheckTx(raw).Err)
	pp := codeOf(c.App.ProcessProposal(c.Height+1, next(c), [][]byte{raw}))
	ppTwin := codeOf(twin.App.ProcessProposal(twin.Height+1, next(twin), [][]byte{raw}))
	ra, rb := c.Block(raw), twin.Block(raw)
	fb, fbTwin := codeOf(ra.TxResults[0].Err), codeOf(rb.TxResults[0].Err)
	if check != pp || pp != ppTwin || ppTwin != fb || fb != fbTwin {
		t.Fatalf("paths disagree: CheckTx %d, ProcessProposal %d/%d (twin), FinalizeBlock %d/%d (twin)", check, pp, ppTwin, fb, fbTwin)
	}
	if !bytes.Equal(ra.AppHash, rb.AppHash) {
		t.Fatalf("twin chains disagree after the tx: %X vs %X", ra.AppHash, rb.AppHash)
	}
	return fb
}

// newChainWithID is apptest.NewChain for another chain id.
func newChainWithID(t *testing.T, chainID string, g *app.GenesisState) *apptest.Chain {
	t.Helper()
	db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 100})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := app.New(db, app.DefaultOptions())
	state, err := app.MarshalGenesis(g)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := a.InitChain(chainID, 1, apptest.GenesisTime, state, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &apptest.Chain{TB: t, App: a, DB: db, Time: apptest.GenesisTime, BlockInterval: time.Second, Hashes: [][]byte{hash}}
}

// TestAdversarialReplay: a committed tx replayed on the same chain fails with "sequence already
// used" on every path, also inside the block that first carries it; replayed on a chain with
// another id (same accounts, same keys) it fails with "wrong chain id"; rewriting its chain id
// breaks the signature. Nothing changes on either chain.
func TestAdversarialReplay(t *testing.T) {
	sender, to := apptest.NewKey("rp-sender"), apptest.NewKey("rp-to")
	g := func() *app.GenesisState { return apptest.Genesis(10_000_000, sender, to) }
	c, twin := twinChains(t, g)
	tx := sender.Sign(t, apptest.ChainID, 0, apptest.Transfer(to.Addr, 1_000_000))

	t.Run("same block", func(t *testing.T) {
		err := c.App.ProcessProposal(c.Height+1, next(c), [][]byte{tx, tx})
		wantErr(t, err, auth.ErrSequenceReused, "sequence 0 of "+sender.Addr.String()+" was already used")
		if !strings.HasPrefix(err.Error(), "tx 1: ") {
			t.Fatalf("%q does not name the second copy", err)
		}
	})
	if code := samePathsVerdict(t, c, twin, tx); code != 0 {
		t.Fatalf("first submission: code %d", code)
	}
	t.Run("same chain", func(t *testing.T) {
		before := c.Hashes[c.Height]
		if code := samePathsVerdict(t, c, twin, tx); code != auth.ErrSequenceReused.Code {
			t.Fatalf("replay: code %d, want %d", code, auth.ErrSequenceReused.Code)
		}
		if !bytes.Equal(c.Hashes[c.Height], before) || c.Account(to.Addr).Balance != 11_000_000 {
			t.Fatal("the replay changed state")
		}
	})
	t.Run("other chain", func(t *testing.T) {
		other := newChainWithID(t, "commons-other-1", g())
		other.Block()
		want := `tx is for chain "test-chain" but this chain is "commons-other-1"`
		wantErr(t, other.App.CheckTx(tx).Err, auth.ErrWrongChainID, want)
		wantErr(t, other.App.ProcessProposal(other.Height+1, next(other), [][]byte{tx}), auth.ErrWrongChainID, want)
		before := other.Hashes[other.Height]
		wantErr(t, other.Block(tx).TxResults[0].Err, auth.ErrWrongChainID, want)
		if !bytes.Equal(other.Hashes[other.Height], before) {
			t.Fatal("a foreign tx changed state")
		}
		// Rewriting the chain id in the signed body breaks the signature.
		var env auth.Tx
		if err := env.Unmarshal(tx); err != nil {
			t.Fatal(err)
		}
		var body auth.TxBody
		if err := body.Unmarshal(env.BodyBytes); err != nil {
			t.Fatal(err)
		}
		body.ChainId = "commons-other-1"
		env.BodyBytes = mustMarshal(t, &body)
		wantErr(t, other.Block(mustMarshal(t, &env)).TxResults[0].Err, auth.ErrBadSignature)
	})
}

// zip215Points are the 14 encodings of the eight small-order points of edwards25519, canonical and
// not, that the ZIP-215 test vectors combine as public key A and commitment R (with S = 0); see
// curve25519-voi primitives/ed25519/testdata/zip215.json.gz.
var zip215Points = []string{
	"0100000000000000000000000000000000000000000000000000000000000000",
	"0100000000000000000000000000000000000000000000000000000000000080",
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0000000000000000000000000000000000000000000000000000000000000080",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
}

// groupOrder is ℓ, the order of the ed25519 base point, little-endian as in a signature's S.
var groupOrder = func() []byte {
	l, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
	return leBytes(l)
}()

func leBytes(n *big.Int) []byte {
	be := n.FillBytes(make([]byte, 32))
	out := make([]byte, 32)
	for i := range be {
		out[i] = be[31-i]
	}
	return out
}

// envelope is a tx with a chosen public key and signature over body.
func envelope(t *testing.T, body *auth.TxBody, pub, sig []byte) []byte {
	t.Helper()
	return mustMarshal(t, &auth.Tx{BodyBytes: mustMarshal(t, body), PubKey: pub, Signature: sig})
}

// TestAdversarialZIP215 checks that signature edge cases get one verdict on every path: CheckTx on
// one app, ProcessProposal and FinalizeBlock on it and on a twin that never cached the signature.
// CometBFT's verifier follows ZIP-215: small-order keys and commitments, canonical or not, with
// S = 0 verify for any message, so each of the 14 small-order encodings is an address anyone can
// sign for (funded here to show it; see docs/security.md). A non-canonical S (S + ℓ) is rejected,
// on a small-order vector and on an honest signature alike.
func TestAdversarialZIP215(t *testing.T) {
	honest, to := apptest.NewKey("zip-honest"), apptest.NewKey("zip-to")
	var smallOrder []core.Address
	for _, p := range zip215Points {
		pub, _ := hex.DecodeString(p)
		smallOrder = append(smallOrder, core.AddressFromPubKey(pub))
	}
	g := func() *app.GenesisState {
		g := apptest.Genesis(10_000_000, honest, to)
		for _, a := range smallOrder {
			g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: a.String(), Balance: 1_000})
		}
		return g
	}
	c, twin := twinChains(t, g)
	c.Block()
	twin.Block()
	body := func(seq uint64) *auth.TxBody {
		return &auth.TxBody{ChainId: apptest.ChainID, Sequence: seq, Msgs: []*auth.Msg{apptest.Transfer(to.Addr, 1)}}
	}
	zeroS := make([]byte, 32)
	// Under ZIP-215, (R small-order, S = 0) verifies under a small-order key for any message, so
	// such keys are refused outright (auth/113) on every path, before any signature is looked at.
	for i, a := range zip215Points {
		t.Run("small-order A "+a[:8]+a[62:], func(t *testing.T) {
			pub, _ := hex.DecodeString(a)
			r, _ := hex.DecodeString(zip215Points[(i*5+3)%len(zip215Points)]) // a different R for each A
			if code := samePathsVerdict(t, c, twin, envelope(t, body(0), pub, append(r, zeroS...))); code != auth.ErrWeakPubKey.Code {
				t.Fatalf("ZIP-215 forgery under a small-order key: code %d, want %d", code, auth.ErrWeakPubKey.Code)
			}
			if code := samePathsVerdict(t, c, twin, envelope(t, body(0), pub, append(r, groupOrder...))); code != auth.ErrWeakPubKey.Code {
				t.Fatalf("non-canonical S under a small-order key: code %d, want %d", code, auth.ErrWeakPubKey.Code)
			}
		})
	}
	t.Run("one block, batch verification", func(t *testing.T) {
		// ProcessProposal and FinalizeBlock verify a block's uncached signatures in batches: the
		// verdicts must be those of the single verifier, tx by tx.
		c, twin := twinChains(t, g)
		c.Block()
		twin.Block()
		var mixed [][]byte
		var want []uint32
		for i, a := range zip215Points {
			pub, _ := hex.DecodeString(a)
			r, _ := hex.DecodeString(zip215Points[(i*3+1)%len(zip215Points)])
			mixed = append(mixed, envelope(t, body(0), pub, append(r, zeroS...)))
			want = append(want, auth.ErrWeakPubKey.Code)
		}
		mixed = append(mixed, honest.Sign(t, apptest.ChainID, 0, apptest.Transfer(to.Addr, 1)))
		want = append(want, 0)
		if err := twin.App.ProcessProposal(twin.Height+1, next(twin), mixed); codeOf(err) != auth.ErrWeakPubKey.Code || !strings.HasPrefix(err.Error(), "tx 0: ") {
			t.Fatalf("a block with small-order keys: %v", err)
		}
		ra, rb := c.Block(mixed...), twin.Block(mixed...)
		for i := range mixed {
			if got, gotTwin := codeOf(ra.TxResults[i].Err), codeOf(rb.TxResults[i].Err); got != want[i] || gotTwin != want[i] {
				t.Fatalf("tx %d: codes %d and %d, want %d", i, got, gotTwin, want[i])
			}
		}
		if !bytes.Equal(ra.AppHash, rb.AppHash) {
			t.Fatal("twin chains disagree")
		}
	})
	t.Run("honest signature with S+ℓ", func(t *testing.T) {
		raw := honest.Sign(t, apptest.ChainID, 0, apptest.Transfer(to.Addr, 1))
		var env auth.Tx
		if err := env.Unmarshal(raw); err != nil {
			t.Fatal(err)
		}
		s := make([]byte, 32)
		for i := range s {
			s[i] = env.Signature[63-i]
		}
		sPlusL := new(big.Int).SetBytes(s)
		l := new(big.Int).SetBytes(reverse(groupOrder))
		sPlusL.Add(sPlusL, l)
		malleated := append(append([]byte{}, env.Signature[:32]...), leBytes(sPlusL)...)
		if code := samePathsVerdict(t, c, twin, envelope(t, body(0), env.PubKey, malleated)); code != auth.ErrBadSignature.Code {
			t.Fatalf("malleated S: code %d, want %d", code, auth.ErrBadSignature.Code)
		}
		if code := samePathsVerdict(t, c, twin, raw); code != 0 {
			t.Fatalf("the honest original: code %d", code)
		}
	})
}

func reverse(b []byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[i] = b[len(b)-1-i]
	}
	return out
}

// TestAdversarialSizeLimits: each limit accepts its bound and rejects one more, with the same
// code in CheckTx, ProcessProposal and FinalizeBlock.
func TestAdversarialSizeLimits(t *testing.T) {
	p := claims.DefaultParams()
	// CheckTx judges time against the last committed block, proposals against the next one: a
	// claim ending at the committed block time is valid for both.
	claimMsg := func(c *apptest.Chain, summary string, ev []*claims.Evidence) *auth.Msg {
		m := apptest.SubmitClaim(c.Time.Add(-time.Hour), c.Time, "care", summary)
		m.GetSubmitClaim().Evidence = ev
		return m
	}
	evidence := func(n, uriBytes int) []*claims.Evidence {
		var ev []*claims.Evidence
		for i := range n {
			ev = append(ev, &claims.Evidence{Uri: fmt.Sprintf("%0*d", uriBytes, i)})
		}
		return ev
	}
	transfers := func(n int) []*auth.Msg {
		var ms []*auth.Msg
		for range n {
			ms = append(ms, apptest.Transfer(bob.Addr, 1))
		}
		return ms
	}
	tests := []struct {
		name string
		body func(c *apptest.Chain, over bool) *auth.TxBody
		want *core.Error
	}{
		{"messages per tx", func(c *apptest.Chain, over bool) *auth.TxBody {
			return &auth.TxBody{Msgs: transfers(auth.MaxMsgsPerTx + b2i(over))}
		}, auth.ErrTooManyMessages},
		{"memo bytes", func(c *apptest.Chain, over bool) *auth.TxBody {
			return &auth.TxBody{Msgs: transfers(1), Memo: strings.Repeat("é", auth.MaxMemoBytes/2) + strings.Repeat("x", b2i(over))}
		}, auth.ErrMemoTooLong},
		{"summary bytes", func(c *apptest.Chain, over bool) *auth.TxBody {
			return &auth.TxBody{Msgs: []*auth.Msg{claimMsg(c, strings.Repeat("s", int(p.MaxSummaryBytes)+b2i(over)), nil)}}
		}, claims.ErrSummaryTooLong},
		{"evidence items", func(c *apptest.Chain, over bool) *auth.TxBody {
			return &auth.TxBody{Msgs: []*auth.Msg{claimMsg(c, "work", evidence(int(p.MaxEvidence)+b2i(over), 8))}}
		}, claims.ErrInvalidEvidence},
		{"evidence uri bytes", func(c *apptest.Chain, over bool) *auth.TxBody {
			return &auth.TxBody{Msgs: []*auth.Msg{claimMsg(c, "work", evidence(1, 512+b2i(over)))}}
		}, claims.ErrInvalidEvidence},
		{"handle characters", func(c *apptest.Chain, over bool) *auth.TxBody {
			return &auth.TxBody{Msgs: []*auth.Msg{apptest.Vouch(erin, strings.Repeat("h", 32+b2i(over)))}}
		}, members.ErrInvalidHandle},
		{"note bytes", func(c *apptest.Chain, over bool) *auth.TxBody {
			m := apptest.Approve(1)
			m.GetAttest().Note = strings.Repeat("n", int(p.MaxNoteBytes)+b2i(over))
			return &auth.TxBody{Msgs: []*auth.Msg{m}}
		}, claims.ErrNoteTooLong},
	}
	for _, tt := range tests {
		for _, over := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s over=%v", tt.name, over), func(t *testing.T) {
				g := func() *app.GenesisState { return apptest.ContribGenesis(10_000_000, alice, bob, carol, dave) }
				c, twin := twinChains(t, g)
				// Claim 1 by bob, for the note case to attest.
				claim := c.Tx(bob, apptest.SubmitClaim(next(c).Add(-2*time.Hour), next(c).Add(-90*time.Minute), "care", "work"))
				c.Block(claim)
				twin.Block(claim)
				b := tt.body(c, over)
				b.ChainId, b.Sequence = apptest.ChainID, c.Seq(alice.Addr)
				raw, err := auth.Sign(alice.Priv, b)
				if err != nil {
					t.Fatal(err)
				}
				code := samePathsVerdict(t, c, twin, raw)
				switch {
				case over && code != tt.want.Code:
					t.Fatalf("one over the limit: code %d, want %d", code, tt.want.Code)
				case !over && code != 0:
					t.Fatalf("at the limit: code %d, want success", code)
				}
			})
		}
	}
	t.Run("tx bytes", func(t *testing.T) {
		c := contribChain(t, nil)
		c.Block()
		// Pad a memo-less tx through its claims' summaries to exactly MaxTxBytes, then one more.
		build := func(extra int) []byte {
			var ms []*auth.Msg
			for i := range 15 {
				ms = append(ms, claimMsg(c, strings.Repeat("s", 1000), nil))
				ms[i].GetSubmitClaim().Start -= int64(i * 7200)
				ms[i].GetSubmitClaim().End -= int64(i * 7200)
			}
			ms = append(ms, claimMsg(c, strings.Repeat("t", extra), nil))
			return alice.Sign(t, apptest.ChainID, c.Seq(alice.Addr), ms...)
		}
		n := 0
		for len(build(n)) < auth.MaxTxBytes {
			n++
		}
		if len(build(n)) != auth.MaxTxBytes {
			t.Skipf("no padding gives exactly %d bytes", auth.MaxTxBytes)
		}
		if err := c.App.CheckTx(build(n)).Err; codeOf(err) == auth.ErrTxTooLarge.Code {
			t.Fatalf("a tx of exactly %d bytes: %v", auth.MaxTxBytes, err)
		}
		wantErr(t, c.App.CheckTx(build(n+1)).Err, auth.ErrTxTooLarge, fmt.Sprintf("%d bytes; the limit is %d", auth.MaxTxBytes+1, auth.MaxTxBytes))
		wantErr(t, c.Block(build(n + 1)).TxResults[0].Err, auth.ErrTxTooLarge)
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestAdversarialClaimSpam: one member cannot hold more claimed time than max_claim_age, however
// it slices it. With a 120 s claim age, 120 one-second claims fill the window (in one block,
// eight txs of up to 16 claims); any further claim overlaps, starts too long ago or ends in the
// future. A second later, exactly one more second can be claimed. This test lifts the count caps
// (min_claim_duration 1 s, max_pending_claims at its limit) to show the time bound on its own; with
// the defaults, min_claim_duration and max_pending_claims stop the spam far earlier
// (claims.TestMinClaimDuration and claims.TestMaxPendingClaims, in x/claims).
func TestAdversarialClaimSpam(t *testing.T) {
	c := contribChain(t, func(g *app.GenesisState) {
		p := claims.DevnetParams()
		p.MaxClaimAge, p.MaxClaimDuration = 120, 60
		p.MinClaimDuration, p.MaxPendingClaims = 1, claims.MaxPendingClaimsLimit
		g.Claims.Params = &p
	})
	c.Block()
	now := next(c).Unix()
	one := func(start int64) *auth.Msg {
		return &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{Start: start, End: start + 1, Category: "care", Summary: "work"}}}
	}
	var txs [][]byte
	seq := c.Seq(alice.Addr)
	for start := now - 120; start < now; start += auth.MaxMsgsPerTx {
		var ms []*auth.Msg
		for s := start; s < min(start+auth.MaxMsgsPerTx, now); s++ {
			ms = append(ms, one(s))
		}
		txs = append(txs, alice.Sign(t, apptest.ChainID, seq, ms...))
		seq++
	}
	if err := c.App.ProcessProposal(c.Height+1, next(c), txs); err != nil {
		t.Fatalf("120 one-second claims: %v", err)
	}
	for i, r := range c.Block(txs...).TxResults {
		if r.Err != nil {
			t.Fatalf("tx %d: %v", i, r.Err)
		}
	}
	if n := claimCounts(c).Pending; n != 120 {
		t.Fatalf("%d pending claims, want 120", n)
	}
	for _, tt := range []struct {
		name       string
		start, end func(blockTime int64) int64
		want       *core.Error
	}{
		{"inside the filled window", func(int64) int64 { return now - 60 }, func(int64) int64 { return now - 59 }, claims.ErrClaimOverlaps},
		{"straddling its end", func(int64) int64 { return now - 1 }, func(int64) int64 { return now + 1 }, claims.ErrClaimOverlaps},
		{"before the claim age", func(bt int64) int64 { return bt - 125 }, func(bt int64) int64 { return bt - 121 }, claims.ErrClaimTooOld},
		{"ending in the future", func(bt int64) int64 { return bt }, func(bt int64) int64 { return bt + 1 }, claims.ErrEndInFuture},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bt := next(c).Unix()
			m := &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{Start: tt.start(bt), End: tt.end(bt), Category: "care", Summary: "work"}}}
			wantErr(t, exec(t, c, alice, m).Err, tt.want)
		})
	}
	// Time has moved on by the blocks above: exactly the new seconds are claimable.
	fresh := next(c).Unix() - now
	var ms []*auth.Msg
	for s := now; s < now+fresh; s++ {
		ms = append(ms, one(s))
	}
	ms = append(ms, one(now+fresh)) // ends one second after the block: refused
	r := exec(t, c, alice, ms...)
	wantErr(t, r.Err, claims.ErrEndInFuture, fmt.Sprintf("message %d (submit_claim)", len(ms)-1))
	mustExec(t, c, alice, ms[:len(ms)-1]...)
}

// TestAdversarialByzantineProposer: a proposer that skips CheckTx and includes invalid txs (a
// duplicate, a non-member's claim, a forged signature, garbage) gets its block rejected by
// ProcessProposal, whatever valid txs surround them. Were such a block decided anyway, FinalizeBlock
// on two apps gives the same codes and hash, and the invalid txs change nothing.
func TestAdversarialByzantineProposer(t *testing.T) {
	g := func() *app.GenesisState {
		g := apptest.ContribGenesis(10_000_000, alice, bob, carol, dave)
		g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: outsider.Addr.String(), Balance: 10_000_000})
		return g
	}
	c, twin := twinChains(t, g)
	c.Block()
	twin.Block()
	valid := c.Tx(alice, apptest.Transfer(bob.Addr, 1))
	forged, err := auth.Sign(carol.Priv, &auth.TxBody{ChainId: apptest.ChainID, Msgs: []*auth.Msg{apptest.Transfer(carol.Addr, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	var env auth.Tx
	if err := env.Unmarshal(forged); err != nil {
		t.Fatal(err)
	}
	env.PubKey = dave.Priv.PubKey().Bytes() // dave's account, carol's signature
	bad := map[string][]byte{
		"duplicate":          valid,
		"non-member claim":   c.Tx(outsider, apptest.SubmitClaim(next(c).Add(-time.Hour), next(c), "care", "work")),
		"forged signature":   mustMarshal(t, &env),
		"garbage":            []byte("\x0a\x02hi"),
		"overdraft":          c.Tx(bob, apptest.Transfer(alice.Addr, 1<<63)),
		"wrong chain":        bob.Sign(t, "evil-chain", 0, apptest.Transfer(alice.Addr, 1)),
		"sequence far ahead": carol.Sign(t, apptest.ChainID, 1<<40, apptest.Transfer(alice.Addr, 1)),
	}
	for name, tx := range bad {
		t.Run(name, func(t *testing.T) {
			if err := c.App.ProcessProposal(c.Height+1, next(c), [][]byte{valid, tx}); err == nil || !strings.HasPrefix(err.Error(), "tx 1: ") {
				t.Fatalf("ProcessProposal accepted a block with a %s tx (err %v)", name, err)
			}
		})
	}
	block := [][]byte{valid}
	for _, name := range []string{"duplicate", "non-member claim", "forged signature", "garbage", "overdraft", "wrong chain", "sequence far ahead"} {
		block = append(block, bad[name])
	}
	ra, rb := c.Block(block...), twin.Block(block...)
	if !bytes.Equal(ra.AppHash, rb.AppHash) {
		t.Fatalf("apps disagree on a byzantine block: %X vs %X", ra.AppHash, rb.AppHash)
	}
	for i := range block {
		if codeOf(ra.TxResults[i].Err) != codeOf(rb.TxResults[i].Err) || (i > 0) != (ra.TxResults[i].Err != nil) {
			t.Fatalf("tx %d: %v vs %v", i, ra.TxResults[i].Err, rb.TxResults[i].Err)
		}
	}
	if got := c.Account(bob.Addr).Balance; got != 10_000_001 {
		t.Fatalf("bob holds %d; only the valid transfer should have moved funds", got)
	}
}

// TestAdversarialOverflow: amounts at the top of uint64 and times at the ends of int64 get
// registered codes and never wrap, in messages and in block times.
func TestAdversarialOverflow(t *testing.T) {
	const maxU = 1<<64 - 1
	rich, poor := apptest.NewKey("ov-rich"), apptest.NewKey("ov-poor")
	t.Run("genesis balances beyond uint64", func(t *testing.T) {
		g := apptest.Genesis(1<<63, rich, poor)
		if err := g.Validate(); err == nil || !strings.Contains(err.Error(), "overflow") {
			t.Fatalf("genesis of 2×2^63 uhour: %v", err)
		}
	})
	c := apptest.NewChain(t, "", apptest.Genesis(maxU/2, rich, poor))
	c.Block()
	for _, tt := range []struct {
		amount uint64
		want   *core.Error
	}{{maxU, bank.ErrInsufficientFunds}, {maxU/2 + 1, bank.ErrInsufficientFunds}, {0, bank.ErrZeroAmount}} {
		wantErr(t, exec(t, c, rich, apptest.Transfer(poor.Addr, tt.amount)).Err, tt.want)
	}
	// The whole balance moves; the recipient then holds maxU-1 without wrapping.
	if r := exec(t, c, rich, apptest.Transfer(poor.Addr, maxU/2)); r.Err != nil {
		t.Fatal(r.Err)
	}
	if got := c.Account(poor.Addr).Balance; got != maxU-1 {
		t.Fatalf("recipient holds %d, want %d", got, uint64(maxU-1))
	}
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
	t.Run("block times at the ends of int64", func(t *testing.T) {
		for _, bt := range []time.Time{time.Unix(1<<62, 0), time.Unix(-1<<62, 0), time.Unix(0, 0)} {
			c := contribChain(t, nil)
			c.Block()
			c.BlockInterval = bt.Sub(c.Time)
			if bt.Unix() != c.Time.Add(c.BlockInterval).Unix() {
				// time.Duration cannot span it: drive FinalizeBlock directly.
				c.BlockInterval = 0
			}
			h := c.Height + 1
			now := bt.Unix()
			txs := [][]byte{
				c.Tx(alice, &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{Start: now - 3600, End: now, Category: "care", Summary: "work"}}}),
				c.Tx(bob, apptest.Transfer(carol.Addr, 1)),
			}
			res, err := c.App.FinalizeBlock(h, bt, apptest.BlockHash(h, txs), txs)
			if err != nil {
				t.Fatalf("block at %d: %v", now, err)
			}
			if err := c.App.Commit(); err != nil {
				t.Fatal(err)
			}
			c.Height, c.Time, c.Hashes = h, bt, append(c.Hashes, res.AppHash)
			for i, r := range res.TxResults {
				if code := codeOf(r.Err); code == core.ErrPanic.Code || code == core.ErrInternal.Code {
					t.Fatalf("block at %d, tx %d: %v", now, i, r.Err)
				}
			}
			if err := c.Invariants(); err != nil {
				t.Fatalf("block at %d: %v", now, err)
			}
		}
	})
}

// TestAdversarialStrings: empty, unicode and invalid UTF-8 strings in handles, summaries, notes and
// memos are accepted or refused by rule, never mangled: what is stored reads back byte for byte.
func TestAdversarialStrings(t *testing.T) {
	c := contribChain(t, noCooldown)
	c.Block()
	odd := []string{"", "héllo ☃ 日本語", "\u202etxet desrever", "nul\x00byte", "\xff\xfe invalid utf-8", strings.Repeat("🙂", 100)}
	for i, s := range odd {
		t.Run(fmt.Sprintf("summary %d", i), func(t *testing.T) {
			start := next(c).Add(-time.Duration(i+1) * time.Hour)
			r := exec(t, c, alice, apptest.SubmitClaim(start, start.Add(30*time.Minute), "care", s))
			if s == "" { // a claim says what was done: in text, or as the hash of private text
				apptest.WantErr(t, r.Err, claims.ErrNoSummary)
				s = " "
				r = exec(t, c, alice, apptest.SubmitClaim(start, start.Add(30*time.Minute), "care", s))
			}
			if r.Err != nil {
				t.Fatalf("summary %q: %v", s, r.Err)
			}
			id := claimIDOf(t, r)
			if got := claimOf(t, c, id).Claim.Summary; got != s {
				t.Fatalf("summary stored as %q, sent %q", got, s)
			}
			note := odd[(i+1)%len(odd)]
			m := apptest.Approve(id)
			m.GetAttest().Note = note
			mustExec(t, c, bob, m)
			if got := claimOf(t, c, id).Attestations[0].Note; got != note {
				t.Fatalf("note stored as %q, sent %q", got, note)
			}
		})
	}
	t.Run("memo", func(t *testing.T) {
		for _, s := range odd[:5] {
			raw, err := auth.Sign(alice.Priv, &auth.TxBody{ChainId: apptest.ChainID, Sequence: c.Seq(alice.Addr), Memo: s, Msgs: []*auth.Msg{apptest.Transfer(bob.Addr, 1)}})
			if err != nil {
				t.Fatal(err)
			}
			if r := c.Block(raw).TxResults[0]; r.Err != nil {
				t.Fatalf("memo %q: %v", s, r.Err)
			}
		}
	})
	for _, h := range []string{"", "ÉRIN", "érin", "er in", "erin\x00", "\xffrin", "ер"} { // "ер" is Cyrillic
		t.Run("handle "+fmt.Sprintf("%q", h), func(t *testing.T) {
			r := exec(t, c, alice, apptest.Vouch(erin, h))
			if h == "" {
				wantErr(t, r.Err, members.ErrHandleRequired)
				return
			}
			wantErr(t, r.Err, members.ErrInvalidHandle)
		})
	}
}

func claimIDOf(t *testing.T, r core.TxResult) uint64 {
	t.Helper()
	for _, e := range r.Events {
		if e.Type == "claim_submitted" {
			for _, a := range e.Attributes {
				if a.Key == "claim_id" {
					var id uint64
					fmt.Sscan(a.Value, &id)
					return id
				}
			}
		}
	}
	t.Fatal("no claim_submitted event")
	return 0
}

// TestAdversarialHugeEvidence: evidence lists far beyond max_evidence are refused by count before
// anything is stored; one big enough to pass the tx size cap is refused by size before decoding
// costs anything more.
func TestAdversarialHugeEvidence(t *testing.T) {
	c := contribChain(t, nil)
	c.Block()
	claimWith := func(n int, uri string) *auth.Msg {
		m := apptest.SubmitClaim(next(c).Add(-time.Hour), next(c), "care", "work")
		for range n {
			m.GetSubmitClaim().Evidence = append(m.GetSubmitClaim().Evidence, &claims.Evidence{Uri: uri})
		}
		return m
	}
	wantErr(t, exec(t, c, alice, claimWith(1000, "u")).Err, claims.ErrInvalidEvidence, "1000 items; give at most 8")
	wantErr(t, exec(t, c, alice, claimWith(9, "u")).Err, claims.ErrInvalidEvidence, "9 items; give at most 8")
	raw := c.Tx(alice, claimWith(100_000, "u"))
	wantErr(t, c.App.CheckTx(raw).Err, auth.ErrTxTooLarge)
	wantErr(t, c.Block(raw).TxResults[0].Err, auth.ErrTxTooLarge)
	if n := claimCounts(c).NextId; n > 1 {
		t.Fatalf("a refused claim was stored: next id %d", n)
	}
}

// claimCounts reads the claim counters of the committed state.
func claimCounts(c *apptest.Chain) claims.ClaimCounts {
	v := c.DB.ReadLatest()
	defer v.Discard()
	return claims.Keeper{}.Counts(v)
}
