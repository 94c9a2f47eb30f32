package members

import "strings"

// Handle length bounds.
const (
	MinHandleLen = 3
	MaxHandleLen = 32
)

// ValidateHandle checks that h is 3–32 characters of [a-z0-9-], and says how to fix it otherwise.
func ValidateHandle(h string) error {
	if len(h) < MinHandleLen || len(h) > MaxHandleLen {
		return ErrInvalidHandle.Wrapf("%q has %d characters; use %d to %d of a-z, 0-9 and -", h, len(h), MinHandleLen, MaxHandleLen)
	}
	for _, r := range h {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			continue
		}
		if lower := strings.ToLower(h); lower != h && ValidateHandle(lower) == nil {
			return ErrInvalidHandle.Wrapf("%q has upper-case letters; handles are lower case, try %q", h, lower)
		}
		return ErrInvalidHandle.Wrapf("%q contains %q; use only a-z, 0-9 and -", h, r)
	}
	return nil
}
