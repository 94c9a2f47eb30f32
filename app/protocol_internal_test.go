package app

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/commonsledger/commons/app/store"
)

// TestCheckProtocolRefusesOtherVersions: a chain this version started passes; a state an earlier
// version wrote (no recorded version, i.e. 1) or a later one wrote is refused with a message that
// says what to do, before any block could run on params it does not know.
func TestCheckProtocolRefusesOtherVersions(t *testing.T) {
	c := newHashChain(t, DefaultGenesis())
	if err := c.a.CheckProtocol(); err != nil {
		t.Fatalf("pending genesis: %v", err)
	}
	c.block()
	if err := c.a.CheckProtocol(); err != nil {
		t.Fatalf("a chain this version started: %v", err)
	}
	db := c.a.DB()
	rewrite := func(height int64, edit func(o *store.Overlay)) {
		t.Helper()
		o := store.NewOverlay(db.ReadLatest())
		edit(o)
		l := store.RecomputeLattice(o)
		if err := db.Commit(height, o, store.Meta{Time: c.time.Unix(), Lattice: l, AppHash: l.Hash()}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		edit  func(o *store.Overlay)
		wrote string
	}{
		{"written before versions were recorded", func(o *store.Overlay) { o.Delete(protocolKey) }, "protocol version 1,"},
		{"written by a later version", func(o *store.Overlay) { o.Set(protocolKey, binary.BigEndian.AppendUint64(nil, ProtocolVersion+1)) }, fmt.Sprintf("protocol version %d,", ProtocolVersion+1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.height++
			rewrite(c.height, tc.edit)
			err := New(db, DefaultOptions()).CheckProtocol()
			if err == nil || !strings.Contains(err.Error(), "was written by "+tc.wrote) ||
				!strings.Contains(err.Error(), fmt.Sprintf("runs protocol %d with no migration", ProtocolVersion)) || !strings.Contains(err.Error(), "make run RESET=1") {
				t.Fatalf("got %v", err)
			}
		})
	}
}
