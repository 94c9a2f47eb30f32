package loadgen

import (
	"context"
	"crypto/sha256"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// signer is a key with the next sequence this generator will sign with.
type signer struct {
	priv ed25519.PrivKey
	addr core.Address
	seq  uint64
	// ready are presigned transfers for sequences readySeq, readySeq+1, …; they stay until the next
	// presign, so that a refused sequence (rejected) is sent again from them, not signed afresh.
	ready    [][]byte
	readySeq uint64
}

func newSigner(priv ed25519.PrivKey) *signer {
	return &signer{priv: priv, addr: core.AddressFromPubKey(priv.PubKey().Bytes())}
}

// sign signs msgs with the next sequence; the sequence is consumed.
func (s *signer) sign(chainID string, msgs ...*auth.Msg) []byte {
	raw, err := auth.Sign(s.priv, &auth.TxBody{ChainId: chainID, Sequence: s.seq, Msgs: msgs})
	if err != nil {
		panic(err) // encoding a well-formed body cannot fail
	}
	s.seq++
	return raw
}

// loadKey derives load account i of seed.
func loadKey(seed string, i int) ed25519.PrivKey {
	secret := sha256.Sum256([]byte("commonsd/loadgen/" + seed + "/" + strconv.Itoa(i)))
	return ed25519.GenPrivKeyFromSecret(secret[:])
}

func transferMsg(to core.Address, amount uint64) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: to.String(), Amount: amount}}}
}

// sampleTransferSize is the encoded size of a typical load transfer (for same-size kvstore txs).
func sampleTransferSize() int {
	a, b := newSigner(loadKey("size", 0)), newSigner(loadKey("size", 1))
	a.seq = 1000
	return len(a.sign("commons-localnet", transferMsg(b.addr, 1)))
}

// signedGen generates Commons Ledger txs. Lanes 0..len(members)-1 are the members (contrib mix),
// the rest are the load accounts; each lane is one signer, so its sequences go out in order.
type signedGen struct {
	chainID  string
	contrib  bool
	accounts []*signer
	members  []*member
	mu       sync.Mutex
	claims   []claimRef // committed claims of the members, open for attestation
}

type member struct {
	*signer
	turn      int
	nextEnd   int64           // end of the next claim interval (walks back in time)
	attested  map[uint64]bool // claims this member attested
	lastVouch time.Time
	nextVouch int // next load account to vouch for
}

type claimRef struct {
	id       uint64
	claimant core.Address
}

func newSignedGen(ctx context.Context, r *runner, cfg Config) (*signedGen, error) {
	if cfg.Accounts <= 0 {
		return nil, fmt.Errorf("--accounts must be at least 1")
	}
	if cfg.Funder == nil {
		return nil, fmt.Errorf("a funded key (--from) is required to fund the load accounts")
	}
	g := &signedGen{chainID: r.chainID, contrib: cfg.Mix == MixContrib}
	for i := 0; i < cfg.Accounts; i++ {
		g.accounts = append(g.accounts, newSigner(loadKey(cfg.Seed, i)))
	}
	if g.contrib {
		if len(cfg.Members) < 2 {
			return nil, fmt.Errorf("the contrib mix needs at least two member keys (--members)")
		}
		// Claims walk back from a random-ish point so that reruns on one chain rarely overlap.
		start := time.Now().Add(-2*time.Minute).Unix() - int64(time.Now().UnixNano()%(20*86400))
		for i, k := range cfg.Members {
			m := &member{signer: newSigner(k), nextEnd: start - int64(i)*7*86400/int64(len(cfg.Members)), attested: map[uint64]bool{}}
			if err := r.loadSeq(ctx, m.signer); err != nil {
				return nil, err
			}
			g.members = append(g.members, m)
		}
	}
	if err := r.fund(ctx, newSigner(cfg.Funder), g.accounts); err != nil {
		return nil, err
	}
	return g, nil
}

func (g *signedGen) lanes() int   { return len(g.members) + len(g.accounts) }
func (g *signedGen) txBytes() int { return sampleTransferSize() }

func (g *signedGen) rejected(lane int) {
	if lane < len(g.members) {
		g.members[lane].seq--
		return
	}
	g.accounts[lane-len(g.members)].seq--
}

func (g *signedGen) next(lane int) ([]byte, func(txResult)) {
	if lane < len(g.members) {
		return g.memberTx(g.members[lane])
	}
	k := lane - len(g.members)
	a := g.accounts[k]
	if a.seq >= a.readySeq && a.seq-a.readySeq < uint64(len(a.ready)) {
		tx := a.ready[a.seq-a.readySeq]
		a.seq++
		return tx, nil
	}
	return a.sign(g.chainID, g.transfer(k)), nil // past the presigned ones
}

// transfer is load account k's transfer: 1 uhour to its neighbour.
func (g *signedGen) transfer(k int) *auth.Msg {
	return transferMsg(g.accounts[(k+1)%len(g.accounts)].addr, 1)
}

// presign signs about n transfers spread over the load accounts, on every core.
func (g *signedGen) presign(n int) {
	per := n/len(g.accounts) + 1
	var wg sync.WaitGroup
	work := make(chan int, len(g.accounts))
	for k := range g.accounts {
		work <- k
	}
	close(work)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range work {
				a := g.accounts[k]
				s := &signer{priv: a.priv, addr: a.addr, seq: a.seq}
				a.ready, a.readySeq = make([][]byte, 0, per), a.seq
				for i := 0; i < per; i++ {
					a.ready = append(a.ready, s.sign(g.chainID, g.transfer(k)))
				}
			}
		}()
	}
	wg.Wait()
}

// memberTx cycles a member through claim, attestation, vouch and transfer.
func (g *signedGen) memberTx(m *member) ([]byte, func(txResult)) {
	m.turn++
	switch m.turn % 4 {
	case 0:
		end := m.nextEnd
		m.nextEnd -= 60
		msg := &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{
			Start: end - 60, End: end, Category: "code", Summary: "load test work"}}}
		return m.sign(g.chainID, msg), g.learnClaim(m.addr)
	case 1:
		if id, ok := g.claimToAttest(m); ok {
			msg := &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: id, Verdict: claims.Verdict_VERDICT_APPROVE}}}
			return m.sign(g.chainID, msg), nil
		}
	case 2:
		// One vouch per 15 s keeps clear of the devnet cooldown (10 s); a real network's (a day) makes
		// the later ones fail with a cooldown code, which the report shows.
		if time.Since(m.lastVouch) > 15*time.Second && m.nextVouch < len(g.accounts) {
			m.lastVouch = time.Now()
			cand := g.accounts[m.nextVouch]
			m.nextVouch++
			msg := &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: cand.addr.String(), Handle: "load-" + cand.addr.String()[8:20]}}}
			return m.sign(g.chainID, msg), nil
		}
	}
	return m.sign(g.chainID, transferMsg(g.accounts[m.turn%len(g.accounts)].addr, 1)), nil
}

// learnClaim records the id of a committed claim so that other members attest it.
func (g *signedGen) learnClaim(claimant core.Address) func(txResult) {
	return func(res txResult) {
		for _, ev := range res.Events {
			if ev.Type != "claim_submitted" {
				continue
			}
			for _, a := range ev.Attributes {
				if a.Key == "claim_id" {
					if id, err := strconv.ParseUint(a.Value, 10, 64); err == nil {
						g.mu.Lock()
						g.claims = append(g.claims, claimRef{id: id, claimant: claimant})
						g.mu.Unlock()
					}
				}
			}
		}
	}
}

func (g *signedGen) claimToAttest(m *member) (uint64, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := len(g.claims) - 1; i >= 0 && i >= len(g.claims)-64; i-- {
		c := g.claims[i]
		if !c.claimant.Equal(m.addr) && !m.attested[c.id] {
			m.attested[c.id] = true
			return c.id, true
		}
	}
	return 0, false
}

// loadSeq sets s.seq from the chain; an account that does not exist keeps sequence 0.
func (r *runner) loadSeq(ctx context.Context, s *signer) error {
	acc, ok, err := r.account(ctx, s.addr)
	if err != nil {
		return err
	}
	if ok {
		s.seq = acc.Sequence
	}
	return nil
}

func (r *runner) account(ctx context.Context, addr core.Address) (*bank.Account, bool, error) {
	raw, code, err := r.rpcs[0].abciQuery(ctx, "/bank/account/"+addr.String())
	if err != nil {
		return nil, false, err
	}
	if code != 0 {
		return nil, false, fmt.Errorf("query account %s: code %d", addr, code)
	}
	var out bank.QueryAccountResponse
	if err := out.Unmarshal(raw); err != nil {
		return nil, false, err
	}
	if !out.Exists || out.Account == nil {
		return nil, false, nil
	}
	return out.Account, true, nil
}

// fund gives every load account that lacks one a balance, in 16-transfer txs from funder, waits
// for them to commit, and loads every account's sequence.
func (r *runner) fund(ctx context.Context, funder *signer, accounts []*signer) error {
	facc, ok, err := r.account(ctx, funder.addr)
	if err != nil {
		return err
	}
	if !ok || facc.Balance == 0 {
		return fmt.Errorf("funder %s has no balance on this chain", funder.addr)
	}
	funder.seq = facc.Sequence
	amount := min(facc.Balance/uint64(2*len(accounts)+2), core.MicroPerHour)
	// A transfer that opens an account must carry the chain's min_new_account_amount.
	raw, code, err := r.rpcs[0].abciQuery(ctx, "/bank/params")
	if err != nil {
		return err
	}
	var params bank.Params
	if code != 0 || params.Unmarshal(raw) != nil {
		return fmt.Errorf("query bank params: code %d", code)
	}
	amount = max(amount, params.MinNewAccountAmount)
	var need []*signer
	for _, a := range accounts {
		acc, ok, err := r.account(ctx, a.addr)
		if err != nil {
			return err
		}
		if ok {
			a.seq = acc.Sequence
		} else {
			need = append(need, a)
		}
	}
	if len(need) == 0 {
		return nil
	}
	if uint64(len(need)) > facc.Balance/amount {
		return fmt.Errorf("funder %s holds %s, too little to open %d load accounts with %s each (min_new_account_amount); use fewer --accounts",
			funder.addr, core.FormatAmount(facc.Balance), len(need), core.FormatAmount(amount))
	}
	r.cfg.logf("funding %d load accounts with %s each from %s", len(need), core.FormatAmount(amount), funder.addr)
	for i := 0; i < len(need); i += auth.MaxMsgsPerTx {
		var msgs []*auth.Msg
		for _, a := range need[i:min(i+auth.MaxMsgsPerTx, len(need))] {
			msgs = append(msgs, transferMsg(a.addr, amount))
		}
		tx := funder.sign(r.chainID, msgs...)
		res, err := r.rpcs[0].broadcast(ctx, "broadcast_tx_sync", tx)
		if err != nil {
			return fmt.Errorf("fund: %w", err)
		}
		if res.Code != 0 {
			return fmt.Errorf("fund: tx rejected (code %d): %s", res.Code, res.Log)
		}
		// The mempool holds at most 64 pending txs per sender: wait for a commit every 48.
		if (i/auth.MaxMsgsPerTx)%48 == 47 {
			if err := r.waitSeq(ctx, funder); err != nil {
				return err
			}
		}
	}
	return r.waitSeq(ctx, funder)
}

// waitSeq waits until the chain's sequence of s reaches s.seq (its txs so far committed).
func (r *runner) waitSeq(ctx context.Context, s *signer) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		acc, ok, err := r.account(ctx, s.addr)
		if err != nil {
			return err
		}
		if ok && acc.Sequence >= s.seq {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("funding txs of %s did not commit within 60s", s.addr)
}
