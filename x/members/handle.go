package members

import "github.com/commonsledger/commons/x/core"

// Handle length bounds (core.CheckHandle, shared with project handles).
const (
	MinHandleLen = core.MinHandleLen
	MaxHandleLen = core.MaxHandleLen
)

// ValidateHandle checks that h is 3–32 characters of [a-z0-9-], and says how to fix it otherwise.
func ValidateHandle(h string) error {
	if err := core.CheckHandle(h); err != nil {
		return ErrInvalidHandle.Wrapf("%v", err)
	}
	return nil
}
