package core_test

import (
	"testing"
	"time"

	"github.com/commonsledger/commons/x/core"
)

func TestFormatTime(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 0, 5, 0, time.UTC).Unix()
	if got, want := core.FormatTime(at), "2026-11-20 09:00:05 UTC"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestFormatDuration(t *testing.T) {
	for sec, want := range map[int64]string{0: "0s", 45: "45s", 5400: "1h30m0s", 30 * 86400: "720h0m0s"} {
		if got := core.FormatDuration(sec); got != want {
			t.Errorf("FormatDuration(%d) = %q, want %q", sec, got, want)
		}
	}
}

func TestFormatInterval(t *testing.T) {
	at := func(d, h, m, s int) int64 { return time.Date(2026, 11, d, h, m, s, 0, time.UTC).Unix() }
	tests := []struct {
		name       string
		start, end int64
		want       string
	}{
		{"same day", at(20, 9, 0, 0), at(20, 11, 0, 0), "2026-11-20 09:00–11:00 UTC"},
		{"with seconds", at(20, 9, 0, 30), at(20, 11, 0, 0), "2026-11-20 09:00:30–11:00:00 UTC"},
		{"over midnight", at(20, 23, 0, 0), at(21, 1, 0, 0), "2026-11-20 23:00–2026-11-21 01:00 UTC"},
		{"same day of another year", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Unix(),
			time.Date(2027, 11, 20, 9, 0, 0, 0, time.UTC).Unix(), "2026-11-20 09:00–2027-11-20 09:00 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := core.FormatInterval(tt.start, tt.end); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
