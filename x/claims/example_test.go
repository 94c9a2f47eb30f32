package claims_test

import (
	"fmt"

	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// A claim is VERIFIED at its deadline when it has at least min_approvals approvals (2 by default)
// and its approvals are more than two thirds of all verdicts; otherwise it is REJECTED. Exactly two
// thirds is not enough.
func ExampleVerified() {
	p := claims.DefaultParams()
	for _, v := range []struct{ approvals, rejections uint32 }{{1, 0}, {2, 0}, {2, 1}, {3, 1}, {4, 2}, {5, 2}} {
		fmt.Printf("%d approve, %d reject: verified %v\n", v.approvals, v.rejections, claims.Verified(p, v.approvals, v.rejections))
	}
	// Output:
	// 1 approve, 0 reject: verified false
	// 2 approve, 0 reject: verified true
	// 2 approve, 1 reject: verified false
	// 3 approve, 1 reject: verified true
	// 4 approve, 2 reject: verified false
	// 5 approve, 2 reject: verified true
}

// A VERIFIED claim mints its duration, an hour per hour whatever the category, in micro-hours.
func ExampleMintedFor() {
	start := int64(1_795_161_600) // 2026-11-20 08:00 UTC
	fmt.Println(claims.MintedFor(start, start+90*60), core.FormatInterval(start, start+90*60))
	// Output:
	// 1500000 2026-11-20 08:00–09:30 UTC
}
