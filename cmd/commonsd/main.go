// Command commonsd is the single Commons Ledger binary: it runs a node, manages keys, sends txs and
// queries state. main is flags and wiring only.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		var txErr *client.TxError
		if errors.As(err, &txErr) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
