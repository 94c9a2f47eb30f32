// Package abci adapts the Commons Ledger state machine to CometBFT's ABCI 2.0: it translates requests
// and responses, maps errors to stable codes in one place, and logs. It knows the application only
// through the StateMachine interface.
package abci
