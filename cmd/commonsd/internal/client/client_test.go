package client

import "testing"

func TestNextSequence(t *testing.T) {
	for log, want := range map[string]uint64{
		"sequence already used: sequence 4 of commons1x was already used; the next one is 7": 7,
		"the next one is 12; retry": 12,
	} {
		if got, ok := nextSequence(log); !ok || got != want {
			t.Fatalf("%q: %d %v", log, got, ok)
		}
	}
	if _, ok := nextSequence("sequence skips ahead"); ok {
		t.Fatal("no number")
	}
}
