package claims

import "github.com/commonsledger/commons/x/core"

// StatusName is the lower-case name of a claim status used in events, messages, the CLI and the
// API: "pending", "verified", "rejected", "reversed".
func StatusName(s ClaimStatus) string { return core.EnumName(s, "CLAIM_STATUS_") }

// ParseStatus reads a status name as StatusName writes it.
func ParseStatus(name string) (ClaimStatus, bool) {
	return core.ParseEnum(name, StatusName,
		ClaimStatus_CLAIM_STATUS_PENDING, ClaimStatus_CLAIM_STATUS_VERIFIED, ClaimStatus_CLAIM_STATUS_REJECTED,
		ClaimStatus_CLAIM_STATUS_REVERSED)
}

// VerdictName is the lower-case name of a verdict used in events, the CLI and the API: "approve",
// "reject".
func VerdictName(v Verdict) string { return core.EnumName(v, "VERDICT_") }

// ParseVerdict reads a verdict name as VerdictName writes it.
func ParseVerdict(name string) (Verdict, bool) {
	return core.ParseEnum(name, VerdictName, Verdict_VERDICT_APPROVE, Verdict_VERDICT_REJECT)
}
