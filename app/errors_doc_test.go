package app_test

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	_ "github.com/commonsledger/commons/app" // registers every module's errors
	"github.com/commonsledger/commons/x/core"
)

var updateDocs = flag.Bool("update", false, "rewrite generated tables in docs/protocol.md")

const (
	protocolDoc = "../docs/protocol.md"
	tableBegin  = "<!-- errors:begin -->\n"
	tableEnd    = "<!-- errors:end -->"
)

// errorTable renders every registered error, ordered by code.
func errorTable() string {
	errs := core.Registered()
	sort.Slice(errs, func(i, j int) bool { return errs[i].Code < errs[j].Code })
	var b strings.Builder
	b.WriteString("| code | codespace | meaning |\n|---:|---|---|\n")
	for _, e := range errs {
		fmt.Fprintf(&b, "| %d | %s | %s |\n", e.Code, e.Codespace, e.Desc)
	}
	return b.String()
}

// TestErrorTable fails when the error table in docs/protocol.md differs from the registry.
func TestErrorTable(t *testing.T) {
	raw, err := os.ReadFile(protocolDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, tableBegin), strings.Index(doc, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the %q … %q markers", protocolDoc, tableBegin, tableEnd)
	}
	want := errorTable()
	if got := doc[i+len(tableBegin) : j]; got == want {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(protocolDoc, []byte(doc[:i+len(tableBegin)]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("the error table in docs/protocol.md is out of date; run go test ./app -run TestErrorTable -update")
}
