package bank

import (
	"github.com/commonsledger/commons/x/core"
)

// Transfer moves hours from the signer to msg.To. Any funded account may send. A transfer to an
// address without an account opens one and must carry at least min_new_account_amount: there are
// no fees, so this is what bounds the accounts anyone can create.
func (k Keeper) Transfer(ctx *core.Context, msg *MsgTransfer) error {
	to, err := core.ParseAddress(msg.To)
	if err != nil {
		return err
	}
	if msg.Amount == 0 {
		return ErrZeroAmount.Wrapf("transfer of 0; send at least 1uhour (0.000001 hour)")
	}
	if to.Equal(ctx.Signer) {
		return ErrSelfTransfer.Wrapf("recipient %s is the sender", msg.To)
	}
	if _, exists := k.Account(ctx.KV, to); !exists {
		if least := k.Params(ctx.KV).MinNewAccountAmount; msg.Amount < least {
			return ErrNewAccountAmount.Wrapf("%s has no account; a transfer that opens an account must carry at least %s (got %s)",
				to, core.FormatAmount(least), core.FormatAmount(msg.Amount))
		}
	}
	if err := k.move(ctx, ctx.Signer, to, msg.Amount); err != nil {
		return err
	}
	// The canonical addresses, so tx_search finds the transfer however the sender spelled them.
	ctx.Emit("transfer", "sender", ctx.Signer.String(), "recipient", to.String(), "amount", core.Uhour(msg.Amount))
	return nil
}

// Pay moves amount from the account at from to to, as a transfer does but without a signer: the
// projects module pays distributions out of a project's account with it. It opens to's account if
// needed (no minimum: the payee is a member, not a stranger's choice).
func (k Keeper) Pay(ctx *core.Context, from, to core.Address, amount uint64) error {
	return k.move(ctx, from, to, amount)
}

// move debits amount from from (after realising its demurrage) and credits it to to, recording both
// in their histories.
func (k Keeper) move(ctx *core.Context, from, to core.Address, amount uint64) error {
	src, stored, ok := k.touch(ctx, from)
	if !ok {
		return ErrUnknownAccount.Wrapf("sender %s has no account", from)
	}
	if src.Balance < amount {
		return ErrInsufficientFunds.Wrapf("balance of %s is %s, below the %s to send",
			src.Address, core.FormatAmount(src.Balance), core.FormatAmount(amount))
	}
	src.Balance -= amount
	k.addEntry(ctx, from, &src, HistoryEntry{Kind: EntryKind_ENTRY_KIND_TRANSFER_OUT, Amount: amount, Counterparty: to.String()})
	k.setAccount(ctx.KV, from, stored, src)
	_, err := k.credit(ctx, to, amount, HistoryEntry{Kind: EntryKind_ENTRY_KIND_TRANSFER_IN, Counterparty: src.Address})
	return err
}
