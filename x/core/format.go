package core

import "time"

// Times, durations and intervals as error messages, the CLI and logs write them for people (events
// carry unix seconds, the API RFC 3339). Block times are whole unix seconds, shown in UTC.

// FormatTime renders unix seconds as "2026-11-20 09:00:05 UTC".
func FormatTime(unix int64) string {
	return time.Unix(unix, 0).UTC().Format("2006-01-02 15:04:05 UTC")
}

// FormatDuration renders seconds as time.Duration does: "1h30m0s", "45s".
func FormatDuration(sec int64) string { return (time.Duration(sec) * time.Second).String() }

// FormatInterval renders [start, end) as "2026-11-20 09:00–11:00 UTC": with seconds when either
// bound has them ("2026-11-20 09:00:30–11:00:00 UTC"), and with the end's date when it falls on
// another day ("2026-11-20 23:00–2026-11-21 01:00 UTC").
func FormatInterval(start, end int64) string {
	s, e := time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC()
	clock := "15:04"
	if s.Second() != 0 || e.Second() != 0 {
		clock = "15:04:05"
	}
	endLayout := clock
	if s.YearDay() != e.YearDay() || s.Year() != e.Year() {
		endLayout = "2006-01-02 " + clock
	}
	return s.Format("2006-01-02 "+clock) + "–" + e.Format(endLayout) + " UTC"
}
