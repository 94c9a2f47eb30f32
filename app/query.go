package app

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/cosmos/gogoproto/proto"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
)

// Query errors.
var (
	ErrUnknownQuery = core.Register("query", 901, "unknown query path")
	ErrBadQuery     = core.Register("query", 902, "invalid query")
	ErrNotFound     = core.Register("query", 903, "not found")
	ErrHeight       = core.Register("query", 904, "height not available")
)

// queryEnv is one query's view: state at a height and that height's block time.
type queryEnv struct {
	r      core.Reader
	height int64
	time   int64
}

type marshaler interface{ Marshal() ([]byte, error) }

// queryRoute answers one path /<module>/<resource>, or /<module>/<resource>/<arg> when withArg.
// data is the query's request bytes (empty for most paths).
type queryRoute struct {
	withArg bool
	answer  func(a *App, env queryEnv, arg string, data []byte) (marshaler, error)
}

// queryRoutes is every query path, keyed by "<module>/<resource>":
//
//	/bank/account/<address>    → bank.QueryAccountResponse
//	/bank/history/<address>    data: bank.QueryHistoryRequest (optional) → bank.QueryHistoryResponse (newest first)
//	/bank/supply               → bank.Supply
//	/bank/params               → bank.Params
//	/members/member/<address>  → members.QueryMemberResponse
//	/members/members           data: members.QueryMembersRequest (optional) → members.QueryMembersResponse
//	/claims/claim/<id>         → claims.ClaimWithAttestations
//	/claims/claims             data: claims.QueryClaimsRequest (optional) → claims.QueryClaimsResponse
//	/claims/stats              → claims.QueryClaimStatsResponse
//	/disputes/dispute/<id>     → disputes.DisputeWithVotes
//	/disputes/disputes         data: disputes.QueryDisputesRequest (optional) → disputes.QueryDisputesResponse
//	/gov/proposal/<id>         → gov.ProposalWithVotes (the tally so far, and every vote)
//	/gov/proposals             data: gov.QueryProposalsRequest (optional) → gov.QueryProposalsResponse (newest first)
//	/gov/validators            → gov.QueryValidatorsResponse (the set, its total power, recent changes)
//	/gov/upgrade               → gov.QueryUpgradeResponse (the scheduled upgrade, the applied ones)
//	/projects/project/<handle> → projects.ProjectView (balance at the block time, contributors of all time)
//	/projects/projects         data: projects.QueryProjectsRequest (optional) → projects.QueryProjectsResponse (by id)
//	/projects/distributions/<handle> data: projects.QueryDistributionsRequest (optional) → projects.QueryDistributionsResponse (newest period first)
//	/projects/shares/<handle>  data: projects.QuerySharesRequest → projects.QuerySharesResponse
//	/app/supply                → QuerySupplyResponse
//	/app/params                → QueryParamsResponse
//	/app/record/<address>      → QueryRecordResponse
//	/app/simulate              data: a signed tx → SimulateResponse (run on the check state, discarded)
//	/app/pending-account/<address> → bank.QueryAccountResponse: the committed account, its sequence
//	                           moved past the signer's txs in this node's mempool (what a client signs its next tx with)
//	/api/v1/…                  → the JSON API's answer, byte for byte (SetJSONQuery)
var queryRoutes = map[string]queryRoute{
	"bank/account": {withArg: true, answer: (*App).queryAccount},
	"bank/history": {withArg: true, answer: (*App).queryHistory},
	"bank/supply": {answer: func(a *App, env queryEnv, _ string, _ []byte) (marshaler, error) {
		s := a.keepers.Bank.Supply(env.r)
		return &s, nil
	}},
	"bank/params": {answer: func(a *App, env queryEnv, _ string, _ []byte) (marshaler, error) {
		p := a.keepers.Bank.Params(env.r)
		return &p, nil
	}},
	"members/member":  {withArg: true, answer: (*App).queryMember},
	"members/members": {answer: (*App).queryMembers},
	"claims/claim":    {withArg: true, answer: (*App).queryClaim},
	"claims/claims":   {answer: (*App).queryClaims},
	"claims/stats": {answer: func(a *App, env queryEnv, _ string, _ []byte) (marshaler, error) {
		return a.keepers.Claims.QueryStats(env.r), nil
	}},
	"disputes/dispute":  {withArg: true, answer: (*App).queryDispute},
	"disputes/disputes": {answer: (*App).queryDisputes},
	"gov/proposal":      {withArg: true, answer: (*App).queryProposal},
	"gov/proposals":     {answer: (*App).queryProposals},
	"gov/upgrade": {answer: func(a *App, env queryEnv, _ string, _ []byte) (marshaler, error) {
		return a.keepers.Gov.QueryUpgrade(env.r), nil
	}},
	"gov/validators": {answer: func(a *App, env queryEnv, _ string, _ []byte) (marshaler, error) {
		return a.keepers.Gov.QueryValidators(env.r), nil
	}},
	"projects/project":       {withArg: true, answer: (*App).queryProject},
	"projects/projects":      {answer: (*App).queryProjects},
	"projects/distributions": {withArg: true, answer: (*App).queryDistributions},
	"projects/shares":        {withArg: true, answer: (*App).queryShares},
	"app/supply": {answer: func(a *App, env queryEnv, _ string, _ []byte) (marshaler, error) {
		return a.Supply(env.r, env.time), nil
	}},
	"app/params": {answer: func(a *App, env queryEnv, _ string, _ []byte) (marshaler, error) {
		return a.Params(env.r), nil
	}},
	"app/record": {withArg: true, answer: (*App).queryRecord},
	"app/pending-account": {withArg: true, answer: func(a *App, _ queryEnv, arg string, _ []byte) (marshaler, error) {
		addr, err := core.ParseAddress(arg)
		if err != nil {
			return nil, err
		}
		return a.PendingAccount(addr), nil
	}},
	"app/simulate": {answer: func(a *App, _ queryEnv, _ string, data []byte) (marshaler, error) {
		r := a.Simulate(data)
		codespace, code, log := core.ABCIInfo(r.Err)
		out := &SimulateResponse{Code: code, Codespace: codespace, Log: log}
		for _, e := range r.Events {
			se := &SimulatedEvent{Type: e.Type}
			for _, at := range e.Attributes {
				se.Keys, se.Values = append(se.Keys, at.Key), append(se.Values, at.Value)
			}
			out.Events = append(out.Events, se)
		}
		return out, nil
	}},
}

// Query answers ABCI queries at the paths of queryRoutes with protobuf-encoded values, at the given
// height (0 = latest committed). It reads committed state only and is safe to call concurrently
// with block execution.
func (a *App) Query(path string, data []byte, height int64) ([]byte, int64, error) {
	if f := a.jsonQuery.Load(); f != nil && strings.HasPrefix(path, JSONQueryPrefix) {
		return (*f)(path, height)
	}
	env, done, err := a.openQuery(height)
	if err != nil {
		return nil, 0, err
	}
	defer done()
	route, arg, ok := lookupQuery(path)
	if !ok {
		return nil, env.height, ErrUnknownQuery.Wrapf("%q; see docs/protocol.md for the query paths", path)
	}
	out, err := route.answer(a, env, arg, data)
	if err != nil {
		return nil, env.height, err
	}
	bz, err := out.Marshal()
	return bz, env.height, err
}

// JSONQueryPrefix is where ABCI queries reach the JSON API (app/api mounts it at the same path).
const JSONQueryPrefix = "/api/v1/"

// JSONQuerier answers an ABCI query for a JSON API path (with its query string) at height (0: the
// latest) with the API's JSON and the height it answered at, or a query error (ErrNotFound,
// ErrBadQuery, ErrHeight) carrying the API's message.
type JSONQuerier func(pathAndQuery string, height int64) ([]byte, int64, error)

// SetJSONQuery makes f answer the ABCI queries under JSONQueryPrefix, so that a client's JSON output
// (`commonsd query … -o json`) is the API's JSON, from the one encoder. The node wires app/api's
// Server.Query here once CometBFT has started (the API reads node status through it).
func (a *App) SetJSONQuery(f JSONQuerier) { a.jsonQuery.Store(&f) }

// lookupQuery finds path's route in queryRoutes, and its argument when the route takes one.
func lookupQuery(path string) (route queryRoute, arg string, ok bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 || len(parts) > 3 {
		return queryRoute{}, "", false
	}
	route, ok = queryRoutes[parts[0]+"/"+parts[1]]
	if !ok || route.withArg != (len(parts) == 3) {
		return queryRoute{}, "", false
	}
	if route.withArg {
		arg = parts[2]
	}
	return route, arg, true
}

// MaxQueryOffset bounds how deep a listing's page may start over ABCI: a listing walks its index up
// to offset + limit entries while the query holds CometBFT's shared ABCI lock.
const MaxQueryOffset = 10_000

// decodeList decodes a listing's request data (empty: the defaults) and refuses an offset above
// MaxQueryOffset.
func decodeList(data []byte, req interface {
	Unmarshal([]byte) error
	GetOffset() uint64
}, name string) error {
	if err := req.Unmarshal(data); err != nil {
		return ErrBadQuery.Wrapf("data is not a %s: %v", name, err)
	}
	if req.GetOffset() > MaxQueryOffset {
		return ErrBadQuery.Wrapf("offset %d is beyond %d; use filters (time, status) to reach older items", req.GetOffset(), MaxQueryOffset)
	}
	return nil
}

func (a *App) openQuery(height int64) (queryEnv, func(), error) {
	if height == 0 {
		height = a.db.Committed().Height
	}
	if height == 0 {
		return queryEnv{}, nil, ErrHeight.Wrapf("no block is committed yet; retry once the chain has produced its first block")
	}
	meta, err := a.db.MetaAt(height)
	if err != nil {
		if errors.Is(err, store.ErrHeightUnavailable) {
			return queryEnv{}, nil, ErrHeight.Wrapf("%v", err)
		}
		return queryEnv{}, nil, err
	}
	v, err := a.db.ReadAt(height)
	if err != nil {
		return queryEnv{}, nil, ErrHeight.Wrapf("%v", err)
	}
	return queryEnv{r: v, height: height, time: meta.Time}, v.Discard, nil
}

func (a *App) queryAccount(env queryEnv, addrStr string, _ []byte) (marshaler, error) {
	addr, err := core.ParseAddress(addrStr)
	if err != nil {
		return nil, err
	}
	acc, ok := a.keepers.Bank.AccountAt(env.r, addr, env.time)
	if !ok {
		return &bank.QueryAccountResponse{Account: &bank.Account{Address: addr.String()}}, nil
	}
	return &bank.QueryAccountResponse{Account: &acc, Exists: true}, nil
}

func (a *App) queryHistory(env queryEnv, addrStr string, data []byte) (marshaler, error) {
	addr, err := core.ParseAddress(addrStr)
	if err != nil {
		return nil, err
	}
	var req bank.QueryHistoryRequest
	if err := decodeList(data, &req, "QueryHistoryRequest"); err != nil {
		return nil, err
	}
	entries, total := a.keepers.Bank.History(env.r, addr, req.Offset, req.Limit)
	return &bank.QueryHistoryResponse{Entries: entries, Total: total}, nil
}

// queryRecord gathers addr's public record from the modules that keep its parts: status, strikes
// and suspension (members), claims and verdicts (claims), disputes and jury service (disputes),
// and debt (bank).
func (a *App) queryRecord(env queryEnv, addrStr string, _ []byte) (marshaler, error) {
	addr, err := core.ParseAddress(addrStr)
	if err != nil {
		return nil, err
	}
	return a.Record(env.r, addr, env.time), nil
}

// Record gathers addr's public record (design §8, accountability) as of block time now, from the
// modules that keep its parts: status, strikes and suspension (members), claims and verdicts
// (claims), disputes and jury service (disputes), and debt (bank). Exists is false when addr is no
// member or candidate.
func (a *App) Record(r core.Reader, addr core.Address, now int64) *QueryRecordResponse {
	k := a.keepers
	m, ok := k.Members.Member(r, addr)
	cr, dr := k.Claims.Record(r, addr), k.Disputes.Record(r, addr)
	acc, _ := k.Bank.Account(r, addr)
	return &QueryRecordResponse{Address: addr.String(), Member: &m, Exists: ok,
		ActiveStrikes: k.Members.ActiveStrikes(r, addr, now), Strikes: k.Members.Strikes(r, addr),
		Claims: &cr, Disputes: &dr, Debt: acc.Debt}
}

func (a *App) queryMember(env queryEnv, addrStr string, _ []byte) (marshaler, error) {
	addr, err := core.ParseAddress(addrStr)
	if err != nil {
		return nil, err
	}
	return a.keepers.Members.QueryMember(env.r, addr), nil
}

func (a *App) queryMembers(env queryEnv, _ string, data []byte) (marshaler, error) {
	var req members.QueryMembersRequest
	if err := decodeList(data, &req, "QueryMembersRequest"); err != nil {
		return nil, err
	}
	return a.keepers.Members.QueryMembers(env.r, &req), nil
}

func (a *App) queryClaim(env queryEnv, idStr string, _ []byte) (marshaler, error) {
	id, err := strconv.ParseUint(idStr, 10, 64)
	if err != nil {
		return nil, ErrBadQuery.Wrapf("claim id %q is not a number", idStr)
	}
	c, ok := a.keepers.Claims.QueryClaim(env.r, id)
	if !ok {
		return nil, ErrNotFound.Wrapf("no claim %d", id)
	}
	return c, nil
}

func (a *App) queryClaims(env queryEnv, _ string, data []byte) (marshaler, error) {
	var req claims.QueryClaimsRequest
	if err := decodeList(data, &req, "QueryClaimsRequest"); err != nil {
		return nil, err
	}
	resp, err := a.keepers.Claims.QueryClaims(env.r, &req)
	if err != nil {
		return nil, ErrBadQuery.Wrapf("%v", err)
	}
	return resp, nil
}

func (a *App) queryDispute(env queryEnv, idStr string, _ []byte) (marshaler, error) {
	id, err := strconv.ParseUint(idStr, 10, 64)
	if err != nil {
		return nil, ErrBadQuery.Wrapf("dispute id %q is not a number", idStr)
	}
	d, ok := a.keepers.Disputes.QueryDispute(env.r, id)
	if !ok {
		return nil, ErrNotFound.Wrapf("no dispute %d", id)
	}
	return d, nil
}

func (a *App) queryDisputes(env queryEnv, _ string, data []byte) (marshaler, error) {
	var req disputes.QueryDisputesRequest
	if err := decodeList(data, &req, "QueryDisputesRequest"); err != nil {
		return nil, err
	}
	resp, err := a.keepers.Disputes.QueryDisputes(env.r, &req)
	if err != nil {
		return nil, ErrBadQuery.Wrapf("%v", err)
	}
	return resp, nil
}

func (a *App) queryProposal(env queryEnv, idStr string, _ []byte) (marshaler, error) {
	id, err := strconv.ParseUint(idStr, 10, 64)
	if err != nil {
		return nil, ErrBadQuery.Wrapf("proposal id %q is not a number", idStr)
	}
	p, ok := a.keepers.Gov.QueryProposal(env.r, id)
	if !ok {
		return nil, ErrNotFound.Wrapf("no proposal %d", id)
	}
	return p, nil
}

func (a *App) queryProposals(env queryEnv, _ string, data []byte) (marshaler, error) {
	var req gov.QueryProposalsRequest
	if err := decodeList(data, &req, "QueryProposalsRequest"); err != nil {
		return nil, err
	}
	return a.keepers.Gov.QueryProposals(env.r, &req), nil
}

// Supply gathers the supply statistics of design §2 from the bank, members and claims totals, as of
// block time now: circulating has the demurrage pending at now applied (bank.Keeper.Circulating).
func (a *App) Supply(r core.Reader, now int64) *QuerySupplyResponse {
	s := a.keepers.Bank.Supply(r)
	st := a.keepers.Claims.QueryStats(r)
	mc := a.keepers.Members.Counts(r)
	circulating, rounding := a.keepers.Bank.Circulating(r, now)
	stored := s.Genesis + s.Minted - s.Burned - s.Decayed
	return &QuerySupplyResponse{
		Genesis: s.Genesis, Minted: s.Minted, Decayed: s.Decayed,
		Circulating: circulating, PendingDecay: stored - circulating, CirculatingRounding: rounding,
		Categories: st.Categories, Members: mc.Active, Candidates: mc.Candidates,
		ClaimsPending: st.Pending, ClaimsVerified: st.Verified, ClaimsRejected: st.Rejected,
		Burned: s.Burned, Reversed: s.Reversed, OutstandingDebt: s.OutstandingDebt,
		ClaimsReversed: st.Reversed, Suspended: mc.Suspended, Probation: mc.Probation,
	}
}

// Params gathers every module's parameters.
func (a *App) Params(r core.Reader) *QueryParamsResponse {
	bp, mp, cp, dp := a.keepers.Bank.Params(r), a.keepers.Members.Params(r), a.keepers.Claims.Params(r), a.keepers.Disputes.Params(r)
	gp, pp := a.keepers.Gov.Params(r), a.keepers.Projects.Params(r)
	return &QueryParamsResponse{Bank: &bp, Members: &mp, Claims: &cp, Disputes: &dp, Gov: &gp, Projects: &pp}
}

// ParamsOf points at module's params in r (allocated when absent), or is nil when governance
// cannot change that module's params (it is not in gov.ParamModules). The response's fields are
// named after the modules.
func (r *QueryParamsResponse) ParamsOf(module string) proto.Message {
	if module == "" || !slices.Contains(gov.ParamModules, module) {
		return nil
	}
	f := reflect.ValueOf(r).Elem().FieldByName(strings.ToUpper(module[:1]) + module[1:])
	if !f.IsValid() {
		return nil
	}
	if f.IsNil() {
		f.Set(reflect.New(f.Type().Elem()))
	}
	return f.Interface().(proto.Message)
}

// DecodeParams decodes a params proposal's bytes as module's Params, as the module's
// gov.ParamSpace does (without validating them), for the CLI and the API to show.
func DecodeParams(module string, bz []byte) (proto.Message, error) {
	p := (&QueryParamsResponse{}).ParamsOf(module)
	if p == nil {
		return nil, fmt.Errorf("no module %q has params; governance changes those of %s", module, strings.Join(gov.ParamModules, ", "))
	}
	if err := proto.Unmarshal(bz, p); err != nil {
		return nil, fmt.Errorf("%d bytes that do not decode as %s params: %v", len(bz), module, err)
	}
	return p, nil
}
