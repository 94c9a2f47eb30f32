package main

import (
	"fmt"
	"io"

	abcitypes "github.com/cometbft/cometbft/abci/types"
)

func writeEvents(w io.Writer, events []abcitypes.Event) {
	if len(events) == 0 {
		return
	}
	fmt.Fprintln(w, "events:")
	for _, e := range events {
		fmt.Fprintf(w, "  %s", e.Type)
		for _, a := range e.Attributes {
			fmt.Fprintf(w, " %s=%s", a.Key, a.Value)
		}
		fmt.Fprintln(w)
	}
}
