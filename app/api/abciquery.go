package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/commonsledger/commons/app"
)

// Query answers an ABCI query for an API path (app.JSONQuerier, wired by the node with
// app.App.SetJSONQuery): the same handler, encoder and bytes as GET pathAndQuery over HTTP, so the
// CLI's -o json and the API cannot drift. height (0: latest) becomes ?height= unless the path has one.
// A 404 becomes app.ErrNotFound, another refusal app.ErrBadQuery, each with the API's message.
func (s *Server) Query(pathAndQuery string, height int64) ([]byte, int64, error) {
	u, err := url.Parse(pathAndQuery)
	if err != nil || !strings.HasPrefix(u.Path, Prefix+"/") {
		return nil, 0, app.ErrBadQuery.Wrapf("%q is not an API path under %s/", pathAndQuery, Prefix)
	}
	if height != 0 {
		q := u.Query()
		if !q.Has("height") {
			q.Set("height", strconv.FormatInt(height, 10))
			u.RawQuery = q.Encode()
		}
	}
	r, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, app.ErrBadQuery.Wrapf("%v", err)
	}
	w := &bufferResponse{header: http.Header{}, code: http.StatusOK}
	s.mux.ServeHTTP(w, r)
	answered, _ := strconv.ParseInt(w.header.Get(HeightHeader), 10, 64)
	if w.code == http.StatusOK {
		return w.body.Bytes(), answered, nil
	}
	var ae apiError
	if json.Unmarshal(w.body.Bytes(), &ae) != nil || ae.Message == "" {
		ae.Message = http.StatusText(w.code)
	}
	switch {
	case w.code >= http.StatusInternalServerError:
		return nil, answered, fmt.Errorf("%s", ae.Message)
	case w.code == http.StatusNotFound:
		return nil, answered, app.ErrNotFound.Wrapf("%s", ae.Message)
	default:
		return nil, answered, app.ErrBadQuery.Wrapf("%s", ae.Message)
	}
}

// bufferResponse is an http.ResponseWriter that keeps the answer in memory.
type bufferResponse struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (b *bufferResponse) Header() http.Header         { return b.header }
func (b *bufferResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferResponse) WriteHeader(code int)        { b.code = code }
