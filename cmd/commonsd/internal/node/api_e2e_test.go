package node_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
)

// codeSummaryHash is claim 3's private summary; maintainer countersigned it.
var (
	codeSummaryHash = sha256.Sum256([]byte("Fixed the bike-share booking bug"))
	maintainer      = apptest.NewKey("bike-share-maintainer")
)

// explorerChain is the chain id of the explorer tests.
const explorerChain = "explorer-chain"

// attestationWindow is long enough for the attestations, sent right after the claims, to land in
// it even on a slow machine, and short enough that the test waits only that long for finalisation.
const attestationWindow = 12

// juryWindow is the fixture's voting window: long enough for a juror's vote, sent as soon as the
// jury is seen in the API, to land in it on a slow machine; the test waits for it twice.
const juryWindow = 8

// Texts of the fixture's dispute, checked by the API and browser tests.
const (
	disputeReason  = "The garden was locked that afternoon; the photo is from last spring"
	firstVoteNote  = "The photo's metadata says April; upheld"
	appealVoteNote = "Locked gates do not stop volunteers with a key"
	// The fixture's reversal: dispute 2 on frank's claim 4.
	workshopSummary  = "Ran the repair café's soldering workshop"
	reversalReason   = "The café was closed for renovation all that week"
	reversalVoteNote = "The café's own notice says closed; upheld"
	// grace's approval of claim 1, as one of its drawn reviewers.
	reviewerNote = "I took that class; it ran the full hour"
	// The fixture's proposals, both voting for a week (gov's default voting_period).
	textProposal   = "We meet on the first Monday of each month at the repair café"
	paramsProposal = "Three approvals per claim"
	opMoniker      = "op2"
)

// opKey is the consensus key proposal 3 would add: 32 bytes, as a validator proposal takes them
// (nobody runs it; the proposal never closes during the test).
var opKey = sha256.Sum256([]byte("explorer/op2"))

// explorerNode is a real node with the API enabled and state made by real txs:
//
//   - founders alice, bob, carol; dave vouched in by alice and bob; erin a candidate (alice only);
//   - claim 1: carol's, imported PENDING at genesis with a deadline a day away (a claim that stays
//     pending whatever the test's speed), with drawn reviewers grace, heidi and ivan as an exported
//     chain states them (the params keep drawn reviewers off, so nothing else is drawn and no
//     outcome changes): grace approved it (reviewerNote), heidi and ivan have it awaiting review;
//   - claim 2: dave's 2 h of care with evidence, approved by alice (with a note) and bob: VERIFIED;
//   - claim 3: alice's 1 h of code, rejected by bob, approved by carol: REJECTED (1 < 2 approvals);
//     its summary is private (only codeSummaryHash is sent) and it is countersigned by maintainer,
//     a key with no account;
//   - a transfer of 2.5 h from alice to dave;
//   - founders frank, grace, heidi and ivan (no hours), the only members eligible to judge claim 2;
//   - dispute 1: carol disputes claim 2 (disputeReason); a jury of one (jury_size 1) upholds it
//     with firstVoteNote; dave appeals; the appeal jury (the other three) dismisses it 2 to 1, final.
//     Claim 2 stays VERIFIED.
//   - claim 4: frank's 1 h of teaching (workshopSummary), approved by alice and bob: VERIFIED;
//     frank then sends 0.25 h to carol (frankTransferHash);
//   - dispute 2: carol disputes claim 4 (reversalReason, in the same tx as dispute 1); a jury of one
//     (dave, grace, heidi or ivan) upholds it with reversalVoteNote and nobody appeals, so when the
//     appeal window passes it is final and claim 4 is REVERSED at the end of that block: 0.75 h
//     burned from frank's balance, 0.25 h of debt; strikes to frank (claimant), alice and bob
//     (approvers). Nobody reaches strikes_to_suspend (3).
//   - proposal 1: alice's text proposal (textProposal), voted yes by alice and bob, no by carol;
//   - proposal 2: bob's params proposal (paramsProposal), claims min_approvals 2 → 3, everything
//     else as it is; yes by alice, abstain by carol (propose tx proposeHash);
//   - proposal 3: carol's validator proposal: opKey joins as "op2" with power 3, no votes. All three
//     stay VOTING: the vote lasts a week, so nothing they would change happens during the test;
//   - the validator set is the node's own validator from genesis (validatorAddr, validatorPower).
type explorerNode struct {
	base                           string // http://127.0.0.1:port
	alice, bob, carol, dave, erin  apptest.Key
	judges                         []apptest.Key // frank, grace, heidi, ivan
	firstJuror                     apptest.Key
	appealJurors                   []apptest.Key // in the order the API lists them: uphold, dismiss, dismiss
	reversalJuror                  apptest.Key   // dispute 2's
	transferHash, bobAttestHash    string
	frankTransferHash              string
	workEnd                        time.Time // end of claims 2 and 3
	evidenceURI, evidenceSHA256Hex string
	claimsParams                   claims.Params // at genesis
	proposeHash                    string        // proposal 2's
	validatorAddr                  string        // CometBFT's hex address of the node's validator
	validatorPower                 int64
}

// frank is the claimant of the reversed claim 4.
func (x *explorerNode) frank() apptest.Key { return x.judges[0] }

func startExplorerNode(t *testing.T) *explorerNode {
	t.Helper()
	x := &explorerNode{alice: apptest.NewKey("alice"), bob: apptest.NewKey("bob"), carol: apptest.NewKey("carol"),
		dave: apptest.NewKey("dave"), erin: apptest.NewKey("erin"), evidenceURI: "https://example.org/garden-day.jpg",
		judges: []apptest.Key{apptest.NewKey("frank"), apptest.NewKey("grace"), apptest.NewKey("heidi"), apptest.NewKey("ivan")}}
	sum := sha256.Sum256([]byte("garden-day.jpg"))
	x.evidenceSHA256Hex = fmt.Sprintf("%x", sum[:])
	now := time.Now().UTC().Truncate(time.Second)
	g := apptest.ContribGenesis(100_000_000, x.alice, x.bob, x.carol)
	mp := members.DevnetParams()
	mp.VouchCooldown = members.MinVouchCooldown // alice vouches twice, a second apart (makeState)
	g.Members.Params = &mp
	g.Claims.Params.AttestationWindow = attestationWindow
	x.claimsParams = *g.Claims.Params
	grace, heidi, ivan := x.judges[1].Addr.String(), x.judges[2].Addr.String(), x.judges[3].Addr.String()
	g.Claims.Claims = []*claims.Claim{{Id: 1, Claimant: x.carol.Addr.String(), Start: now.Add(-5 * time.Hour).Unix(),
		End: now.Add(-4 * time.Hour).Unix(), Category: "teaching", Summary: "Taught a repair café class",
		Status: claims.ClaimStatus_CLAIM_STATUS_PENDING, SubmittedAt: now.Add(-time.Hour).Unix(), Deadline: now.Add(24 * time.Hour).Unix(),
		Approvals: 1, Reviewers: []string{grace, heidi, ivan}, ReviewersDrawn: true, ReviewerApprovals: 1}}
	g.Claims.Attestations = []*claims.Attestation{{ClaimId: 1, Attestor: grace, Verdict: claims.Verdict_VERDICT_APPROVE,
		Note: reviewerNote, Time: now.Add(-30 * time.Minute).Unix()}}
	g.Claims.NextClaimId = 2
	for _, k := range x.judges { // founding members without hours; genesis gives them accounts
		g.Members.Members = append(g.Members.Members, &members.Member{Address: k.Addr.String(), Handle: apptest.Handle(k), JoinedAt: apptest.FoundersJoinedAt})
	}
	// dave was vouched in by alice and bob a month ago (as an exported chain states it), so that
	// he may claim the recent hours he worked: nobody may claim time before joining.
	g.Members.Members = append(g.Members.Members, &members.Member{Address: x.dave.Addr.String(), Handle: "dave",
		Vouchers: []string{x.alice.Addr.String(), x.bob.Addr.String()}, JoinedAt: now.Add(-30 * 24 * time.Hour).Unix(),
		FirstVouchedAt: now.Add(-31 * 24 * time.Hour).Unix(), Status: members.MemberStatus_MEMBER_STATUS_ACTIVE})
	dp := disputes.DefaultParams()
	dp.JurySize, dp.JuryWindow, dp.AppealWindow = 1, juryWindow, 2*juryWindow
	g.Disputes.Params = &dp

	home := t.TempDir()
	rpc, apiAddr := freeAddr(t), freeAddr(t)
	cfg := config.Default()
	cfg.Log.Level = "error"
	cfg.API.Address = apiAddr
	cfg.API.CORSOrigins = []string{"*"}
	if _, err := node.Init(home, node.InitOptions{ChainID: explorerChain, Genesis: g, BlockTime: 200 * time.Millisecond,
		RPCAddr: "tcp://" + rpc, P2PAddr: "tcp://" + freeAddr(t), App: cfg}); err != nil {
		t.Fatal(err)
	}
	n, err := node.Start(home, cfg, io.Discard, node.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Stop(); err != nil {
			t.Error(err)
		}
	})
	x.base = "http://" + apiAddr
	c, err := client.New("tcp://" + rpc)
	if err != nil {
		t.Fatal(err)
	}
	c.CommitTimeout = 30 * time.Second
	waitForHeight(t, c, 2) // the app answers queries once its first block is committed
	x.makeState(t, c)
	return x
}

// makeState sends the txs described on explorerNode and waits for claims 2 and 3 to be final.
func (x *explorerNode) makeState(t *testing.T, c *client.Client) {
	t.Helper()
	ctx := context.Background()
	send := func(k apptest.Key, msgs ...*auth.Msg) *client.Result {
		t.Helper()
		res, err := c.SignAndBroadcast(ctx, k.Priv, explorerChain, "", false, msgs...)
		if err != nil {
			t.Fatalf("%s: %v", k.Name, err)
		}
		return res
	}
	send(x.alice, apptest.Vouch(x.erin, "erin"))
	x.transferHash = send(x.alice, apptest.Transfer(x.dave.Addr, 2_500_000)).Hash
	send(x.alice, apptest.CreateProject("garden", "Community garden"))

	// Claims end at the latest block time, so that end <= block time holds in the next block.
	// The block store saves a block before the app commits it, so CheckTx may still see the
	// block before: wait for one more block, after which the check state's time is >= workEnd.
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	x.workEnd = st.SyncInfo.LatestBlockTime.UTC().Truncate(time.Second)
	waitForHeight(t, c, st.SyncInfo.LatestBlockHeight+1)
	care := apptest.SubmitClaim(x.workEnd.Add(-2*time.Hour), x.workEnd, "care", "Weeded and watered the community garden")
	care.GetSubmitClaim().Evidence = []*claims.Evidence{{Uri: x.evidenceURI, Sha256: mustHex(x.evidenceSHA256Hex)}}
	care.GetSubmitClaim().Project = "garden" // the project alice creates first
	code := apptest.SubmitClaim(x.workEnd.Add(-time.Hour), x.workEnd, "code", "")
	code.GetSubmitClaim().SummaryHash = codeSummaryHash[:]
	apptest.CountersignedFor(code, explorerChain, x.alice.Addr, maintainer)
	workshop := apptest.SubmitClaim(x.workEnd.Add(-3*time.Hour), x.workEnd.Add(-2*time.Hour), "teaching", workshopSummary)
	broadcastAll(t, c, []apptest.Key{x.dave, x.alice, x.frank()}, [][]*auth.Msg{{care}, {code}, {workshop}})

	approveWithNote := apptest.Approve(2)
	approveWithNote.GetAttest().Note = "I was there; the beds look great"
	hashes := broadcastAll(t, c, []apptest.Key{x.alice, x.bob, x.carol},
		[][]*auth.Msg{{approveWithNote, apptest.Approve(4)}, {apptest.Approve(2), apptest.Reject(3), apptest.Approve(4)}, {apptest.Approve(3)}})
	x.bobAttestHash = hashes[1]

	deadline := time.Now().Add(90 * time.Second)
	for {
		var c2, c3, c4 struct{ Claim struct{ Status string } }
		x.getJSON(t, "/api/v1/claims/2", &c2)
		x.getJSON(t, "/api/v1/claims/3", &c3)
		x.getJSON(t, "/api/v1/claims/4", &c4)
		if c2.Claim.Status != "pending" && c3.Claim.Status != "pending" && c4.Claim.Status != "pending" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("claims 2, 3 and 4 not finalised within 90s: %q %q %q", c2.Claim.Status, c3.Claim.Status, c4.Claim.Status)
		}
		time.Sleep(250 * time.Millisecond)
	}
	x.makeDispute(t, c, send)
	x.makeProposals(t, c, send)
}

// makeProposals makes proposals 1 and 2 (see explorerNode) and notes the node's validator.
func (x *explorerNode) makeProposals(t *testing.T, c *client.Client, send func(apptest.Key, ...*auth.Msg) *client.Result) {
	t.Helper()
	send(x.alice, apptest.ProposeText(textProposal))
	cp := x.claimsParams
	cp.MinApprovals = 3
	x.proposeHash = send(x.bob, apptest.ProposeParams("claims", &cp, paramsProposal)).Hash
	send(x.carol, &auth.Msg{Sum: &auth.Msg_Propose{Propose: &gov.MsgPropose{Summary: "Add op2, run by the library",
		Content: &gov.Content{Sum: &gov.Content_Validator{Validator: &gov.ValidatorChange{PubKey: opKey[:], Power: 3, Moniker: opMoniker}}}}}})
	yes, no, abstain := gov.VoteOption_VOTE_OPTION_YES, gov.VoteOption_VOTE_OPTION_NO, gov.VoteOption_VOTE_OPTION_ABSTAIN
	broadcastAll(t, c, []apptest.Key{x.alice, x.bob, x.carol}, [][]*auth.Msg{{apptest.Vote(1, yes), apptest.Vote(2, yes)},
		{apptest.Vote(1, yes)}, {apptest.Vote(1, no), apptest.Vote(2, abstain)}})
	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	x.validatorAddr, x.validatorPower = st.ValidatorInfo.Address.String(), st.ValidatorInfo.VotingPower
}

// disputeState is the part of /api/v1/disputes/{id} that makeDispute waits on.
type disputeState struct {
	Dispute struct {
		Status string `json:"status"`
		Final  bool   `json:"final"`
		Jurors []struct {
			Address string `json:"address"`
		} `json:"jurors"`
	} `json:"dispute"`
}

// makeDispute makes dispute 1 (see explorerNode): opened, upheld by a jury of one, appealed by
// the claimant and dismissed on appeal, final; and beside it dispute 2: opened in the same tx,
// upheld by a jury of one, not appealed, final after the appeal window, claim 4 reversed.
func (x *explorerNode) makeDispute(t *testing.T, c *client.Client, send func(apptest.Key, ...*auth.Msg) *client.Result) {
	t.Helper()
	awaitID := func(id int, what string, done func(d disputeState) bool) disputeState {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for {
			var d disputeState
			if code := x.getJSON(t, fmt.Sprintf("/api/v1/disputes/%d", id), &d); code == 200 && done(d) {
				return d
			}
			if time.Now().After(deadline) {
				t.Fatalf("dispute %d: %s not within 90s: %+v", id, what, d)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	await := func(what string, done func(d disputeState) bool) disputeState {
		t.Helper()
		return awaitID(1, what, done)
	}
	judge := func(addr string) apptest.Key {
		t.Helper()
		for _, k := range append([]apptest.Key{x.dave}, x.judges...) {
			if k.Addr.String() == addr {
				return k
			}
		}
		t.Fatalf("juror %s is not one of dave, frank, grace, heidi, ivan", addr)
		return apptest.Key{}
	}
	voteOn := func(id uint64, v disputes.JuryVote, note string) *auth.Msg {
		return &auth.Msg{Sum: &auth.Msg_JuryVote{JuryVote: &disputes.MsgJuryVote{DisputeId: id, Vote: v, Note: note}}}
	}
	voteMsg := func(v disputes.JuryVote, note string) *auth.Msg { return voteOn(1, v, note) }
	send(x.carol, &auth.Msg{Sum: &auth.Msg_OpenDispute{OpenDispute: &disputes.MsgOpenDispute{ClaimId: 2, Reason: disputeReason}}},
		&auth.Msg{Sum: &auth.Msg_OpenDispute{OpenDispute: &disputes.MsgOpenDispute{ClaimId: 4, Reason: reversalReason}}})
	d := await("a jury", func(d disputeState) bool { return d.Dispute.Status == "voting" })
	if len(d.Dispute.Jurors) != 1 {
		t.Fatalf("dispute 1 has %d jurors, want 1", len(d.Dispute.Jurors))
	}
	x.firstJuror = judge(d.Dispute.Jurors[0].Address)
	d2 := awaitID(2, "a jury", func(d disputeState) bool { return d.Dispute.Status == "voting" })
	if len(d2.Dispute.Jurors) != 1 {
		t.Fatalf("dispute 2 has %d jurors, want 1", len(d2.Dispute.Jurors))
	}
	x.reversalJuror = judge(d2.Dispute.Jurors[0].Address)
	// One tx per key: the two votes (one tx if the same judge sits on both juries) and frank's
	// transfer, which leaves him less than claim 4 minted.
	byKey := map[string][]*auth.Msg{}
	var keys []apptest.Key
	add := func(k apptest.Key, m *auth.Msg) {
		if _, ok := byKey[k.Name]; !ok {
			keys = append(keys, k)
		}
		byKey[k.Name] = append(byKey[k.Name], m)
	}
	add(x.firstJuror, voteMsg(disputes.JuryVote_JURY_VOTE_UPHOLD, firstVoteNote))
	add(x.reversalJuror, voteOn(2, disputes.JuryVote_JURY_VOTE_UPHOLD, reversalVoteNote))
	add(x.frank(), apptest.Transfer(x.carol.Addr, 250_000))
	var msgs [][]*auth.Msg
	for _, k := range keys {
		msgs = append(msgs, byKey[k.Name])
	}
	hashes := broadcastAll(t, c, keys, msgs)
	for i, k := range keys {
		if k.Name == x.frank().Name {
			x.frankTransferHash = hashes[i]
		}
	}
	await("upheld", func(d disputeState) bool { return d.Dispute.Status == "upheld" })
	send(x.dave, &auth.Msg{Sum: &auth.Msg_Appeal{Appeal: &disputes.MsgAppeal{DisputeId: 1}}})
	d = await("an appeal jury", func(d disputeState) bool { return d.Dispute.Status == "appealed" && len(d.Dispute.Jurors) > 0 })
	if len(d.Dispute.Jurors) != 3 {
		t.Fatalf("dispute 1's appeal jury has %d jurors, want 3", len(d.Dispute.Jurors))
	}
	x.appealJurors = nil
	for _, j := range d.Dispute.Jurors {
		x.appealJurors = append(x.appealJurors, judge(j.Address))
	}
	broadcastAll(t, c, x.appealJurors, [][]*auth.Msg{{voteMsg(disputes.JuryVote_JURY_VOTE_UPHOLD, "")},
		{voteMsg(disputes.JuryVote_JURY_VOTE_DISMISS, appealVoteNote)}, {voteMsg(disputes.JuryVote_JURY_VOTE_DISMISS, "")}})
	await("final", func(d disputeState) bool { return d.Dispute.Final })
	awaitID(2, "final", func(d disputeState) bool { return d.Dispute.Final && d.Dispute.Status == "upheld" })
	deadline := time.Now().Add(30 * time.Second)
	for {
		var c4 struct{ Claim struct{ Status string } }
		x.getJSON(t, "/api/v1/claims/4", &c4)
		if c4.Claim.Status == "reversed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("claim 4 not reversed within 30s of dispute 2's final decision: %q", c4.Claim.Status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// broadcastAll sends one tx per key at once (so they land in the same block or the next) and
// waits for each to commit. It returns their hashes.
func broadcastAll(t *testing.T, c *client.Client, keys []apptest.Key, msgs [][]*auth.Msg) []string {
	t.Helper()
	ctx := context.Background()
	var hashes []string
	for i, k := range keys {
		res, err := c.SignAndBroadcast(ctx, k.Priv, explorerChain, "", true, msgs[i]...)
		if err != nil {
			t.Fatalf("%s: %v", k.Name, err)
		}
		hashes = append(hashes, res.Hash)
	}
	for i, h := range hashes {
		if _, err := c.WaitForTx(ctx, mustHex(h)); err != nil {
			t.Fatalf("%s: %v", keys[i].Name, err)
		}
	}
	return hashes
}

func mustHex(s string) []byte {
	var b []byte
	if _, err := fmt.Sscanf(s, "%x", &b); err != nil {
		panic(err)
	}
	return b
}

// getJSON fetches path and decodes the answer into out; it returns the HTTP status.
func (x *explorerNode) getJSON(t *testing.T, path string, out any) int {
	t.Helper()
	resp, err := http.Get(x.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("GET %s: content type %q", path, ct)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
	return resp.StatusCode
}

// TestExplorer runs the API and browser tests against one real node.
func TestExplorer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node and waits for a claim to finalise")
	}
	x := startExplorerNode(t)
	t.Run("api", func(t *testing.T) { testAPI(t, x) })
	t.Run("browser", func(t *testing.T) { testBrowser(t, x) })
}

// check is one assertion on a decoded JSON answer: the value at a dotted path ("items.0.id"); a
// nil want is met by null or an absent field.
type check struct {
	path string
	want any
}

func testAPI(t *testing.T, x *explorerNode) {
	alice, bob, carol, dave, erin := x.alice.Addr.String(), x.bob.Addr.String(), x.carol.Addr.String(), x.dave.Addr.String(), x.erin.Addr.String()
	stranger := apptest.NewKey("stranger").Addr.String()
	badAddr := "commons1notanaddress"
	badAddrMsg := `invalid address: "commons1notanaddress" is not bech32 (invalid character not part of charset: 111); expected commons1…`
	from := x.workEnd.Add(-90 * time.Minute)
	zeroHash := strings.Repeat("0", 64)
	frank := x.frank().Addr.String()
	grace, heidi, ivan := x.judges[1].Addr.String(), x.judges[2].Addr.String(), x.judges[3].Addr.String()
	firstJurorDisputes := 1.0 // disputes with the first juror of dispute 1 on a jury
	if x.reversalJuror.Name == x.firstJuror.Name {
		firstJurorDisputes = 2
	}
	daveSeq := 2.0 // vouched in, then claimed and appealed; one more if drawn to judge dispute 2
	if x.reversalJuror.Name == x.dave.Name {
		daveSeq = 3
	}
	tests := []struct {
		name   string
		path   string
		code   int
		checks []check
	}{
		// status
		{"status", "/api/v1/status", 200, []check{{"chain_id", explorerChain}, {"catching_up", false}, {"app_version", app.Version}}},
		{"status takes only height", "/api/v1/status?limit=3", 400, msg(`unknown parameter "limit"; this endpoint takes height`)},

		// accounts
		{"account of a member", "/api/v1/accounts/" + dave, 200, []check{{"address", dave}, {"balance", 4_500_000.0},
			{"balance_hours", "4.5"}, {"sequence", daveSeq}, {"member.handle", "dave"}, {"member.status", "active"}}},
		{"account of a candidate", "/api/v1/accounts/" + erin, 200, []check{{"balance", 0.0}, {"member.status", "candidate"}, {"member.vouchers.0.handle", "alice"}, {"history_entries", 0.0}}},
		{"account in debt", "/api/v1/accounts/" + frank, 200, []check{{"balance", 0.0}, {"balance_hours", "0"}, {"debt", 250_000.0}, {"debt_hours", "0.25"},
			{"history_entries", 4.0}, {"member.handle", "frank"}, {"member.status", "active"}}},
		{"history of a reversal", "/api/v1/accounts/" + frank + "/history", 200, []check{{"total", 4.0}, {"items.#", 4},
			{"items.0.seq", 3.0}, {"items.0.kind", "debt"}, {"items.0.amount_hours", "0.25"}, {"items.0.claim_id", 4.0}, {"items.0.balance", 0.0}, {"items.0.debt", 250_000.0},
			{"items.0.counterparty", nil},
			{"items.1.kind", "burn"}, {"items.1.amount", 750_000.0}, {"items.1.amount_hours", "0.75"}, {"items.1.claim_id", 4.0}, {"items.1.balance", 0.0}, {"items.1.debt", 0.0},
			{"items.2.kind", "transfer_out"}, {"items.2.amount_hours", "0.25"}, {"items.2.counterparty.handle", "carol"}, {"items.2.tx_hash", x.frankTransferHash},
			{"items.2.balance_hours", "0.75"},
			{"items.3.seq", 0.0}, {"items.3.kind", "mint"}, {"items.3.amount_hours", "1"}, {"items.3.claim_id", 4.0}, {"items.3.balance_hours", "1"}}},
		{"history page", "/api/v1/accounts/" + frank + "/history?offset=1&limit=2", 200, []check{{"total", 4.0}, {"offset", 1.0}, {"limit", 2.0},
			{"items.#", 2}, {"items.0.kind", "burn"}, {"items.1.kind", "transfer_out"}}},
		{"history of transfers and a mint", "/api/v1/accounts/" + dave + "/history", 200, []check{{"total", 2.0},
			{"items.0.kind", "mint"}, {"items.0.claim_id", 2.0}, {"items.0.balance_hours", "4.5"},
			{"items.1.kind", "transfer_in"}, {"items.1.counterparty.handle", "alice"}, {"items.1.tx_hash", x.transferHash}, {"items.1.amount", 2_500_000.0}}},
		{"history of a candidate", "/api/v1/accounts/" + erin + "/history", 200, []check{{"total", 0.0}, {"items.#", 0}}},
		{"history unknown", "/api/v1/accounts/" + stranger + "/history", 404, msg("no account " + stranger + "; an account appears when the address first receives hours or is vouched for")},
		{"history malformed", "/api/v1/accounts/" + badAddr + "/history", 400, msg("address: " + badAddrMsg)},
		{"history limit 101", "/api/v1/accounts/" + frank + "/history?limit=101", 400, msg("limit 101 is out of range; use 1 to 100")},
		{"history unknown parameter", "/api/v1/accounts/" + frank + "/history?kind=burn", 400, msg(`unknown parameter "kind"; this endpoint takes format, limit, offset, height`)},
		{"account unknown", "/api/v1/accounts/" + stranger, 404, msg("no account " + stranger + "; an account appears when the address first receives hours or is vouched for")},
		{"account malformed", "/api/v1/accounts/" + badAddr, 400, msg("address: " + badAddrMsg)},
		{"account wrong prefix", "/api/v1/accounts/cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a", 400,
			msg(`address: invalid address: "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a" has prefix "cosmos"; expected commons1…`)},

		// members
		{"members", "/api/v1/members", 200, []check{{"total", 9.0}, {"limit", 20.0}, {"items.0.handle", "alice"}, {"items.0.founder", true},
			{"items.3.handle", "dave"}, {"items.3.vouchers.1.handle", "bob"}, {"items.4.handle", "erin"}, {"items.4.status", "candidate"},
			{"items.5.handle", "frank"}, {"items.8.handle", "ivan"}}},
		{"members page", "/api/v1/members?limit=2&offset=1", 200, []check{{"total", 9.0}, {"offset", 1.0}, {"items.#", 2}, {"items.0.handle", "bob"}, {"items.1.handle", "carol"}}},
		{"members by handle prefix", "/api/v1/members?handle=DA", 200, []check{{"total", 1.0}, {"items.0.address", dave}}},
		{"members by status", "/api/v1/members?status=candidate", 200, []check{{"total", 1.0}, {"items.0.handle", "erin"}}},
		{"members past the end", "/api/v1/members?offset=50", 200, []check{{"total", 9.0}, {"items.#", 0}}},
		{"members limit 0", "/api/v1/members?limit=0", 400, msg("limit 0 is out of range; use 1 to 100")},
		{"members limit negative", "/api/v1/members?limit=-5", 400, msg("limit -5 is out of range; use 1 to 100")},
		{"members limit 101", "/api/v1/members?limit=101", 400, msg("limit 101 is out of range; use 1 to 100")},
		{"members limit huge", "/api/v1/members?limit=99999999999999999999", 400, msg("limit 99999999999999999999 is out of range; use 1 to 100")},
		{"members limit not a number", "/api/v1/members?limit=ten", 400, msg(`limit "ten" is not a whole number; use 1 to 100`)},
		{"members offset negative", "/api/v1/members?offset=-1", 400, msg("offset -1 is out of range; use 0 to 10000, and filters (from, to, status) to reach older items")},
		{"members bad handle", "/api/v1/members?handle=a_b", 400, msg(`handle "a_b" is not a handle prefix; use up to 32 characters of a-z, 0-9 and -`)},
		{"members unknown status", "/api/v1/members?status=gone", 400, msg(`status "gone" is not one of active, candidate, suspended`)},
		{"members suspended", "/api/v1/members?status=suspended", 200, []check{{"total", 0.0}, {"items.#", 0}}},
		{"members unknown parameter", "/api/v1/members?sort=handle", 400, msg(`unknown parameter "sort"; this endpoint takes handle, status, limit, offset, height`)},
		{"members parameter twice", "/api/v1/members?limit=1&limit=2", 400, msg(`parameter "limit" is given 2 times; give it once`)},
		{"member", "/api/v1/members/" + dave, 200, []check{{"handle", "dave"}, {"status", "active"}, {"founder", false},
			{"vouchers.#", 2}, {"vouchers.0.handle", "alice"}, {"vouchers.1.handle", "bob"}, {"vouched_for.#", 0},
			{"claims.total", 1.0}, {"claims.verified", 1.0}, {"claims.verified_hours", "2"}, {"balance_hours", "4.5"},
			{"record.claims_verified", 1.0}, {"record.claims_reversed", 0.0}, {"record.strikes.#", 0}, {"record.suspended_until", nil}}},
		{"member record after a reversal", "/api/v1/members/" + frank, 200, []check{{"status", "active"}, {"founder", true},
			{"claims.total", 1.0}, {"claims.verified", 0.0}, {"claims.reversed", 1.0}, {"balance_hours", "0"},
			{"record.claims_verified", 1.0}, {"record.verified_hours", "1"}, {"record.claims_reversed", 1.0}, {"record.reversed_uhours", 1_000_000.0},
			{"record.reversed_hours", "1"}, {"record.approvals_given", 0.0}, {"record.disputes_opened", 0.0},
			{"record.jury_seats", 1.0}, {"record.jury_votes", 1.0}, {"record.jury_no_shows", 0.0},
			{"record.active_strikes", 1.0}, {"record.strikes_ever", 1.0}, {"record.strikes_to_suspend", 3.0}, {"record.suspensions", 0.0},
			{"record.suspended_until", nil}, {"record.strikes.#", 1}, {"record.strikes.0.role", "claimant"}, {"record.strikes.0.claim_id", 4.0},
			{"record.strikes.0.dispute_id", 2.0}, {"record.strikes.0.active", true}, {"record.debt", 250_000.0}, {"record.debt_hours", "0.25"}}},
		{"member record of an approver", "/api/v1/members/" + bob, 200, []check{{"record.approvals_given", 2.0}, {"record.rejections_given", 1.0},
			{"record.approvals_reversed", 1.0}, {"record.active_strikes", 1.0}, {"record.strikes.0.role", "approver"}, {"record.strikes.0.claim_id", 4.0},
			{"record.debt", 0.0}}},
		{"member record of a disputant", "/api/v1/members/" + carol, 200, []check{{"record.disputes_opened", 2.0}, {"record.disputes_upheld", 1.0},
			{"record.disputes_dismissed", 1.0}, {"record.approvals_given", 1.0}, {"record.approvals_reversed", 0.0}, {"record.strikes.#", 0}, {"balance_hours", "100.25"}}},
		{"member record of dispute 2's juror", "/api/v1/members/" + x.reversalJuror.Addr.String(), 200, []check{{"record.jury_no_shows", 0.0}}},
		{"member who vouched", "/api/v1/members/" + alice, 200, []check{{"founder", true}, {"vouched_for.#", 2},
			{"vouched_for.0.handle", "dave"}, {"vouched_for.0.status", "active"}, {"vouched_for.1.handle", "erin"}, {"vouched_for.1.status", "candidate"},
			{"claims.rejected", 1.0}, {"claims.verified", 0.0}, {"record.approvals_given", 2.0}, {"record.approvals_reversed", 1.0},
			{"record.strikes.#", 1}, {"record.strikes.0.role", "approver"}, {"record.strikes.0.dispute_id", 2.0}}},
		{"member unknown", "/api/v1/members/" + stranger, 404, msg(stranger + " is not a member or candidate")},
		{"member malformed", "/api/v1/members/" + badAddr, 400, msg("address: " + badAddrMsg)},

		// claims
		{"claims", "/api/v1/claims", 200, []check{{"total", 4.0}, {"items.#", 4}, {"items.0.id", 4.0}, {"items.1.id", 3.0}, {"items.2.id", 2.0}, {"items.3.id", 1.0},
			{"items.0.status", "reversed"}, {"items.0.reversal.dispute_id", 2.0}, {"items.1.reversal", nil}}},
		{"claims page", "/api/v1/claims?limit=1&offset=2", 200, []check{{"total", 4.0}, {"items.#", 1}, {"items.0.id", 2.0}}},
		{"claims pending", "/api/v1/claims?status=pending", 200, []check{{"total", 1.0}, {"items.0.id", 1.0}, {"items.0.claimant.handle", "carol"}}},
		{"claims verified", "/api/v1/claims?status=verified", 200, []check{{"total", 1.0}, {"items.0.id", 2.0}, {"items.0.minted", 2_000_000.0}}},
		{"claims rejected", "/api/v1/claims?status=rejected", 200, []check{{"total", 1.0}, {"items.0.id", 3.0}, {"items.0.minted_hours", "0"}}},
		{"claims reversed", "/api/v1/claims?status=reversed", 200, []check{{"total", 1.0}, {"items.0.id", 4.0}, {"items.0.claimant.handle", "frank"},
			{"items.0.minted_hours", "1"}, {"items.0.reversal.burned_hours", "0.75"}}},
		{"claims by attestor, reversed", "/api/v1/claims?attestor=" + alice + "&status=reversed", 200, []check{{"total", 1.0}, {"items.0.id", 4.0}}},
		{"claims by claimant", "/api/v1/claims?claimant=" + dave, 200, []check{{"total", 1.0}, {"items.0.id", 2.0}}},
		{"claims by attestor", "/api/v1/claims?attestor=" + carol, 200, []check{{"total", 1.0}, {"items.0.id", 3.0}}},
		{"claims by attestor and status", "/api/v1/claims?attestor=" + bob + "&status=verified", 200, []check{{"total", 1.0}, {"items.0.id", 2.0}}},
		{"claims by category", "/api/v1/claims?category=care", 200, []check{{"total", 1.0}, {"items.0.category", "care"}}},
		{"claims from (RFC 3339)", "/api/v1/claims?from=" + from.Format(time.RFC3339), 200, []check{{"total", 1.0}, {"items.0.id", 3.0}}},
		{"claims to (unix)", fmt.Sprintf("/api/v1/claims?to=%d", from.Unix()), 200, []check{{"total", 3.0}, {"items.0.id", 4.0}, {"items.1.id", 2.0}, {"items.2.id", 1.0}}},
		{"claims unknown status", "/api/v1/claims?status=approved", 400, msg(`status "approved" is not one of pending, verified, rejected, reversed`)},
		{"claims malformed claimant", "/api/v1/claims?claimant=" + badAddr, 400, msg("claimant: " + badAddrMsg)},
		{"claims malformed attestor", "/api/v1/claims?attestor=bob", 400, msg(`attestor: invalid address: "bob" is not bech32 (invalid bech32 string length 3); expected commons1…`)},
		{"claims bad category", "/api/v1/claims?category=Care!", 400, msg(`category "Care!" is not a category name; use 1 to 32 characters of a-z, 0-9 and -`)},
		{"claims bad from", "/api/v1/claims?from=yesterday", 400, msg(`from "yesterday" is not a time; use RFC 3339 (2026-11-20T09:00:00Z) or unix seconds`)},
		{"claims from after to", "/api/v1/claims?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", 400, msg("from (2026-01-02T00:00:00Z) must be before to (2026-01-01T00:00:00Z)")},
		{"claims negative time", "/api/v1/claims?to=-5", 400, msg("to -5 is out of range; use unix seconds between 1 and 253402300799")},
		{"claims huge page", "/api/v1/claims?limit=1000000", 400, msg("limit 1000000 is out of range; use 1 to 100")},
		{"claims negative offset", "/api/v1/claims?offset=-20", 400, msg("offset -20 is out of range; use 0 to 10000, and filters (from, to, status) to reach older items")},
		{"claims offset too deep", "/api/v1/claims?offset=10001", 400, msg("offset 10001 is out of range; use 0 to 10000, and filters (from, to, status) to reach older items")},
		{"claim verified", "/api/v1/claims/2", 200, []check{{"claim.id", 2.0}, {"claim.status", "verified"}, {"claim.claimant.handle", "dave"},
			{"claim.category", "care"}, {"claim.duration_seconds", 7200.0}, {"claim.approvals", 2.0}, {"claim.minted_hours", "2"},
			{"claim.end", x.workEnd.Format(time.RFC3339)}, {"claim.evidence.0.uri", x.evidenceURI}, {"claim.evidence.0.sha256", x.evidenceSHA256Hex},
			{"attestations.#", 2}, {"timeline.#", 4}, {"timeline.0.event", "submitted"}, {"timeline.0.by.handle", "dave"},
			{"timeline.1.event", "attested"}, {"timeline.3.event", "finalized"}, {"timeline.3.status", "verified"}, {"claim.reversal", nil}}},
		{"claim reversed", "/api/v1/claims/4", 200, []check{{"claim.status", "reversed"}, {"claim.claimant.handle", "frank"}, {"claim.summary", workshopSummary},
			{"claim.minted", 1_000_000.0}, {"claim.minted_hours", "1"}, {"claim.reversal.dispute_id", 2.0}, {"claim.reversal.burned", 750_000.0},
			{"claim.reversal.burned_hours", "0.75"}, {"claim.reversal.debt", 250_000.0}, {"claim.reversal.debt_hours", "0.25"},
			{"attestations.#", 2}, {"timeline.#", 5}, {"timeline.3.event", "finalized"}, {"timeline.3.status", "verified"},
			{"timeline.4.event", "reversed"}, {"timeline.4.status", "reversed"}, {"timeline.4.dispute_id", 2.0}}},
		{"claim rejected", "/api/v1/claims/3", 200, []check{{"claim.status", "rejected"}, {"claim.approvals", 1.0}, {"claim.rejections", 1.0}, {"timeline.3.status", "rejected"},
			{"claim.outcome_reason", "1 approvals and 1 rejections: a claim needs at least 2 approvals, more than two thirds of its verdicts"},
			{"claim.reviewers.#", 0}, {"claim.reviewer_approvals", 0.0}, {"reviewers.#", 0},
			{"claim.summary", ""}, {"claim.private_summary", true}, {"claim.summary_hash", hex.EncodeToString(codeSummaryHash[:])},
			{"claim.countersigned", true}, {"claim.beneficiary.address", maintainer.Addr.String()},
			{"claim.beneficiary.pubkey", hex.EncodeToString(maintainer.Priv.PubKey().Bytes())}}},
		{"claim pending", "/api/v1/claims/1", 200, []check{{"claim.status", "pending"}, {"claim.finalized_at", nil}, {"claim.outcome_reason", ""},
			{"attestations.#", 1}, {"attestations.0.note", reviewerNote}, {"timeline.#", 3}, {"timeline.1.event", "attested"}, {"timeline.2.event", "deadline"},
			{"claim.reviewers.#", 3}, {"claim.reviewers.0.handle", "grace"}, {"claim.reviewers.2.address", ivan}, {"claim.reviewer_approvals", 1.0},
			{"reviewers.#", 3}, {"reviewers.0.handle", "grace"}, {"reviewers.0.attested", true}, {"reviewers.0.verdict", "approve"},
			{"reviewers.1.handle", "heidi"}, {"reviewers.1.attested", false}, {"reviewers.1.verdict", nil}, {"reviewers.2.attested", false}}},
		{"claims awaiting a reviewer", "/api/v1/claims?awaiting=" + heidi, 200, []check{{"total", 1.0}, {"items.#", 1}, {"items.0.id", 1.0},
			{"items.0.reviewers.1.handle", "heidi"}}},
		{"claims awaiting a reviewer who attested", "/api/v1/claims?awaiting=" + grace, 200, []check{{"total", 0.0}, {"items.#", 0}}},
		{"claims awaiting a non-reviewer", "/api/v1/claims?awaiting=" + dave, 200, []check{{"total", 0.0}, {"items.#", 0}}},
		{"claims awaiting, not verified", "/api/v1/claims?awaiting=" + ivan + "&status=verified", 200, []check{{"total", 0.0}}},
		{"claims malformed awaiting", "/api/v1/claims?awaiting=" + badAddr, 400, msg("awaiting: " + badAddrMsg)},
		{"claim unknown", "/api/v1/claims/999", 404, msg("no claim 999")},
		{"claim zero", "/api/v1/claims/0", 404, msg("no claim 0")},
		{"claim not a number", "/api/v1/claims/abc", 400, msg(`claim id "abc" is not a number; ids are whole numbers from 1`)},
		{"claim negative", "/api/v1/claims/-1", 400, msg(`claim id "-1" is not a number; ids are whole numbers from 1`)},

		// disputes
		{"disputes", "/api/v1/disputes", 200, []check{{"total", 2.0}, {"items.0.id", 2.0}, {"items.0.claim_id", 4.0}, {"items.0.status", "upheld"},
			{"items.0.reversed", true}, {"items.1.id", 1.0}, {"items.1.claim_id", 2.0}, {"items.1.status", "dismissed"}, {"items.1.reversed", false}}},
		{"disputes of a claim", "/api/v1/disputes?claim=2", 200, []check{{"total", 1.0}, {"items.0.disputant.handle", "carol"}}},
		{"disputes of an undisputed claim", "/api/v1/disputes?claim=3", 200, []check{{"total", 0.0}, {"items.#", 0}}},
		{"disputes by status", "/api/v1/disputes?status=upheld", 200, []check{{"total", 1.0}, {"items.0.id", 2.0}}},
		{"disputes by juror", "/api/v1/disputes?juror=" + x.firstJuror.Addr.String(), 200, []check{{"total", firstJurorDisputes}}},
		{"dispute upheld, final and reversed", "/api/v1/disputes/2", 200, []check{{"dispute.claim_id", 4.0}, {"dispute.reason", reversalReason},
			{"dispute.claimant.handle", "frank"}, {"dispute.disputant.handle", "carol"}, {"dispute.status", "upheld"}, {"dispute.final", true},
			{"dispute.round", 1.0}, {"dispute.uphold", 1.0}, {"dispute.dismiss", 0.0}, {"dispute.outcome_reason", "majority"}, {"dispute.appellant", nil},
			{"dispute.reversed", true}, {"dispute.strikes", 3.0}, {"dispute.jurors.0.address", x.reversalJuror.Addr.String()},
			{"votes.#", 1}, {"votes.0.note", reversalVoteNote}}},
		{"dispute appealed and final", "/api/v1/disputes/1", 200, []check{{"dispute.reason", disputeReason}, {"dispute.claimant.handle", "dave"},
			{"dispute.status", "dismissed"}, {"dispute.final", true}, {"dispute.round", 3.0}, {"dispute.jurors.#", 3},
			{"dispute.uphold", 1.0}, {"dispute.dismiss", 2.0}, {"dispute.outcome_reason", "appeal: majority"}, {"dispute.appeal_reason", "majority"},
			{"dispute.appellant", dave}, {"dispute.first_outcome", "upheld"}, {"dispute.first_reason", "majority"},
			{"dispute.first_uphold", 1.0}, {"dispute.first_dismiss", 0.0}, {"dispute.first_jurors.0.address", x.firstJuror.Addr.String()},
			{"votes.#", 4}, {"dispute.reversed", false}, {"dispute.strikes", 0.0}}},
		{"claim still verified after its dispute", "/api/v1/claims/2", 200, []check{{"claim.status", "verified"}}},

		// supply, stats, params
		{"supply", "/api/v1/supply", 200, []check{{"genesis", 300_000_000.0}, {"minted", 3_000_000.0}, {"minted_hours", "3"},
			{"burned", 750_000.0}, {"burned_hours", "0.75"}, {"reversed", 1_000_000.0}, {"reversed_hours", "1"},
			{"outstanding_debt", 250_000.0}, {"outstanding_debt_hours", "0.25"}, {"circulating", 302_250_000.0}, {"circulating_hours", "302.25"},
			{"members", 8.0}, {"candidates", 1.0}, {"suspended", 0.0}, {"claims.pending", 1.0}, {"claims.verified", 1.0}, {"claims.rejected", 1.0},
			{"claims.reversed", 1.0}, {"categories.0.category", "care"}, {"categories.0.verified_hours", "2"}}},
		{"supply history", "/api/v1/supply/history", 200, []check{{"days.#>", true}, {"days.-1.burned", 750_000.0}, {"days.-1.circulating", 302_250_000.0}}},
		{"stats categories", "/api/v1/stats/categories", 200, []check{{"claims.rejected", 1.0}, {"claims.reversed", 1.0}, {"categories.0.verified_claims", 1.0},
			{"categories.1.category", "code"}, {"categories.1.verified_uhours", 0.0}}},
		{"stats daily", "/api/v1/stats/daily?days=7", 200, []check{{"days.#", 7}, {"series.0.category", "care"}, {"series.0.total_uhours", 2_000_000.0}, {"series.1.total_uhours", 0.0}}},
		{"stats daily days 0", "/api/v1/stats/daily?days=0", 400, msg(`days "0" is out of range; use 1 to 366`)},
		{"stats daily days huge", "/api/v1/stats/daily?days=100000", 400, msg(`days "100000" is out of range; use 1 to 366`)},
		{"params", "/api/v1/params", 200, []check{{"claims.attestation_window_seconds", float64(attestationWindow)}, {"claims.min_approvals", 2.0},
			{"members.vouches_to_join", 2.0}, {"bank.demurrage_ppm_per_year", 50_000.0}, {"claims.categories.0", "care"},
			{"members.probation_seconds", 60.0}, {"disputes.jury_size", 1.0}, {"disputes.appeal_window_seconds", float64(2 * juryWindow)},
			{"gov.voting_period_seconds", 604_800.0}, {"gov.quorum_permille", 334.0}}},

		// governance
		{"proposals", "/api/v1/proposals", 200, []check{{"total", 3.0}, {"items.#", 3}, {"items.0.id", 3.0}, {"items.0.kind", "validator"},
			{"items.1.id", 2.0}, {"items.1.kind", "params"}, {"items.1.proposer.handle", "bob"}, {"items.2.id", 1.0}, {"items.2.kind", "text"},
			{"items.2.status", "voting"}}},
		{"proposals voting", "/api/v1/proposals?status=voting&limit=1&offset=1", 200, []check{{"total", 3.0}, {"items.#", 1}, {"items.0.id", 2.0}}},
		{"proposals passed", "/api/v1/proposals?status=passed", 200, []check{{"total", 0.0}, {"items.#", 0}}},
		{"proposals unknown status", "/api/v1/proposals?status=open", 400, msg(`status "open" is not one of voting, passed, rejected, failed`)},
		{"proposal text", "/api/v1/proposals/1", 200, []check{{"proposal.summary", textProposal}, {"proposal.proposer.handle", "alice"},
			{"proposal.status", "voting"}, {"proposal.tally.yes", 2.0}, {"proposal.tally.no", 1.0}, {"proposal.tally.abstain", 0.0},
			{"proposal.threshold", "majority"}, {"proposal.eligible", 0.0}, {"proposal.closed_at", nil}, {"proposal.params", nil},
			{"proposal.validator", nil}, {"votes.#", 3}}},
		{"proposal params", "/api/v1/proposals/2", 200, []check{{"proposal.summary", paramsProposal}, {"proposal.kind", "params"},
			{"proposal.params.module", "claims"}, {"proposal.params.params.min_approvals", 3.0},
			{"proposal.params.params.attestation_window_seconds", float64(attestationWindow)}, {"proposal.tally.yes", 1.0},
			{"proposal.tally.abstain", 1.0}, {"votes.#", 2}}},
		{"proposal validator", "/api/v1/proposals/3", 200, []check{{"proposal.kind", "validator"}, {"proposal.threshold", "two_thirds"},
			{"proposal.proposer.handle", "carol"}, {"proposal.validator.pub_key", base64.StdEncoding.EncodeToString(opKey[:])},
			{"proposal.validator.address", cmted25519.PubKey(opKey[:]).Address().String()}, {"proposal.validator.power", 3.0},
			{"proposal.validator.moniker", opMoniker}, {"proposal.params", nil}, {"votes.#", 0}}},
		{"proposal unknown", "/api/v1/proposals/9", 404, msg("no proposal 9")},
		{"proposal not a number", "/api/v1/proposals/two", 400, msg(`proposal id "two" is not a number; ids are whole numbers from 1`)},
		{"validators", "/api/v1/validators", 200, []check{{"validators.#", 1}, {"validators.0.address", x.validatorAddr},
			{"validators.0.power", float64(x.validatorPower)}, {"validators.0.proposal_id", 0.0}, {"total_power", float64(x.validatorPower)},
			{"history.#", 1}, {"history.0.height", 0.0}, {"history.0.address", x.validatorAddr}, {"history.0.previous_power", 0.0}}},
		{"tx propose", "/api/v1/txs/" + x.proposeHash, 200, []check{{"signer.handle", "bob"}, {"messages.0.type", "propose"},
			{"messages.0.value.kind", "params"}, {"messages.0.value.summary", paramsProposal}, {"messages.0.value.params.module", "claims"},
			{"messages.0.value.params.params.min_approvals", 3.0}, {"messages.0.value.validator", nil}}},

		// txs
		{"tx transfer", "/api/v1/txs/" + x.transferHash, 200, []check{{"hash", x.transferHash}, {"code", 0.0}, {"signer.handle", "alice"},
			{"messages.#", 1}, {"messages.0.type", "transfer"}, {"messages.0.value.to.handle", "dave"}, {"messages.0.value.amount", 2_500_000.0},
			{"messages.0.value.amount_hours", "2.5"}, {"events.0.type", "message"}, {"events.0.attributes.1.value", "transfer"}, {"events.1.type", "transfer"}}},
		{"tx three attestations, lower-case hash", "/api/v1/txs/" + strings.ToLower(x.bobAttestHash), 200, []check{{"hash", x.bobAttestHash},
			{"messages.#", 3}, {"messages.0.type", "attest"}, {"messages.0.value.claim_id", 2.0}, {"messages.0.value.verdict", "approve"},
			{"messages.1.value.claim_id", 3.0}, {"messages.1.value.verdict", "reject"}, {"messages.2.value.claim_id", 4.0}}},
		{"tx malformed", "/api/v1/txs/xyz", 400, msg(`tx hash "xyz" is not 64 hex characters`)},
		{"tx unknown", "/api/v1/txs/" + zeroHash, 404, msg("no committed tx " + zeroHash + " on this node (not yet committed, or pruned from the tx index)")},

		// search
		{"search handle", "/api/v1/search?q=dave", 200, []check{{"kind", "member"}, {"id", dave}}},
		{"search handle with @ and capitals", "/api/v1/search?q=@Erin", 200, []check{{"kind", "member"}, {"id", erin}}},
		{"search address", "/api/v1/search?q=" + carol, 200, []check{{"kind", "member"}, {"id", carol}}},
		{"search claim id", "/api/v1/search?q=2", 200, []check{{"kind", "claim"}, {"id", "2"}}},
		{"search tx hash", "/api/v1/search?q=" + strings.ToLower(x.transferHash), 200, []check{{"kind", "tx"}, {"id", x.transferHash}}},
		{"search nothing", "/api/v1/search?q=nobody", 404, msg(`nothing matches "nobody"; search for an address (commons1…), a handle, a claim id, "dispute <id>" or a tx hash`)},
		{"search dispute", "/api/v1/search?q=dispute%201", 200, []check{{"kind", "dispute"}, {"id", "1"}}},
		{"search dispute with # and capitals", "/api/v1/search?q=Dispute%20%231", 200, []check{{"kind", "dispute"}, {"id", "1"}}},
		{"search unknown dispute", "/api/v1/search?q=dispute%2077", 404, msg("no dispute 77")},
		{"search unknown claim", "/api/v1/search?q=77", 404, msg("no claim 77")},
		{"search unknown address", "/api/v1/search?q=" + stranger, 404, msg("no account " + stranger + "; an account appears when the address first receives hours or is vouched for")},
		{"search malformed address", "/api/v1/search?q=" + badAddr, 400, msg("q: " + badAddrMsg)},
		{"search empty", "/api/v1/search?q=", 400, msg(`q is empty; search for an address (commons1…), a handle, a claim id, "dispute <id>" or a tx hash`)},

		// the rest
		{"openapi", "/api/v1/openapi.json", 200, []check{{"openapi", "3.0.3"}, {"info.title", "Commons Ledger API"}}},
		{"unknown endpoint", "/api/v1/blockz", 404, msg("no API endpoint /api/v1/blockz; see /api/v1/openapi.json")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if code := x.getJSON(t, tc.path, &body); code != tc.code {
				t.Fatalf("GET %s: %d, want %d; body %v", tc.path, code, tc.code, body)
			}
			for _, c := range tc.checks {
				got, ok := lookup(body, c.path)
				if c.want == nil && !ok {
					continue // nil: null or absent
				}
				if !ok || fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Errorf("GET %s: %s = %v (found %t), want %v", tc.path, c.path, got, ok, c.want)
				}
			}
		})
	}
	t.Run("dispute votes", func(t *testing.T) {
		var d struct {
			Votes []struct {
				Juror struct{ Handle string }
				Round uint32
				Vote  string
				Note  string
			}
		}
		x.getJSON(t, "/api/v1/disputes/1", &d)
		got := map[string]string{}
		for _, v := range d.Votes {
			got[v.Juror.Handle] = fmt.Sprintf("%d %s %q", v.Round, v.Vote, v.Note)
		}
		want := map[string]string{apptest.Handle(x.firstJuror): fmt.Sprintf("1 uphold %q", firstVoteNote),
			apptest.Handle(x.appealJurors[0]): `3 uphold ""`, apptest.Handle(x.appealJurors[1]): fmt.Sprintf("3 dismiss %q", appealVoteNote),
			apptest.Handle(x.appealJurors[2]): `3 dismiss ""`}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("votes of dispute 1 by handle: %v, want %v", got, want)
		}
	})
	t.Run("proposal votes", func(t *testing.T) {
		var d struct {
			Votes []struct {
				Voter  struct{ Handle string }
				Option string
				Height int64
			}
		}
		x.getJSON(t, "/api/v1/proposals/1", &d)
		got := map[string]string{}
		for i, v := range d.Votes {
			got[v.Voter.Handle] = v.Option
			if i > 0 && v.Height < d.Votes[i-1].Height {
				t.Errorf("votes not oldest first: %+v", d.Votes)
			}
		}
		if want := map[string]string{"alice": "yes", "bob": "yes", "carol": "no"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("votes on proposal 1 by handle: %v, want %v", got, want)
		}
	})
	t.Run("blocks", func(t *testing.T) { testAPIBlocks(t, x) })
	t.Run("cors", func(t *testing.T) {
		req, _ := http.NewRequest("GET", x.base+"/api/v1/status", nil)
		req.Header.Set("Origin", "https://elsewhere.example")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Fatalf("Access-Control-Allow-Origin %q with api.cors_origins = [\"*\"]", got)
		}
	})
}

// msg checks an error answer: the code repeats the HTTP status and the message is exact.
func msg(m string) []check { return []check{{"message", m}} }

// lookup follows a dotted path into decoded JSON. A number indexes an array (-1 is the last);
// "#" is an array's length and "#>" is true when it is not empty.
func lookup(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		switch cur := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = cur[part]; !ok {
				return nil, false
			}
		case []any:
			switch part {
			case "#":
				return len(cur), true
			case "#>":
				return len(cur) > 0, true
			}
			var i int
			if _, err := fmt.Sscan(part, &i); err != nil {
				return nil, false
			}
			if i < 0 {
				i += len(cur)
			}
			if i < 0 || i >= len(cur) {
				return nil, false
			}
			v = cur[i]
		default:
			return nil, false
		}
	}
	return v, true
}
