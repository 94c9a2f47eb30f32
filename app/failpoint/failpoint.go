// Package failpoint lets crash-recovery tests stop the process abruptly at a named point of block
// execution, commit or snapshotting. It does nothing unless COMMONSD_CRASH_AT is set.
package failpoint

import (
	"fmt"
	"os"
)

// Env names the environment variable that arms a failpoint: COMMONSD_CRASH_AT=before-commit@5
// exits just before height 5 is committed; without "@height" the point fires the first time.
// Points: after-finalize, before-commit, after-commit (app), mid-commit (app/store: the block's
// data is durable at its version but its Meta is not yet written) and during-snapshot
// (app/snapshot: the snapshot's files are written but not yet published). It is read once at start.
const Env = "COMMONSD_CRASH_AT"

var spec = os.Getenv(Env)

// Hit exits the process with status 137 (as SIGKILL would) if the armed point is name at height.
func Hit(name string, height int64) {
	if spec == "" {
		return
	}
	if spec == name || spec == fmt.Sprintf("%s@%d", name, height) {
		fmt.Fprintf(os.Stderr, "crash point %s reached at height %d: exiting\n", name, height)
		os.Exit(137)
	}
}
