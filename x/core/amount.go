package core

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MicroPerHour is the number of micro-hours (uhour) in one hour.
const MicroPerHour = 1_000_000

// ParseAmount reads an amount written as decimal hours ("2.5"), with the hour unit ("2.5hour",
// "2.5hours", "2.5h") or in micro-hours ("2500000uhour"). It never uses floating point.
func ParseAmount(s string) (uint64, error) {
	in := strings.TrimSpace(strings.ToLower(s))
	if in == "" {
		return 0, fmt.Errorf("empty amount; write hours like 2.5 or micro-hours like 2500000uhour")
	}
	if num, ok := strings.CutSuffix(in, "uhour"); ok {
		v, err := strconv.ParseUint(strings.TrimSpace(num), 10, 64)
		if errors.Is(err, strconv.ErrRange) {
			return 0, fmt.Errorf("amount %q is too large", s)
		}
		if err != nil {
			return 0, fmt.Errorf("amount %q: micro-hours must be a whole non-negative number", s)
		}
		return v, nil
	}
	num := in
	for _, unit := range []string{"hours", "hour", "h"} {
		if n, ok := strings.CutSuffix(in, unit); ok {
			num = strings.TrimSpace(n)
			break
		}
	}
	return parseDecimalHours(num, s)
}

func parseDecimalHours(num, orig string) (uint64, error) {
	whole, frac, hasDot := strings.Cut(num, ".")
	bad := fmt.Errorf("amount %q: write hours like 2.5 (at most 6 decimals) or micro-hours like 2500000uhour", orig)
	if whole == "" && (!hasDot || frac == "") {
		return 0, bad
	}
	if len(frac) > 6 {
		return 0, fmt.Errorf("amount %q has more than 6 decimals; the smallest unit is 0.000001 hour (1uhour)", orig)
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, bad
			}
		}
	}
	var w uint64
	if whole != "" {
		var err error
		if w, err = strconv.ParseUint(whole, 10, 64); errors.Is(err, strconv.ErrRange) {
			return 0, fmt.Errorf("amount %q is too large", orig)
		} else if err != nil {
			return 0, bad
		}
	}
	f := uint64(0)
	if frac != "" {
		frac += strings.Repeat("0", 6-len(frac))
		f, _ = strconv.ParseUint(frac, 10, 64)
	}
	if w > (^uint64(0)-f)/MicroPerHour {
		return 0, fmt.Errorf("amount %q is too large", orig)
	}
	return w*MicroPerHour + f, nil
}

// FormatAmount renders micro-hours as decimal hours with the unit, trimming trailing zeros:
// 2500000 → "2.5 hours", 1000000 → "1 hour".
func FormatAmount(u uint64) string {
	s := FormatHours(u)
	if s == "1" {
		return "1 hour"
	}
	return s + " hours"
}

// FormatHours renders micro-hours as a bare decimal number of hours ("2.5").
func FormatHours(u uint64) string {
	whole, frac := u/MicroPerHour, u%MicroPerHour
	if frac == 0 {
		return strconv.FormatUint(whole, 10)
	}
	return strings.TrimRight(fmt.Sprintf("%d.%06d", whole, frac), "0")
}

// Uhour renders an amount as it appears in events: "2500000uhour".
func Uhour(u uint64) string { return strconv.FormatUint(u, 10) + "uhour" }
