package members_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

func TestValidateHandle(t *testing.T) {
	tests := []struct {
		handle string
		ok     bool
		frag   string
	}{
		{"ada", true, ""},
		{"ada-lovelace-1815", true, ""},
		{strings.Repeat("a", 32), true, ""},
		{"ab", false, "has 2 characters"},
		{strings.Repeat("a", 33), false, "has 33 characters"},
		{"Ada", false, `try "ada"`},
		{"ada lovelace", false, "contains ' '"},
		{"adà", false, "contains 'à'"},
		{"", false, "has 0 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.handle, func(t *testing.T) {
			err := members.ValidateHandle(tt.handle)
			if tt.ok != (err == nil) {
				t.Fatalf("ValidateHandle(%q) = %v", tt.handle, err)
			}
			if err != nil && (!errors.Is(err, members.ErrInvalidHandle) || !strings.Contains(err.Error(), tt.frag)) {
				t.Fatalf("ValidateHandle(%q) = %v, want %q", tt.handle, err, tt.frag)
			}
		})
	}
}

// withStrikes is DefaultParams with the strike parameters replaced.
func withStrikes(toSuspend uint32, window, period int64) members.Params {
	p := members.DefaultParams()
	p.StrikesToSuspend, p.StrikeWindow, p.SuspensionPeriod = toSuspend, window, period
	return p
}

// withAdmissions is DefaultParams with the admission limit replaced.
func withAdmissions(n uint32, period int64) members.Params {
	p := members.DefaultParams()
	p.AdmissionsPerPeriod, p.AdmissionPeriod = n, period
	return p
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name string
		p    members.Params
		frag string // "" when valid
	}{
		{"default", members.DefaultParams(), ""},
		{"devnet", members.DevnetParams(), ""},
		{"smallest", members.Params{VouchesToJoin: 2, VouchCooldown: 1, StrikesToSuspend: 1, StrikeWindow: 1, SuspensionPeriod: 1,
			AdmissionsPerPeriod: 1, AdmissionPeriod: 1}, ""},
		{"largest", members.Params{VouchesToJoin: 100, VouchCooldown: 365 * 86400, StrikesToSuspend: 100, StrikeWindow: members.MaxStrikePeriod,
			SuspensionPeriod: members.MaxStrikePeriod, Probation: 365 * 86400, AdmissionsPerPeriod: members.MaxAdmissionsPerPeriod, AdmissionPeriod: 365 * 86400}, ""},
		{"no admissions", withAdmissions(0, 86400), "admissions_per_period 0 must be between 1 and 10000"},
		{"no admission period", withAdmissions(4, 0), "admission_period 0 must be between 1 and 31536000 seconds"},
		{"negative probation", func() members.Params { p := members.DefaultParams(); p.Probation = -1; return p }(), "probation -1 must be between 0 and 31536000 seconds"},
		{"no strikes to suspend", withStrikes(0, 1, 1), "strikes_to_suspend 0 must be between 1 and 100"},
		{"too many strikes", withStrikes(101, 1, 1), "strikes_to_suspend 101 must be between 1 and 100"},
		{"no strike window", withStrikes(3, 0, 1), "strike_window 0 must be between 1 and 315360000 seconds"},
		{"strike window too long", withStrikes(3, members.MaxStrikePeriod+1, 1), "strike_window 315360001 must be between"},
		{"no suspension", withStrikes(3, 1, 0), "suspension_period 0 must be between 1 and 315360000 seconds"},
		{"suspension too long", withStrikes(3, 1, members.MaxStrikePeriod+1), "suspension_period 315360001 must be between"},
		{"zero vouches", members.Params{VouchesToJoin: 0, VouchCooldown: 1},
			"vouches_to_join 0 must be between 2 and 100: with fewer than 2 a single member admits anyone alone"},
		{"one vouch", members.Params{VouchesToJoin: 1, VouchCooldown: 86400},
			"vouches_to_join 1 must be between 2 and 100"},
		{"too many vouches", members.Params{VouchesToJoin: 101, VouchCooldown: 86400},
			"vouches_to_join 101 must be between 2 and 100"},
		{"negative cooldown", members.Params{VouchesToJoin: 2, VouchCooldown: -1},
			"vouch_cooldown -1 must be between 1 and 31536000 seconds"},
		{"no cooldown", members.Params{VouchesToJoin: 2},
			"vouch_cooldown 0 must be between 1 and 31536000 seconds: 0 lets a voucher vouch any number of times per block (a real network uses 86400, a day)"},
		{"cooldown above a year", members.Params{VouchesToJoin: 2, VouchCooldown: 365*86400 + 1},
			"vouch_cooldown 31536001 must be between 1 and 31536000 seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.frag == "" && err != nil || tt.frag != "" && (err == nil || !strings.Contains(err.Error(), tt.frag)) {
				t.Fatalf("Validate() = %v, want %q", err, tt.frag)
			}
			if tt.frag != "" {
				g := &members.GenesisState{Params: &tt.p}
				if gerr := g.Validate(); !errors.Is(gerr, members.ErrInvalidGenesis) || !strings.Contains(gerr.Error(), tt.frag) {
					t.Fatalf("genesis Validate() = %v", gerr)
				}
			}
		})
	}
}

func TestGenesisValidate(t *testing.T) {
	a := core.AddressFromPubKey([]byte("a")).String()
	b := core.AddressFromPubKey([]byte("b")).String()
	p := members.DefaultParams()
	tests := []struct {
		name    string
		members []*members.Member
		frag    string
	}{
		{"founders", []*members.Member{{Address: a, Handle: "ada"}, {Address: b, Handle: "bob"}}, ""},
		{"duplicate address", []*members.Member{{Address: a, Handle: "ada"}, {Address: a, Handle: "bob"}}, "listed twice"},
		{"duplicate handle", []*members.Member{{Address: a, Handle: "ada"}, {Address: b, Handle: "ada"}}, "used twice"},
		{"bad handle", []*members.Member{{Address: a, Handle: "A"}}, "invalid handle"},
		{"bad address", []*members.Member{{Address: "x", Handle: "ada"}}, "invalid address"},
		{"over-vouched candidate", []*members.Member{{Address: a, Handle: "ada",
			Status: members.MemberStatus_MEMBER_STATUS_CANDIDATE, Vouchers: []string{b, b}}}, "enough to be active"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&members.GenesisState{Params: &p, Members: tt.members}).Validate()
			if tt.frag == "" && err != nil || tt.frag != "" && (err == nil || !strings.Contains(err.Error(), tt.frag)) {
				t.Fatalf("Validate() = %v, want %q", err, tt.frag)
			}
			if err != nil && !errors.Is(err, members.ErrInvalidGenesis) {
				t.Fatalf("%v is not ErrInvalidGenesis", err)
			}
		})
	}
}
