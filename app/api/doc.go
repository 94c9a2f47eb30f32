// Package api serves the node's read-only JSON HTTP API under /api/v1 and the web explorer at /.
//
// Every request reads one committed height: the handler opens a store view at the last committed
// height and answers entirely from it, so a page never mixes two blocks. State is read through the
// module keepers (stateless structs) and the app's own supply and params aggregations; CometBFT is
// consulted only for what the app does not keep, the node status and the tx index.
//
// Errors are JSON {"code": <HTTP status>, "message": "..."}: 400 for input the caller can fix (the
// message says how), 404 for ids that do not exist, 405 for anything but GET, 503 when the node
// part a request needs is missing. The explorer (web/) is plain HTML, CSS and JavaScript embedded in
// the binary; it uses only this API.
//
// The package depends on app and the modules; nothing in app/ or x/ imports it.
package api
