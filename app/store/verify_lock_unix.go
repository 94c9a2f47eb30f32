//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
)

// lockDir takes the lock Badger takes (flock on the directory) for the duration of checkFiles, so
// that the files are not checked while another process is writing them. busy reports that another
// process holds it; Badger's own open then fails with its lock error, which callers recognise.
func lockDir(dir string) (release func(), busy bool) {
	f, err := os.Open(dir)
	if err != nil {
		return func() {}, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return func() {}, errors.Is(err, syscall.EWOULDBLOCK)
	}
	return func() { f.Close() }, false // closing the descriptor releases the lock
}
