package api_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
	"github.com/commonsledger/commons/x/projects"
)

// govLedger is an in-memory chain with six founders member0…member5 (f0…f5 below), four genesis validators v0…v3 of power
// 10, and proposals in every status, served by an API server:
//
//  1. text by f0: 2 yes (f0, f1), 1 no (f2): PASSED, 3 of 6 eligible voted;
//  2. text by f1: 1 abstain (f1): REJECTED, no quorum;
//  3. params by f2, claims min_approvals 3: 3 yes, 1 no (f3): PASSED, so min_approvals is 3 now;
//  4. validator by f3, v4 joins with power 10 ("fifth"): 6 yes: PASSED, the set has five;
//  5. validator by f4, the same change ("fifth, again"): 6 yes, but when it executes v4 already has
//     power 10: FAILED;
//  6. params by f5, gov voting_period 120 (needs two thirds): 1 yes (f0), 1 no (f1), 1 abstain
//     (f2): VOTING;
//  7. text by f0, no votes: VOTING.
type govLedger struct {
	chain    *apptest.Chain
	srv      *httptest.Server
	founders []apptest.Key
	v4       []byte
}

func govValKey(name string) []byte {
	h := sha256.Sum256([]byte("api-test/validator/" + name))
	return h[:]
}

func newGovLedger(t *testing.T) *govLedger {
	t.Helper()
	l := &govLedger{v4: govValKey("v4")}
	for i := range 6 {
		l.founders = append(l.founders, apptest.NewKey(fmt.Sprintf("member%d", i)))
	}
	f := l.founders
	g := apptest.ContribGenesis(10_000_000, f...)
	g.Gov.Params.VotingPeriod = 60
	var vals []core.ValidatorUpdate
	for i := range 4 {
		vals = append(vals, core.ValidatorUpdate{PubKey: govValKey(fmt.Sprintf("v%d", i)), Power: 10})
	}
	c := apptest.NewChain(t, "", g, vals...)
	l.chain = c
	c.Block()
	cp := *g.Claims.Params
	cp.MinApprovals = 3
	must := func(k apptest.Key, msgs ...*auth.Msg) { t.Helper(); apptest.MustExec(t, c, k, msgs...) }
	must(f[0], apptest.ProposeText("We meet on the first Monday of each month"))
	must(f[1], apptest.ProposeText("Adopt the charter"))
	must(f[2], apptest.ProposeParams("claims", &cp, "Three approvals per claim"))
	must(f[3], apptest.ProposeValidator(l.v4, 10, "fifth", "Add the food bank's node"))
	must(f[4], apptest.ProposeValidator(l.v4, 10, "fifth, again", "Add the food bank's node (again)"))
	yes, no, abstain := gov.VoteOption_VOTE_OPTION_YES, gov.VoteOption_VOTE_OPTION_NO, gov.VoteOption_VOTE_OPTION_ABSTAIN
	v := apptest.Vote
	must(f[0], v(1, yes), v(3, yes), v(4, yes), v(5, yes))
	must(f[1], v(1, yes), v(2, abstain), v(3, yes), v(4, yes), v(5, yes))
	must(f[2], v(1, no), v(3, yes), v(4, yes), v(5, yes))
	must(f[3], v(3, no), v(4, yes), v(5, yes))
	must(f[4], v(4, yes), v(5, yes))
	must(f[5], v(4, yes), v(5, yes))
	c.BlockInterval = time.Minute
	c.Block() // closes 1 to 5
	c.BlockInterval = time.Second
	gp := *g.Gov.Params
	gp.VotingPeriod = 120
	must(f[5], apptest.ProposeParams("gov", &gp, "Two minutes to vote"))
	must(f[0], apptest.ProposeText("Open a second garden"))
	must(f[0], v(6, yes))
	must(f[1], v(6, no))
	must(f[2], v(6, abstain))
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
	l.srv = httptest.NewServer(api.New(c.App, api.Options{}))
	t.Cleanup(l.srv.Close)
	return l
}

// getJSON fetches path and decodes the answer as generic JSON.
func (l *govLedger) getJSON(t *testing.T, path string) (int, any) {
	t.Helper()
	var body any
	code := (&ledger{srv: l.srv}).get(t, path, &body)
	return code, body
}

// at follows a dotted path into decoded JSON ("items.0.id"; "#" is an array's length).
func at(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		switch cur := v.(type) {
		case map[string]any:
			v = cur[part]
		case []any:
			if part == "#" {
				return float64(len(cur))
			}
			var i int
			if _, err := fmt.Sscan(part, &i); err != nil || i < 0 || i >= len(cur) {
				return fmt.Sprintf("(no index %s)", part)
			}
			v = cur[i]
		default:
			return fmt.Sprintf("(nothing at %s)", part)
		}
	}
	return v
}

// TestGovEndpoints: the proposals list and its filters and paging, each status's proposal with its
// tally, threshold, result, what it changes and its votes, the validator set and its history, the
// gov params in /params, and the 400s and 404s.
func TestGovEndpoints(t *testing.T) {
	l := newGovLedger(t)
	f := l.founders
	handle := func(i int) string { return apptest.Handle(f[i]) }
	v4 := base64.StdEncoding.EncodeToString(l.v4)
	v4Addr := ed25519.PubKey(l.v4).Address().String()
	if len(v4Addr) != 40 || strings.ToUpper(v4Addr) != v4Addr {
		t.Fatalf("CometBFT address %q: want 40 upper-case hex digits", v4Addr)
	}
	closeHeight := float64(13) // block 1, 5 proposals, 6 vote txs (a second apart), then the closing block a minute later
	type want map[string]any
	tests := []struct {
		path string
		code int
		want want
	}{
		{"/api/v1/proposals", 200, want{"total": 7.0, "offset": 0.0, "limit": 20.0, "items.#": 7.0, "items.0.id": 7.0, "items.6.id": 1.0,
			"items.0.status": "voting", "items.0.kind": "text", "items.1.kind": "params", "items.3.kind": "validator"}},
		{"/api/v1/proposals?limit=2&offset=1", 200, want{"total": 7.0, "offset": 1.0, "limit": 2.0, "items.#": 2.0, "items.0.id": 6.0, "items.1.id": 5.0}},
		{"/api/v1/proposals?status=voting", 200, want{"total": 2.0, "items.#": 2.0, "items.0.id": 7.0, "items.1.id": 6.0}},
		{"/api/v1/proposals?status=passed", 200, want{"total": 3.0, "items.#": 3.0, "items.0.id": 4.0, "items.1.id": 3.0, "items.2.id": 1.0}},
		{"/api/v1/proposals?status=rejected", 200, want{"total": 1.0, "items.0.id": 2.0}},
		{"/api/v1/proposals?status=failed&limit=1", 200, want{"total": 1.0, "items.#": 1.0, "items.0.id": 5.0}},
		{"/api/v1/proposals?status=passed&offset=3", 200, want{"total": 3.0, "items.#": 0.0}},

		{"/api/v1/proposals/1", 200, want{"proposal.id": 1.0, "proposal.kind": "text", "proposal.summary": "We meet on the first Monday of each month",
			"proposal.proposer.address": f[0].Addr.String(), "proposal.proposer.handle": handle(0), "proposal.status": "passed",
			"proposal.submitted_height": 2.0, "proposal.submitted_at": apptest.GenesisTime.Add(2 * time.Second).Format(time.RFC3339),
			"proposal.tally.yes": 2.0, "proposal.tally.no": 1.0, "proposal.tally.abstain": 0.0, "proposal.threshold": "majority",
			"proposal.voting_end": apptest.GenesisTime.Add(62 * time.Second).Format(time.RFC3339), "proposal.closed_at": apptest.GenesisTime.Add(72 * time.Second).Format(time.RFC3339),
			"proposal.eligible": 6.0, "proposal.closed_height": closeHeight, "proposal.result": "2 yes, 1 no, 0 abstain of 6 eligible",
			"proposal.params": nil, "proposal.validator": nil,
			"votes.#": 3.0, "votes.0.voter.handle": handle(0), "votes.0.option": "yes", "votes.0.height": 7.0,
			"votes.1.voter.handle": handle(1), "votes.2.voter.handle": handle(2), "votes.2.option": "no", "votes.2.height": 9.0}},
		{"/api/v1/proposals/2", 200, want{"proposal.status": "rejected", "proposal.tally.abstain": 1.0, "proposal.eligible": 6.0,
			"proposal.result": "no quorum: 1 of 6 eligible members voted; 334‰ must", "votes.#": 1.0, "votes.0.option": "abstain"}},
		{"/api/v1/proposals/3", 200, want{"proposal.kind": "params", "proposal.status": "passed", "proposal.threshold": "majority",
			"proposal.params.module": "claims", "proposal.params.params.min_approvals": 3.0, "proposal.params.params.categories.0": "care",
			"proposal.params.decode_error": nil, "proposal.validator": nil, "proposal.tally.yes": 3.0, "proposal.tally.no": 1.0, "votes.#": 4.0,
			"proposal.params.params.attestation_window_seconds": float64(claims.DefaultParams().AttestationWindow)}},
		{"/api/v1/proposals/4", 200, want{"proposal.kind": "validator", "proposal.status": "passed", "proposal.threshold": "two_thirds",
			"proposal.validator.pub_key": v4, "proposal.validator.address": v4Addr, "proposal.validator.power": 10.0,
			"proposal.validator.moniker": "fifth", "proposal.params": nil, "proposal.tally.yes": 6.0, "votes.#": 6.0}},
		{"/api/v1/proposals/5", 200, want{"proposal.status": "failed", "proposal.validator.moniker": "fifth, again",
			"proposal.result": "passed (6 yes, 0 no, 0 abstain of 6 eligible), but executing it failed: invalid validator change: " + v4 + " already has power 10"}},
		{"/api/v1/proposals/6", 200, want{"proposal.kind": "params", "proposal.status": "voting", "proposal.threshold": "two_thirds",
			"proposal.params.module": "gov", "proposal.params.params.voting_period_seconds": 120.0, "proposal.params.params.quorum_permille": 334.0,
			"proposal.eligible": 0.0, "proposal.closed_at": nil, "proposal.closed_height": 0.0, "proposal.result": "",
			"proposal.tally.yes": 1.0, "proposal.tally.no": 1.0, "proposal.tally.abstain": 1.0,
			"votes.#": 3.0, "votes.0.voter.handle": handle(0), "votes.1.option": "no", "votes.2.voter.handle": handle(2), "votes.2.option": "abstain"}},
		{"/api/v1/proposals/7", 200, want{"proposal.status": "voting", "proposal.tally.yes": 0.0, "votes.#": 0.0}},

		{"/api/v1/validators", 200, want{"total_power": 50.0, "validators.#": 5.0, "history.#": 5.0,
			"history.0.pub_key": v4, "history.0.address": v4Addr, "history.0.moniker": "fifth", "history.0.power": 10.0,
			"history.0.previous_power": 0.0, "history.0.proposal_id": 4.0, "history.0.height": closeHeight,
			"history.4.height": 0.0, "history.4.proposal_id": 0.0, "history.4.power": 10.0, "history.4.time": apptest.GenesisTime.Format(time.RFC3339)}},

		{"/api/v1/params", 200, want{"gov.voting_period_seconds": 60.0, "gov.quorum_permille": 334.0, "gov.max_open_proposals": 2.0,
			"gov.max_summary_bytes": 2048.0, "claims.min_approvals": 3.0}},

		{"/api/v1/proposals/99", 404, want{"code": 404.0, "message": "no proposal 99"}},
		{"/api/v1/proposals/0", 404, want{"message": "no proposal 0"}},
		{"/api/v1/proposals/x", 400, want{"code": 400.0, "message": `proposal id "x" is not a number; ids are whole numbers from 1`}},
		{"/api/v1/proposals/-1", 400, want{"message": `proposal id "-1" is not a number; ids are whole numbers from 1`}},
		{"/api/v1/proposals?status=open", 400, want{"message": `status "open" is not one of voting, passed, rejected, failed`}},
		{"/api/v1/proposals?status=VOTING", 400, want{"message": `status "VOTING" is not one of voting, passed, rejected, failed`}},
		{"/api/v1/proposals?limit=0", 400, want{"message": "limit 0 is out of range; use 1 to 100"}},
		{"/api/v1/proposals?voter=x", 400, want{"message": `unknown parameter "voter"; this endpoint takes status, limit, offset, height`}},
		{"/api/v1/validators?limit=5", 400, want{"message": `unknown parameter "limit"; this endpoint takes height`}},
	}
	for _, tc := range tests {
		code, body := l.getJSON(t, tc.path)
		if code != tc.code {
			t.Errorf("GET %s: %d, want %d: %v", tc.path, code, tc.code, body)
			continue
		}
		for path, w := range tc.want {
			if got := at(body, path); !reflect.DeepEqual(got, w) {
				t.Errorf("GET %s: %s = %#v, want %#v", tc.path, path, got, w)
			}
		}
	}

	// The validator set lists v4 with the proposal that added it, and every key with its CometBFT
	// address.
	var vals struct {
		Validators []struct {
			PubKey      string `json:"pub_key"`
			Address     string `json:"address"`
			Power       int64  `json:"power"`
			Moniker     string `json:"moniker"`
			SinceHeight uint64 `json:"since_height"`
			ProposalID  uint64 `json:"proposal_id"`
		} `json:"validators"`
	}
	(&ledger{srv: l.srv}).get(t, "/api/v1/validators", &vals)
	found := false
	for _, v := range vals.Validators {
		pk, err := base64.StdEncoding.DecodeString(v.PubKey)
		if err != nil || v.Address != ed25519.PubKey(pk).Address().String() || v.Power != 10 {
			t.Errorf("validator %+v: address or power wrong", v)
		}
		if v.PubKey == v4 {
			found = true
			if v.Moniker != "fifth" || v.ProposalID != 4 || v.SinceHeight != uint64(closeHeight) {
				t.Errorf("v4 %+v: want moniker fifth, proposal 4, since height %v", v, closeHeight)
			}
		} else if v.Moniker != "" || v.ProposalID != 0 || v.SinceHeight != 0 {
			t.Errorf("genesis validator %+v: want no moniker, proposal 0, since height 0", v)
		}
	}
	if !found {
		t.Errorf("v4 is not in the set: %+v", vals.Validators)
	}
}

// TestParamsViewsShowEveryField: /params has every field of every module's Params message (under
// its proto name, durations with _seconds), so that neither it nor a params proposal's page hides
// a parameter a module adds.
func TestParamsViewsShowEveryField(t *testing.T) {
	l := newLedger(t, 2, 1, 1, api.Options{})
	var out map[string]map[string]json.RawMessage
	if code := l.get(t, "/api/v1/params", &out); code != 200 {
		t.Fatalf("status %d", code)
	}
	for module, typ := range map[string]reflect.Type{"bank": reflect.TypeOf(bank.Params{}), "members": reflect.TypeOf(members.Params{}),
		"claims": reflect.TypeOf(claims.Params{}), "disputes": reflect.TypeOf(disputes.Params{}), "gov": reflect.TypeOf(gov.Params{}),
		"projects": reflect.TypeOf(projects.Params{})} {
		if !strings.Contains(strings.Join(gov.ParamModules, ","), module) {
			t.Errorf("%s is not a gov param module", module)
		}
		for i := range typ.NumField() {
			tag := typ.Field(i).Tag.Get("protobuf")
			if tag == "" {
				continue
			}
			name := ""
			for _, part := range strings.Split(tag, ",") {
				if n, ok := strings.CutPrefix(part, "name="); ok {
					name = n
				}
			}
			if _, ok := out[module][name]; ok {
				continue
			}
			if _, ok := out[module][name+"_seconds"]; !ok {
				t.Errorf("/params.%s lacks %s (or %s_seconds)", module, name, name)
			}
		}
	}
	if len(out) != len(gov.ParamModules) {
		t.Errorf("/params has %d modules, want %d (%v)", len(out), len(gov.ParamModules), gov.ParamModules)
	}
}

// Member and upgrade proposals show whom they expel or reinstate and which release they schedule,
// on the proposal and on the tx that made it.
func TestMemberAndUpgradeProposalViews(t *testing.T) {
	f := []apptest.Key{apptest.NewKey("member0"), apptest.NewKey("member1"), apptest.NewKey("member2")}
	c := apptest.NewChain(t, "", apptest.ContribGenesis(10_000_000, f...))
	c.Block()
	expel := apptest.ProposeMember(f[2], true, "expel member2")
	upgrade := apptest.ProposeUpgrade("v5", 1000, "https://example.org/v5", "release 5")
	apptest.MustExec(t, c, f[0], expel)
	apptest.MustExec(t, c, f[1], upgrade)
	srv := httptest.NewServer(api.New(c.App, api.Options{}))
	t.Cleanup(srv.Close)
	l := &govLedger{srv: srv}
	for path, want := range map[string]map[string]any{
		"/api/v1/proposals/1": {"proposal.kind": "expel", "proposal.member.action": "expel", "proposal.member.member.handle": apptest.Handle(f[2]),
			"proposal.upgrade": nil, "proposal.params": nil},
		"/api/v1/proposals/2": {"proposal.kind": "upgrade", "proposal.upgrade.name": "v5", "proposal.upgrade.height": 1000.0,
			"proposal.upgrade.info": "https://example.org/v5", "proposal.member": nil, "proposal.threshold": "two_thirds"},
	} {
		code, body := l.getJSON(t, path)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		for k, v := range want {
			if got := at(body, k); got != v {
				t.Errorf("%s: %s = %v, want %v", path, k, got, v)
			}
		}
	}
}
