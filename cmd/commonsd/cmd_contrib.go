package main

import "github.com/spf13/cobra"

// contribTxCmds are the contribution txs (vouch, claim, attest); wired once x/members and x/claims land.
func contribTxCmds() []*cobra.Command { return nil }

// contribQueryCmds are the contribution queries (member(s), claim(s), supply, params).
func contribQueryCmds() []*cobra.Command { return nil }
