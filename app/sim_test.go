package app_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
)

// simConfig sizes a simulation run.
type simConfig struct {
	seed       uint64
	blocks     int
	founders   int
	candidates int
}

// simOutcome is what a run produced, for determinism and sanity checks.
type simOutcome struct {
	hashes                      [][]byte
	ok, failed                  int
	admitted, verified, rejects int
	disputes, juries, decided   int // disputes opened, juries drawn, disputes decided
}

// TestSimulation drives a chain through hundreds of random blocks of vouches, claims, attestations,
// transfers, disputes and jury votes (many of them invalid on purpose), with day-long gaps that
// realise demurrage, and
// checks every invariant after every block. A second run with the same seed must produce the same
// app hash at every height.
func TestSimulation(t *testing.T) {
	cfg := simConfig{seed: 20261120, blocks: 1000, founders: 12, candidates: 24}
	if testing.Short() {
		cfg.blocks = 120
	}
	a := runSim(t, cfg)
	b := runSim(t, cfg)
	for h := range a.hashes {
		if !bytes.Equal(a.hashes[h], b.hashes[h]) {
			t.Fatalf("runs with seed %d diverge at height %d: %X vs %X", cfg.seed, h, a.hashes[h], b.hashes[h])
		}
	}
	t.Logf("%d txs ok, %d failed; %d admitted, %d verified, %d rejected; %d disputes opened, %d juries drawn, %d decided",
		a.ok, a.failed, a.admitted, a.verified, a.rejects, a.disputes, a.juries, a.decided)
	if !testing.Short() && a.decided == 0 {
		t.Fatalf("simulation decided no dispute (%d opened, %d juries drawn)", a.disputes, a.juries)
	}
	if a.admitted == 0 || a.verified == 0 || a.rejects == 0 || a.ok < cfg.blocks {
		t.Fatalf("simulation exercised too little: %d ok, %d admitted, %d verified, %d rejected",
			a.ok, a.admitted, a.verified, a.rejects)
	}
}

type simulator struct {
	t        *testing.T
	rng      *rand.Rand
	c        *apptest.Chain
	founders []apptest.Key
	cands    []apptest.Key
	outside  []apptest.Key
	all      []apptest.Key
	claims   uint64   // claims submitted so far: ids are 1..claims
	open     []uint64 // recently submitted claims, the ones worth attesting
	verified []uint64 // recently verified claims, the ones worth disputing
	juries   []simJury
	out      simOutcome
}

func runSim(t *testing.T, cfg simConfig) simOutcome {
	t.Helper()
	s := &simulator{t: t, rng: rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x5eed))}
	for i := range cfg.founders {
		s.founders = append(s.founders, apptest.NewKey(fmt.Sprintf("founder-%d", i)))
	}
	for i := range cfg.candidates {
		s.cands = append(s.cands, apptest.NewKey(fmt.Sprintf("cand-%d", i)))
	}
	s.outside = []apptest.Key{apptest.NewKey("outsider-0"), apptest.NewKey("outsider-1")}
	s.all = append(append(append([]apptest.Key{}, s.founders...), s.cands...), s.outside...)

	s.c = apptest.NewChain(t, "", simGenesis(s))

	for range cfg.blocks {
		s.c.BlockInterval = s.interval()
		res := s.c.Block(s.txs()...)
		s.tally(res.TxResults, res.Events)
		if err := s.c.Invariants(); err != nil {
			t.Fatalf("height %d: %v", s.c.Height, err)
		}
	}
	s.out.hashes = s.c.Hashes
	return s.out
}

// interval is usually a few seconds, sometimes a long gap (finalises claims, realises demurrage).
func (s *simulator) interval() time.Duration {
	switch n := s.rng.IntN(100); {
	case n < 2:
		return time.Duration(1+s.rng.IntN(3)) * 24 * time.Hour
	case n < 10:
		return time.Duration(20+s.rng.IntN(40)) * time.Second
	default:
		return time.Duration(1+s.rng.IntN(5)) * time.Second
	}
}

// txs builds one tx each for a random subset of keys (one per signer keeps sequences simple).
func (s *simulator) txs() [][]byte {
	var txs [][]byte
	for _, i := range s.rng.Perm(len(s.all))[:1+s.rng.IntN(12)] {
		k := s.all[i]
		if s.c.Account(k.Addr).Address == "" {
			continue // not vouched for yet: no account to sign with
		}
		txs = append(txs, s.c.Tx(k, s.msg(k)))
	}
	return txs
}

func (s *simulator) msg(k apptest.Key) *auth.Msg {
	other := s.all[s.rng.IntN(len(s.all))]
	switch n := s.rng.IntN(100); {
	case n < 15:
		cand := s.cands[s.rng.IntN(len(s.cands))]
		handle := apptest.Handle(cand)
		if s.rng.IntN(4) == 0 {
			handle = ""
		}
		return apptest.Vouch(cand, handle)
	case n < 50:
		return s.claim()
	case n < 80 && s.claims > 0:
		id := 1 + s.rng.Uint64N(s.claims+1) // any claim, sometimes one past the last: not found
		if len(s.open) > 0 && s.rng.IntN(10) != 0 {
			id = s.open[s.rng.IntN(len(s.open))]
		}
		if s.rng.IntN(5) == 0 {
			return apptest.Reject(id)
		}
		return apptest.Approve(id)
	case n < 84:
		id := 1 + s.rng.Uint64N(s.claims+1)
		if len(s.verified) > 0 && s.rng.IntN(5) != 0 {
			id = s.verified[s.rng.IntN(len(s.verified))]
		}
		return &auth.Msg{Sum: &auth.Msg_OpenDispute{OpenDispute: &disputes.MsgOpenDispute{ClaimId: id, Reason: "sim"}}}
	case n < 90 && len(s.juries) > 0:
		id := s.juries[s.rng.IntN(len(s.juries))].id // usually not k's jury: refused
		if s.rng.IntN(4) != 0 {
			for _, j := range s.juries { // k's latest jury, if any (a second vote is refused)
				if slices.ContainsFunc(j.jurors, k.Addr.Equal) {
					id = j.id
				}
			}
		}
		v := disputes.JuryVote(1 + s.rng.IntN(2))
		return &auth.Msg{Sum: &auth.Msg_JuryVote{JuryVote: &disputes.MsgJuryVote{DisputeId: id, Vote: v}}}
	default:
		return apptest.Transfer(other.Addr, 1+s.rng.Uint64N(3_000_000))
	}
}

// simJury is a drawn jury, by key, as the jury_drawn event named it.
type simJury struct {
	id     uint64
	jurors []core.Address
}

// claim is a random interval in the last day; overlaps with the signer's earlier claims happen.
func (s *simulator) claim() *auth.Msg {
	now := s.c.Time.Add(s.c.BlockInterval)
	start := now.Add(-time.Duration(s.rng.IntN(24*60)) * time.Minute)
	end := start.Add(time.Duration(1+s.rng.IntN(240)) * time.Minute)
	cats := claims.DefaultCategories()
	cat := cats[s.rng.IntN(len(cats))]
	if s.rng.IntN(20) == 0 {
		cat = "unknown"
	}
	return apptest.SubmitClaim(start, end, cat, "sim")
}

func (s *simulator) tally(results []core.TxResult, blockEvents []abci.Event) {
	for _, r := range results {
		if r.Err != nil {
			s.out.failed++
			continue
		}
		s.out.ok++
		for _, e := range r.Events {
			switch e.Type {
			case "claim_submitted":
				s.claims++
				s.open = append(s.open, s.claims)
			case "member_admitted":
				s.out.admitted++
			case "dispute_opened":
				s.out.disputes++
			}
		}
	}
	for _, e := range blockEvents {
		at := attrs(e)
		switch e.Type {
		case "claim_finalized":
			if at["status"] == "verified" {
				s.out.verified++
				id, _ := strconv.ParseUint(at["claim_id"], 10, 64)
				s.verified = append(s.verified, id)
			} else {
				s.out.rejects++
			}
		case "jury_drawn":
			s.out.juries++
			id, _ := strconv.ParseUint(at["dispute_id"], 10, 64)
			j := simJury{id: id}
			for _, a := range strings.Split(at["jurors"], ",") {
				addr, _ := core.ParseAddress(a)
				j.jurors = append(j.jurors, addr)
			}
			s.juries = append(s.juries, j)
		case "dispute_decided":
			s.out.decided++
		}
	}
	s.open, s.verified, s.juries = lastN(s.open, 12), lastN(s.verified, 12), lastN(s.juries, 12)
}

// attrs is an event's attributes by key (each key appears once in our events).
func attrs(e abci.Event) map[string]string {
	m := make(map[string]string, len(e.Attributes))
	for _, a := range e.Attributes {
		m[a.Key] = a.Value
	}
	return m
}

// lastN is the last n elements of s.
func lastN[T any](s []T, n int) []T { return s[max(0, len(s)-n):] }
