package core

import "strings"

// EnumName is the lower-case name of a protobuf enum value without its type's prefix, as events,
// messages, the CLI and the API write it: EnumName(ClaimStatus_CLAIM_STATUS_PENDING, "CLAIM_STATUS_")
// is "pending".
func EnumName(v interface{ String() string }, prefix string) string {
	return strings.ToLower(strings.TrimPrefix(v.String(), prefix))
}

// ParseEnum returns the value among values that nameOf names name, or the zero value (an enum's
// UNSPECIFIED) and false.
func ParseEnum[T any](name string, nameOf func(T) string, values ...T) (T, bool) {
	for _, v := range values {
		if nameOf(v) == name {
			return v, true
		}
	}
	var zero T
	return zero, false
}
