package gov

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// Bounds of validator changes.
const (
	// MaxValidators bounds the validator set a proposal may grow (CometBFT's consensus work grows
	// with it; a commons' operators are a few dozen at most).
	MaxValidators = 100
	// MaxValidatorPower bounds one validator's power, keeping every total far from CometBFT's limit.
	MaxValidatorPower = 1_000_000
	// MaxMonikerBytes bounds a moniker.
	MaxMonikerBytes = 64
	// HistoryLimit is how many validator events QueryValidators returns.
	HistoryLimit = 100
)

// InitValidators stores the genesis validator set (CometBFT's, from InitChain): ed25519 keys of
// 32 bytes, positive powers, no key twice. An empty set is allowed (test chains without
// consensus); validator proposals then have nothing to change safely.
func (k Keeper) InitValidators(ctx *core.Context, vals []core.ValidatorUpdate) error {
	for _, v := range vals {
		if len(v.PubKey) != 32 || v.Power <= 0 || v.Power > MaxValidatorPower {
			return ErrInvalidGenesis.Wrapf("genesis validator %s with power %d: need a 32-byte ed25519 key and power 1..%d",
				EncodeKey(v.PubKey), v.Power, MaxValidatorPower)
		}
		if _, dup := k.validator(ctx.KV, v.PubKey); dup {
			return ErrInvalidGenesis.Wrapf("genesis validator %s listed twice", EncodeKey(v.PubKey))
		}
		k.setValidator(ctx, &Validator{PubKey: v.PubKey, Power: v.Power}, 0, 0)
	}
	return nil
}

func (Keeper) validator(r core.Reader, pubKey []byte) (Validator, bool) {
	var v Validator
	ok := core.Load(r, validatorKey(pubKey), &v)
	return v, ok
}

// Validators returns the validator set in public-key order, and its total power.
func (Keeper) Validators(r core.Reader) ([]*Validator, int64) {
	var out []*Validator
	var total int64
	core.IteratePrefix(r, validatorPrefix, false, func(_, v []byte) bool {
		var x Validator
		core.MustUnmarshal(v, &x)
		out = append(out, &x)
		total += x.Power
		return true
	})
	return out, total
}

// QueryValidators returns the validator set, its total power and the newest HistoryLimit changes.
func (k Keeper) QueryValidators(r core.Reader) *QueryValidatorsResponse {
	vals, total := k.Validators(r)
	resp := &QueryValidatorsResponse{Validators: vals, TotalPower: total}
	core.IteratePrefix(r, historyPrefix, true, func(_, v []byte) bool {
		var e ValidatorEvent
		core.MustUnmarshal(v, &e)
		resp.History = append(resp.History, &e)
		return len(resp.History) < HistoryLimit
	})
	return resp
}

// checkValidatorChange validates vc against the current set: a 32-byte key, a power in range, a
// short moniker, a real change (removing only a known validator), at most MaxValidators, and a
// change that moves less than a third of the total power and leaves a validator.
func (k Keeper) checkValidatorChange(r core.Reader, vc *ValidatorChange) error {
	switch {
	case len(vc.PubKey) != 32:
		return ErrInvalidValidator.Wrapf("public key of %d bytes; give the 32-byte ed25519 key `commonsd show-validator` prints", len(vc.PubKey))
	case vc.Power < 0 || vc.Power > MaxValidatorPower:
		return ErrInvalidValidator.Wrapf("power %d; give 0 (remove) to %d", vc.Power, MaxValidatorPower)
	case len(vc.Moniker) > MaxMonikerBytes:
		return ErrInvalidValidator.Wrapf("moniker of %d bytes; at most %d", len(vc.Moniker), MaxMonikerBytes)
	}
	cur, known := k.validator(r, vc.PubKey)
	vals, total := k.Validators(r)
	switch {
	case !known && vc.Power == 0:
		return ErrInvalidValidator.Wrapf("%s is not a validator; there is nothing to remove", EncodeKey(vc.PubKey))
	case known && cur.Power == vc.Power:
		return ErrInvalidValidator.Wrapf("%s already has power %d", EncodeKey(vc.PubKey), vc.Power)
	case !known && len(vals) >= MaxValidators:
		return ErrInvalidValidator.Wrapf("the set has %d validators, the most a proposal may grow it to", len(vals))
	}
	moved := vc.Power - cur.Power
	if moved < 0 {
		moved = -moved
	}
	switch after := total - cur.Power + vc.Power; {
	case after <= 0:
		return ErrUnsafeValidatorChange.Wrapf("it would leave no validator")
	case moved*3 >= total:
		return ErrUnsafeValidatorChange.Wrapf("it moves %d of the %d voting power, a third or more at once; change it in smaller steps", moved, total)
	}
	return nil
}

// applyValidatorChange re-checks vc against the set as it is now and applies it: the record, the
// history, and the update CometBFT gets at the end of the block.
func (k Keeper) applyValidatorChange(ctx *core.Context, vc *ValidatorChange, proposalID uint64) error {
	if err := k.checkValidatorChange(ctx.KV, vc); err != nil {
		return err
	}
	v := &Validator{PubKey: vc.PubKey, Power: vc.Power, Moniker: vc.Moniker}
	k.setValidator(ctx, v, uint64(max(ctx.Height, 0)), proposalID)
	return nil
}

// setValidator stores v (deletes it at power 0), records the change in the history and, past
// genesis, hands it to CometBFT.
func (k Keeper) setValidator(ctx *core.Context, v *Validator, height, proposalID uint64) {
	prev, _ := k.validator(ctx.KV, v.PubKey)
	v.SinceHeight, v.ProposalId = height, proposalID
	if v.Power == 0 {
		ctx.KV.Delete(validatorKey(v.PubKey))
	} else {
		ctx.KV.Set(validatorKey(v.PubKey), core.MustMarshal(v))
	}
	var seq HistoryCount
	core.Load(ctx.KV, historyCountKey, &seq)
	ctx.KV.Set(historyKey(seq.Next), core.MustMarshal(&ValidatorEvent{Height: height, Time: ctx.Time, PubKey: v.PubKey,
		Moniker: v.Moniker, Power: v.Power, PreviousPower: prev.Power, ProposalId: proposalID}))
	seq.Next++
	ctx.KV.Set(historyCountKey, core.MustMarshal(&seq))
	if proposalID != 0 {
		ctx.UpdateValidator(v.PubKey, v.Power)
		ctx.Emit("validator_updated", "pub_key", EncodeKey(v.PubKey), "moniker", v.Moniker,
			"power", strconv.FormatInt(v.Power, 10), "previous_power", strconv.FormatInt(prev.Power, 10),
			"proposal_id", strconv.FormatUint(proposalID, 10))
	}
}

// EncodeKey is how public keys are written for people (events, errors, the CLI and API): base64, as
// CometBFT's JSON writes them.
func EncodeKey(pk []byte) string { return base64.StdEncoding.EncodeToString(pk) }

// checkValidatorSet is the invariant part for validators: positive powers, 32-byte keys stored
// under their own key.
func (k Keeper) checkValidatorSet(r core.Reader) error {
	var err error
	core.IteratePrefix(r, validatorPrefix, false, func(key, v []byte) bool {
		var x Validator
		core.MustUnmarshal(v, &x)
		if len(x.PubKey) != 32 || x.Power <= 0 || !bytes.Equal(key, validatorKey(x.PubKey)) {
			err = fmt.Errorf("invariant gov: validator record %x holds key %x with power %d", key, x.PubKey, x.Power)
			return false
		}
		return true
	})
	return err
}

// validatorAttr is a validator proposal's key for its event ("" for other kinds).
func validatorAttr(c *Content) string {
	if v := c.GetValidator(); v != nil {
		return EncodeKey(v.PubKey)
	}
	return ""
}
