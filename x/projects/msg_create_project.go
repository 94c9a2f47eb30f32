package projects

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/commonsledger/commons/x/core"
)

// CreateProject creates a project with the signer, an ACTIVE member, as its creator and first
// steward, and opens its account (AccountAddress) so that any transfer may pay into it. A creator
// may create at most max_projects_per_creator projects, so members bound the number of projects.
func (k Keeper) CreateProject(ctx *core.Context, msg *MsgCreateProject) error {
	if !k.members.IsActive(ctx.KV, ctx.Signer) {
		return ErrCreatorNotMember.Wrapf("%s is not an active member; ask members to vouch for you first", ctx.Signer)
	}
	p := k.Params(ctx.KV)
	if err := core.CheckHandle(msg.Handle); err != nil {
		return ErrInvalidHandle.Wrapf("%v", err)
	}
	if k.ProjectExists(ctx.KV, msg.Handle) {
		return ErrHandleTaken.Wrapf("%q; choose another handle", msg.Handle)
	}
	if strings.TrimSpace(msg.Name) == "" || uint64(len(msg.Name)) > uint64(p.MaxNameBytes) {
		return ErrInvalidName.Wrapf("%d bytes; give a name of 1 to %d bytes", len(msg.Name), p.MaxNameBytes)
	}
	stewards, err := k.stewards(ctx.KV, p, ctx.Signer, msg.Stewards)
	if err != nil {
		return err
	}
	if n := k.CreatedBy(ctx.KV, ctx.Signer); n >= p.MaxProjectsPerCreator {
		return ErrTooManyProjects.Wrapf("you have created %d projects, the most allowed (max_projects_per_creator %d)", n, p.MaxProjectsPerCreator)
	}
	counts := k.Counts(ctx.KV)
	id := counts.NextProjectId
	counts.NextProjectId++
	k.setCounts(ctx.KV, counts)
	pr := &Project{Id: id, Handle: msg.Handle, Name: msg.Name, Creator: ctx.Signer.String(), Stewards: stewards,
		Account: AccountAddress(id).String(), CreatedAt: ctx.Time, CreatedHeight: uint64(max(ctx.Height, 0))}
	k.store(ctx, pr)
	ctx.Emit("project_created", "project_id", strconv.FormatUint(id, 10), "handle", pr.Handle, "creator", pr.Creator,
		"account", pr.Account, "stewards", strings.Join(stewards, ","))
	return nil
}

// store writes a new project, its handle index entry and its creator's count, and opens its
// account (kept if it exists: a genesis may carry its balance).
func (k Keeper) store(ctx *core.Context, pr *Project) {
	k.setProject(ctx.KV, pr)
	ctx.KV.Set(handleKey(pr.Handle), core.Uint64Key(pr.Id))
	creator, _ := core.ParseAddress(pr.Creator)
	core.Update(ctx.KV, creatorKey(creator), func(c *CreatorCount) { c.Count++ })
	k.bank.EnsureAccount(ctx, AccountAddress(pr.Id))
}

// stewards checks the listed stewards (each an ACTIVE member, listed once) and returns them with
// the creator, sorted by address, at most max_stewards in all.
func (k Keeper) stewards(r core.Reader, p Params, creator core.Address, listed []string) ([]string, error) {
	if uint64(len(listed))+1 > uint64(p.MaxStewards) {
		return nil, ErrInvalidStewards.Wrapf("%d stewards besides you; a project has at most %d stewards in all", len(listed), p.MaxStewards)
	}
	out := []string{creator.String()}
	for _, s := range listed {
		addr, err := core.ParseAddress(s)
		if err != nil {
			return nil, ErrInvalidStewards.Wrapf("steward %q: %v", s, err)
		}
		if !k.members.IsActive(r, addr) {
			return nil, ErrInvalidStewards.Wrapf("steward %s is not an active member", addr)
		}
		canon := addr.String()
		if slices.Contains(out, canon) {
			return nil, ErrInvalidStewards.Wrapf("steward %s is listed twice (the creator is always a steward)", canon)
		}
		out = append(out, canon)
	}
	sort.Strings(out)
	return out, nil
}

// IsSteward reports whether addr is one of p's stewards.
func IsSteward(p *Project, addr core.Address) bool { return slices.Contains(p.Stewards, addr.String()) }
