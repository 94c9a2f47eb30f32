package claims

import "strings"

// StatusName is the lower-case name of a claim status used in events, messages, the CLI and the
// API: "pending", "verified", "rejected".
func StatusName(s ClaimStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "CLAIM_STATUS_"))
}

// ParseStatus reads a status name as StatusName writes it.
func ParseStatus(name string) (ClaimStatus, bool) {
	for _, s := range []ClaimStatus{ClaimStatus_CLAIM_STATUS_PENDING, ClaimStatus_CLAIM_STATUS_VERIFIED, ClaimStatus_CLAIM_STATUS_REJECTED} {
		if StatusName(s) == name {
			return s, true
		}
	}
	return ClaimStatus_CLAIM_STATUS_UNSPECIFIED, false
}

// VerdictName is the lower-case name of a verdict used in events, the CLI and the API: "approve",
// "reject".
func VerdictName(v Verdict) string {
	return strings.ToLower(strings.TrimPrefix(v.String(), "VERDICT_"))
}

// ParseVerdict reads a verdict name as VerdictName writes it.
func ParseVerdict(name string) (Verdict, bool) {
	for _, v := range []Verdict{Verdict_VERDICT_APPROVE, Verdict_VERDICT_REJECT} {
		if VerdictName(v) == name {
			return v, true
		}
	}
	return Verdict_VERDICT_UNSPECIFIED, false
}
