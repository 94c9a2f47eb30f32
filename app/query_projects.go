package app

import (
	"github.com/commonsledger/commons/x/projects"
)

func (a *App) queryProject(env queryEnv, handle string, _ []byte) (marshaler, error) {
	v, ok := a.keepers.Projects.QueryProject(env.r, handle, env.time)
	if !ok {
		return nil, ErrNotFound.Wrapf("no project %q", handle)
	}
	return v, nil
}

func (a *App) queryProjects(env queryEnv, _ string, data []byte) (marshaler, error) {
	var req projects.QueryProjectsRequest
	if err := decodeList(data, &req, "QueryProjectsRequest"); err != nil {
		return nil, err
	}
	return a.keepers.Projects.QueryProjects(env.r, &req), nil
}

func (a *App) queryDistributions(env queryEnv, handle string, data []byte) (marshaler, error) {
	var req projects.QueryDistributionsRequest
	if err := decodeList(data, &req, "QueryDistributionsRequest"); err != nil {
		return nil, err
	}
	return a.keepers.Projects.QueryDistributions(env.r, handle, &req)
}

func (a *App) queryShares(env queryEnv, handle string, data []byte) (marshaler, error) {
	var req projects.QuerySharesRequest
	if err := req.Unmarshal(data); err != nil {
		return nil, ErrBadQuery.Wrapf("data is not a QuerySharesRequest: %v", err)
	}
	return a.keepers.Projects.QueryShares(env.r, handle, req.From, req.To)
}
