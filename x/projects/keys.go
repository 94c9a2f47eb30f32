package projects

import (
	"bytes"

	"github.com/commonsledger/commons/x/core"
)

// Sub-prefixes under core.PrefixProjects. Ids are fixed-width big-endian, times sign-flipped
// big-endian (core.Int64Key), handles and addresses length-prefixed.
var (
	projectPrefix      = []byte{core.PrefixProjects, 0x01} // | id → Project
	handlePrefix       = []byte{core.PrefixProjects, 0x02} // | lp(handle) → id
	paramsKey          = []byte{core.PrefixProjects, 0x03} // → Params
	countsKey          = []byte{core.PrefixProjects, 0x04} // → ProjectCounts
	creatorPrefix      = []byte{core.PrefixProjects, 0x05} // | lp(creator) → CreatorCount
	distributionPrefix = []byte{core.PrefixProjects, 0x06} // | id → Distribution
	periodPrefix       = []byte{core.PrefixProjects, 0x07} // | project id | from → distribution id
)

// KeyPrefixes lists this module's key prefixes, for the app's overlap test (app.AllPrefixes).
func KeyPrefixes() [][]byte {
	out := [][]byte{}
	for _, p := range [][]byte{projectPrefix, handlePrefix, paramsKey, countsKey, creatorPrefix, distributionPrefix, periodPrefix} {
		out = append(out, bytes.Clone(p))
	}
	return out
}

func projectKey(id uint64) []byte { return core.Key(projectPrefix, core.Uint64Key(id)) }

func handleKey(handle string) []byte { return core.Key(handlePrefix, core.LenPrefixed([]byte(handle))) }

func creatorKey(creator core.Address) []byte {
	return core.Key(creatorPrefix, core.LenPrefixed(creator))
}

func distributionKey(id uint64) []byte { return core.Key(distributionPrefix, core.Uint64Key(id)) }

// periodsOf is the prefix of project id's distributed periods, in order of their start.
func periodsOf(project uint64) []byte { return core.Key(periodPrefix, core.Uint64Key(project)) }

func periodKey(project uint64, from int64) []byte {
	return core.Key(periodsOf(project), core.Int64Key(from))
}
