package node

import (
	"strconv"
	"strings"

	abcitypes "github.com/cometbft/cometbft/abci/types"
)

type abciEvent = abcitypes.Event

func attr(e abciEvent, key string) string {
	for _, a := range e.Attributes {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// uhours parses an event amount such as "1500000uhour".
func uhours(s string) float64 {
	v, _ := strconv.ParseUint(strings.TrimSuffix(s, "uhour"), 10, 64)
	return float64(v)
}
