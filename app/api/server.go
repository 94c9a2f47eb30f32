package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/store"
)

// Prefix is where the JSON API is mounted.
const Prefix = "/api/v1"

// HeightHeader names the response header that gives the block height an answer was read at.
const HeightHeader = "X-Commons-Height"

// Comet is the part of CometBFT the API uses: node status, the tx index and the block store (headers,
// blocks and their results). CometBFT's in-process client (rpc/client/local) satisfies it; the API
// never opens CometBFT's stores itself.
type Comet interface {
	Status(ctx context.Context) (*ctypes.ResultStatus, error)
	Tx(ctx context.Context, hash []byte, prove bool) (*ctypes.ResultTx, error)
	BlockchainInfo(ctx context.Context, minHeight, maxHeight int64) (*ctypes.ResultBlockchainInfo, error)
	Block(ctx context.Context, height *int64) (*ctypes.ResultBlock, error)
	BlockResults(ctx context.Context, height *int64) (*ctypes.ResultBlockResults, error)
}

// Options configure a Server.
type Options struct {
	// Comet answers status, tx and block lookups; nil serves status from the store alone and answers
	// txs/{hash}, blocks and blocks/{height} with 503 (tests and benchmarks without a node).
	Comet Comet
	// CORSOrigins are the origins allowed to call the API from a browser; "*" allows any.
	CORSOrigins []string
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
}

// Server answers API and explorer requests from an app's committed state.
type Server struct {
	app   *app.App
	db    *store.DB
	k     app.Keepers // the app's module keepers: the API reads state only through them
	opts  Options
	mux   *http.ServeMux
	daily dailyCache
	// openapi is the OpenAPI document, built once from the routes.
	openapi map[string]any
}

// New returns a Server over a.
func New(a *app.App, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{app: a, db: a.DB(), k: a.Keepers(), opts: opts, mux: http.NewServeMux()}
	for _, r := range s.routes() {
		s.mux.Handle(Prefix+r.pattern, s.endpoint(r))
	}
	s.mux.Handle(Prefix+"/", s.endpoint(route{handle: notFound}))
	s.openapi = buildOpenAPI(s.routes())
	s.mux.Handle("/", explorer())
	return s
}

// route is one API endpoint: its path pattern (under Prefix), the query parameters it accepts, its
// handler, and for the OpenAPI document a summary and an example of what it answers.
type route struct {
	pattern string
	params  []string
	handle  func(s *Server, q *request) (any, error)
	summary string
	answer  any
}

func (s *Server) routes() []route {
	page := []string{"limit", "offset"}
	routes := []route{
		{"/status", nil, (*Server).status, "Chain id, latest height and block time, app hash, whether the node is catching up", statusView{}},
		{"/accounts/{address}", nil, (*Server).account, "An account: balance as of the latest block time (demurrage applied), debt, sequence, member record", accountView{}},
		{"/accounts/{address}/history", append([]string{"format"}, page...), (*Server).history, "What moved an account's balance or debt, newest first: mints, burns and debt with their claim, transfers with their tx, realised decay", listView[historyEntryView]{}},
		{"/members", append([]string{"handle", "status"}, page...), (*Server).members, "Members and candidates in handle order", listView[memberView]{}},
		{"/members/{address}", nil, (*Server).member, "A member or candidate with its vouchers, whom it vouched for, a summary of its claims and its public record: claims verified and reversed, approvals, disputes, jury service, strikes, suspension, debt", memberDetailView{}},
		{"/claims", append([]string{"status", "claimant", "category", "attestor", "awaiting", "from", "to", "format"}, page...), (*Server).claims, "Claims, newest first, filtered (awaiting: a drawn reviewer's PENDING claims not yet attested)", listView[claimView]{}},
		{"/claims/{id}", nil, (*Server).claim, "A claim with its attestations, evidence, timeline and drawn reviewers (whether and how each attested)", claimDetailView{}},
		{"/disputes", append([]string{"status", "claim", "juror"}, page...), (*Server).disputes, "Disputes, newest first, filtered by status, claim or juror (either jury)", listView[disputeView]{}},
		{"/disputes/{id}", nil, (*Server).disputeDetail, "A dispute with its juries and jury votes", disputeDetailView{}},
		{"/projects", page, (*Server).projects, "Projects in the order they were created: stewards, account, hours paid out", listView[projectView]{}},
		{"/projects/{handle}", page, (*Server).projectDetail, "A project: its account's balance, its contributors with their verified hours and shares, and a page of its distributions (newest period first) with every payout", projectDetailView{}},
		{"/projects/{handle}/shares", []string{"from", "to"}, (*Server).projectShares, "Each contributor's verified hours in [from, to) (verification times) and share in parts per million, summing to 1000000 by the largest-remainder rule of distributions", sharesView{}},
		{"/proposals", append([]string{"status"}, page...), (*Server).proposals, "Governance proposals, newest first, optionally of one status, with the tally so far", listView[proposalView]{}},
		{"/proposals/{id}", nil, (*Server).proposalDetail, "A proposal with its tally so far, what it would change (a params proposal's proposed params, a validator proposal's key and power) and its votes", proposalDetailView{}},
		{"/validators", nil, (*Server).validators, "The CometBFT validator set as the app keeps it (changed by validator proposals), its total power, and its latest changes, newest first", validatorsView{}},
		{"/supply", nil, (*Server).supply, "Supply statistics: genesis, minted, decayed, burned, reversed, outstanding debt, circulating, members (suspended too), claims, verified hours by category", supplyView{}},
		{"/supply/history", []string{"format"}, (*Server).supplyHistory, "Hours minted, decayed and burned per day, oldest first", supplyHistoryView{}},
		{"/stats/categories", nil, (*Server).categories, "Verified hours and claims per category, claims per status", categoriesView{}},
		{"/stats/daily", []string{"days"}, (*Server).dailyStats, "Hours minted per day and category (by the day claims were verified)", dailyView{}},
		{"/params", nil, (*Server).params, "Every module's parameters", paramsView{}},
		{"/blocks", append([]string{"before"}, page...), (*Server).blocks, "The latest blocks the node keeps, newest first (below before= when given): height, time, hash, proposer, number of txs, app hash", listView[blockSummaryView]{}},
		{"/blocks/{height}", nil, (*Server).block, "A block: header (hash, time, proposer, app hash), its txs with their results and messages decoded, and its finalize_block_events", blockView{}},
		{"/txs/{hash}", nil, (*Server).tx, "A committed tx with its messages decoded, result code, log and events", txView{}},
		{"/search", []string{"q"}, (*Server).search, "What an address, handle, claim id, \"dispute <id>\" or tx hash names", searchView{}},
		{"/openapi.json", nil, openAPI, "This document (OpenAPI 3)", nil},
	}
	// Every endpoint that reads state also answers as of an earlier kept height (?height=). The
	// block endpoints read CometBFT's block store, which names blocks by their own heights.
	for i := range routes {
		if p := routes[i].pattern; p != "/openapi.json" && !strings.HasPrefix(p, "/blocks") {
			routes[i].params = append(slices.Clip(routes[i].params), "height")
		}
	}
	return routes
}

// ServeHTTP implements http.Handler: CORS, then the API or the explorer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, Prefix+"/") || r.URL.Path == Prefix {
		if s.cors(w, r) {
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// cors sets the CORS headers for an allowed origin and answers preflight requests. It reports
// whether the request has been answered.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	allowed := ""
	switch {
	case origin == "":
	case slices.Contains(s.opts.CORSOrigins, "*"):
		allowed = "*"
	case slices.Contains(s.opts.CORSOrigins, origin):
		allowed = origin
	}
	if allowed != "" {
		w.Header().Set("Access-Control-Allow-Origin", allowed)
		if allowed != "*" {
			w.Header().Add("Vary", "Origin")
		}
	}
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		if allowed != "" {
			w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
			w.Header().Set("Access-Control-Max-Age", "600")
		}
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

// apiError is an error with the HTTP status it is answered with.
type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return e.Message }

func badRequest(format string, args ...any) error {
	return &apiError{Code: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func notFoundf(format string, args ...any) error {
	return &apiError{Code: http.StatusNotFound, Message: fmt.Sprintf(format, args...)}
}

func notFound(_ *Server, q *request) (any, error) {
	return nil, notFoundf("no API endpoint %s; see %s/openapi.json", q.r.URL.Path, Prefix)
}

// endpoint wraps a route: method and parameter checks, one state view per request, JSON out.
func (s *Server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			writeJSON(w, http.StatusMethodNotAllowed, &apiError{Code: http.StatusMethodNotAllowed,
				Message: fmt.Sprintf("method %s is not allowed; this API is read-only (GET)", r.Method)})
			return
		}
		q := &request{r: r, ctx: r.Context()}
		if err := q.checkParams(rt.params); err != nil {
			s.writeError(w, err)
			return
		}
		out, err := s.run(q, rt.handle)
		if q.height != 0 {
			w.Header().Set(HeightHeader, strconv.FormatInt(q.height, 10))
		}
		if err != nil {
			s.writeError(w, err)
			return
		}
		switch f := q.param("format"); {
		case f == "csv":
			if t, ok := out.(csvRows); ok {
				if err := writeCSV(w, t.rows()); err != nil {
					s.opts.Logger.Error("writing CSV", "err", err)
				}
				return
			}
		case f != "" && f != "json":
			s.writeError(w, badRequest("format %q: use json (the default) or csv", f))
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// run opens the committed state for the handler and turns a storage panic into a 500.
func (s *Server) run(q *request, handle func(*Server, *request) (any, error)) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	meta := s.db.Committed()
	if h := q.param("height"); h != "" {
		n, err := strconv.ParseInt(h, 10, 64)
		if err != nil || n < 1 || n > meta.Height {
			return nil, badRequest("height %q: give a block height from 1 to the latest, %d", h, meta.Height)
		}
		if meta, err = s.db.MetaAt(n); err != nil {
			return nil, badRequest("height %d is not kept by this node (%v); query a later height or an archive node", n, err)
		}
	}
	v, err := s.db.ReadAt(meta.Height)
	if err != nil {
		return nil, err
	}
	defer v.Discard()
	q.view, q.height, q.time, q.appHash, q.k = v, meta.Height, meta.Time, meta.AppHash, s.k
	return handle(s, q)
}

func (s *Server) writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		s.opts.Logger.Error("API request failed", "err", err)
		ae = &apiError{Code: http.StatusInternalServerError, Message: "internal error; the node log has the details"}
	}
	writeJSON(w, ae.Code, ae)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client has gone if this fails; nothing to tell it
}

// dailyCache keeps the last per-day category series, which scans every claim, for one height.
type dailyCache struct {
	mu     sync.Mutex
	height int64
	days   int
	out    *dailyView
}
