package api

import (
	"reflect"
	"regexp"
	"strings"

	"github.com/commonsledger/commons/app"
)

func openAPI(s *Server, _ *request) (any, error) { return s.openapi, nil }

// paramDoc documents a query or path parameter by name; every endpoint uses a name the same way.
var paramDoc = map[string]map[string]any{
	"address": {"description": "A bech32 address, commons1…", "schema": str()},
	"id":      {"description": "A claim, dispute or proposal id (1, 2, …)", "schema": map[string]any{"type": "integer", "minimum": 1}},
	"hash":    {"description": "A tx hash: 64 hex characters", "schema": map[string]any{"type": "string", "pattern": "^(0x)?[0-9a-fA-F]{64}$"}},
	"limit":   {"description": "Page size", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": MaxLimit, "default": DefaultLimit}},
	"offset":  {"description": "Items to skip (at most 10000; filter to reach older items)", "schema": map[string]any{"type": "integer", "minimum": 0, "maximum": MaxOffset, "default": 0}},
	"height":  {"description": "Answer as of this block height (a height the node still keeps; default: the latest)", "schema": map[string]any{"type": "integer", "minimum": 1}},
	"format": {"description": "json (the default), or csv: the items (or days) as text/csv, one column per scalar field, nested objects as outer.inner",
		"schema": map[string]any{"type": "string", "enum": []any{"json", "csv"}, "default": "json"}},
	"handle":   {"description": "Only handles starting with this (case-insensitive)", "schema": map[string]any{"type": "string", "maxLength": 32, "pattern": "^[a-zA-Z0-9-]*$"}},
	"claimant": {"description": "Only claims by this address", "schema": str()},
	"attestor": {"description": "Only claims attested by this address", "schema": str()},
	"awaiting": {"description": "Only PENDING claims for which this address is a drawn reviewer and has not attested yet (a reviewer's inbox)", "schema": str()},
	"category": {"description": "Only claims in this category", "schema": str()},
	"from":     {"description": "Only claims whose work started at or after this time (RFC 3339 or unix seconds)", "schema": str()},
	"to":       {"description": "Only claims whose work started before this time (RFC 3339 or unix seconds)", "schema": str()},
	"days":     {"description": "Number of days ending with the latest block's day", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": maxDailyDays, "default": defaultDailyDays}},
	"claim":    {"description": "Only disputes of this claim id", "schema": map[string]any{"type": "integer", "minimum": 1}},
	"juror":    {"description": "Only disputes with this address on a jury", "schema": str()},
	"q":        {"description": "An address, a handle, a claim id, \"dispute <id>\" or a tx hash", "schema": str()},
	"before":   {"description": "Only blocks below this height (a cursor: the page stays put while blocks are added; default: from the latest)", "schema": map[string]any{"type": "integer", "minimum": 2}},
}

// pathDoc documents a path parameter whose name means something else as a query parameter.
var pathDoc = map[string]map[string]any{
	"height": {"description": "A block height (1, 2, …)", "schema": map[string]any{"type": "integer", "minimum": 1}},
}

// fromNode are the endpoints that ask CometBFT (its tx index, its block store): a server without a
// node answers them 503.
var fromNode = map[string]bool{"/txs/{hash}": true, "/blocks": true, "/blocks/{height}": true}

// statusParam is per endpoint: members and claims have different statuses.
var statusParam = map[string][]string{
	"/members":   {"active", "candidate", "suspended"},
	"/claims":    {"pending", "verified", "rejected", "reversed"},
	"/disputes":  {"open", "voting", "upheld", "dismissed", "appealed"},
	"/proposals": {"voting", "passed", "rejected", "failed"},
}

func str() map[string]any { return map[string]any{"type": "string"} }

var pathParam = regexp.MustCompile(`\{(\w+)\}`)

// buildOpenAPI describes the routes. Answer schemas are derived from the Go types the handlers
// return, so the document cannot drift from what is served.
func buildOpenAPI(routes []route) map[string]any {
	schemas := map[string]any{
		"Error": map[string]any{"type": "object", "required": []string{"code", "message"}, "properties": map[string]any{
			"code":    map[string]any{"type": "integer", "description": "The HTTP status"},
			"message": map[string]any{"type": "string", "description": "What is wrong and how to fix it"},
		}},
	}
	paths := map[string]any{}
	for _, rt := range routes {
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.pattern, -1) {
			params = append(params, param(m[1], "path", true))
		}
		for _, name := range rt.params {
			p := param(name, "query", false)
			if name == "status" {
				p["description"] = "Only items with this status"
				p["schema"] = map[string]any{"type": "string", "enum": statusParam[rt.pattern]}
			}
			params = append(params, p)
		}
		ok := map[string]any{"type": "object"}
		if rt.answer != nil {
			ok = schemaOf(reflect.TypeOf(rt.answer), schemas)
		}
		responses := map[string]any{
			"200": map[string]any{"description": "OK", "content": jsonContent(ok)},
			"400": errorResponse("Bad input; the message says how to fix it"),
		}
		if len(params) > 0 && params[0].(map[string]any)["in"] == "path" || rt.pattern == "/search" {
			responses["404"] = errorResponse("Nothing has this id")
		}
		if fromNode[rt.pattern] {
			responses["503"] = errorResponse("This server runs without a node, or the node does not index txs")
		}
		op := map[string]any{"summary": rt.summary, "responses": responses,
			"operationId": strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_").Replace(strings.TrimPrefix(rt.pattern, "/"))}
		if params != nil {
			op["parameters"] = params
		}
		paths[Prefix+rt.pattern] = map[string]any{"get": op}
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Commons Ledger API", "version": app.Version,
			"description": "Read-only JSON API of a Commons Ledger node. Amounts are integers of micro-hours (uhour; 1 hour = 1,000,000 uhour) with decimal-hours strings beside them. Times are RFC 3339 UTC or null. Errors are {\"code\", \"message\"}."},
		// The API is served by the node itself, under this origin; it is public and read-only.
		"servers":    []any{map[string]any{"url": "/", "description": "the node serving this document"}},
		"security":   []any{},
		"paths":      paths,
		"components": map[string]any{"schemas": schemas},
	}
}

func param(name, in string, required bool) map[string]any {
	p := map[string]any{"name": name, "in": in, "required": required}
	doc := paramDoc[name]
	if d, ok := pathDoc[name]; ok && in == "path" {
		doc = d
	}
	for k, v := range doc {
		p[k] = v
	}
	return p
}

func jsonContent(schema map[string]any) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": schema}}
}

func errorResponse(desc string) map[string]any {
	return map[string]any{"description": desc, "content": jsonContent(map[string]any{"$ref": "#/components/schemas/Error"})}
}

var jsonTimeType = reflect.TypeOf(jsonTime(0))

// schemaOf returns the schema of t, registering named struct types under components.
func schemaOf(t reflect.Type, schemas map[string]any) map[string]any {
	switch {
	case t == jsonTimeType:
		return map[string]any{"type": "string", "format": "date-time", "nullable": true}
	case t.Kind() == reflect.Pointer:
		s := schemaOf(t.Elem(), schemas)
		if _, ref := s["$ref"]; ref { // OpenAPI 3.0: nullable needs a type beside it
			return map[string]any{"type": "object", "allOf": []any{s}, "nullable": true}
		}
		n := map[string]any{"nullable": true}
		for k, v := range s {
			n[k] = v
		}
		return n
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), schemas)}
	case t.Kind() == reflect.Interface:
		return map[string]any{"type": "object", "description": "depends on the message type"}
	case t.Kind() == reflect.String:
		return str()
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() != reflect.Struct:
		return map[string]any{}
	}
	name := schemaName(t)
	if name != "" {
		if _, done := schemas[name]; done {
			return map[string]any{"$ref": "#/components/schemas/" + name}
		}
		schemas[name] = nil // breaks cycles
	}
	props := map[string]any{}
	structFields(t, props, schemas)
	s := map[string]any{"type": "object", "properties": props}
	if name == "" {
		return s
	}
	schemas[name] = s
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

func structFields(t reflect.Type, props map[string]any, schemas map[string]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			structFields(f.Type, props, schemas)
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		fs := schemaOf(f.Type, schemas)
		if d := f.Tag.Get("doc"); d != "" { // a field the Go type cannot describe (any)
			if _, ref := fs["$ref"]; ref {
				fs = map[string]any{"allOf": []any{fs}}
			}
			fs["description"] = d
		}
		props[tag] = fs
	}
}

// schemaName names a struct type for components: "claimView" → "Claim", "listView[…claimView]" →
// "ClaimList", anonymous structs stay inline.
func schemaName(t reflect.Type) string {
	n := t.Name()
	if n == "" {
		return ""
	}
	if _, arg, ok := strings.Cut(n, "["); ok { // listView[…claimView]
		arg = arg[strings.LastIndex(arg, ".")+1 : len(arg)-1]
		return upper(strings.TrimSuffix(arg, "View")) + "List"
	}
	if t.PkgPath() != reflect.TypeOf(route{}).PkgPath() {
		return upper(t.Name()) // abci.Event, abci.EventAttribute
	}
	return upper(strings.TrimSuffix(n, "View"))
}

func upper(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
