//go:build !unix

package store

// lockDir is a no-op where flock is not available; Badger still locks the directory itself.
func lockDir(string) (func(), bool) { return func() {}, false }
