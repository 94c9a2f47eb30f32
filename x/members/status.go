package members

import "github.com/commonsledger/commons/x/core"

// StatusName is the lower-case name of a member status used by the CLI and the API: "active",
// "candidate", "suspended", "probation", "expelled".
func StatusName(s MemberStatus) string { return core.EnumName(s, "MEMBER_STATUS_") }

// ParseStatus reads a status name as StatusName writes it.
func ParseStatus(name string) (MemberStatus, bool) {
	return core.ParseEnum(name, StatusName, MemberStatus_MEMBER_STATUS_ACTIVE, MemberStatus_MEMBER_STATUS_CANDIDATE,
		MemberStatus_MEMBER_STATUS_SUSPENDED, MemberStatus_MEMBER_STATUS_PROBATION, MemberStatus_MEMBER_STATUS_EXPELLED)
}
