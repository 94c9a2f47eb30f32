package core_test

import (
	"testing"

	"github.com/commonsledger/commons/x/core"
)

type testEnum int32

func (e testEnum) String() string { return [...]string{"COLOR_UNSPECIFIED", "COLOR_DARK_RED"}[e] }

func TestEnumName(t *testing.T) {
	if got := core.EnumName(testEnum(1), "COLOR_"); got != "dark_red" {
		t.Fatalf("EnumName = %q", got)
	}
	name := func(e testEnum) string { return core.EnumName(e, "COLOR_") }
	if v, ok := core.ParseEnum("dark_red", name, testEnum(1)); !ok || v != 1 {
		t.Fatalf("ParseEnum(dark_red) = %v, %v", v, ok)
	}
	if v, ok := core.ParseEnum("unspecified", name, testEnum(1)); ok || v != 0 {
		t.Fatalf("ParseEnum(unspecified) = %v, %v; only the listed values parse", v, ok)
	}
}
