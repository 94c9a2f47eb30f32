package api_test

import (
	"testing"

	"github.com/commonsledger/commons/app/api"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/disputes"
)

// TestDisputesEndpoints: a dispute opened on a verified claim is listed and shown with its jury
// once the next block has drawn it; bad filters are 400, a missing dispute 404.
func TestDisputesEndpoints(t *testing.T) {
	l := newLedger(t, 8, 2, 1, api.Options{}) // claim 1 by founder00, approved by founder01, VERIFIED
	c := l.chain
	disputant := l.founders[2]
	mustBlock(t, c, l.sign(t, disputant, []*auth.Msg{{Sum: &auth.Msg_OpenDispute{OpenDispute: &disputes.MsgOpenDispute{ClaimId: 1, Reason: "never happened"}}}}, 0))
	mustBlock(t, c, nil) // draws a jury of 5 from founder03..07

	var list struct {
		Total uint64 `json:"total"`
		Items []struct {
			ID        uint64 `json:"id"`
			Status    string `json:"status"`
			Disputant struct {
				Address string `json:"address"`
				Handle  string `json:"handle"`
			} `json:"disputant"`
			Jurors []struct {
				Address string `json:"address"`
			} `json:"jurors"`
		} `json:"items"`
	}
	if code := l.get(t, "/api/v1/disputes?status=voting&claim=1", &list); code != 200 || list.Total != 1 || len(list.Items) != 1 ||
		list.Items[0].Status != "voting" || list.Items[0].Disputant.Address != disputant.Addr.String() || len(list.Items[0].Jurors) != 5 {
		t.Fatalf("GET /disputes: %d %+v", code, list)
	}
	juror := list.Items[0].Jurors[0].Address
	if code := l.get(t, "/api/v1/disputes?juror="+juror, &list); code != 200 || list.Total != 1 {
		t.Fatalf("GET /disputes?juror: %d %+v", code, list)
	}
	var detail struct {
		Dispute struct {
			ID     uint64 `json:"id"`
			Reason string `json:"reason"`
		} `json:"dispute"`
		Votes []any `json:"votes"`
	}
	if code := l.get(t, "/api/v1/disputes/1", &detail); code != 200 || detail.Dispute.Reason != "never happened" || detail.Votes == nil {
		t.Fatalf("GET /disputes/1: %d %+v", code, detail)
	}
	var found struct{ Kind, ID string }
	for _, q := range []string{"dispute%201", "DISPUTE%20%231", "dispute%20%201"} {
		if code := l.get(t, "/api/v1/search?q="+q, &found); code != 200 || found.Kind != "dispute" || found.ID != "1" {
			t.Errorf("GET /search?q=%s: %d %+v", q, code, found)
		}
	}
	for path, want := range map[string]int{"/api/v1/disputes/9": 404, "/api/v1/disputes/x": 400,
		"/api/v1/search?q=dispute%209": 404, "/api/v1/search?q=dispute%2099999999999999999999": 404, "/api/v1/search?q=dispute%20x": 404,
		"/api/v1/disputes?status=pending": 400, "/api/v1/disputes?claim=x": 400, "/api/v1/disputes?juror=nope": 400} {
		if code := l.get(t, path, nil); code != want {
			t.Errorf("GET %s: %d, want %d", path, code, want)
		}
	}
}
