package app

import "testing"

// TestLookupQuery pins which paths the route table answers: a route with an argument needs exactly
// one, a route without refuses one.
func TestLookupQuery(t *testing.T) {
	tests := []struct {
		path, arg string
		ok        bool
	}{
		{"/bank/account/commons1x", "commons1x", true},
		{"bank/account/commons1x/", "commons1x", true},
		{"/bank/account", "", false},
		{"/bank/account/a/b", "", false},
		{"/bank/supply", "", true},
		{"/bank/supply/x", "", false},
		{"/members/member/commons1x", "commons1x", true},
		{"/members/members", "", true},
		{"/members", "", false},
		{"/claims/claim/7", "7", true},
		{"/claims/claims", "", true},
		{"/claims/stats", "", true},
		{"/claims/nope", "", false},
		{"/app/supply", "", true},
		{"/app/params", "", true},
		{"/app/params/x", "", false},
		{"/", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		_, arg, ok := lookupQuery(tt.path)
		if ok != tt.ok || arg != tt.arg {
			t.Errorf("lookupQuery(%q) = %q, %v; want %q, %v", tt.path, arg, ok, tt.arg, tt.ok)
		}
	}
}
