package disputes_test

import (
	"strings"
	"testing"

	"github.com/commonsledger/commons/x/disputes"
)

func TestParamsValidate(t *testing.T) {
	for _, p := range []disputes.Params{disputes.DefaultParams(), disputes.DevnetParams()} {
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		field string
		tweak func(*disputes.Params)
	}{
		{"dispute_window", func(p *disputes.Params) { p.DisputeWindow = 0 }},
		{"dispute_window", func(p *disputes.Params) { p.DisputeWindow = 366 * 86400 }},
		{"jury_size", func(p *disputes.Params) { p.JurySize = 0 }},
		{"jury_size", func(p *disputes.Params) { p.JurySize = 4 }},
		{"jury_size", func(p *disputes.Params) { p.JurySize = disputes.MaxJurySize + 2 }},
		{"jury_window", func(p *disputes.Params) { p.JuryWindow = -1 }},
		{"max_open_disputes", func(p *disputes.Params) { p.MaxOpenDisputes = 0 }},
		{"max_open_disputes", func(p *disputes.Params) { p.MaxOpenDisputes = disputes.MaxOpenDisputesLimit + 1 }},
		{"max_reason_bytes", func(p *disputes.Params) { p.MaxReasonBytes = 0 }},
		{"max_note_bytes", func(p *disputes.Params) { p.MaxNoteBytes = 1 << 20 }},
	} {
		p := disputes.DefaultParams()
		tc.tweak(&p)
		if err := p.Validate(); err == nil || !strings.HasPrefix(err.Error(), tc.field) {
			t.Fatalf("%+v: got %v, want an error naming %s", p, err, tc.field)
		}
	}
}

// An OPEN dispute in a genesis is queued again and drawn at the end of the imported chain's first
// block; a genesis with two disputes on one claim that are not final is refused.
func TestGenesisOpenDisputeIsDrawn(t *testing.T) {
	c := disputeChain(t, nil)
	verified(t, c, alice, bob, carol)
	settle(c, week)
	mustExec(t, c, dave, open(1, "r"))
	g, err := c.App.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	if d := g.Disputes.Disputes[0]; d.Status != disputes.DisputeStatus_DISPUTE_STATUS_OPEN {
		t.Fatalf("exported %v", d)
	}
	bad := *g.Disputes
	dup := *bad.Disputes[0]
	dup.Id = 2
	bad.Disputes = append(bad.Disputes, &dup)
	bad.NextDisputeId = 3
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "claim 1 has two disputes that are not final") {
		t.Fatalf("got %v", err)
	}
	c2 := disputeChain2(t, g)
	c2.Block()
	if d := disputeOf(t, c2, 1).Dispute; d.Status != disputes.DisputeStatus_DISPUTE_STATUS_VOTING || len(d.Jurors) != 3 {
		t.Fatalf("imported dispute after a block: %v", d)
	}
}
