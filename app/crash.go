package app

import (
	"fmt"
	"os"
)

// CrashPointEnv names an environment variable that makes the process exit abruptly at a named
// point of block execution, to test crash recovery: COMMONSD_CRASH_AT=before-commit@5 exits just
// before height 5 is committed, and so on. It is read once at start.
const CrashPointEnv = "COMMONSD_CRASH_AT"

var crashSpec = os.Getenv(CrashPointEnv)

// crashPoint exits the process with status 137 (as SIGKILL would) when the configured point is hit.
func crashPoint(name string, height int64) {
	if crashSpec == "" {
		return
	}
	if crashSpec == name || crashSpec == fmt.Sprintf("%s@%d", name, height) {
		fmt.Fprintf(os.Stderr, "crash point %s reached at height %d: exiting\n", name, height)
		os.Exit(137)
	}
}
