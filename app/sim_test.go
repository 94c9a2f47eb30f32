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
	"github.com/commonsledger/commons/x/gov"
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
	appeals, reversals          int
	reviewDraws                 int
	suspensions, lifts          int
	proposals, votes, closed    int // proposals made, votes cast, proposals closed
	withdrawn                   int
	passed                      int
	projects, distributions     int // projects created, distributions made
}

// TestSimulation drives a chain through hundreds of random blocks of vouches, claims (some tagged
// with projects), attestations, transfers, disputes, jury votes, appeals, proposals and votes on
// them, projects created, paid into and distributed (many of them invalid on
// purpose; passed proposals change the claims and disputes params mid-run), with day-long gaps
// that realise demurrage, so that claims are reversed and members struck, suspended and
// reinstated, and
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
	t.Logf("%d reviewer draws", a.reviewDraws)
	t.Logf("%d txs ok, %d failed; %d admitted, %d verified, %d rejected; %d disputes opened, %d juries drawn, %d decided, %d appealed; %d claims reversed; %d suspensions, %d lifted",
		a.ok, a.failed, a.admitted, a.verified, a.rejects, a.disputes, a.juries, a.decided, a.appeals, a.reversals, a.suspensions, a.lifts)
	t.Logf("%d proposals, %d votes, %d closed, %d passed; %d claims withdrawn; %d projects, %d distributions",
		a.proposals, a.votes, a.closed, a.passed, a.withdrawn, a.projects, a.distributions)
	if !testing.Short() && (a.passed == 0 || a.withdrawn == 0 || a.closed == a.passed || a.votes == 0 ||
		a.decided == 0 || a.appeals == 0 || a.reversals == 0 || a.suspensions == 0 || a.lifts == 0 || a.distributions == 0) {
		t.Fatalf("simulation exercised too little of disputes, gov or projects (%d proposals passed of %d closed, %d votes): %d opened, %d juries drawn, %d decided, %d appealed, %d reversed, %d suspensions, %d lifted, %d distributions",
			a.passed, a.closed, a.votes, a.disputes, a.juries, a.decided, a.appeals, a.reversals, a.suspensions, a.lifts, a.distributions)
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
	reviews  []simJury            // recently drawn reviewers, by claim
	decided  []simDecided         // recently decided disputes, the ones worth appealing
	props    []uint64             // recent proposals, the ones worth voting on
	projects []string             // handles of the projects created, in order (project i+1 is projects[i])
	creators []string             // their creators (the one steward each has)
	parties  map[uint64][2]string // dispute id → disputant, claimant
	byAddr   map[string]apptest.Key
	out      simOutcome
}

// simDecided is a decided dispute and the side that lost it.
type simDecided struct {
	id    uint64
	loser string
}

// newSimulator sets up cfg's keys and a chain from simGenesis.
func newSimulator(t *testing.T, cfg simConfig) *simulator {
	s := &simulator{t: t, rng: rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x5eed))}
	for i := range cfg.founders {
		s.founders = append(s.founders, apptest.NewKey(fmt.Sprintf("founder-%d", i)))
	}
	for i := range cfg.candidates {
		s.cands = append(s.cands, apptest.NewKey(fmt.Sprintf("cand-%d", i)))
	}
	s.outside = []apptest.Key{apptest.NewKey("outsider-0"), apptest.NewKey("outsider-1")}
	s.all = append(append(append([]apptest.Key{}, s.founders...), s.cands...), s.outside...)
	s.parties, s.byAddr = map[uint64][2]string{}, map[string]apptest.Key{}
	for _, k := range s.all {
		s.byAddr[k.Addr.String()] = k
	}
	s.c = apptest.NewChain(t, "", simGenesis(s))
	return s
}

func runSim(t *testing.T, cfg simConfig) simOutcome {
	t.Helper()
	s := newSimulator(t, cfg)

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

// txs builds one tx each for a random subset of keys (one per signer keeps sequences simple), and
// sometimes an appeal by the losing side of a recently decided dispute.
func (s *simulator) txs() [][]byte {
	var txs [][]byte
	signed := map[string]bool{}
	for _, i := range s.rng.Perm(len(s.all))[:1+s.rng.IntN(12)] {
		k := s.all[i]
		if s.c.Account(k.Addr).Address == "" {
			continue // not vouched for yet: no account to sign with
		}
		signed[k.Addr.String()] = true
		txs = append(txs, s.c.Tx(k, s.msg(k)))
	}
	// Drawn reviewers review often (a claim needs one of their approvals).
	for _, rv := range s.reviews {
		for _, reviewer := range rv.jurors {
			if k, ok := s.byAddr[reviewer.String()]; ok && !signed[reviewer.String()] && s.rng.IntN(3) == 0 {
				signed[reviewer.String()] = true
				msg := apptest.Approve(rv.id)
				if s.rng.IntN(5) == 0 {
					msg = apptest.Reject(rv.id)
				}
				txs = append(txs, s.c.Tx(k, msg))
			}
		}
	}
	// Drawn jurors turn up often (a quorum is needed to decide anything).
	for _, j := range s.juries {
		for _, juror := range j.jurors {
			if k, ok := s.byAddr[juror.String()]; ok && !signed[juror.String()] && s.rng.IntN(3) == 0 {
				signed[juror.String()] = true
				txs = append(txs, s.c.Tx(k, s.vote(j.id)))
			}
		}
	}
	// Founders vote on recent proposals, mostly yes, so that some pass and change the rules.
	for _, id := range s.props {
		k := s.founders[s.rng.IntN(len(s.founders))]
		if !signed[k.Addr.String()] && s.rng.IntN(2) == 0 {
			signed[k.Addr.String()] = true
			o := gov.VoteOption_VOTE_OPTION_YES
			if s.rng.IntN(4) == 0 {
				o = gov.VoteOption(2 + s.rng.IntN(2))
			}
			txs = append(txs, s.c.Tx(k, apptest.Vote(id, o)))
		}
	}
	// A project's steward distributes now and then (anyone else is refused).
	if len(s.projects) > 0 && s.rng.IntN(4) == 0 {
		i := s.rng.IntN(len(s.projects))
		if k, ok := s.byAddr[s.creators[i]]; ok && !signed[s.creators[i]] {
			signed[s.creators[i]] = true
			txs = append(txs, s.c.Tx(k, s.distribute(i)))
		}
	}
	if len(s.decided) > 0 && s.rng.IntN(3) == 0 {
		d := s.decided[s.rng.IntN(len(s.decided))]
		if k, ok := s.byAddr[d.loser]; ok && !signed[d.loser] {
			txs = append(txs, s.c.Tx(k, &auth.Msg{Sum: &auth.Msg_Appeal{Appeal: &disputes.MsgAppeal{DisputeId: d.id}}}))
		}
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
	case n < 47:
		return s.claim()
	case n < 50 && len(s.open) > 0: // usually not k's claim: refused
		id := s.open[s.rng.IntN(len(s.open))]
		return &auth.Msg{Sum: &auth.Msg_WithdrawClaim{WithdrawClaim: &claims.MsgWithdrawClaim{ClaimId: id}}}
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
	case n < 86:
		return s.propose()
	case n < 92 && len(s.props) > 0:
		o := gov.VoteOption(1 + s.rng.IntN(3))
		if s.rng.IntN(20) == 0 {
			o = 0 // refused: no option
		}
		return apptest.Vote(s.props[s.rng.IntN(len(s.props))], o)
	case n < 95 && len(s.juries) > 0:
		id := s.juries[s.rng.IntN(len(s.juries))].id // usually not k's jury: refused
		if s.rng.IntN(4) != 0 {
			for _, j := range s.juries { // k's latest jury, if any (a second vote is refused)
				if slices.ContainsFunc(j.jurors, k.Addr.Equal) {
					id = j.id
				}
			}
		}
		return s.vote(id)
	case n >= 97:
		return s.project(k)
	default:
		return apptest.Transfer(other.Addr, 1+s.rng.Uint64N(3_000_000))
	}
}

// project is a projects action: create a project (handles p-0 … p-7, so some are taken), pay
// into a project's account, or distribute a project over a random recent period (refused unless k
// is its creator, the period is new and holds verified claims tagged with it, and the account holds
// something).
func (s *simulator) project(k apptest.Key) *auth.Msg {
	switch n := s.rng.IntN(3); {
	case n == 0 || len(s.projects) == 0:
		return apptest.CreateProject(fmt.Sprintf("p-%d", s.rng.IntN(8)), "sim")
	case n == 1:
		i := s.rng.IntN(len(s.projects))
		return apptest.Transfer(apptest.ProjectAccount(uint64(i+1)), 1+s.rng.Uint64N(2_000_000))
	default:
		return s.distribute(s.rng.IntN(len(s.projects)))
	}
}

// distribute distributes project i+1 over a random period of up to three days ending now.
func (s *simulator) distribute(i int) *auth.Msg {
	to := s.c.Time.Add(s.c.BlockInterval)
	from := to.Add(-time.Duration(1+s.rng.IntN(3*24*60)) * time.Minute)
	return apptest.Distribute(s.projects[i], from, to)
}

// propose is a text proposal or a params change: claims' min_approvals between 1 and 3 (0 is
// refused by the module), or the dispute window, so that passed proposals change the rules mid-run.
func (s *simulator) propose() *auth.Msg {
	switch s.rng.IntN(3) {
	case 0:
		return apptest.ProposeText("sim")
	case 1:
		p := claims.DevnetParams()
		p.Reviewers, p.MinReviewerApprovals = 3, 1
		p.MinApprovals = uint32(s.rng.IntN(4))
		return apptest.ProposeParams("claims", &p, "sim")
	default:
		p := disputes.DevnetParams()
		p.DisputeWindow = int64(60 * (1 + s.rng.IntN(10)))
		return apptest.ProposeParams("disputes", &p, "sim")
	}
}

// vote is a jury vote on dispute id, mostly UPHOLD so that claims get reversed.
func (s *simulator) vote(id uint64) *auth.Msg {
	v := disputes.JuryVote_JURY_VOTE_UPHOLD
	if s.rng.IntN(4) == 0 {
		v = disputes.JuryVote_JURY_VOTE_DISMISS
	}
	return &auth.Msg{Sum: &auth.Msg_JuryVote{JuryVote: &disputes.MsgJuryVote{DisputeId: id, Vote: v}}}
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
	if s.rng.IntN(3) == 0 { // tagged with a project, sometimes one not created (yet): refused
		return apptest.ProjectClaim(start, end, cat, fmt.Sprintf("p-%d", s.rng.IntN(8)))
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
				at := attrs(e)
				id, _ := strconv.ParseUint(at["dispute_id"], 10, 64)
				s.parties[id] = [2]string{at["disputant"], at["claimant"]}
			case "dispute_appealed":
				s.out.appeals++
			case "claim_withdrawn":
				s.out.withdrawn++
			case "proposal_submitted":
				s.out.proposals++
				id, _ := strconv.ParseUint(attrs(e)["proposal_id"], 10, 64)
				s.props = append(s.props, id)
			case "proposal_vote":
				s.out.votes++
			case "project_created":
				s.out.projects++
				s.projects, s.creators = append(s.projects, attrs(e)["handle"]), append(s.creators, attrs(e)["creator"])
			case "distribution":
				s.out.distributions++
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
		case "jury_drawn", "appeal_jury_drawn":
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
			id, _ := strconv.ParseUint(at["dispute_id"], 10, 64)
			p := s.parties[id]
			loser := p[0] // the disputant loses a dismissal, the claimant an upheld dispute
			if at["outcome"] == "upheld" {
				loser = p[1]
			}
			s.decided = append(s.decided, simDecided{id: id, loser: loser})
		case "reviewers_drawn":
			id, _ := strconv.ParseUint(at["claim_id"], 10, 64)
			rv := simJury{id: id}
			for _, a := range strings.Split(at["reviewers"], ",") {
				if addr, err := core.ParseAddress(a); err == nil {
					rv.jurors = append(rv.jurors, addr)
				}
			}
			s.reviews = append(s.reviews, rv)
			s.out.reviewDraws++
		case "proposal_closed":
			s.out.closed++
			if at["status"] == "passed" {
				s.out.passed++
			}
		case "claim_reversed":
			s.out.reversals++
		case "member_suspended":
			s.out.suspensions++
		case "suspension_lifted":
			s.out.lifts++
		}
	}
	s.open, s.verified, s.juries = lastN(s.open, 12), lastN(s.verified, 12), lastN(s.juries, 12)
	s.decided, s.reviews, s.props = lastN(s.decided, 12), lastN(s.reviews, 12), lastN(s.props, 6)
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
