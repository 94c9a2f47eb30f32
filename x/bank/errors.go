package bank

import "github.com/commonsledger/commons/x/core"

// Codespace of the bank module.
const Codespace = "bank"

var (
	ErrZeroAmount        = core.Register(Codespace, 201, "amount must be positive")
	ErrInsufficientFunds = core.Register(Codespace, 202, "insufficient funds")
	ErrSelfTransfer      = core.Register(Codespace, 203, "cannot transfer to yourself")
	ErrUnknownAccount    = core.Register(Codespace, 204, "unknown account")
	ErrOverflow          = core.Register(Codespace, 205, "amount overflows")
	ErrInvalidGenesis    = core.Register(Codespace, 206, "invalid bank genesis")
	ErrNewAccountAmount  = core.Register(Codespace, 207, "transfer too small to open an account")
)
