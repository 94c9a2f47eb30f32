package apptest

import (
	"time"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/projects"
)

// CreateProject creates project handle with the signer and stewards as its stewards.
func CreateProject(handle, name string, stewards ...Key) *auth.Msg {
	m := &projects.MsgCreateProject{Handle: handle, Name: name}
	for _, s := range stewards {
		m.Stewards = append(m.Stewards, s.Addr.String())
	}
	return &auth.Msg{Sum: &auth.Msg_CreateProject{CreateProject: m}}
}

// Distribute distributes project's account over the claims verified in [from, to).
func Distribute(project string, from, to time.Time) *auth.Msg {
	return &auth.Msg{Sum: &auth.Msg_Distribute{Distribute: &projects.MsgDistribute{Project: project, From: from.Unix(), To: to.Unix()}}}
}

// ProjectClaim is a claim of [start, end) in category tagged with project.
func ProjectClaim(start, end time.Time, category, project string) *auth.Msg {
	m := SubmitClaim(start, end, category, "work for "+project)
	m.GetSubmitClaim().Project = project
	return m
}

// ProjectAccount is the account address of the n-th project created on a chain.
func ProjectAccount(n uint64) core.Address { return projects.AccountAddress(n) }
