// Package bank holds accounts: their replay-protection sequence and their balance of hours, the
// Transfer message, lazy demurrage and the supply totals.
package bank
