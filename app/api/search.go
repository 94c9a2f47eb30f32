package api

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

type searchView struct {
	Kind string `json:"kind"` // member | account | claim | dispute | tx
	ID   string `json:"id"`   // address, claim id, dispute id or tx hash: the {…} of the matching endpoint
}

// searchHint says what the search box takes.
const searchHint = "search for an address (commons1…), a handle, a claim id, \"dispute <id>\" or a tx hash"

// search answers /search?q=: what an address, a handle, a claim id, "dispute <id>" or a tx hash
// names, so that the explorer's one search box can go to the right page.
func (s *Server) search(q *request) (any, error) {
	text := q.param("q")
	if rest, ok := cutDisputePrefix(text); ok && isDigits(rest) {
		id, err := strconv.ParseUint(rest, 10, 64)
		if err == nil {
			if _, found := q.k.Disputes.Dispute(q.view, id); found {
				return searchView{"dispute", strconv.FormatUint(id, 10)}, nil
			}
		}
		return nil, notFoundf("no dispute %s", rest)
	}
	switch {
	case text == "":
		return nil, badRequest("q is empty; " + searchHint)
	case isDigits(text):
		id, err := strconv.ParseUint(text, 10, 64)
		if err != nil {
			return nil, notFoundf("no claim %s", text)
		}
		if _, ok := q.k.Claims.Claim(q.view, id); !ok {
			return nil, notFoundf("no claim %d", id)
		}
		return searchView{"claim", strconv.FormatUint(id, 10)}, nil
	case strings.HasPrefix(strings.ToLower(text), core.Bech32Prefix+"1"):
		addr, err := parseAddress("q", text)
		if err != nil {
			return nil, err
		}
		if _, ok := q.k.Members.Member(q.view, addr); ok {
			return searchView{"member", addr.String()}, nil
		}
		if _, ok := q.k.Bank.Account(q.view, addr); ok {
			return searchView{"account", addr.String()}, nil
		}
		return nil, notFoundf("no account %s; an account appears when the address first receives hours or is vouched for", addr)
	}
	if hash, ok := parseTxHash(text); ok && s.opts.Comet != nil {
		if _, err := s.opts.Comet.Tx(q.ctx, hash, false); err == nil {
			return searchView{"tx", strings.ToUpper(hex.EncodeToString(hash))}, nil
		}
		// 64 hex characters can also be a handle; fall through.
	}
	if m, ok := q.k.Members.ByHandle(q.view, strings.ToLower(strings.TrimPrefix(text, "@"))); ok {
		return searchView{"member", m.Address}, nil
	}
	if len(text) > members.MaxHandleLen {
		text = text[:members.MaxHandleLen] + "…"
	}
	return nil, notFoundf("nothing matches %q; "+searchHint, text)
}

// cutDisputePrefix strips "dispute " (any case, then an optional "#") from text: "dispute 5",
// "Dispute #5".
func cutDisputePrefix(text string) (string, bool) {
	const prefix = "dispute "
	if len(text) <= len(prefix) || !strings.EqualFold(text[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimPrefix(strings.TrimSpace(text[len(prefix):]), "#"), true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
