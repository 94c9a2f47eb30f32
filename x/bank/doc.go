// Package bank holds accounts: their replay-protection sequence, their balance of hours and any
// debt from reversed claims, the Transfer message, lazy demurrage, minting and burning (with debt
// paid first from later mints), the supply totals, and each account's history (history.go): every
// mint, burn, debt, transfer and realised decay with the claim or tx behind it.
package bank
