// Package sim is the agent-based fraud simulation of design §8 ("Measured"): it drives the real
// state machine in-process, block by block, with honest members (who claim real hours and attest
// truthfully), lazy members (who approve without looking), a colluding ring (which claims invented
// hours, approves its own claims, vouches in sybils and disputes honest claims to harass), and
// honest disputants who detect fraud with a probability. It reports fraudulently minted hours as a
// share of all minted hours, with each defence on or off.
//
// Nothing here reaches consensus code: the simulation is a client of app.App like CometBFT is, and
// its randomness (a seeded PCG) only chooses what the agents do.
package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/members"
)

// ChainID is the simulated chain's id.
const ChainID = "commons-sim"

// Config is one simulation run.
type Config struct {
	Seed    uint64
	Members int     // founding members (honest, lazy and ring)
	Ring    float64 // share of the members in the colluding ring
	Lazy    float64 // share of the honest members who approve whatever they are shown
	Detect  float64 // chance an honest member who examines a fraudulent claim sees that it is false
	Look    float64 // chance per day an honest member examines a recently verified claim (and disputes it if they see fraud)
	Harass  float64 // chance per day a ring member disputes a recently verified honest claim
	Days    int
	// Defences: false runs the round-1 rules (no reviewers, no probation, no admission limit, a
	// one-day vouch cooldown, nobody disputes) whatever the fields below say. True applies them;
	// DefaultConfig sets each to the production default, and 0 (false) turns that one off.
	Defences             bool
	Reviewers            uint32 // drawn per claim
	MinReviewerApprovals uint32 // approvals needed from them
	ProbationDays        int
	AdmissionsPerWeek    uint32 // per sponsor tree
	VouchCooldownDays    int    // a member vouches at most once per this many days (0 or 1: daily)
	Disputes             bool   // honest members dispute fraud they see, and the ring harasses
	// CheckInvariants checks every invariant after every block (slow for large runs).
	CheckInvariants bool
	// Progress, when set, gets a line per simulated day.
	Progress io.Writer
}

// DefaultConfig is the small case `make test` runs, with the production defences.
func DefaultConfig() Config {
	cp, mp := claims.DefaultParams(), members.DefaultParams()
	return Config{Seed: 1, Members: 60, Ring: 0.1, Lazy: 0.2, Detect: 0.5, Look: 0.1, Harass: 0.05, Days: 20,
		Defences: true, Reviewers: cp.Reviewers, MinReviewerApprovals: cp.MinReviewerApprovals,
		ProbationDays: int(mp.Probation / 86400), AdmissionsPerWeek: mp.AdmissionsPerPeriod * uint32(7*86400/mp.AdmissionPeriod),
		VouchCooldownDays: int(mp.VouchCooldown / 86400), Disputes: true}
}

// Day is one simulated day's totals, as of its end.
type Day struct {
	Day                       int
	HonestMinted, FraudMinted uint64 // standing: VERIFIED claims' hours (micro-hours)
	FraudReversed             uint64
	Members, Sybils           int
}

// Report is what a run produced.
type Report struct {
	Config Config
	// Micro-hours claimed, and what became of them by the end: minted and standing (VERIFIED),
	// reversed, rejected, or still pending.
	HonestClaimed, HonestMinted, HonestRejected, HonestReversed uint64
	// Why honest hours were rejected: too few approvals, too many rejections (the two-thirds
	// rule), or too few approvals from the drawn reviewers.
	HonestFewApprovals, HonestOutvoted, HonestNoReviewer    uint64
	FraudClaimed, FraudMinted, FraudRejected, FraudReversed uint64
	Sybils                                                  int // sybil candidates admitted
	SybilCapReached                                         bool
	DetectionDays                                           []float64
	Series                                                  []Day
	Blocks                                                  int64
	TxsOK, TxsFailed                                        int
	AppHash                                                 []byte
}

// FraudShare is the fraudulent share of the minted hours that stand at the end.
func (r *Report) FraudShare() float64 {
	return share(r.FraudMinted, r.FraudMinted+r.HonestMinted)
}

// HonestLoss is the share of honest claimed hours that were rejected or reversed.
func (r *Report) HonestLoss() float64 {
	return share(r.HonestRejected+r.HonestReversed, r.HonestClaimed)
}

// ReversedShare is the share of fraudulently minted hours that were reversed.
func (r *Report) ReversedShare() float64 {
	return share(r.FraudReversed, r.FraudReversed+r.FraudMinted)
}

// MeanDetectionDays is the mean time from a fraudulent claim's verification to its reversal.
func (r *Report) MeanDetectionDays() float64 {
	if len(r.DetectionDays) == 0 {
		return 0
	}
	var s float64
	for _, d := range r.DetectionDays {
		s += d
	}
	return s / float64(len(r.DetectionDays))
}

func share(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

type kind int

const (
	honest kind = iota
	lazy
	ring
)

type agent struct {
	name string
	priv ed25519.PrivKey
	addr core.Address
	kind kind
	seq  uint64
	has  bool // has an account (founders, and admitted or vouched-for sybils)
	// nextVouch: the ring knows the vouch cooldown, and does not waste a vouch before it passes.
	nextVouch int64
}

type claimInfo struct {
	id        uint64
	claimant  int
	fraud     bool
	reviewers []int
	attested  map[int]bool // who has given a verdict (a member reviews a claim once)
	verified  int64        // finalisation time, when VERIFIED
}

type disputeInfo struct {
	id, claim  uint64
	disputant  int
	jurors     []int
	voted      map[int]bool
	decided    bool
	upheld     bool
	appealable bool
}

type sim struct {
	cfg     Config
	rng     *rand.Rand
	a       *app.App
	db      *store.DB
	height  int64
	now     time.Time
	agents  []*agent
	byAddr  map[string]int
	claims  map[uint64]*claimInfo
	pending []uint64 // recent PENDING claims
	recent  []uint64 // recent VERIFIED claims
	disps   map[uint64]*disputeInfo
	open    []uint64 // disputes with a jury voting
	appeals []uint64 // disputes decided in the last block, in event order (appealable)
	report  Report
	sybilN  int
	pend    []int // sybil candidates with one vouch
	params  claims.Params
}

// Run simulates cfg and returns its report.
func Run(cfg Config) (*Report, error) {
	s := &sim{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x51a1)), byAddr: map[string]int{},
		claims: map[uint64]*claimInfo{}, disps: map[uint64]*disputeInfo{}}
	if err := s.start(); err != nil {
		return nil, err
	}
	s.report.Config = s.cfg // with the round-1 rules applied when the defences are off
	defer s.db.Close()
	const blocksPerDay = 4
	for day := 0; day < cfg.Days; day++ {
		for b := 0; b < blocksPerDay; b++ {
			if err := s.block(b); err != nil {
				return nil, fmt.Errorf("day %d, block %d: %w", day+1, b, err)
			}
		}
		d := s.tally(day + 1)
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "day %3d: %d members (%d sybils), standing minted %s honest / %s fraudulent, %s reversed\n",
				d.Day, d.Members, d.Sybils, core.FormatAmount(d.HonestMinted), core.FormatAmount(d.FraudMinted), core.FormatAmount(d.FraudReversed))
		}
	}
	s.finish()
	s.report.SybilCapReached = s.sybilN >= s.maxSybils()
	return &s.report, nil
}

func (s *sim) newAgent(name string, k kind) *agent {
	seed := sha256.Sum256([]byte("sim/" + strconv.FormatUint(s.cfg.Seed, 10) + "/" + name))
	priv := ed25519.GenPrivKeyFromSecret(seed[:])
	ag := &agent{name: name, priv: priv, addr: core.AddressFromPubKey(priv.PubKey().Bytes()), kind: k}
	s.byAddr[ag.addr.String()] = len(s.agents)
	s.agents = append(s.agents, ag)
	return ag
}

func (s *sim) start() error {
	nRing := int(float64(s.cfg.Members)*s.cfg.Ring + 0.5)
	nLazy := int(float64(s.cfg.Members-nRing)*s.cfg.Lazy + 0.5)
	genesisTime := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	g := app.DefaultGenesis()
	bp, mp, cp, dp := bank.DefaultParams(), members.DefaultParams(), claims.DefaultParams(), disputes.DefaultParams()
	if !s.cfg.Defences {
		s.cfg.Reviewers, s.cfg.MinReviewerApprovals, s.cfg.ProbationDays, s.cfg.AdmissionsPerWeek, s.cfg.VouchCooldownDays, s.cfg.Disputes = 0, 0, 0, 0, 1, false
	}
	cp.Reviewers, cp.MinReviewerApprovals = s.cfg.Reviewers, s.cfg.MinReviewerApprovals
	mp.Probation, mp.VouchCooldown = int64(s.cfg.ProbationDays)*86400, int64(max(s.cfg.VouchCooldownDays, 1))*86400
	mp.AdmissionsPerPeriod, mp.AdmissionPeriod = s.cfg.AdmissionsPerWeek, 7*86400
	if s.cfg.AdmissionsPerWeek == 0 {
		mp.AdmissionsPerPeriod = members.MaxAdmissionsPerPeriod
	}
	g.Bank.Params, g.Members.Params, g.Claims.Params, g.Disputes.Params = &bp, &mp, &cp, &dp
	s.params = cp
	// One founder per 50 members (at least 2), all honest; everyone else joined a founder's sponsor
	// tree (round robin) before the simulation, and is past probation. The ring is spread over the
	// trees, so its sybils spend the same admission budgets as honest newcomers would.
	founders := max(2, s.cfg.Members/50)
	joined := genesisTime.Add(-60 * 24 * time.Hour).Unix()
	for i := 0; i < s.cfg.Members; i++ {
		k := honest
		switch j := i - founders; {
		case j < 0:
		case j < nRing:
			k = ring
		case j < nRing+nLazy:
			k = lazy
		}
		ag := s.newAgent(fmt.Sprintf("m%04d", i), k)
		ag.has = true
		m := &members.Member{Address: ag.addr.String(), Handle: ag.name, JoinedAt: joined}
		if i >= founders {
			root := s.agents[i%founders].addr.String()
			m.Root, m.Vouchers, m.Status = root, []string{root}, members.MemberStatus_MEMBER_STATUS_ACTIVE
		}
		g.Members.Members = append(g.Members.Members, m)
	}
	var err error
	if s.db, err = store.Open("", store.Options{InMemory: true, KeepRecent: 2}); err != nil {
		return err
	}
	s.a = app.New(s.db, app.DefaultOptions())
	state, err := app.MarshalGenesis(g)
	if err != nil {
		return err
	}
	if _, err := s.a.InitChain(ChainID, 1, genesisTime, state, nil); err != nil {
		return err
	}
	s.now = genesisTime
	return nil
}

// block builds one block of agent actions (block b of the day: 0 claims and vouches, the others
// review, dispute and judge), runs it, and follows its events.
func (s *sim) block(b int) error {
	s.now = s.now.Add(6 * time.Hour)
	s.height++
	busy := map[int]bool{}
	var txs [][]byte
	var signers []int
	add := func(i int, m *auth.Msg) {
		ag := s.agents[i]
		if busy[i] || !ag.has {
			return
		}
		busy[i] = true
		raw, err := auth.Sign(ag.priv, &auth.TxBody{ChainId: ChainID, Sequence: ag.seq, Msgs: []*auth.Msg{m}})
		if err != nil {
			panic(err)
		}
		txs = append(txs, raw)
		signers = append(signers, i)
	}
	isBusy := func(i int) bool { return busy[i] }
	switch b {
	case 0:
		s.claims0(add)
	case 1:
		s.vouches(add, isBusy)
		fallthrough
	default:
		if s.cfg.Disputes {
			s.juries(add)
			s.disputesAndAppeals(add)
		}
		s.reviews(add, isBusy)
	}
	h := sha256.New()
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(s.height)))
	for _, tx := range txs {
		th := sha256.Sum256(tx)
		h.Write(th[:])
	}
	res, err := s.a.FinalizeBlock(s.height, s.now, h.Sum(nil), txs)
	if err != nil {
		return err
	}
	if err := s.a.Commit(); err != nil {
		return err
	}
	s.report.Blocks = s.height
	s.report.AppHash = res.AppHash
	for i, r := range res.TxResults {
		if r.Err != nil {
			s.report.TxsFailed++
			continue
		}
		s.report.TxsOK++
		s.agents[signers[i]].seq++
		s.follow(signers[i], r.Events)
	}
	s.follow(-1, res.Events)
	if s.cfg.CheckInvariants {
		v := s.db.ReadLatest()
		defer v.Discard()
		if err := s.a.CheckInvariants(v); err != nil {
			return err
		}
	}
	return nil
}

// claims0: honest and lazy members claim the real hours they worked (most days); ring members
// and sybils claim invented hours every day.
func (s *sim) claims0(add func(int, *auth.Msg)) {
	for i, ag := range s.agents {
		hours := 1 + s.rng.IntN(4)
		if ag.kind == ring {
			hours = 8
		} else if s.rng.IntN(10) >= 6 {
			continue
		}
		start := s.now.Add(-20 * time.Hour)
		add(i, &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{
			Start: start.Unix(), End: start.Add(time.Duration(hours) * time.Hour).Unix(), Category: "care", Summary: "sim"}}})
	}
}

// vouches (once a day, the cooldown) pairs the ring's members who are not busy: the pending
// sybils get another vouch, then new ones their first two.
func (s *sim) vouches(add func(int, *auth.Msg), busy func(int) bool) {
	var free []int
	for i, ag := range s.agents {
		if ag.kind == ring && ag.has && !busy(i) && s.now.Unix() >= ag.nextVouch && s.status(i) == members.MemberStatus_MEMBER_STATUS_ACTIVE {
			free = append(free, i)
		}
	}
	var still []int
	for _, c := range s.pend {
		if len(free) == 0 {
			still = append(still, c)
			continue
		}
		add(free[0], &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: s.agents[c].addr.String()}}})
		free = free[1:]
		still = append(still, c) // admitted or not, the events tell (follow)
	}
	s.pend = still
	for len(free) >= 2 && s.sybilN < s.maxSybils() {
		s.sybilN++
		c := s.newAgent(fmt.Sprintf("sybil%05d", s.sybilN), ring)
		idx := len(s.agents) - 1
		add(free[0], &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: c.addr.String(), Handle: c.name}}})
		add(free[1], &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: c.addr.String()}}})
		free = free[2:]
		s.pend = append(s.pend, idx)
	}
}

// maxSybils caps the ring's sybil candidates at twice the founding membership, so that a run
// without the admission limit (exponential growth) still ends in minutes; the report says when the
// cap was reached.
func (s *sim) maxSybils() int { return 2 * s.cfg.Members }

func (s *sim) status(i int) members.MemberStatus {
	v := s.db.ReadLatest()
	defer v.Discard()
	m, _ := s.a.Keepers().Members.Member(v, s.agents[i].addr)
	return m.Status
}

// reviews: each member reviews one pending claim a block: one they were drawn for, else a random
// recent one (the ring only its own).
func (s *sim) reviews(add func(int, *auth.Msg), busy func(int) bool) {
	awaiting := map[int][]uint64{}
	for _, id := range s.pending {
		for _, r := range s.claims[id].reviewers {
			awaiting[r] = append(awaiting[r], id)
		}
	}
	for i, ag := range s.agents {
		if busy(i) || !ag.has {
			continue
		}
		var c *claimInfo
		fresh := func(id uint64) bool { x := s.claims[id]; return x.claimant != i && !x.attested[i] }
		if l := slices.DeleteFunc(slices.Clone(awaiting[i]), func(id uint64) bool { return !fresh(id) }); len(l) > 0 {
			c = s.claims[l[s.rng.IntN(len(l))]]
		} else if len(s.pending) > 0 && s.rng.IntN(2) == 0 {
			if id := s.pending[s.rng.IntN(len(s.pending))]; fresh(id) {
				c = s.claims[id]
			}
		}
		if c == nil {
			continue
		}
		if v, ok := s.verdict(ag, c); ok {
			c.attested[i] = true
			add(i, &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: c.id, Verdict: v}}})
		}
	}
}

// verdict is what agent ag says of claim c, if anything.
func (s *sim) verdict(ag *agent, c *claimInfo) (claims.Verdict, bool) {
	approve, reject := claims.Verdict_VERDICT_APPROVE, claims.Verdict_VERDICT_REJECT
	switch ag.kind {
	case lazy:
		return approve, true
	case ring:
		if c.fraud {
			return approve, true
		}
		if slices.Contains(c.reviewers, s.byAddr[ag.addr.String()]) && s.rng.Float64() < 0.5 {
			return reject, true // harass an honest claim it was drawn to review
		}
		return 0, false
	default:
		if c.fraud && s.rng.Float64() < s.cfg.Detect {
			return reject, true
		}
		return approve, true
	}
}

// juries: drawn jurors vote; honest ones uphold a dispute on a fraudulent claim when they see it,
// the ring protects its own and upholds against honest claims, lazy ones flip a coin.
func (s *sim) juries(add func(int, *auth.Msg)) {
	for _, did := range s.open {
		d := s.disps[did]
		c := s.claims[d.claim]
		for _, j := range d.jurors {
			if d.voted[j] {
				continue
			}
			d.voted[j] = true
			ag := s.agents[j]
			up := false
			switch ag.kind {
			case ring:
				up = !c.fraud
			case lazy:
				up = s.rng.IntN(2) == 0
			default:
				up = c.fraud && s.rng.Float64() < s.cfg.Detect
			}
			v := disputes.JuryVote_JURY_VOTE_DISMISS
			if up {
				v = disputes.JuryVote_JURY_VOTE_UPHOLD
			}
			add(j, &auth.Msg{Sum: &auth.Msg_JuryVote{JuryVote: &disputes.MsgJuryVote{DisputeId: did, Vote: v}}})
		}
	}
}

// disputesAndAppeals: honest members examine recently verified claims and dispute what they see is
// false; ring members harass honest ones; the losing side appeals when it has reason to.
func (s *sim) disputesAndAppeals(add func(int, *auth.Msg)) {
	for _, did := range s.appeals {
		d := s.disps[did]
		if !d.decided || !d.appealable {
			continue
		}
		c := s.claims[d.claim]
		claimant := s.agents[c.claimant]
		switch {
		case d.upheld && (claimant.kind == ring || !c.fraud): // the ring fights back; an honest claimant defends
			add(c.claimant, &auth.Msg{Sum: &auth.Msg_Appeal{Appeal: &disputes.MsgAppeal{DisputeId: d.id}}})
		case !d.upheld && c.fraud && s.agents[d.disputant].kind == honest:
			add(d.disputant, &auth.Msg{Sum: &auth.Msg_Appeal{Appeal: &disputes.MsgAppeal{DisputeId: d.id}}})
		}
		d.appealable = false
	}
	s.appeals = s.appeals[:0]
	if len(s.recent) == 0 {
		return
	}
	for i, ag := range s.agents {
		id := s.recent[s.rng.IntN(len(s.recent))]
		c := s.claims[id]
		if c.claimant == i || !ag.has {
			continue
		}
		switch {
		case ag.kind == honest && c.fraud && s.rng.Float64() < s.cfg.Look*s.cfg.Detect:
		case ag.kind == ring && !c.fraud && s.rng.Float64() < s.cfg.Harass:
		default:
			continue
		}
		add(i, &auth.Msg{Sum: &auth.Msg_OpenDispute{OpenDispute: &disputes.MsgOpenDispute{ClaimId: id, Reason: "sim"}}})
	}
}

// follow updates what the agents know from a tx's or a block's events.
func (s *sim) follow(signer int, events []abci.Event) {
	for _, e := range events {
		at := attrs(e)
		id, _ := strconv.ParseUint(at["claim_id"], 10, 64)
		did, _ := strconv.ParseUint(at["dispute_id"], 10, 64)
		switch e.Type {
		case "claim_submitted":
			ag := s.agents[signer]
			s.claims[id] = &claimInfo{id: id, claimant: signer, fraud: ag.kind == ring, attested: map[int]bool{}}
			s.pending = append(s.pending, id)
			d, _ := strconv.ParseUint(strings.TrimSuffix(at["duration"], "uhour"), 10, 64)
			if ag.kind == ring {
				s.report.FraudClaimed += d
			} else {
				s.report.HonestClaimed += d
			}
		case "reviewers_drawn":
			if c := s.claims[id]; c != nil {
				c.reviewers = s.indexes(at["reviewers"])
			}
		case "claim_finalized":
			s.pending = slices.DeleteFunc(s.pending, func(x uint64) bool { return x == id })
			if at["status"] == "verified" {
				s.claims[id].verified = s.now.Unix()
				s.recent = append(s.recent, id)
				if len(s.recent) > 200 {
					s.recent = s.recent[len(s.recent)-200:]
				}
			}
		case "member_vouched":
			if i, ok := s.byAddr[at["candidate"]]; ok {
				s.agents[i].has = true // a vouch opens the candidate's account
			}
			if i, ok := s.byAddr[at["voucher"]]; ok {
				s.agents[i].nextVouch = s.now.Unix() + int64(max(s.cfg.VouchCooldownDays, 1))*86400
			}
		case "member_admitted":
			if i, ok := s.byAddr[at["member"]]; ok && strings.HasPrefix(s.agents[i].name, "sybil") {
				s.report.Sybils++
				s.pend = slices.DeleteFunc(s.pend, func(x int) bool { return x == i })
			}
		case "dispute_opened":
			s.disps[did] = &disputeInfo{id: did, claim: id, disputant: signer}
		case "jury_drawn", "appeal_jury_drawn":
			if d := s.disps[did]; d != nil {
				d.jurors, d.decided, d.voted = s.indexes(at["jurors"]), false, map[int]bool{}
				if !slices.Contains(s.open, did) {
					s.open = append(s.open, did)
				}
			}
		case "dispute_decided", "appeal_decided":
			if d := s.disps[did]; d != nil {
				d.decided, d.upheld = true, at["outcome"] == "upheld"
				d.appealable = e.Type == "dispute_decided"
				if d.appealable {
					s.appeals = append(s.appeals, did)
				}
				s.open = slices.DeleteFunc(s.open, func(x uint64) bool { return x == did })
			}
		case "claim_reversed":
			if c := s.claims[id]; c != nil && c.fraud && c.verified > 0 {
				s.report.DetectionDays = append(s.report.DetectionDays, float64(s.now.Unix()-c.verified)/86400)
			}
		}
	}
}

// attrs is an event's attributes by key.
func attrs(e abci.Event) map[string]string {
	m := make(map[string]string, len(e.Attributes))
	for _, a := range e.Attributes {
		m[a.Key] = a.Value
	}
	return m
}

// indexes maps a comma-separated address list to agent indexes.
func (s *sim) indexes(list string) []int {
	var out []int
	for _, a := range strings.Split(list, ",") {
		if i, ok := s.byAddr[a]; ok {
			out = append(out, i)
		}
	}
	return out
}

// tally reads the standing totals from state at the end of a day.
func (s *sim) tally(day int) Day {
	v := s.db.ReadLatest()
	defer v.Discard()
	d := Day{Day: day}
	s.a.Keepers().Claims.IterateClaims(v, func(c claims.Claim) bool {
		info := s.claims[c.Id]
		if info == nil {
			return true
		}
		switch {
		case c.Status == claims.ClaimStatus_CLAIM_STATUS_VERIFIED && info.fraud:
			d.FraudMinted += c.Minted
		case c.Status == claims.ClaimStatus_CLAIM_STATUS_VERIFIED:
			d.HonestMinted += c.Minted
		case c.Status == claims.ClaimStatus_CLAIM_STATUS_REVERSED && info.fraud:
			d.FraudReversed += c.Minted
		}
		return true
	})
	mc := s.a.Keepers().Members.Counts(v)
	d.Members = int(mc.Active + mc.Probation + mc.Suspended)
	d.Sybils = s.report.Sybils
	s.report.Series = append(s.report.Series, d)
	return d
}

// finish totals what became of every claim.
func (s *sim) finish() {
	v := s.db.ReadLatest()
	defer v.Discard()
	r := &s.report
	s.a.Keepers().Claims.IterateClaims(v, func(c claims.Claim) bool {
		info := s.claims[c.Id]
		if info == nil {
			return true
		}
		d := claims.MintedFor(c.Start, c.End)
		minted, rejected, reversed := &r.HonestMinted, &r.HonestRejected, &r.HonestReversed
		if info.fraud {
			minted, rejected, reversed = &r.FraudMinted, &r.FraudRejected, &r.FraudReversed
		}
		switch c.Status {
		case claims.ClaimStatus_CLAIM_STATUS_VERIFIED:
			*minted += d
		case claims.ClaimStatus_CLAIM_STATUS_REJECTED:
			*rejected += d
			if !info.fraud {
				switch {
				case !claims.Verified(s.params, c.Approvals, c.Rejections) && c.Approvals < s.params.MinApprovals:
					r.HonestFewApprovals += d
				case !claims.Verified(s.params, c.Approvals, c.Rejections):
					r.HonestOutvoted += d
				default:
					r.HonestNoReviewer += d
				}
			}
		case claims.ClaimStatus_CLAIM_STATUS_REVERSED:
			*reversed += d
		}
		return true
	})
}
