package projects_test

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/projects"
)

// A created project has the creator and the listed stewards (sorted), an account at its derived
// address that exists at once, so that anyone, a non-member too, may pay any amount into it with
// an ordinary transfer (no new-account minimum), and that nobody can sign for.
func TestCreateProject(t *testing.T) {
	c := projectChain(t, nil)
	r := mustExec(t, c, alice, apptest.CreateProject("garden", "Community garden", carol, bob))
	acct := projects.AccountAddress(1)
	if e := event(t, r.Events, "project_created"); e["handle"] != "garden" || e["project_id"] != "1" || e["account"] != acct.String() {
		t.Fatalf("project_created %v", e)
	}
	p := projectView(t, c, "garden").Project
	want := []string{alice.Addr.String(), bob.Addr.String(), carol.Addr.String()}
	slices.Sort(want)
	if p.Name != "Community garden" || p.Creator != alice.Addr.String() || strings.Join(p.Stewards, ",") != strings.Join(want, ",") ||
		p.Account != acct.String() {
		t.Fatalf("project %v", p)
	}
	mustExec(t, c, outsider, apptest.Transfer(acct, 1)) // 1 uhour: below the new-account minimum, accepted
	if v := projectView(t, c, "garden"); v.Balance != 1 {
		t.Fatalf("balance %d after paying 1 uhour in", v.Balance)
	}
	// The address is the documented domain-separated hash of the id, so that clients can compute it;
	// changing it would strand every project's hours.
	sum := sha256.Sum256(append([]byte("commons/projects/account/v1"), 0, 0, 0, 0, 0, 0, 0, 1))
	if got := projects.AccountAddress(1); !got.Equal(sum[:20]) || got.String() != "commons17qd2clhtmzr3c4525ur2cympnuredz2jac5z93" {
		t.Fatalf("AccountAddress(1) = %s, not the first 20 bytes of SHA-256(domain || id)", got)
	}
}

func TestCreateProjectRejections(t *testing.T) {
	long := strings.Repeat("n", 129)
	tests := []struct {
		name   string
		tweak  func(*app.GenesisState)
		setup  func(t *testing.T, c *apptest.Chain)
		signer apptest.Key
		msg    *auth.Msg
		want   *core.Error
		log    string
	}{
		{name: "non-member", signer: outsider, msg: apptest.CreateProject("garden", "G"), want: projects.ErrCreatorNotMember,
			log: outsider.Addr.String() + " is not an active member"},
		{name: "short handle", signer: alice, msg: apptest.CreateProject("gd", "G"), want: projects.ErrInvalidHandle,
			log: "invalid project handle: \"gd\" has 2 characters; use 3 to 32 of a-z, 0-9 and -"},
		{name: "upper-case handle", signer: alice, msg: apptest.CreateProject("Garden", "G"), want: projects.ErrInvalidHandle,
			log: "try \"garden\""},
		{name: "taken handle", signer: bob, msg: apptest.CreateProject("garden", "G"), want: projects.ErrHandleTaken,
			setup: func(t *testing.T, c *apptest.Chain) { mustExec(t, c, alice, apptest.CreateProject("garden", "G")) }},
		{name: "empty name", signer: alice, msg: apptest.CreateProject("garden", " "), want: projects.ErrInvalidName},
		{name: "long name", signer: alice, msg: apptest.CreateProject("garden", long), want: projects.ErrInvalidName,
			log: "129 bytes; give a name of 1 to 128 bytes"},
		{name: "steward not a member", signer: alice, msg: apptest.CreateProject("garden", "G", outsider), want: projects.ErrInvalidStewards,
			log: "steward " + outsider.Addr.String() + " is not an active member"},
		{name: "steward twice", signer: alice, msg: apptest.CreateProject("garden", "G", alice), want: projects.ErrInvalidStewards,
			log: "is listed twice (the creator is always a steward)"},
		{name: "too many stewards", signer: alice, msg: apptest.CreateProject("garden", "G", bob, carol), want: projects.ErrInvalidStewards,
			tweak: func(g *app.GenesisState) { g.Projects.Params.MaxStewards = 2 },
			log:   "2 stewards besides you; a project has at most 2 stewards in all"},
		{name: "too many projects", signer: alice, msg: apptest.CreateProject("orchard", "O"), want: projects.ErrTooManyProjects,
			tweak: func(g *app.GenesisState) { g.Projects.Params.MaxProjectsPerCreator = 1 },
			setup: func(t *testing.T, c *apptest.Chain) { mustExec(t, c, alice, apptest.CreateProject("garden", "G")) },
			log:   "you have created 1 projects, the most allowed (max_projects_per_creator 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := projectChain(t, tt.tweak)
			if tt.setup != nil {
				tt.setup(t, c)
			}
			wantErr(t, exec(t, c, tt.signer, tt.msg).Err, tt.want, tt.log)
		})
	}
}

// A claim's project tag must name a project: otherwise the claim is refused with claims' own code
// (x/claims asks x/projects through claims.Projects, wired in app.NewKeepers).
func TestClaimProjectTag(t *testing.T) {
	c := projectChain(t, nil)
	wantErr(t, exec(t, c, alice, apptest.ProjectClaim(c.HoursAgo(2), c.HoursAgo(1), "care", "garden")).Err, claims.ErrUnknownProject,
		"unknown project: no project \"garden\"; see `commonsd query projects`, or leave --project empty")
	mustExec(t, c, bob, apptest.CreateProject("garden", "G"))
	r := mustExec(t, c, alice, apptest.ProjectClaim(c.HoursAgo(2), c.HoursAgo(1), "care", "garden"))
	if e := event(t, r.Events, "claim_submitted"); e["project"] != "garden" {
		t.Fatalf("claim_submitted %v", e)
	}
	if cl := apptest.ClaimOf(t, c, 1).Claim; cl.Project != "garden" {
		t.Fatalf("claim %v", cl)
	}
}

// A block makes at most MaxDistributionsPerBlock distributions (a consensus rule): the next one in
// the same block is refused with its code, and passes in the next block.
func TestDistributionsPerBlock(t *testing.T) {
	n := projects.MaxDistributionsPerBlock + 1
	c := projectChain(t, func(g *app.GenesisState) { g.Projects.Params.MaxProjectsPerCreator = uint32(n) })
	from := c.Time
	var create, fund, distribute []*auth.Msg
	for i := range n {
		create = append(create, apptest.CreateProject(fmt.Sprintf("project-%d", i), "P"))
		fund = append(fund, apptest.Transfer(projects.AccountAddress(uint64(i+1)), h))
	}
	mustExec(t, c, alice, create...)
	for i := range n {
		contribute(t, c, alice, fmt.Sprintf("project-%d", i), float64(1+2*i), 1, bob, carol)
	}
	c.Settle(week)
	mustExec(t, c, outsider, fund...)
	to := c.Time.Add(time.Second)
	for i := range n {
		distribute = append(distribute, apptest.Distribute(fmt.Sprintf("project-%d", i), from, to))
	}
	seq := c.Seq(alice.Addr)
	last := alice.Sign(t, apptest.ChainID, seq+1, distribute[n-1])
	r := c.Block(alice.Sign(t, apptest.ChainID, seq, distribute[:n-1]...), last)
	if r.TxResults[0].Err != nil {
		t.Fatalf("%d distributions in one tx: %v", n-1, r.TxResults[0].Err)
	}
	wantErr(t, r.TxResults[1].Err, projects.ErrBlockDistributionsFull,
		fmt.Sprintf("the block already holds %d distributions; resubmit in the next block", n-1))
	mustExec(t, c, alice, distribute[n-1])
}
