package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
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

// Query answers ABCI queries at path /<module>/<resource>[/<arg>] with protobuf-encoded values, at
// the given height (0 = latest committed). It reads committed state only and is safe to call
// concurrently with block execution.
func (a *App) Query(path string, data []byte, height int64) ([]byte, int64, error) {
	env, done, err := a.openQuery(height)
	if err != nil {
		return nil, 0, err
	}
	defer done()
	parts := strings.Split(strings.Trim(path, "/"), "/")
	var out marshaler
	switch {
	case len(parts) == 3 && parts[0] == "bank" && parts[1] == "account":
		out, err = a.queryAccount(env, parts[2])
	case len(parts) == 2 && parts[0] == "bank" && parts[1] == "supply":
		s := a.bank.Supply(env.r)
		out = &s
	case len(parts) == 2 && parts[0] == "bank" && parts[1] == "params":
		p := a.bank.Params(env.r)
		out = &p
	default:
		return nil, env.height, ErrUnknownQuery.Wrapf("%q; see docs/protocol.md for the query paths", path)
	}
	if err != nil {
		return nil, env.height, err
	}
	bz, err := out.Marshal()
	return bz, env.height, err
}

func (a *App) openQuery(height int64) (queryEnv, func(), error) {
	if height == 0 {
		height = a.db.Committed().Height
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

func (a *App) queryAccount(env queryEnv, addrStr string) (marshaler, error) {
	addr, err := core.ParseAddress(addrStr)
	if err != nil {
		return nil, err
	}
	acc, ok := a.bank.AccountAt(env.r, addr, env.time)
	if !ok {
		return &bank.QueryAccountResponse{Account: &bank.Account{Address: addr.String()}}, nil
	}
	return &bank.QueryAccountResponse{Account: &acc, Exists: true}, nil
}

var _ = fmt.Sprintf
