package node_test

import (
	"errors"
	"fmt"

	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
)

func fmtUhour(u uint64) string { return fmt.Sprintf("%duhour", u) }

func hasEvent(r *client.Result, typ, key, value string) bool {
	for _, e := range r.Events {
		if e.Type != typ {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == key && a.Value == value {
				return true
			}
		}
	}
	return false
}

func asTxErr(err error, target **client.TxError) bool { return errors.As(err, target) }
