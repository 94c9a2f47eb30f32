package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/core"
)

// Paging bounds of every list endpoint.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	// MaxOffset bounds how deep a page may start: a listing walks its index up to offset+limit
	// entries, and the node's ABCI queries under /api/v1/ run under CometBFT's shared lock.
	MaxOffset = app.MaxQueryOffset
)

// request is one API request with the committed state it reads.
type request struct {
	r       *http.Request
	ctx     context.Context
	query   map[string][]string
	view    *store.View
	height  int64
	time    int64 // block time of height, unix seconds
	appHash []byte
	k       app.Keepers // the app's module keepers
}

// checkParams refuses query parameters the endpoint does not take (a typo would otherwise be
// silently ignored) and parameters given twice.
func (q *request) checkParams(allowed []string) error {
	q.query = q.r.URL.Query()
	keys := make([]string, 0, len(q.query))
	for k := range q.query {
		keys = append(keys, k)
	}
	slices.Sort(keys) // report the first offender deterministically
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			if len(allowed) == 0 {
				return badRequest("unknown parameter %q; this endpoint takes no parameters", k)
			}
			return badRequest("unknown parameter %q; this endpoint takes %s", k, strings.Join(allowed, ", "))
		}
		if len(q.query[k]) > 1 {
			return badRequest("parameter %q is given %d times; give it once", k, len(q.query[k]))
		}
	}
	return nil
}

// param returns a query parameter, trimmed ("" when absent).
func (q *request) param(name string) string {
	if v := q.query[name]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

// page reads limit (1..MaxLimit, default DefaultLimit) and offset (0..MaxOffset, default 0).
func (q *request) page() (limit, offset uint64, err error) {
	limit, offset = DefaultLimit, 0
	if s := q.param("limit"); s != "" {
		n, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil && !errors.Is(perr, strconv.ErrRange) {
			return 0, 0, badRequest("limit %q is not a whole number; use 1 to %d", s, MaxLimit)
		}
		if perr != nil || n < 1 || n > MaxLimit {
			return 0, 0, badRequest("limit %s is out of range; use 1 to %d", s, MaxLimit)
		}
		limit = uint64(n)
	}
	if s := q.param("offset"); s != "" {
		n, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil && !errors.Is(perr, strconv.ErrRange) {
			return 0, 0, badRequest("offset %q is not a whole number; use 0 or more", s)
		}
		if perr != nil || n < 0 || n > MaxOffset {
			return 0, 0, badRequest("offset %s is out of range; use 0 to %d, and filters (from, to, status) to reach older items", s, MaxOffset)
		}
		offset = uint64(n)
	}
	return limit, offset, nil
}

// address parses a bech32 address given as the path value or parameter name.
func parseAddress(what, s string) (core.Address, error) {
	a, err := core.ParseAddress(s)
	if err != nil {
		return nil, badRequest("%s: %v", what, err)
	}
	return a, nil
}

// timeParam reads an RFC 3339 time or unix seconds; 0 when absent.
func (q *request) timeParam(name string) (int64, error) {
	s := q.param(name)
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n <= 0 || n > maxUnix {
			return 0, badRequest("%s %s is out of range; use unix seconds between 1 and %d", name, s, int64(maxUnix))
		}
		return n, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return 0, badRequest("%s %q is not a time; use RFC 3339 (2026-11-20T09:00:00Z) or unix seconds", name, s)
	}
	if t.Unix() <= 0 || t.Unix() > maxUnix {
		return 0, badRequest("%s %s is out of range; use a time between 1970 and 9999", name, s)
	}
	return t.Unix(), nil
}

// maxUnix is 9999-12-31T23:59:59Z, the last time RFC 3339 can write.
const maxUnix = 253402300799

// jsonTime is unix seconds written as an RFC 3339 UTC string, or null when zero (never happened).
type jsonTime int64

func (t jsonTime) MarshalJSON() ([]byte, error) {
	if t == 0 {
		return []byte("null"), nil
	}
	return fmt.Appendf(nil, "%q", time.Unix(int64(t), 0).UTC().Format(time.RFC3339)), nil
}
