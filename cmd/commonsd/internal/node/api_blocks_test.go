package node_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// blockJSON is the part of /api/v1/blocks/{height} the block tests read.
type blockJSON struct {
	Height        int64  `json:"height"`
	Hash          string `json:"hash"`
	PreviousHash  string `json:"previous_hash"`
	AppHash       string `json:"app_hash"`
	ResultAppHash string `json:"result_app_hash"`
	ResultsStored bool   `json:"results_stored"`
	NumTxs        int    `json:"num_txs"`
	Proposer      struct {
		Address string `json:"address"`
	} `json:"proposer"`
	Txs []struct {
		Hash   string `json:"hash"`
		Code   uint32 `json:"code"`
		Signer struct {
			Handle string `json:"handle"`
		} `json:"signer"`
		Messages []struct {
			Type  string `json:"type"`
			Value struct {
				To struct {
					Handle string `json:"handle"`
				} `json:"to"`
				AmountHours string `json:"amount_hours"`
			} `json:"value"`
		} `json:"messages"`
	} `json:"txs"`
	Events []struct {
		Type       string `json:"type"`
		Attributes []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		} `json:"attributes"`
	} `json:"events"`
}

// transferHeight is the height of the block with alice's transfer to dave.
func (x *explorerNode) transferHeight(t *testing.T) int64 {
	t.Helper()
	var tx struct {
		Height int64 `json:"height"`
	}
	if code := x.getJSON(t, "/api/v1/txs/"+x.transferHash, &tx); code != 200 || tx.Height < 1 {
		t.Fatalf("GET the transfer's tx: %d, height %d", code, tx.Height)
	}
	return tx.Height
}

// testAPIBlocks reads the blocks of the explorer node (see explorerNode) from CometBFT's block
// store through the API: the transfer's block with its decoded tx, the chain of hashes and app
// hashes between it and the next block, the end-of-block events of claim 2's finalisation, the
// list paged by the before= cursor, and the answers to heights that are not blocks.
func testAPIBlocks(t *testing.T, x *explorerNode) {
	h := x.transferHeight(t)
	var b, next blockJSON
	if code := x.getJSON(t, fmt.Sprintf("/api/v1/blocks/%d", h), &b); code != 200 {
		t.Fatalf("GET block %d: %d", h, code)
	}
	if b.Height != h || len(b.Hash) != 64 || b.NumTxs != len(b.Txs) || !b.ResultsStored || b.Proposer.Address != x.validatorAddr {
		t.Errorf("block %d: %+v (validator %s)", h, b, x.validatorAddr)
	}
	found := false
	for _, tx := range b.Txs {
		if tx.Hash != x.transferHash {
			continue
		}
		found = true
		if tx.Code != 0 || tx.Signer.Handle != "alice" || len(tx.Messages) != 1 || tx.Messages[0].Type != "transfer" ||
			tx.Messages[0].Value.To.Handle != "dave" || tx.Messages[0].Value.AmountHours != "2.5" {
			t.Errorf("the transfer in block %d: %+v", h, tx)
		}
	}
	if !found {
		t.Errorf("block %d (the transfer's, by /txs) does not list tx %s: %+v", h, x.transferHash, b.Txs)
	}
	// The next header carries this block's hash and the app hash its execution produced.
	if code := x.getJSON(t, fmt.Sprintf("/api/v1/blocks/%d", h+1), &next); code != 200 || next.PreviousHash != b.Hash ||
		next.AppHash != b.ResultAppHash || next.AppHash == b.AppHash {
		t.Errorf("block %d after %d: %d, previous hash %s (want %s), app hash %s (want %s, and not %s)", h+1, h, code,
			next.PreviousHash, b.Hash, next.AppHash, b.ResultAppHash, b.AppHash)
	}

	// Claim 2 was finalised at the end of a block: that block's events say so.
	var c2 struct {
		Claim struct {
			FinalizedHeight int64 `json:"finalized_height"`
		} `json:"claim"`
	}
	x.getJSON(t, "/api/v1/claims/2", &c2)
	var fin blockJSON
	if code := x.getJSON(t, fmt.Sprintf("/api/v1/blocks/%d", c2.Claim.FinalizedHeight), &fin); code != 200 || !blockHasEvent(fin, "claim_finalized", "claim_id", "2") {
		t.Errorf("block %d (claim 2's finalisation): %d, events %+v", c2.Claim.FinalizedHeight, code, fin.Events)
	}

	// The list: newest first; before= pins it just above the transfer's block.
	var latest, page struct {
		Total uint64 `json:"total"`
		Items []struct {
			Height int64  `json:"height"`
			Hash   string `json:"hash"`
			NumTxs int    `json:"num_txs"`
		} `json:"items"`
	}
	if code := x.getJSON(t, "/api/v1/blocks?limit=3", &latest); code != 200 || len(latest.Items) != 3 || latest.Items[0].Height <= h ||
		latest.Items[1].Height != latest.Items[0].Height-1 || latest.Total < uint64(latest.Items[0].Height)-1 {
		t.Errorf("GET /blocks?limit=3: %d %+v", code, latest)
	}
	path := fmt.Sprintf("/api/v1/blocks?before=%d&limit=2", h+1)
	if code := x.getJSON(t, path, &page); code != 200 || page.Total != uint64(h) || len(page.Items) != 2 || page.Items[0].Height != h ||
		page.Items[0].Hash != b.Hash || page.Items[0].NumTxs != b.NumTxs || page.Items[1].Height != h-1 {
		t.Errorf("GET %s: %d %+v", path, code, page)
	}

	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if code := x.getJSON(t, "/api/v1/blocks/999999999", &e); code != 404 || !strings.HasPrefix(e.Message, "no block 999999999 yet; the latest is ") {
		t.Errorf("a block above the latest: %d %+v", code, e)
	}
	if code := x.getJSON(t, "/api/v1/blocks/-3", &e); code != 400 || e.Message != `block height "-3" is not a height; heights are whole numbers from 1` {
		t.Errorf("a negative height: %d %+v", code, e)
	}
}

func blockHasEvent(b blockJSON, typ, key, value string) bool {
	for _, ev := range b.Events {
		if ev.Type != typ {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == key && a.Value == value {
				return true
			}
		}
	}
	return false
}

// layoutShift loads the explorer's route (#/…) as a new document (a query string makes it one, not
// a hash change of the page already open), waits until sel contains text, and returns the page's
// cumulative layout shift, with what moved: the explorer reserves the room of what it loads
// later, so it should be 0.
func (b *browser) layoutShift(route, sel, text string) (float64, string) {
	b.t.Helper()
	b.fresh++
	b.do(chromedp.Navigate(fmt.Sprintf("%s/?fresh=%d#%s", b.base, b.fresh, route)))
	b.waitText(sel, text)
	var out struct {
		Sum   float64  `json:"sum"`
		Moved []string `json:"moved"`
	}
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`new Promise(resolve => {
		const out = {sum: 0, moved: []};
		const where = r => Math.round(r.x) + ',' + Math.round(r.y) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height);
		new PerformanceObserver(list => {
			for (const e of list.getEntries()) {
				if (e.hadRecentInput) continue;
				out.sum += e.value;
				for (const s of e.sources || []) {
					const n = s.node;
					const name = n ? (n.nodeName + (n.id ? '#' + n.id : '') + (n.className ? '.' + n.className : '')) : '?';
					out.moved.push(name + ' ' + where(s.previousRect) + ' → ' + where(s.currentRect));
				}
			}
		}).observe({type: 'layout-shift', buffered: true});
		setTimeout(() => resolve(JSON.stringify(out)), 300);
	})`, chromedp.EvalAwaitPromise))
	if err == nil {
		err = json.Unmarshal([]byte(got), &out)
	}
	if err != nil {
		b.t.Fatal(err)
	}
	return out.Sum, strings.Join(out.Moved, "; ")
}

// testBrowserBlocks walks the blocks pages (see explorerNode): the overview's latest blocks and the
// status bar's height link, the blocks list (without layout shift), the transfer's block from the
// list, its tx page and back, a block's end-of-block events, and dave's account history with the
// transfer's running balance, tx and block links, and its CSV download.
func testBrowserBlocks(t *testing.T, b *browser, x *explorerNode) {
	h := x.transferHeight(t)
	hs := strconv.FormatInt(h, 10)
	dave := x.dave.Addr.String()
	contains := b.contains

	// The overview lists the latest blocks, and the status bar links the latest height.
	b.do(chromedp.Navigate(x.base + "/#/"))
	b.waitText("#content", "Latest blocks")
	b.waitText("#chainbar", "height ")
	if n := b.count("#blocks tbody tr"); n != 5 {
		t.Errorf("the overview lists %d blocks, want 5", n)
	}
	if n := b.count(`#chainbar a#chainbar-height[href^="#/blocks/"]`); n != 1 {
		t.Errorf("the status bar's height is not a block link")
	}

	// The blocks list, loaded afresh: the skeleton kept the room of the 20 rows.
	if cls, moved := b.layoutShift("/blocks", "#content", "Showing 1–20 of"); cls != 0 {
		t.Errorf("the blocks list shifts its layout while loading: %v (%s)", cls, moved)
	}
	if n := b.count("#blocks tbody tr"); n != 20 {
		t.Errorf("the blocks list shows %d rows, want 20", n)
	}
	top, err := strconv.ParseInt(b.text("#blocks tbody tr:first-child td:first-child"), 10, 64)
	if err != nil || top <= h {
		t.Errorf("the newest block listed is %d (%v), want one after the transfer's, %d", top, err, h)
	}
	if n := b.count(`nav a[href="#/blocks"][aria-current="page"]`); n != 1 {
		t.Errorf("the Blocks nav entry is not marked current")
	}
	b.screenshot("24-blocks")

	// Older → pins the list below the newest block shown, so that the second page stays put.
	b.do(chromedp.Click(`#content nav.pager a[rel="next"]`))
	b.waitText("#content", "Showing 21–40 of")
	if got := b.text("#blocks tbody tr:first-child td:first-child"); got != strconv.FormatInt(top-20, 10) {
		t.Errorf("the second page starts at block %s, want %d", got, top-20)
	}
	if loc, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.hash`)); err != nil || !strings.Contains(loc, fmt.Sprintf("before=%d", top+1)) {
		t.Errorf("the second page's address %q (%v) does not pin before=%d", loc, err, top+1)
	}

	// The list just above the transfer's block starts with it; its row leads to the block page.
	b.do(chromedp.Navigate(x.base + "/#/blocks?before=" + strconv.FormatInt(h+1, 10)))
	b.waitText("#content", fmt.Sprintf("Showing 1–%d of %d", min(h, 20), h))
	contains("#blocks tbody tr:first-child", hs, x.validatorAddr[:10])
	// By keyboard: the row's link takes focus and Enter follows it.
	b.do(chromedp.Focus(`#blocks tbody tr:first-child a[href="#/blocks/`+hs+`"]`), chromedp.KeyEvent(kb.Enter))
	b.waitText("main h1", "Block "+hs)
	b.waitText("#block-txs", x.transferHash[:12])
	contains("#block-txs", "alice", "transfer 2.5 hours to dave", "success")
	contains("#block-facts", "Proposer", x.validatorAddr, "App hash", "Chain", explorerChain)
	contains("#app-hash-note", "state after the previous block")
	b.screenshot("25-block")

	// The block page, loaded afresh, does not move either.
	if cls, moved := b.layoutShift("/blocks/"+hs, "#block-txs", x.transferHash[:12]); cls != 0 {
		t.Errorf("the block page shifts its layout while loading: %v (%s)", cls, moved)
	}

	// Block → the transfer's tx page → back to its block.
	b.do(chromedp.Click(`#block-txs a[href="#/txs/` + x.transferHash + `"]`))
	b.waitText("main h1", "Transaction")
	b.waitText("#messages", "2.5 hours")
	contains("#content dl.facts", x.transferHash, "success", "Block "+hs, "alice")
	b.screenshot("26-tx")
	b.do(chromedp.Click(`#content dl.facts a[href="#/blocks/` + hs + `"]`))
	b.waitText("main h1", "Block "+hs)
	b.waitText("#block-txs", x.transferHash[:12])

	// Claim 2's finalisation block shows the end-of-block event.
	var c2 struct {
		Claim struct {
			FinalizedHeight int64 `json:"finalized_height"`
		} `json:"claim"`
	}
	x.getJSON(t, "/api/v1/claims/2", &c2)
	b.do(chromedp.Navigate(fmt.Sprintf("%s/#/blocks/%d", x.base, c2.Claim.FinalizedHeight)))
	b.waitText("#block-events", "claim_finalized")
	contains("#block-events", "claim_id", "verified")

	// dave's account: the transfer he received, with the balance after it, its tx and its block.
	b.do(chromedp.Navigate(x.base + "/#/accounts/" + dave))
	b.waitText("#history", "Received")
	row := "#history tbody tr:nth-child(2)"
	contains(row, "Received", "+2.5 hours", "from alice", "tx "+x.transferHash[:8], "2.5 hours", "height "+hs)
	contains("#history tbody tr:nth-child(1)", "Minted", "+2 hours", "claim #2", "4.5 hours")
	b.screenshot("27-account-transfer")
	csvText, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(document.querySelector("#history-csv").href).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	lines := strings.Split(strings.TrimSpace(csvText), "\n")
	if err != nil || len(lines) != 3 || !strings.Contains(lines[0], "tx_hash") || !strings.Contains(lines[0], "balance_hours") ||
		!strings.Contains(lines[2], "transfer_in") || !strings.Contains(lines[2], x.transferHash) || !strings.Contains(lines[2], ",2.5,") {
		t.Errorf("dave's history CSV from the explorer's link: %v\n%s", err, csvText)
	}
	b.do(chromedp.Click(row + ` a[href="#/blocks/` + hs + `"]`))
	b.waitText("main h1", "Block "+hs)
	b.waitText("#block-txs", x.transferHash[:12])
	b.do(chromedp.Navigate(x.base + "/#/accounts/" + dave))
	b.waitText("#history", "Received")
	b.do(chromedp.Click(row + ` a[href="#/txs/` + x.transferHash + `"]`))
	b.waitText("main h1", "Transaction")
	b.waitText("#messages", "dave")
}
