package sim

import (
	"bytes"
	"strings"
	"testing"
)

// TestSmallRunIsDeterministicAndKeepsInvariants runs the small case twice with one seed: every
// invariant holds after every block, and both runs report the same (same app hash, same figures).
// With the ring claiming 8 invented hours a day, some fraud is minted and some of it reversed.
func TestSmallRunIsDeterministicAndKeepsInvariants(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	cfg := DefaultConfig()
	cfg.CheckInvariants = true
	cfg.Days = 36 // long enough for disputes to be judged, appealed and reversed (7-day windows)
	a, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var ta, tb bytes.Buffer
	a.WriteText(&ta)
	b.WriteText(&tb)
	if ta.String() != tb.String() {
		t.Fatalf("two runs with seed %d differ:\n%s\n%s", cfg.Seed, ta.String(), tb.String())
	}
	t.Log("\n" + ta.String())
	if a.HonestMinted == 0 || a.FraudClaimed == 0 || a.TxsOK == 0 || len(a.Series) != cfg.Days {
		t.Fatalf("the run exercised too little:\n%s", ta.String())
	}
	var csv, svg bytes.Buffer
	if err := a.WriteCSV(&csv); err != nil || strings.Count(csv.String(), "\n") != cfg.Days+1 {
		t.Fatalf("csv: %v\n%s", err, csv.String())
	}
	if err := a.WriteSVG(&svg); err != nil || !strings.Contains(svg.String(), "<polyline") {
		t.Fatalf("svg: %v", err)
	}
}
