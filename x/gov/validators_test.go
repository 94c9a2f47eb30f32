package gov_test

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/gov"
)

func valKey(name string) []byte {
	h := sha256.Sum256([]byte("validator/" + name))
	return h[:]
}

// valChain is govChain with four genesis validators of power 10.
func valChain(t *testing.T) *apptest.Chain {
	t.Helper()
	g := apptest.ContribGenesis(10_000_000, alice, bob, carol, dave)
	g.Gov.Params.VotingPeriod = int64(votingPeriod.Seconds())
	var vals []core.ValidatorUpdate
	for _, n := range []string{"v0", "v1", "v2", "v3"} {
		vals = append(vals, core.ValidatorUpdate{PubKey: valKey(n), Power: 10})
	}
	c := apptest.NewChain(t, "", g, vals...)
	c.Block()
	t.Cleanup(func() {
		if err := c.Invariants(); err != nil {
			t.Errorf("after test: %v", err)
		}
	})
	return c
}

func validators(t *testing.T, c *apptest.Chain) *gov.QueryValidatorsResponse {
	t.Helper()
	var v gov.QueryValidatorsResponse
	if err := c.Query("/gov/validators", nil, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

func passAll(t *testing.T, c *apptest.Chain, ids ...uint64) *core.BlockResult {
	t.Helper()
	for _, id := range ids {
		for _, k := range []apptest.Key{alice, bob, carol, dave} {
			mustExec(t, c, k, apptest.Vote(id, yes))
		}
	}
	c.BlockInterval = votingPeriod
	defer func() { c.BlockInterval = time.Second }()
	return c.Block()
}

// A validator proposal adds a fifth validator: the genesis set is CometBFT's, the proposal needs
// two thirds, and the block that executes it returns the update to CometBFT; the set and its
// history say so. Removing one of them likewise returns power 0.
func TestValidatorProposalAddsAndRemoves(t *testing.T) {
	c := valChain(t)
	if v := validators(t, c); len(v.Validators) != 4 || v.TotalPower != 40 || len(v.History) != 4 {
		t.Fatalf("genesis set: %+v", v)
	}
	v4 := valKey("v4")
	id := proposalID(t, mustExec(t, c, alice, apptest.ProposeValidator(v4, 10, "fifth", "validator")))
	mustExec(t, c, alice, apptest.Vote(id, yes))
	mustExec(t, c, bob, apptest.Vote(id, yes))
	mustExec(t, c, carol, apptest.Vote(id, no)) // 2 of 3: not more than two thirds
	id2 := proposalID(t, mustExec(t, c, bob, apptest.ProposeValidator(v4, 10, "fifth, again", "validator")))
	res := passAll(t, c, id2)
	if p := proposal(t, c, id).Proposal; p.Status != gov.ProposalStatus_PROPOSAL_STATUS_REJECTED {
		t.Fatalf("2 yes, 1 no: %v %s", p.Status, p.Result)
	}
	if p := proposal(t, c, id2).Proposal; p.Status != gov.ProposalStatus_PROPOSAL_STATUS_PASSED {
		t.Fatalf("4 yes: %v %s", p.Status, p.Result)
	}
	if len(res.ValidatorUpdates) != 1 || !bytes.Equal(res.ValidatorUpdates[0].PubKey, v4) || res.ValidatorUpdates[0].Power != 10 {
		t.Fatalf("validator updates of the closing block: %+v", res.ValidatorUpdates)
	}
	v := validators(t, c)
	if len(v.Validators) != 5 || v.TotalPower != 50 || v.History[0].Moniker != "fifth, again" || v.History[0].ProposalId != id2 || v.History[0].PreviousPower != 0 {
		t.Fatalf("after adding: %+v", v)
	}
	if r := c.Block(); len(r.ValidatorUpdates) != 0 {
		t.Fatalf("a later block repeats the update: %+v", r.ValidatorUpdates)
	}
	id3 := proposalID(t, mustExec(t, c, carol, apptest.ProposeValidator(valKey("v0"), 0, "v0 leaves", "validator")))
	res = passAll(t, c, id3)
	if len(res.ValidatorUpdates) != 1 || res.ValidatorUpdates[0].Power != 0 || validators(t, c).TotalPower != 40 {
		t.Fatalf("removal: %+v, total %d", res.ValidatorUpdates, validators(t, c).TotalPower)
	}
}

// Unsafe or invalid changes are refused when proposed (gov/610, gov/611), and a change that was
// safe when proposed but is not when its vote closes (the set changed meanwhile) fails, recorded,
// without touching the set: two removals of 10 of 40 each pass the vote in the same block; the
// first leaves 30, and the second would move a third of that.
func TestValidatorChangeRejections(t *testing.T) {
	c := valChain(t)
	for _, tc := range []struct {
		msg  *auth.Msg
		want *core.Error
		frag string
	}{
		{apptest.ProposeValidator(valKey("v0")[:31], 10, "short", "validator"), gov.ErrInvalidValidator, "31 bytes"},
		{apptest.ProposeValidator(valKey("v9"), -1, "neg", "validator"), gov.ErrInvalidValidator, "power -1"},
		{apptest.ProposeValidator(valKey("v9"), gov.MaxValidatorPower+1, "big", "validator"), gov.ErrInvalidValidator, "power 1000001"},
		{apptest.ProposeValidator(valKey("v9"), 0, "unknown", "validator"), gov.ErrInvalidValidator, "nothing to remove"},
		{apptest.ProposeValidator(valKey("v0"), 10, "same", "validator"), gov.ErrInvalidValidator, "already has power 10"},
		{apptest.ProposeValidator(valKey("v9"), 14, "a third", "validator"), gov.ErrUnsafeValidatorChange, "moves 14 of the 40"},
		{apptest.ProposeValidator(valKey("v0"), 24, "a third up", "validator"), gov.ErrUnsafeValidatorChange, "moves 14 of the 40"},
		{apptest.ProposeValidator(valKey("v9"), 1, string(make([]byte, gov.MaxMonikerBytes+1)), "validator"), gov.ErrInvalidValidator, "moniker of 65 bytes"},
	} {
		wantErr(t, exec(t, c, alice, tc.msg).Err, tc.want, tc.frag)
	}
	one, two := proposalID(t, mustExec(t, c, alice, apptest.ProposeValidator(valKey("v0"), 0, "v0 leaves", "validator"))),
		proposalID(t, mustExec(t, c, bob, apptest.ProposeValidator(valKey("v1"), 0, "v1 leaves", "validator")))
	res := passAll(t, c, one, two)
	if p := proposal(t, c, one).Proposal; p.Status != gov.ProposalStatus_PROPOSAL_STATUS_PASSED {
		t.Fatalf("first removal: %v %s", p.Status, p.Result)
	}
	p := proposal(t, c, two).Proposal
	if p.Status != gov.ProposalStatus_PROPOSAL_STATUS_FAILED || !bytes.Contains([]byte(p.Result), []byte("moves 10 of the 30")) {
		t.Fatalf("second removal: %v %q", p.Status, p.Result)
	}
	if len(res.ValidatorUpdates) != 1 || validators(t, c).TotalPower != 30 {
		t.Fatalf("updates %+v, total %d", res.ValidatorUpdates, validators(t, c).TotalPower)
	}
}

// The genesis validators must be ed25519 keys with positive powers, each once.
func TestGenesisValidators(t *testing.T) {
	g := apptest.ContribGenesis(1, alice, bob)
	state, err := app.MarshalGenesis(g)
	if err != nil {
		t.Fatal(err)
	}
	for _, vals := range [][]core.ValidatorUpdate{
		{{PubKey: valKey("a")[:20], Power: 1}},
		{{PubKey: valKey("a"), Power: 0}},
		{{PubKey: valKey("a"), Power: 1}, {PubKey: valKey("a"), Power: 2}},
	} {
		db, err := store.Open("", store.Options{InMemory: true, KeepRecent: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		a := app.New(db, app.DefaultOptions())
		if _, err := a.InitChain(apptest.ChainID, 1, apptest.GenesisTime, state, vals); err == nil {
			t.Fatalf("genesis validators %+v accepted", vals)
		}
	}
}
