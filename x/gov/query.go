package gov

import (
	"encoding/binary"

	"github.com/commonsledger/commons/x/core"
)

// Paging bounds of QueryProposals.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// QueryProposal returns a proposal, with its tally so far, and its votes.
func (k Keeper) QueryProposal(r core.Reader, id uint64) (*ProposalWithVotes, bool) {
	p, ok := k.Proposal(r, id)
	if !ok {
		return nil, false
	}
	return &ProposalWithVotes{Proposal: &p, Votes: k.Votes(r, id)}, true
}

// QueryProposals lists proposals newest first, optionally of one status, with offset/limit paging;
// Total counts every match (from the counters).
func (k Keeper) QueryProposals(r core.Reader, req *QueryProposalsRequest) *QueryProposalsResponse {
	limit := req.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	counts := k.Counts(r)
	resp := &QueryProposalsResponse{Total: counts.NextId - 1}
	prefix := proposalPrefix
	if req.Status != ProposalStatus_PROPOSAL_STATUS_UNSPECIFIED {
		prefix = byStatus(req.Status)
		resp.Total = *counter(&counts, req.Status)
	}
	var seen uint64
	core.IteratePrefix(r, prefix, true, func(key, _ []byte) bool {
		if seen >= req.Offset {
			if p, ok := k.Proposal(r, binary.BigEndian.Uint64(key[len(key)-8:])); ok {
				resp.Proposals = append(resp.Proposals, &p)
			}
		}
		seen++
		return uint64(len(resp.Proposals)) < limit
	})
	return resp
}
