package main

import (
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/x/disputes"
)

// TestWriteDispute pins the text of `query dispute`.
func TestWriteDispute(t *testing.T) {
	at := func(d, h, m, s int) int64 { return time.Date(2026, 11, d, h, m, s, 0, time.UTC).Unix() }
	d := &disputes.Dispute{Id: 3, ClaimId: 12, Claimant: "commons1dana", Disputant: "commons1erin", Reason: "closed that evening",
		Status: disputes.DisputeStatus_DISPUTE_STATUS_UPHELD, OpenedAt: at(28, 9, 0, 0), Round: 1,
		Jurors: []string{"commons1a", "commons1b", "commons1c"}, Deadline: at(28, 9, 0, 31), Uphold: 2, Dismiss: 1,
		DecidedAt: at(28, 9, 0, 31), DecidedHeight: 40, OutcomeReason: disputes.ReasonMajority}
	var b strings.Builder
	writeDispute(&b, d, nil)
	want := `dispute 3: upheld, on claim 12 by commons1dana
  disputant: commons1erin, opened 2026-11-28 09:00:00 UTC
  reason:    closed that evening
  jury:      commons1a, commons1b, commons1c (round 1)
  votes:     2 uphold, 1 dismiss; voting closes 2026-11-28 09:00:31 UTC
  decided:   upheld at 2026-11-28 09:00:31 UTC (height 40): majority
`
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestWriteAppealedDispute pins the text of an appealed, final dispute.
func TestWriteAppealedDispute(t *testing.T) {
	at := func(d, h, m, s int) int64 { return time.Date(2026, 11, d, h, m, s, 0, time.UTC).Unix() }
	d := &disputes.Dispute{Id: 3, ClaimId: 12, Claimant: "commons1dana", Disputant: "commons1erin", Reason: "closed",
		Status: disputes.DisputeStatus_DISPUTE_STATUS_DISMISSED, OpenedAt: at(28, 9, 0, 0), Round: disputes.AppealRound,
		Jurors: []string{"commons1d", "commons1e", "commons1f"}, Deadline: at(28, 9, 2, 0), Uphold: 0, Dismiss: 2,
		DecidedAt: at(28, 9, 2, 0), DecidedHeight: 90, OutcomeReason: "appeal: majority", Final: true,
		Appellant: "commons1dana", AppealedAt: at(28, 9, 1, 0), FirstOutcome: disputes.DisputeStatus_DISPUTE_STATUS_UPHELD,
		FirstReason: disputes.ReasonMajority, FirstUphold: 2, FirstDismiss: 1, FirstDecidedAt: at(28, 9, 0, 31),
		FirstJurors: []string{"commons1a", "commons1b", "commons1c"}, AppealDeadline: at(28, 9, 1, 31)}
	var b strings.Builder
	writeDispute(&b, d, nil)
	want := `dispute 3: dismissed, on claim 12 by commons1dana
  disputant: commons1erin, opened 2026-11-28 09:00:00 UTC
  reason:    closed
  first:     upheld at 2026-11-28 09:00:31 UTC: majority (2 uphold, 1 dismiss; jury commons1a, commons1b, commons1c)
  appealed:  by commons1dana at 2026-11-28 09:01:00 UTC
  jury:      commons1d, commons1e, commons1f (round 3)
  votes:     0 uphold, 2 dismiss; voting closes 2026-11-28 09:02:00 UTC
  decided:   dismissed at 2026-11-28 09:02:00 UTC (height 90): appeal: majority
  final:     yes
`
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
	if s, ok := parseDisputeStatus("appealed"); !ok || s != disputes.DisputeStatus_DISPUTE_STATUS_APPEALED {
		t.Fatal("appealed")
	}
}

func TestParseJuryVoteAndStatus(t *testing.T) {
	if v, ok := parseJuryVote("UPHOLD"); !ok || v != disputes.JuryVote_JURY_VOTE_UPHOLD {
		t.Fatal("uphold")
	}
	if v, ok := parseJuryVote("dismiss"); !ok || v != disputes.JuryVote_JURY_VOTE_DISMISS {
		t.Fatal("dismiss")
	}
	if _, ok := parseJuryVote("unspecified"); ok {
		t.Fatal("unspecified accepted")
	}
	if s, ok := parseDisputeStatus("Voting"); !ok || s != disputes.DisputeStatus_DISPUTE_STATUS_VOTING {
		t.Fatal("voting")
	}
}

// TestWriteDisputeNames: with a name function every member address is shown by it (query dispute
// passes memberNames, which gives handles); addresses it does not know stay as they are.
func TestWriteDisputeNames(t *testing.T) {
	d := &disputes.Dispute{Id: 1, ClaimId: 2, Claimant: "commons1f", Disputant: "commons1i", Reason: "r",
		Status: disputes.DisputeStatus_DISPUTE_STATUS_APPEALED, Round: disputes.AppealRound, Appellant: "commons1f",
		FirstOutcome: disputes.DisputeStatus_DISPUTE_STATUS_UPHELD, FirstJurors: []string{"commons1a", "commons1b"},
		Jurors: []string{"commons1c", "commons1x"}}
	handles := map[string]string{"commons1f": "frank", "commons1i": "ivan", "commons1a": "alice", "commons1b": "bob", "commons1c": "carol"}
	var b strings.Builder
	writeDispute(&b, d, func(a string) string {
		if h, ok := handles[a]; ok {
			return h
		}
		return a
	})
	for _, want := range []string{"on claim 2 by frank\n", "disputant: ivan,", "jury alice, bob)", "appealed:  by frank at",
		"jury:      carol, commons1x (round 3)"} {
		if !strings.Contains(b.String(), want) {
			t.Fatalf("lacks %q:\n%s", want, b.String())
		}
	}
}
