package app_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Module boundaries: each module under x/ owns its key layout. Its key prefixes and key builders
// are unexported, so that code outside x/<module> cannot name them (a compile-time guarantee), and
// the API, the CLI, the app and the invariants ask the module's keeper instead. The two tests
// below keep it that way:
//
//   - TestModulesExportNoKeys fails if a module exports an identifier that names a key prefix or a
//     key builder (a name ending in Prefix, Prefixes, Key or Keys), except KeyPrefixes, the
//     prefix list of the overlap test (app/keys.go). Re-exporting ClaimKey, say, fails here.
//   - TestModuleKeysStayInside parses every non-generated .go file of the repository (tests
//     included) outside x/<module> and fails if it names such an identifier of <module> (however
//     the import is named), uses KeyPrefixes anywhere but app/keys.go, or hand-builds a
//     sub-prefix of a module's key space ([]byte{core.PrefixClaims, 0x08}, the old API's way).
//     Re-adding `core.IteratePrefix(v, claims.ByClaimantPrefix, …)` to app/api fails here even if
//     the export check were bypassed (say by a re-export under another name ending in Prefix).
//
// TestBoundaryCheckCatches runs the two checks on small sources, the ones that must fail and the
// ones that must not, so a check that silently stopped working would fail too. Tests inside a
// module reach its keys through the module's export_test.go, which only that module's tests see.

// keyModules are the modules with state; x/core holds the shared key helpers and module bytes.
var keyModules = []string{"bank", "members", "claims", "disputes"}

const modulePath = "github.com/commonsledger/commons/x/"

// moduleBytes are x/core's module prefixes: one alone is a module's key space (fine to name, e.g.
// to fault reads of a module in a test); followed by more bytes it is a hand-built sub-prefix.
var moduleBytes = []string{"PrefixBank", "PrefixMembers", "PrefixClaims", "PrefixDisputes"}

// keyName reports an identifier that names a key prefix or a key builder.
func keyName(name string) bool {
	for _, suffix := range []string{"Prefix", "Prefixes", "Key", "Keys"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// allowedUse lists the (file, module.identifier) uses outside a module that are allowed.
var allowedUse = map[string]bool{
	"app/keys.go bank.KeyPrefixes":     true,
	"app/keys.go members.KeyPrefixes":  true,
	"app/keys.go claims.KeyPrefixes":   true,
	"app/keys.go disputes.KeyPrefixes": true,
	"app/keys.go gov.KeyPrefixes":      true,
}

// exportedKeyNames returns the exported top-level identifiers (and methods) of one module source
// file that name a key prefix or builder, except KeyPrefixes. Generated files are skipped.
func exportedKeyNames(fset *token.FileSet, name string, src []byte) ([]string, error) {
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil || ast.IsGenerated(f) {
		return nil, err
	}
	var out []string
	add := func(id *ast.Ident) {
		if id.IsExported() && keyName(id.Name) && id.Name != "KeyPrefixes" {
			out = append(out, fset.Position(id.Pos()).String()+": "+id.Name)
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			add(d.Name)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for _, n := range s.Names {
						add(n)
					}
				case *ast.TypeSpec:
					add(s.Name)
				}
			}
		}
	}
	return out, nil
}

// keyUses returns the places where a file at rel (slash-separated, from the repository root) names
// a key prefix or builder of a module it is not part of. Generated files are skipped.
func keyUses(fset *token.FileSet, rel string, src []byte) ([]string, error) {
	f, err := parser.ParseFile(fset, rel, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil || ast.IsGenerated(f) {
		return nil, err
	}
	own := func(module string) bool { return strings.HasPrefix(rel, "x/"+module+"/") }
	local := map[string]string{} // import name in this file → module
	coreName := ""
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		mod, ok := strings.CutPrefix(path, modulePath)
		if !ok {
			continue
		}
		name := mod
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if mod == "core" {
			coreName = name
		} else if slices.Contains(keyModules, mod) && !own(mod) {
			local[name] = mod
		}
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			x, ok := n.X.(*ast.Ident)
			if !ok {
				return true
			}
			if mod, ok := local[x.Name]; ok && keyName(n.Sel.Name) && !allowedUse[rel+" "+mod+"."+n.Sel.Name] {
				out = append(out, fset.Position(n.Pos()).String()+": "+mod+"."+n.Sel.Name)
			}
		case *ast.CompositeLit:
			// []byte{core.PrefixClaims, 0x08, …} outside x/claims: a hand-built sub-prefix.
			if len(n.Elts) < 2 || coreName == "" {
				return true
			}
			sel, ok := n.Elts[0].(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == coreName && slices.Contains(moduleBytes, sel.Sel.Name) {
				mod := strings.ToLower(strings.TrimPrefix(sel.Sel.Name, "Prefix"))
				if !own(mod) {
					out = append(out, fset.Position(n.Pos()).String()+": a hand-built "+mod+" sub-prefix")
				}
			}
		}
		return true
	})
	return out, nil
}

func TestModulesExportNoKeys(t *testing.T) {
	fset := token.NewFileSet()
	for _, mod := range keyModules {
		files, err := filepath.Glob(filepath.Join("..", "x", mod, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no sources for x/%s: %v", mod, err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			names, err := exportedKeyNames(fset, file, src)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range names {
				t.Errorf("%s: x/%s exports a key prefix or key builder; unexport it and give callers a keeper method", n, mod)
			}
		}
	}
}

func TestModuleKeysStayInside(t *testing.T) {
	root := ".."
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		uses, err := keyUses(fset, filepath.ToSlash(rel), src)
		if err != nil {
			return err
		}
		checked++
		for _, u := range uses {
			t.Errorf("%s: outside its module; ask the module's keeper instead", u)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d files; is the walk rooted at the repository?", checked)
	}
}

// TestBoundaryCheckCatches runs both checks on sources that must fail them and on sources that
// must pass, so that neither can silently stop working.
func TestBoundaryCheckCatches(t *testing.T) {
	const header = "package api\n\nimport (\n\t\"github.com/commonsledger/commons/x/claims\"\n\tcl \"github.com/commonsledger/commons/x/claims\"\n\t\"github.com/commonsledger/commons/x/bank\"\n\t\"github.com/commonsledger/commons/x/members\"\n\t\"github.com/commonsledger/commons/x/core\"\n)\n\n"
	uses := []struct {
		name, rel, body string
		caught          bool
	}{
		{"a claims prefix in the API", "app/api/members.go", "var _ = core.IteratePrefix(nil, claims.ByClaimantPrefix, false, nil)", true},
		{"a claims key builder", "app/invariants.go", "var _ = claims.RejectedKey(nil, 0, 0)", true},
		{"a bank prefix in the CLI", "cmd/commonsd/cmd_query.go", "var _ = bank.DaySupplyPrefix", true},
		{"a members key in a test", "app/contrib_test.go", "var _ = members.HandleKey(\"ann\")", true},
		{"a renamed import", "app/api/stats.go", "var _ = cl.DailyPrefix", true},
		{"a hand-built sub-prefix", "app/api/members.go", "var _ = core.Key([]byte{core.PrefixClaims, 0x08}, nil)", true},
		{"the prefix list outside the overlap test", "app/api/server.go", "var _ = claims.KeyPrefixes()", true},
		{"the prefix list in the overlap test", "app/keys.go", "var _ = claims.KeyPrefixes()", false},
		{"a module's own keys", "x/claims/query.go", "var _ = claims.ByClaimantPrefix", false},
		{"a module byte alone", "app/panic_internal_test.go", "var _ = []byte{core.PrefixClaims}", false},
		{"a request field named like a prefix", "app/api/members.go", "var _ = members.QueryMembersRequest{HandlePrefix: \"a\"}.HandlePrefix", false},
		{"a keeper method", "app/api/members.go", "var _ = claims.Keeper{}.ClaimsOf", false},
	}
	for _, tc := range uses {
		got, err := keyUses(token.NewFileSet(), tc.rel, []byte(header+tc.body+"\n"))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if caught := len(got) > 0; caught != tc.caught {
			t.Errorf("%s (%s): caught %v %v, want caught %v", tc.name, tc.body, caught, got, tc.caught)
		}
	}
	exports := []struct {
		body   string
		caught bool
	}{
		{"var ByStartPrefix = []byte{3, 0x10}", true},
		{"func ClaimKey(id uint64) []byte { return nil }", true},
		{"func (Keeper) TallyKey(id uint64) []byte { return nil }", true},
		{"const ParamsKey = 5", true},
		{"var byStartPrefix = []byte{3, 0x10}", false},
		{"func KeyPrefixes() [][]byte { return nil }", false},
		{"func (Keeper) ClaimsOf() {}", false},
	}
	for _, tc := range exports {
		got, err := exportedKeyNames(token.NewFileSet(), "x/claims/keys.go", []byte("package claims\n\n"+tc.body+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if caught := len(got) > 0; caught != tc.caught {
			t.Errorf("export %q: caught %v %v, want caught %v", tc.body, caught, got, tc.caught)
		}
	}
}
