package projects

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// Membership is what projects needs from the members module.
type Membership interface {
	IsActive(r core.Reader, addr core.Address) bool
}

// Bank is what projects needs from the bank: a project's account, its balance with demurrage
// applied, and paying out of it.
type Bank interface {
	EnsureAccount(ctx *core.Context, addr core.Address)
	AccountAt(r core.Reader, addr core.Address, now int64) (bank.Account, bool)
	Pay(ctx *core.Context, from, to core.Address, amount uint64) error
}

// Claims is what projects needs from the claims module: the VERIFIED claims tagged with a project,
// by verification time (claims.Keeper.ProjectClaims).
type Claims interface {
	ProjectClaims(r core.Reader, project string, from, to int64, fn func(claimant core.Address, uhours uint64) bool)
}

// Keeper is the projects state API. It holds no state itself.
type Keeper struct {
	members Membership
	bank    Bank
	claims  Claims
	// mempool is set for CheckTx: the per-block distribution budget is not applied there (as
	// claims.Keeper.ForMempool).
	mempool bool
}

// NewKeeper returns a Keeper over the members, bank and claims modules.
func NewKeeper(m Membership, b Bank, c Claims) Keeper { return Keeper{members: m, bank: b, claims: c} }

// ForMempool returns a copy of k for CheckTx: every rule but the per-block distribution budget.
func (k Keeper) ForMempool() Keeper {
	k.mempool = true
	return k
}

// accountDomain separates project account addresses from every other use of SHA-256 in the chain.
const accountDomain = "commons/projects/account/v1"

// AccountAddress is the account of project id: the first 20 bytes of
// SHA-256("commons/projects/account/v1" || id as 8 bytes big-endian). A member's address is the
// first 20 bytes of SHA-256 of an ed25519 public key, so a key that signs for a project account
// would be a 160-bit second preimage: nobody holds one, and the hours in it leave only by
// distributions (the invariants check that its sequence stays 0).
func AccountAddress(id uint64) core.Address {
	h := sha256.Sum256(binary.BigEndian.AppendUint64([]byte(accountDomain), id))
	return core.Address(h[:core.AddressLen])
}

// SetParams validates p and stores it (a passed params proposal).
func (Keeper) SetParams(kv core.KV, p Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	kv.Set(paramsKey, core.MustMarshal(&p))
	return nil
}

// Params returns the module parameters.
func (Keeper) Params(r core.Reader) Params {
	var p Params
	core.Load(r, paramsKey, &p)
	return p
}

// Counts returns the module's counters.
func (Keeper) Counts(r core.Reader) ProjectCounts {
	c := ProjectCounts{NextProjectId: 1, NextDistributionId: 1}
	core.Load(r, countsKey, &c)
	return c
}

func (Keeper) setCounts(kv core.KV, c ProjectCounts) { kv.Set(countsKey, core.MustMarshal(&c)) }

// Project returns project id.
func (Keeper) Project(r core.Reader, id uint64) (Project, bool) {
	var p Project
	ok := core.Load(r, projectKey(id), &p)
	return p, ok
}

// ByHandle returns the project with handle.
func (k Keeper) ByHandle(r core.Reader, handle string) (Project, bool) {
	if len(handle) > core.MaxHandleLen {
		return Project{}, false
	}
	id, ok := r.Get(handleKey(handle))
	if !ok {
		return Project{}, false
	}
	return k.Project(r, binary.BigEndian.Uint64(id))
}

// ProjectExists reports whether handle names a project (claims.Projects).
func (Keeper) ProjectExists(r core.Reader, handle string) bool {
	if len(handle) > core.MaxHandleLen {
		return false
	}
	_, ok := r.Get(handleKey(handle))
	return ok
}

// setProject stores p; its handle index entry is written once, by create.
func (Keeper) setProject(kv core.KV, p *Project) { kv.Set(projectKey(p.Id), core.MustMarshal(p)) }

// CreatedBy returns how many projects creator has created.
func (Keeper) CreatedBy(r core.Reader, creator core.Address) uint32 {
	var c CreatorCount
	core.Load(r, creatorKey(creator), &c)
	return c.Count
}

// Distribution returns distribution id.
func (Keeper) Distribution(r core.Reader, id uint64) (Distribution, bool) {
	var d Distribution
	ok := core.Load(r, distributionKey(id), &d)
	return d, ok
}

// IterateProjects calls fn for every project in id order.
func (Keeper) IterateProjects(r core.Reader, fn func(Project) bool) {
	core.IteratePrefix(r, projectPrefix, false, func(_, v []byte) bool {
		var p Project
		core.MustUnmarshal(v, &p)
		return fn(p)
	})
}

// IterateDistributions calls fn for every distribution in id order.
func (Keeper) IterateDistributions(r core.Reader, fn func(Distribution) bool) {
	core.IteratePrefix(r, distributionPrefix, false, func(_, v []byte) bool {
		var d Distribution
		core.MustUnmarshal(v, &d)
		return fn(d)
	})
}

// DistributionsOf calls fn with the distributions of project id in order of their period (newest
// first when reverse), through its period index. The first skip are passed over without being read,
// so a deep page costs index entries, not payout lists.
func (k Keeper) DistributionsOf(r core.Reader, project uint64, reverse bool, skip uint64, fn func(Distribution) bool) {
	core.IteratePrefix(r, periodsOf(project), reverse, func(_, v []byte) bool {
		if skip > 0 {
			skip--
			return true
		}
		d, ok := k.Distribution(r, binary.BigEndian.Uint64(v))
		return !ok || fn(d)
	})
}

// Balance is the balance of project p's account at block time now, demurrage applied as the bank
// computes it.
func (k Keeper) Balance(r core.Reader, p *Project, now int64) uint64 {
	a, _ := k.bank.AccountAt(r, AccountAddress(p.Id), now)
	return a.Balance
}
