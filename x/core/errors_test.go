package core_test

import (
	"errors"
	"fmt"
	"testing"

	// The app imports every module, so every registered error of the chain is in the registry.
	_ "github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/x/core"
)

// codeBlocks is the documented block of codes each codespace owns (see core.Register).
var codeBlocks = map[string][2]uint32{
	"core":     {1, 99},
	"auth":     {101, 199},
	"bank":     {201, 299},
	"members":  {301, 399},
	"claims":   {401, 499},
	"disputes": {501, 599},
	"gov":      {601, 699},
	"projects": {701, 799},
	"query":    {901, 999},
}

func TestRegisteredCodesUniqueAndInBlock(t *testing.T) {
	errs := core.Registered()
	if len(errs) < 20 {
		t.Fatalf("only %d registered errors; is the app's error set imported?", len(errs))
	}
	seen := map[uint32]*core.Error{}
	for _, e := range errs {
		t.Run(fmt.Sprintf("%s/%d", e.Codespace, e.Code), func(t *testing.T) {
			if prev, dup := seen[e.Code]; dup {
				t.Fatalf("code %d is both %s %q and %s %q", e.Code, prev.Codespace, prev.Desc, e.Codespace, e.Desc)
			}
			seen[e.Code] = e
			block, ok := codeBlocks[e.Codespace]
			if !ok {
				t.Fatalf("codespace %q has no documented code block", e.Codespace)
			}
			if e.Code < block[0] || e.Code > block[1] {
				t.Fatalf("code %d is outside %s's block %d–%d", e.Code, e.Codespace, block[0], block[1])
			}
			if e.Desc == "" {
				t.Fatal("no description")
			}
		})
	}
}

func TestRegisterRejectsReuse(t *testing.T) {
	tests := []struct {
		name  string
		code  uint32
		panic string
	}{
		{"code 0 is success", 0, "core: code 0 is reserved for success"},
		{"code already taken", 2, "core: code 2 registered twice (core and test)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != tc.panic {
					t.Fatalf("panic %v, want %q", r, tc.panic)
				}
			}()
			core.Register("test", tc.code, "dup")
		})
	}
}

func TestABCIInfo(t *testing.T) {
	reg := core.ErrInvalidAddress
	tests := []struct {
		name      string
		err       error
		codespace string
		code      uint32
		log       string
	}{
		{"success", nil, "", 0, ""},
		{"registered", reg, "core", 2, "invalid address"},
		{"wrapped with context", reg.Wrapf("%q is not bech32", "x"), "core", 2, `invalid address: "x" is not bech32`},
		{"wrapped again by fmt", fmt.Errorf("message 1 (transfer): %w", reg.Wrapf("bad")), "core", 2, "message 1 (transfer): invalid address: bad"},
		{"unregistered is internal", errors.New("boom"), "core", 1, "internal error: boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs, code, log := core.ABCIInfo(tc.err)
			if cs != tc.codespace || code != tc.code || log != tc.log {
				t.Fatalf("ABCIInfo = (%q, %d, %q), want (%q, %d, %q)", cs, code, log, tc.codespace, tc.code, tc.log)
			}
		})
	}
}
