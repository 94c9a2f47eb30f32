package apptest

import (
	"strings"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/members"
)

// Vouch is a vouch for candidate; handle may be empty after the first vouch.
func Vouch(candidate Key, handle string) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_Vouch{Vouch: &members.MsgVouch{Candidate: candidate.Addr.String(), Handle: handle}}}
}

// SubmitClaim is a claim of [start, end) in category.
func SubmitClaim(start, end time.Time, category, summary string) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_SubmitClaim{SubmitClaim: &claims.MsgSubmitClaim{
		Start: start.Unix(), End: end.Unix(), Category: category, Summary: summary}}}
}

// Approve and Reject are attestations of claim id.
func Approve(id uint64) *auth.Msg { return attest(id, claims.Verdict_VERDICT_APPROVE) }

func Reject(id uint64) *auth.Msg { return attest(id, claims.Verdict_VERDICT_REJECT) }

func attest(id uint64, v claims.Verdict) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_Attest{Attest: &claims.MsgAttest{ClaimId: id, Verdict: v}}}
}

// Handle is the handle ContribGenesis gives a key: its name, lower-cased.
func Handle(k Key) string { return strings.ToLower(k.Name) }

// ContribGenesis funds each founder with balance micro-hours and lists it as a founding member with
// handle Handle(k), on default params.
func ContribGenesis(balance uint64, founders ...Key) *app.GenesisState {
	g := Genesis(balance, founders...)
	for _, k := range founders {
		g.Members.Members = append(g.Members.Members, &members.Member{Address: k.Addr.String(), Handle: Handle(k)})
	}
	return g
}

// Tx signs msgs by k with its next committed sequence.
func (c *Chain) Tx(k Key, msgs ...*auth.Msg) []byte {
	c.TB.Helper()
	return k.Sign(c.TB, ChainID, c.Seq(k.Addr), msgs...)
}

// Query runs an ABCI query on committed state and decodes the answer into out.
func (c *Chain) Query(path string, req interface{ Marshal() ([]byte, error) }, out interface{ Unmarshal([]byte) error }) error {
	c.TB.Helper()
	var data []byte
	if req != nil {
		var err error
		if data, err = req.Marshal(); err != nil {
			c.TB.Fatal(err)
		}
	}
	bz, _, err := c.App.Query(path, data, 0)
	if err != nil {
		return err
	}
	if r, ok := out.(interface{ Reset() }); ok {
		r.Reset() // protobuf Unmarshal merges into what is there, and zero fields are not on the wire
	}
	return out.Unmarshal(bz)
}

// Invariants checks the app invariants on the latest committed state.
func (c *Chain) Invariants() error {
	v := c.DB.ReadLatest()
	defer v.Discard()
	return c.App.CheckInvariants(v)
}
