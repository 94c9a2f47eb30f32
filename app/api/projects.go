package api

import (
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/projects"
)

type projectView struct {
	ID               uint64   `json:"id"`
	Handle           string   `json:"handle"`
	Name             string   `json:"name"`
	Creator          ref      `json:"creator"`
	Stewards         []ref    `json:"stewards"`
	Account          string   `json:"account"` // derived from the id; anyone may transfer into it
	CreatedAt        jsonTime `json:"created_at"`
	CreatedHeight    uint64   `json:"created_height"`
	Distributed      uint64   `json:"distributed"` // uhour paid out by its distributions
	DistributedHours string   `json:"distributed_hours"`
	Distributions    uint64   `json:"distributions"`
}

type shareView struct {
	Contributor ref    `json:"contributor"`
	Uhours      uint64 `json:"uhours"` // verified hours, in uhour
	Hours       string `json:"hours"`
	Ppm         uint64 `json:"ppm"` // parts per million; a list's shares sum to 1000000
}

type payoutView struct {
	Contributor ref    `json:"contributor"`
	Uhours      uint64 `json:"uhours"`
	Amount      uint64 `json:"amount"` // uhour paid
	AmountHours string `json:"amount_hours"`
}

type distributionView struct {
	ID         uint64       `json:"id"`
	From       jsonTime     `json:"from"` // period of verification times [from, to)
	To         jsonTime     `json:"to"`
	Total      uint64       `json:"total"` // uhour
	TotalHours string       `json:"total_hours"`
	Steward    ref          `json:"steward"`
	Time       jsonTime     `json:"time"`
	Height     uint64       `json:"height"`
	Claims     uint64       `json:"claims"`
	Payouts    []payoutView `json:"payouts"`
}

type projectDetailView struct {
	Project      projectView `json:"project"`
	Balance      uint64      `json:"balance"` // uhour, as of the block time (demurrage applied)
	BalanceHours string      `json:"balance_hours"`
	// Contributors of all time by address, with their verified hours and share; truncated when the
	// project has more claims than max_distribution_claims (ask /shares for a period then).
	Contributors          []shareView                `json:"contributors"`
	ContributorsTruncated bool                       `json:"contributors_truncated"`
	Distributions         listView[distributionView] `json:"distributions"` // newest period first
}

type sharesView struct {
	Project string      `json:"project"`
	From    jsonTime    `json:"from"`
	To      jsonTime    `json:"to"`
	Uhours  uint64      `json:"uhours"`
	Hours   string      `json:"hours"`
	Claims  uint64      `json:"claims"`
	Shares  []shareView `json:"shares"`
}

func (q *request) project(p *projects.Project) projectView {
	v := projectView{ID: p.Id, Handle: p.Handle, Name: p.Name, Creator: q.ref(p.Creator), Stewards: []ref{}, Account: p.Account,
		CreatedAt: jsonTime(p.CreatedAt), CreatedHeight: p.CreatedHeight, Distributed: p.Distributed,
		DistributedHours: core.FormatHours(p.Distributed), Distributions: p.Distributions}
	for _, s := range p.Stewards {
		v.Stewards = append(v.Stewards, q.ref(s))
	}
	return v
}

func (q *request) shares(ss []*projects.Share) []shareView {
	out := []shareView{}
	for _, s := range ss {
		out = append(out, shareView{Contributor: q.ref(s.Address), Uhours: s.Uhours, Hours: core.FormatHours(s.Uhours), Ppm: s.Ppm})
	}
	return out
}

func (q *request) distribution(d *projects.Distribution) distributionView {
	v := distributionView{ID: d.Id, From: jsonTime(d.From), To: jsonTime(d.To), Total: d.Total, TotalHours: core.FormatHours(d.Total),
		Steward: q.ref(d.Steward), Time: jsonTime(d.Time), Height: d.Height, Claims: d.Claims, Payouts: []payoutView{}}
	for _, p := range d.Payouts {
		v.Payouts = append(v.Payouts, payoutView{Contributor: q.ref(p.Address), Uhours: p.Uhours, Amount: p.Amount, AmountHours: core.FormatHours(p.Amount)})
	}
	return v
}

// projects answers /projects: projects in the order they were created.
func (s *Server) projects(q *request) (any, error) {
	limit, offset, err := q.page()
	if err != nil {
		return nil, err
	}
	resp := q.k.Projects.QueryProjects(q.view, &projects.QueryProjectsRequest{Offset: offset, Limit: limit})
	out := listView[projectView]{Total: resp.Total, Offset: offset, Limit: limit, Items: []projectView{}}
	for _, p := range resp.Projects {
		out.Items = append(out.Items, q.project(p))
	}
	return out, nil
}

// projectDetail answers /projects/{handle}: the project, its balance, its contributors with their
// hours and a page of its distributions (limit, offset).
func (s *Server) projectDetail(q *request) (any, error) {
	handle := q.r.PathValue("handle")
	limit, offset, err := q.page()
	if err != nil {
		return nil, err
	}
	v, ok := q.k.Projects.QueryProject(q.view, handle, q.time)
	if !ok {
		return nil, notFoundf("no project %q", handle)
	}
	ds, err := q.k.Projects.QueryDistributions(q.view, handle, &projects.QueryDistributionsRequest{Offset: offset, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := projectDetailView{Project: q.project(v.Project), Balance: v.Balance, BalanceHours: core.FormatHours(v.Balance),
		Contributors: q.shares(v.Contributors), ContributorsTruncated: v.ContributorsTruncated,
		Distributions: listView[distributionView]{Total: ds.Total, Offset: offset, Limit: limit, Items: []distributionView{}}}
	for _, d := range ds.Distributions {
		out.Distributions.Items = append(out.Distributions.Items, q.distribution(d))
	}
	return out, nil
}

// projectShares answers /projects/{handle}/shares?from=&to=: each contributor's verified hours in
// [from, to) and share in parts per million, by the distributions' largest-remainder rule.
func (s *Server) projectShares(q *request) (any, error) {
	handle := q.r.PathValue("handle")
	from, err := q.timeParam("from")
	if err != nil {
		return nil, err
	}
	to, err := q.timeParam("to")
	if err != nil {
		return nil, err
	}
	if q.param("from") == "" || q.param("to") == "" || from >= to {
		return nil, badRequest("give a period: from and to (RFC 3339 or unix seconds), from before to")
	}
	if !q.k.Projects.ProjectExists(q.view, handle) {
		return nil, notFoundf("no project %q", handle)
	}
	resp, err := q.k.Projects.QueryShares(q.view, handle, from, to)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	return sharesView{Project: resp.Project, From: jsonTime(resp.From), To: jsonTime(resp.To), Uhours: resp.Uhours,
		Hours: core.FormatHours(resp.Uhours), Claims: resp.Claims, Shares: q.shares(resp.Shares)}, nil
}
