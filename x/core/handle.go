package core

import (
	"fmt"
	"strings"
)

// Handle length bounds: member and project handles follow the same rule.
const (
	MinHandleLen = 3
	MaxHandleLen = 32
)

// CheckHandle checks that h is 3–32 characters of [a-z0-9-], and says how to fix it otherwise. The
// modules wrap its error in their own registered code.
func CheckHandle(h string) error {
	if len(h) < MinHandleLen || len(h) > MaxHandleLen {
		return fmt.Errorf("%q has %d characters; use %d to %d of a-z, 0-9 and -", h, len(h), MinHandleLen, MaxHandleLen)
	}
	for _, r := range h {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			continue
		}
		if lower := strings.ToLower(h); lower != h && CheckHandle(lower) == nil {
			return fmt.Errorf("%q has upper-case letters; handles are lower case, try %q", h, lower)
		}
		return fmt.Errorf("%q contains %q; use only a-z, 0-9 and -", h, r)
	}
	return nil
}
