package node_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
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
	b.waitText("#supply", "2 hours")
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
	b.do(chromedp.SetValue("#f-status", "pending"), chromedp.Click(`form.filters button[type="submit"]`))
	b.waitText("#content", "carol")
	b.waitText("#content", "pending")
	b.screenshot("06-claims-pending")

	// Members list, and an account page.
	b.do(chromedp.Click(`nav a[href="#/members"]`))
	b.waitText("#content", "Showing 1–5 of 5")
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

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		// The browser logs the 404 of the search for "nobody" and the 400 of the bad address; any
		// other error (a missing asset, a script error, a CSP violation) is a bug.
		if strings.Contains(p, "/api/v1/search?q=nobody") || strings.Contains(p, "commons1nope") {
			continue
		}
		t.Errorf("browser console: %s", p)
	}
}
