package members

import "strings"

// StatusName is the lower-case name of a member status used by the CLI and the API: "active",
// "candidate".
func StatusName(s MemberStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "MEMBER_STATUS_"))
}

// ParseStatus reads a status name as StatusName writes it.
func ParseStatus(name string) (MemberStatus, bool) {
	for _, s := range []MemberStatus{MemberStatus_MEMBER_STATUS_ACTIVE, MemberStatus_MEMBER_STATUS_CANDIDATE} {
		if StatusName(s) == name {
			return s, true
		}
	}
	return MemberStatus_MEMBER_STATUS_UNSPECIFIED, false
}
