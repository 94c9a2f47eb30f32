package app

import (
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
	"github.com/commonsledger/commons/x/projects"
)

// PrefixApp holds app-level state (the chain id).
const PrefixApp byte = 0x0f

var (
	chainIDKey  = []byte{PrefixApp, 0x01}
	protocolKey = []byte{PrefixApp, 0x02} // the ProtocolVersion that wrote the state (absent: 1)
)

// AllPrefixes lists every key prefix in use, module by module, for the overlap test.
func AllPrefixes() map[string][][]byte {
	return map[string][][]byte{
		"app":      {chainIDKey, protocolKey},
		"bank":     bank.KeyPrefixes(),
		"members":  members.KeyPrefixes(),
		"claims":   claims.KeyPrefixes(),
		"disputes": disputes.KeyPrefixes(),
		"gov":      gov.KeyPrefixes(),
		"projects": projects.KeyPrefixes(),
	}
}
