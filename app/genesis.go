package app

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/cosmos/gogoproto/jsonpb"

	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
	"github.com/commonsledger/commons/x/projects"
)

// DefaultGenesis is a valid genesis with default parameters and no accounts.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Bank: bank.DefaultGenesis(), Members: members.DefaultGenesis(), Claims: claims.DefaultGenesis(),
		Disputes: disputes.DefaultGenesis(), Gov: gov.DefaultGenesis(), Projects: projects.DefaultGenesis()}
}

// Validate checks every module's genesis.
func (g *GenesisState) Validate() error {
	switch {
	case g.Bank == nil:
		return fmt.Errorf("genesis: bank section missing")
	case g.Members == nil:
		return fmt.Errorf("genesis: members section missing")
	case g.Claims == nil:
		return fmt.Errorf("genesis: claims section missing")
	case g.Disputes == nil:
		return fmt.Errorf("genesis: disputes section missing")
	case g.Gov == nil:
		return fmt.Errorf("genesis: gov section missing")
	case g.Projects == nil:
		return fmt.Errorf("genesis: projects section missing")
	}
	if err := g.Bank.Validate(); err != nil {
		return err
	}
	if err := g.Members.Validate(); err != nil {
		return err
	}
	if err := g.Claims.Validate(); err != nil {
		return err
	}
	if err := g.Disputes.Validate(); err != nil {
		return err
	}
	if err := g.Gov.Validate(); err != nil {
		return err
	}
	if err := g.Projects.Validate(); err != nil {
		return err
	}
	if err := g.checkProjectTags(); err != nil {
		return err
	}
	// Hours of VERIFIED and REVERSED claims were minted, and those of REVERSED ones reversed: the
	// bank supply must say so (exports carry it).
	var verified, reversed, minted, bankReversed uint64
	for _, c := range g.Claims.Claims {
		if claims.Minted(c.Status) {
			verified += c.Minted
		}
		if c.Status == claims.ClaimStatus_CLAIM_STATUS_REVERSED {
			reversed += c.Minted
		}
	}
	if g.Bank.Supply != nil {
		minted, bankReversed = g.Bank.Supply.Minted, g.Bank.Supply.Reversed
	}
	if verified != minted {
		return fmt.Errorf("genesis: VERIFIED and REVERSED claims minted %d uhour but bank supply.minted is %d; set bank.supply to match", verified, minted)
	}
	if reversed != bankReversed {
		return fmt.Errorf("genesis: REVERSED claims minted %d uhour but bank supply.reversed is %d; set bank.supply to match", reversed, bankReversed)
	}
	return nil
}

// ParseGenesis decodes app_state JSON (protobuf JSON mapping). Unknown fields are an error, so a
// typo in a parameter name does not silently fall back to a default.
func ParseGenesis(appState []byte) (*GenesisState, error) {
	g := &GenesisState{}
	if len(bytes.TrimSpace(appState)) == 0 {
		return DefaultGenesis(), nil
	}
	if err := jsonpb.Unmarshal(bytes.NewReader(appState), g); err != nil {
		return nil, fmt.Errorf("genesis app_state: %w", err)
	}
	return g, g.Validate()
}

// MarshalGenesis encodes a genesis as indented protobuf JSON.
func MarshalGenesis(g *GenesisState) ([]byte, error) {
	m := jsonpb.Marshaler{Indent: "  ", OrigName: true, EmitDefaults: true}
	var buf bytes.Buffer
	if err := m.Marshal(&buf, g); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (a *App) initGenesis(ctx *core.Context, g *GenesisState) error {
	ctx.KV.Set(chainIDKey, []byte(ctx.ChainID))
	ctx.KV.Set(protocolKey, binary.BigEndian.AppendUint64(nil, ProtocolVersion))
	if err := a.keepers.Bank.InitGenesis(ctx, g.Bank); err != nil {
		return err
	}
	// Members after bank: founders without a genesis balance get an empty account to sign with.
	if err := a.keepers.Members.InitGenesis(ctx, g.Members); err != nil {
		return err
	}
	if err := a.keepers.Claims.InitGenesis(ctx, g.Claims); err != nil {
		return err
	}
	// Projects after bank: a project's account is opened unless the bank genesis carries it.
	if err := a.keepers.Projects.InitGenesis(ctx, g.Projects); err != nil {
		return err
	}
	if err := a.keepers.Disputes.InitGenesis(ctx, g.Disputes); err != nil {
		return err
	}
	return a.keepers.Gov.InitGenesis(ctx, g.Gov)
}

// ExportGenesis writes the state at the given view as a genesis.
func (a *App) exportGenesis(r core.Reader, now int64) *GenesisState {
	return &GenesisState{
		Bank:     a.keepers.Bank.ExportGenesis(r, now),
		Members:  a.keepers.Members.ExportGenesis(r),
		Claims:   a.keepers.Claims.ExportGenesis(r),
		Disputes: a.keepers.Disputes.ExportGenesis(r),
		Gov:      a.keepers.Gov.ExportGenesis(r),
		Projects: a.keepers.Projects.ExportGenesis(r),
	}
}

// ExportGenesis writes the committed state at height (0: latest) as a genesis, with pending
// demurrage realised as of that block's time. VERIFIED claims keep their history; on import their
// hours count as genesis balances (see claims.ClaimCounts.genesis_verified_uhours).
func (a *App) ExportGenesis(height int64) (*GenesisState, error) {
	env, done, err := a.openQuery(height)
	if err != nil {
		return nil, err
	}
	defer done()
	return a.exportGenesis(env.r, env.time), nil
}

// checkProjectTags (claims and projects): every claim's project tag names a project of the genesis.
func (g *GenesisState) checkProjectTags() error {
	handles := map[string]bool{}
	for _, p := range g.Projects.Projects {
		handles[p.Handle] = true
	}
	for _, c := range g.Claims.Claims {
		if c.Project != "" && !handles[c.Project] {
			return fmt.Errorf("genesis: claim %d is tagged with project %q, which the projects section does not hold", c.Id, c.Project)
		}
	}
	return nil
}
