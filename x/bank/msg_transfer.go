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
	from, ok := k.touch(ctx, ctx.Signer)
	if !ok {
		return ErrUnknownAccount.Wrapf("sender %s has no account", ctx.Signer)
	}
	if from.Balance < msg.Amount {
		return ErrInsufficientFunds.Wrapf("balance of %s is %s, below the %s to send",
			from.Address, core.FormatAmount(from.Balance), core.FormatAmount(msg.Amount))
	}
	from.Balance -= msg.Amount
	k.addEntry(ctx, ctx.Signer, &from, HistoryEntry{Kind: EntryKind_ENTRY_KIND_TRANSFER_OUT, Amount: msg.Amount, Counterparty: to.String()})
	k.SetAccount(ctx.KV, ctx.Signer, from)
	if _, err := k.credit(ctx, to, msg.Amount, HistoryEntry{Kind: EntryKind_ENTRY_KIND_TRANSFER_IN, Counterparty: from.Address}); err != nil {
		return err
	}
	// The canonical recipient, so tx_search finds the transfer however the sender spelled the address.
	ctx.Emit("transfer", "sender", from.Address, "recipient", to.String(), "amount", core.Uhour(msg.Amount))
	return nil
}
