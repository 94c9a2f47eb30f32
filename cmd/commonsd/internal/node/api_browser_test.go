package node_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/app/apptest"
)

// chromiumPath finds a Chromium or Chrome binary. Debian's chromium package installs /usr/bin/chromium.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// screenshotDir is artifacts/screenshots at the repository root (gitignored; CI keeps it).
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	out := filepath.Join(dir, "artifacts", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// browser is one headless Chromium tab on the explorer, collecting console errors.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string
	// fresh numbers the pages loaded as new documents (layoutShift).
	fresh int

	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed; CI must install it (apt-get install -y chromium)")
		}
		t.Skip("chromium is not installed (apt-get install -y chromium); skipping the browser test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	b := &browser{t: t, ctx: ctx, base: base, dir: screenshotDir(t)}
	messages := chromedp.Console(ctx) // subscribes now, so nothing the page logs is missed
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.mu.Lock()
				b.problems = append(b.problems, m.String()+" ("+m.URL+")")
				b.mu.Unlock()
			}
		}
	}()
	return b
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

// waitText waits until the element matching sel contains text.
func (b *browser) waitText(sel, text string) {
	b.t.Helper()
	expr := `(() => { const el = document.querySelector(` + jsString(sel) + `); return !!el && el.textContent.includes(` + jsString(text) + `); })()`
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector(`+jsString(sel)+`) || {}).textContent || "(no element)"`))
		b.t.Fatalf("waiting for %q in %s: %v; it has %q", text, sel, err, got)
	}
}

// contains checks that the element matching sel contains every want.
func (b *browser) contains(sel string, wants ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, want := range wants {
		if !strings.Contains(got, want) {
			b.t.Errorf("%s lacks %q: %q", sel, want, got)
		}
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.TextContent(sel))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *browser) count(sel string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
	if err != nil {
		b.t.Fatal(err)
	}
	return n
}

// screenshot saves the page as artifacts/screenshots/<name>.png, after checking that no value
// was rendered as JavaScript's "null", "undefined" or "NaN".
func (b *browser) screenshot(name string) {
	b.t.Helper()
	body := b.text("main")
	for _, bad := range []string{"null", "undefined", "NaN"} {
		if strings.Contains(body, bad) {
			b.t.Errorf("%s: the page shows %q: %s", name, bad, body)
		}
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG; below is JPEG
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// search types q into the header's search box and submits it.
func (b *browser) search(q string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('#q').value = ''`)); err != nil {
		b.t.Fatal(err)
	}
	b.do(chromedp.SendKeys("#q", q+kb.Enter)) // Enter fires the form's submit event, as a person would
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// testBrowser walks the explorer as a visitor would: home with the chart, a claim, its claimant,
// the search box, the lists with filters, and an account, checking the text each page shows.
func testBrowser(t *testing.T, x *explorerNode) {
	b := newBrowser(t, x.base)
	dave := x.dave.Addr.String()

	b.do(chromedp.Navigate(x.base + "/"))
	b.waitText("#chainbar", "chain "+explorerChain)
	b.waitText("#supply", "Minted by verified work")
	b.waitText("#supply", "3 hours")
	for _, want := range []string{"Reversed by disputes", "1 hour", "0.75 hours burned, 0.25 hours still owed as debt", "1 candidate, 0 suspended",
		"1 pending, 1 rejected, 1 reversed", "302.25 hours"} {
		if got := b.text("#supply"); !strings.Contains(got, want) {
			t.Errorf("home supply lacks %q: %q", want, got)
		}
	}
	if n := b.count(`#daily-chart rect[data-category="care"]`); n != 1 {
		t.Errorf("chart has %d care bars, want 1 (2 h verified today)", n)
	}
	if got := b.text(".legend"); !strings.Contains(got, "care (2 h)") || !strings.Contains(got, "code (0 h)") {
		t.Errorf("chart legend %q", got)
	}
	b.waitText("main", "Recent claims")
	b.screenshot("01-home")

	// Home → claim 2.
	b.do(chromedp.Click(`main a[href="#/claims/2"]`))
	b.waitText("main h1", "Claim #2")
	b.waitText("#timeline", "Finalised: verified")
	for _, want := range []string{"Weeded and watered the community garden", "2 approve, 0 reject", "I was there; the beds look great", x.evidenceURI, x.evidenceSHA256Hex, "2 h"} {
		if got := b.text("main"); !strings.Contains(got, want) {
			t.Errorf("claim page lacks %q", want)
		}
	}
	b.screenshot("02-claim")

	// Claim → its claimant, dave.
	b.do(chromedp.Click(`#content dl a[href="#/members/` + dave + `"]`))
	b.waitText("main h1", "dave")
	b.waitText("#claim-summary", "2 hours")
	for _, want := range []string{"alice", "bob", "4.5 hours", dave} {
		if got := b.text("main"); !strings.Contains(got, want) {
			t.Errorf("member page lacks %q", want)
		}
	}
	b.screenshot("03-member")

	// The search box: a handle, a claim id, a tx hash, an address, and nothing.
	b.search("erin")
	b.waitText("main h1", "erin")
	b.waitText("main", "candidate")
	b.search("3")
	b.waitText("main h1", "Claim #3")
	b.waitText("#timeline", "Finalised: rejected")
	b.search(strings.ToLower(x.transferHash))
	b.waitText("main h1", "Transaction")
	b.waitText("#messages", "2.5 hours")
	b.screenshot("04-search-tx")
	b.search(x.alice.Addr.String())
	b.waitText("main h1", "alice")
	b.search("nobody")
	b.waitText("#search-error", `nothing matches "nobody"`)
	b.screenshot("05-search-nothing")

	// Claims list with a filter from the URL, then from the form.
	b.do(chromedp.Navigate(x.base + "/#/claims?status=verified"))
	b.waitText("#content", "Showing 1–1 of 1")
	if n := b.count("#content tbody tr"); n != 1 {
		t.Errorf("verified claims table has %d rows, want 1", n)
	}
	// The CSV link downloads the same list: the header and the one verified claim.
	csvText, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(document.querySelector("#claims-csv").href).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	if lines := strings.Split(strings.TrimSpace(csvText), "\n"); err != nil || len(lines) != 2 || !strings.HasPrefix(lines[0], "id,claimant.address,") || !strings.Contains(lines[1], ",verified,") {
		t.Errorf("claims CSV from the explorer's link: %v\n%s", err, csvText)
	}
	b.do(chromedp.SetValue("#f-status", "pending"), chromedp.Click(`form.filters button[type="submit"]`))
	b.waitText("#content", "carol")
	b.waitText("#content", "pending")
	b.screenshot("06-claims-pending")

	// Members list, and an account page.
	b.do(chromedp.Click(`nav a[href="#/members"]`))
	b.waitText("#content", "Showing 1–9 of 9")
	b.screenshot("07-members")
	b.do(chromedp.Navigate(x.base + "/#/accounts/" + x.erin.Addr.String()))
	b.waitText("#content", "0 hours")
	b.waitText("#content", "candidate")

	// A bad address shows the API's message, not a broken page.
	b.do(chromedp.Navigate(x.base + "/#/members/commons1nope"))
	b.waitText("#content .error", "invalid address")

	// Phone-sized home page.
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(x.base+"/#/"))
	b.waitText("#supply", "Circulating")
	b.screenshot("08-home-phone")
	b.do(chromedp.EmulateViewport(1280, 900))

	testBrowserDispute(t, b, x)
	testBrowserReversal(t, b, x)
	testBrowserReviewers(t, b, x)
	testBrowserGovernance(t, b, x)
	testBrowserBlocks(t, b, x)
	testBrowserProjects(b, x)

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		// The browser logs the 404s of the searches for "nobody" and "dispute 77", of proposal 9 and project orchard, and the 400 of the bad address; any
		// other error (a missing asset, a script error, a CSP violation) is a bug.
		if strings.Contains(p, "/api/v1/search?q=nobody") || strings.Contains(p, "commons1nope") || strings.Contains(p, "/api/v1/search?q=dispute+77") ||
			strings.Contains(p, "/api/v1/proposals/9") || strings.Contains(p, "/api/v1/projects/orchard") {
			continue
		}
		t.Errorf("browser console: %s", p)
	}
}

// testBrowserDispute follows dispute 1 (see explorerNode): from its claim to the dispute page with
// its reason, juries, votes, decisions and timeline, to a juror, by the search box, and the list.
func testBrowserDispute(t *testing.T, b *browser, x *explorerNode) {
	handle := apptest.Handle
	first := x.firstJuror
	appeal := x.appealJurors

	// Claim 2 lists its dispute.
	b.do(chromedp.Navigate(x.base + "/#/claims/2"))
	b.waitText("#claim-disputes", "Dispute #1")
	for _, want := range []string{"carol", "dismissed", "final", "1 uphold, 2 dismiss"} {
		if got := b.text("#claim-disputes"); !strings.Contains(got, want) {
			t.Errorf("claim 2's disputes lack %q: %q", want, got)
		}
	}
	b.screenshot("10-claim-with-dispute")
	b.do(chromedp.Navigate(x.base + "/#/claims/3"))
	b.waitText("#claim-disputes", "Nobody has disputed this claim.")

	// Claim → its dispute.
	b.do(chromedp.Navigate(x.base + "/#/claims/2"))
	b.waitText("#claim-disputes", "Dispute #1")
	b.do(chromedp.Click(`#claim-disputes a[href="#/disputes/1"]`))
	b.waitText("main h1", "Dispute #1")
	b.waitText("#dispute-reason", disputeReason)
	checks := map[string][]string{
		"#content dl.facts": {"carol", "dave", "#2"},
		"#dispute-outcome":  {"dismissed", "appeal: majority", "1 uphold, 2 dismiss", "final"},
		"#decisions":        {"Jury (round 1)", "upheld", "1 uphold, 0 dismiss", "Appeal jury (round 3)", "dismissed", "majority"},
		"#jury":             {"Jury (round 1)", "Appeal jury (round 3)", handle(first), handle(appeal[0]), handle(appeal[1]), handle(appeal[2])},
		"#votes":            {firstVoteNote, appealVoteNote, "first jury", "appeal jury", "uphold", "dismiss"},
		"#dispute-timeline": {"Opened by carol", "Jury of 1 drawn (round 1)", "Decided: upheld (majority; 1 uphold, 0 dismiss)",
			"Appealed by dave (the claimant)", "the appeal window was open until", "Appeal jury of 3 drawn", "Appeal decided: dismissed (majority; 1 uphold, 2 dismiss)",
			"Final: dismissed (the appeal's decision)"},
	}
	for sel, wants := range checks {
		got := b.text(sel)
		for _, want := range wants {
			if !strings.Contains(got, want) {
				t.Errorf("dispute page: %s lacks %q: %q", sel, want, got)
			}
		}
	}
	if n := b.count("#votes tbody tr"); n != 4 {
		t.Errorf("dispute page shows %d votes, want 4", n)
	} else if got := b.text("#votes tbody tr:first-child"); !strings.Contains(got, handle(first)) || !strings.Contains(got, "first jury") {
		t.Errorf("the first vote shown is %q, want %s's, of the first jury", got, handle(first))
	}
	for _, k := range append([]apptest.Key{first}, appeal...) {
		if n := b.count(`#jury a[href="#/members/` + k.Addr.String() + `"]`); n != 1 {
			t.Errorf("juror %s is linked %d times in the jury, want once", handle(k), n)
		}
	}
	b.screenshot("09-dispute")

	// A juror's link goes to their member page.
	b.do(chromedp.Click(`#jury a[href="#/members/` + first.Addr.String() + `"]`))
	b.waitText("main h1", handle(first))

	// The search box finds a dispute by "dispute 1", and says so when there is none.
	b.search("dispute 1")
	b.waitText("main h1", "Dispute #1")
	b.waitText("#dispute-reason", disputeReason)
	b.search("dispute 77")
	b.waitText("#search-error", "no dispute 77")

	// The header links to the disputes list, which filters by status.
	b.do(chromedp.Click(`nav a[href="#/disputes"]`))
	b.waitText("main h1", "Disputes")
	b.waitText("#content", "Showing 1–2 of 2")
	for _, want := range []string{"Dispute #1", "Dispute #2", "#2", "#4", "dave", "carol", "frank", "dismissed", "upheld", "final"} {
		if got := b.text("#content"); !strings.Contains(got, want) {
			t.Errorf("disputes list lacks %q: %q", want, got)
		}
	}
	b.do(chromedp.SetValue("#f-status", "voting"), chromedp.Click(`form.filters button[type="submit"]`))
	b.waitText("#content", "No disputes match.")
	b.do(chromedp.SetValue("#f-status", "upheld"), chromedp.Click(`form.filters button[type="submit"]`))
	b.waitText("#content", "Showing 1–1 of 1")
	b.waitText("#content", "Dispute #2")
	b.do(chromedp.SetValue("#f-status", "dismissed"), chromedp.Click(`form.filters button[type="submit"]`))
	// "Showing 1–1 of 1" is on the upheld page too: wait for the dismissed one's own row first.
	b.waitText("#content tbody", "Dispute #1")
	b.waitText("#content", "Showing 1–1 of 1")
	if n := b.count("#content tbody tr"); n != 1 {
		t.Errorf("dismissed disputes table has %d rows, want 1", n)
	}
	b.screenshot("11-disputes-list")

	// A status the page does not know (a claim REVERSED by a newer node) still gets a badge with
	// its own class and style, not a bare word.
	style, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => {
		const known = badge('verified'), reversed = badge('reversed'), other = badge('Some New Status');
		document.body.append(known, reversed, other);
		const st = el => getComputedStyle(el);
		const out = [reversed.className, other.className, st(reversed).borderTopStyle, String(st(reversed).color !== st(known).color)].join('|');
		known.remove(); reversed.remove(); other.remove();
		return out;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "badge status-reversed|badge status-some-new-status|dashed|true"; style != want {
		t.Errorf("badges of unknown statuses: %q, want %q", style, want)
	}
}

// testBrowserReversal follows dispute 2's reversal of frank's claim 4 (see explorerNode): the claim
// with its reversal box, the claimant's record, strikes and history, his account, the dispute.
func testBrowserReversal(t *testing.T, b *browser, x *explorerNode) {
	frank := x.frank().Addr.String()
	contains := b.contains

	// The reversed claim: badge, reversal box with the dispute's link, timeline.
	b.do(chromedp.Navigate(x.base + "/#/claims/4"))
	b.waitText("main h1", "Claim #4")
	b.waitText("#reversal", "Reversed by Dispute #2")
	contains("#reversal", "finally upheld", "Burned", "0.75 hours from frank", "Debt", "0.25 hours, paid first out of frank", "What it minted (1 hour) is undone")
	contains("#content dl.facts .badge.status-reversed", "reversed")
	contains("#content dl.facts", workshopSummary, "1 hour (reversed)")
	contains("#timeline", "Finalised: verified", "Reversed by Dispute #2: reversed")
	contains("#claim-disputes", "Dispute #2", "upheld", "final")
	if n := b.count(`#reversal a[href="#/disputes/2"]`); n != 1 {
		t.Errorf("the reversal box links dispute 2 %d times, want once", n)
	}
	b.screenshot("12-claim-reversed")

	// The reversal box's dispute link: the dispute says what it reversed.
	b.do(chromedp.Click(`#reversal a[href="#/disputes/2"]`))
	b.waitText("main h1", "Dispute #2")
	b.waitText("#dispute-reason", reversalReason)
	contains("#dispute-reversal", "claim #4 reversed; 3 strikes")
	contains("#dispute-timeline", "Final: upheld (not appealed)", "Claim #4 reversed; 3 strikes given")
	contains("#votes", reversalVoteNote)
	b.screenshot("13-dispute-reversed")

	// The claimant's member page: record, strikes, debt, history.
	b.do(chromedp.Navigate(x.base + "/#/claims/4"))
	b.waitText("#reversal", "Reversed by Dispute #2")
	b.do(chromedp.Click(`#content dl.facts a[href="#/members/` + frank + `"]`))
	b.waitText("main h1", "frank")
	b.waitText("#record", "Claims verified")
	contains("#record", "1 hour; 1 reversed (1 hour)", "Approvals given", "0 on claims later reversed", "Disputes opened", "0 upheld, 0 dismissed",
		"Jury seats", "1 voted, 0 no-shows", "Active strikes", "1 of 3", "1 ever; suspended 0 times", "0.25 hours")
	contains("#strikes", "claimant", "#4", "Dispute #2", "active")
	if n := b.count("#strikes tbody tr"); n != 1 {
		t.Errorf("frank has %d strikes shown, want 1", n)
	}
	for _, sel := range []string{`#strikes a[href="#/claims/4"]`, `#strikes a[href="#/disputes/2"]`} {
		if n := b.count(sel); n != 1 {
			t.Errorf("%s: %d links, want 1", sel, n)
		}
	}
	contains("#content dl.facts", "Debt", "0.25 hours from reversed claims")
	contains("#claim-summary", "Reversed")
	if n := b.count("#history tbody tr"); n != 4 {
		t.Errorf("frank's history shows %d entries, want 4", n)
	}
	contains("#history tbody tr:nth-child(1)", "Became debt", "−0.25 hours", "claim #4", "0 hours", "debt 0.25 hours")
	contains("#history tbody tr:nth-child(2)", "Burned", "−0.75 hours", "claim #4", "0 hours")
	contains("#history tbody tr:nth-child(3)", "Sent", "−0.25 hours", "to carol", "tx "+x.frankTransferHash[:8], "0.75 hours")
	contains("#history tbody tr:nth-child(4)", "Minted", "+1 hour", "claim #4", "1 hour")
	if n := b.count(`#history tbody tr:nth-child(2) a[href="#/claims/4"]`); n != 1 {
		t.Errorf("the burn links claim 4 %d times, want once", n)
	}
	b.screenshot("14-member-record")

	// The account page pages the same history; the transfer links its tx.
	b.do(chromedp.Click(`#content dl.facts a[href="#/accounts/` + frank + `"]`))
	b.waitText("main h1", "Account")
	b.waitText("#history", "Burned")
	contains("#content dl.facts", "Debt", "0.25 hours")
	contains("#content", "Showing 1–4 of 4")
	b.screenshot("15-account-history")
	b.do(chromedp.Click(`#history a[href="#/txs/` + x.frankTransferHash + `"]`))
	b.waitText("main h1", "Transaction")
	b.waitText("#messages", "0.25 hours")

	// Claims filtered by the reversed status.
	b.do(chromedp.Navigate(x.base + "/#/claims?status=reversed"))
	b.waitText("#content", "Showing 1–1 of 1")
	contains("#content tbody", "frank", "reversed")
}

// testBrowserReviewers follows claim 1's drawn reviewers (see explorerNode): the claim lists them
// with grace's approval, heidi's member page lists the claim awaiting her review (grace's, who
// attested, has no such section), the claims list filters by it, and rejected claim 3 says why.
func testBrowserReviewers(t *testing.T, b *browser, x *explorerNode) {
	grace, heidi := x.judges[1].Addr.String(), x.judges[2].Addr.String()
	contains := b.contains

	// The claim: its drawn reviewers, who attested and how, and the reviewer-approval count.
	b.do(chromedp.Navigate(x.base + "/#/claims/1"))
	b.waitText("main h1", "Claim #1")
	b.waitText("#reviewers", "Drawn reviewers")
	contains("#content dl.facts", "Reviewer approvals", "1 of 3 drawn reviewers", "1 approve, 0 reject")
	if n := b.count("#reviewers tbody tr"); n != 3 {
		t.Fatalf("claim 1 shows %d drawn reviewers, want 3", n)
	}
	contains("#reviewers tbody tr:nth-child(1)", "grace", "approve")
	contains("#reviewers tbody tr:nth-child(2)", "heidi", "not yet")
	contains("#reviewers tbody tr:nth-child(3)", "ivan", "not yet")
	if n := b.count("#reviewers .badge.status-approve"); n != 1 {
		t.Errorf("claim 1's reviewers show %d approve badges, want 1", n)
	}
	if n := b.count("#outcome-reason"); n != 0 {
		t.Errorf("pending claim 1 shows an outcome reason")
	}
	contains("#timeline", "grace attested: approve")
	b.screenshot("16-claim-reviewers")

	// A reviewer's link: her member page lists the claim awaiting her review.
	b.do(chromedp.Click(`#reviewers a[href="#/members/` + heidi + `"]`))
	b.waitText("main h1", "heidi")
	b.waitText("#awaiting", "Awaiting review")
	contains("#awaiting", "heidi was drawn to review this claim and has not attested yet", "#1", "carol", "teaching", "pending")
	if n := b.count("#awaiting tbody tr"); n != 1 {
		t.Errorf("heidi's page shows %d claims awaiting review, want 1", n)
	}
	b.screenshot("17-member-awaiting")

	// grace attested: nothing awaits her, and the section is not shown.
	b.do(chromedp.Navigate(x.base + "/#/members/" + grace))
	b.waitText("main h1", "grace")
	b.waitText("#record", "Claims verified")
	if n := b.count("#awaiting"); n != 0 {
		t.Errorf("grace's page has an awaiting-review section: %q", b.text("#awaiting"))
	}

	// The claims list filters by the reviewer awaiting them.
	b.do(chromedp.Navigate(x.base + "/#/claims?awaiting=" + heidi))
	b.waitText("#content", "Showing 1–1 of 1")
	contains("#content tbody", "#1", "carol")
	if got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('#f-awaiting').value`)); err != nil || got != heidi {
		t.Errorf("the awaiting filter field holds %q (%v), want %s", got, err, heidi)
	}

	// A rejected claim says why; a claim without drawn reviewers has no reviewers section.
	b.do(chromedp.Navigate(x.base + "/#/claims/3"))
	b.waitText("main h1", "Claim #3")
	b.waitText("#outcome-reason", "1 approvals and 1 rejections: a claim needs at least 2 approvals")
	contains("#content dl.facts", "Why rejected")
	// Its summary is private and it is countersigned: the page shows the hash and the beneficiary.
	contains("#private-summary", "private summary", hex.EncodeToString(codeSummaryHash[:]))
	contains("#beneficiary", "countersigned by", hex.EncodeToString(maintainer.Priv.PubKey().Bytes()))
	if n := b.count(`#beneficiary a[href="#/accounts/` + maintainer.Addr.String() + `"]`); n != 1 {
		t.Errorf("the beneficiary is not linked to its address: %d links", n)
	}
	if n := b.count("#reviewers"); n != 0 {
		t.Errorf("claim 3 (no drawn reviewers) has a reviewers section")
	}
	b.screenshot("18-claim-rejected-reason")
}

// testBrowserGovernance follows the proposals and the validator set (see explorerNode): the list
// from the header with its status filter, text proposal 1 with its live tally and votes, params
// proposal 2 with the parameter it changes beside the one in force, and the validators page.
func testBrowserGovernance(t *testing.T, b *browser, x *explorerNode) {
	contains := b.contains

	// The header links to the proposals list, which filters by status.
	b.do(chromedp.Navigate(x.base + "/#/"))
	b.waitText("#supply", "Circulating")
	b.do(chromedp.Click(`nav a[href="#/proposals"]`))
	b.waitText("main h1", "Proposals")
	b.waitText("#content", "Showing 1–3 of 3")
	contains("#content tbody tr:nth-child(1)", "Proposal #3", "Validator "+opMoniker, "carol", "voting", "0 yes, 0 no, 0 abstain")
	contains("#content tbody tr:nth-child(2)", "Proposal #2", "Parameters of claims", paramsProposal, "bob", "voting", "1 yes, 0 no, 1 abstain")
	contains("#content tbody tr:nth-child(3)", "Proposal #1", "Text (no effect)", textProposal, "alice", "voting", "2 yes, 1 no, 0 abstain")
	if n := b.count(`nav a[href="#/proposals"][aria-current="page"]`); n != 1 {
		t.Errorf("the Proposals nav entry is not marked current")
	}
	b.screenshot("19-proposals")
	b.do(chromedp.SetValue("#f-status", "passed"), chromedp.Click(`form.filters button[type="submit"]`))
	b.waitText("#content", "No proposals match.")
	b.do(chromedp.SetValue("#f-status", "voting"), chromedp.Click(`form.filters button[type="submit"]`))
	b.waitText("#content", "Showing 1–3 of 3")

	// Proposal 1: the live tally, what it changes (nothing), the votes.
	b.do(chromedp.Click(`#content a[href="#/proposals/1"]`))
	b.waitText("main h1", "Proposal #1")
	b.waitText("#proposal-summary", textProposal)
	contains("#content dl.facts", "voting", "Text (no effect)", "alice", "Votes accepted until", "not yet")
	// 8 active members (supply's members); a quorum of 334‰ of them is 3 votes.
	contains("#tally", "Tally so far", "Yes", "2", "67%", "No", "33%", "Abstain", "3 of 8 active members have voted", "3 votes at today",
		"more than half of the yes and no votes; yes has 2 of 3")
	if n := b.count("#tally .tally-bar .seg"); n != 2 {
		t.Errorf("the tally bar has %d segments, want 2 (yes and no)", n)
	}
	if n := b.count("#tally .tally-bar .seg.yes"); n != 1 {
		t.Errorf("the tally bar has no yes segment")
	}
	contains("#changes", "A text proposal is a signal with no effect")
	if n := b.count("#proposal-votes tbody tr"); n != 3 {
		t.Errorf("proposal 1 shows %d votes, want 3", n)
	}
	contains("#proposal-votes", "alice", "bob", "carol", "yes", "no")
	if n := b.count("#proposal-votes .badge.status-yes"); n != 2 {
		t.Errorf("proposal 1 shows %d yes badges, want 2", n)
	}
	b.screenshot("20-proposal")

	// Proposal 2: the parameter it changes, beside the one in force.
	b.do(chromedp.Navigate(x.base + "/#/proposals/2"))
	b.waitText("main h1", "Proposal #2")
	b.waitText("#changes", "Sets every parameter of the claims module")
	contains("#changes", "1 of 14 differs from the parameters in force now", "min approvals", "require beneficiarynonenone", "attestation window", "care, code")
	if n := b.count("#changes tbody tr.changed"); n != 1 {
		t.Errorf("proposal 2 marks %d parameters as changed, want 1", n)
	}
	contains("#changes tbody tr.changed", "min approvals", "3", "differs", "2")
	contains("#tally", "1 of 1", "Abstain")
	b.screenshot("21-proposal-params")

	// Proposal 3: a validator joining, with its key, CometBFT address and power now and proposed.
	b.do(chromedp.Navigate(x.base + "/#/proposals/3"))
	b.waitText("main h1", "Proposal #3")
	b.waitText("#changes", opMoniker+" joins the validator set")
	contains("#changes", "0 now → 3 proposed", base64.StdEncoding.EncodeToString(opKey[:]), cmted25519.PubKey(opKey[:]).Address().String(),
		"no change may move a third or more")
	contains("#tally", "Tally so far", "No votes yet", "more than two thirds of the yes and no votes; there are none yet")
	contains("#proposal-votes", "No votes yet.")
	b.screenshot("22-proposal-validator")

	// The validators page: the node's own validator from genesis.
	b.do(chromedp.Click(`nav a[href="#/validators"]`))
	b.waitText("main h1", "Validators")
	b.waitText("#validator-summary", "Total voting power")
	contains("#validator-summary", fmt.Sprint(x.validatorPower))
	if n := b.count("#validator-set tbody tr"); n != 1 {
		t.Errorf("the validator set shows %d validators, want 1", n)
	}
	contains("#validator-set", "validator "+x.validatorAddr[:8], x.validatorAddr[:12], "100.0%", "genesis")
	contains("#validator-history", fmt.Sprintf("in the genesis set with power %d", x.validatorPower), "genesis")
	b.screenshot("23-validators")

	// A proposal that does not exist shows the API's message.
	b.do(chromedp.Navigate(x.base + "/#/proposals/9"))
	b.waitText("#content .error", "no proposal 9")

}

// testBrowserProjects follows claim 2's project link to the project page (dave's 2 verified
// hours, the whole share; the account; alice, the steward), then the projects list and an unknown
// project.
func testBrowserProjects(b *browser, x *explorerNode) {
	contains := b.contains
	b.do(chromedp.Navigate(x.base + "/#/claims/2"))
	b.waitText("#claim-project", "garden")
	b.do(chromedp.Click(`#claim-project`))
	b.waitText("main h1", "Project garden")
	b.waitText("#project-contributors", "dave")
	contains("#project-contributors", "2", "1000000")
	contains("#content dl.facts", "Community garden", "0 hours", "alice", "Anyone may transfer hours here")
	contains("#project-distributions", "Nothing distributed yet.")
	b.screenshot("24-project")
	b.do(chromedp.Click(`nav a[href="#/projects"]`))
	b.waitText("main h1", "Projects")
	b.waitText("main table", "garden")
	contains("main table", "Community garden", "alice")
	b.do(chromedp.Navigate(x.base + "/#/projects/orchard"))
	b.waitText("#content .error", "no project")
}
