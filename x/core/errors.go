package core

import (
	"errors"
	"fmt"
	"sort"
)

// Error is a registered error: (codespace, code) is stable across releases and documented in
// docs/protocol.md; Desc is the short description. Call sites wrap it with context that tells the
// user what to fix.
type Error struct {
	Codespace string
	Code      uint32
	Desc      string
}

func (e *Error) Error() string { return e.Desc }

// Wrapf returns an error that matches e under errors.Is and reads "<desc>: <context>".
func (e *Error) Wrapf(format string, args ...any) error {
	return &wrapped{reg: e, msg: fmt.Sprintf(format, args...)}
}

type wrapped struct {
	reg *Error
	msg string
}

func (w *wrapped) Error() string { return w.reg.Desc + ": " + w.msg }
func (w *wrapped) Unwrap() error { return w.reg }

var registry = map[string]*Error{}

// ErrHalt marks an error that must stop the node at the block it arose in (a scheduled upgrade the
// binary does not know), rather than leave it running without consensus.
var ErrHalt = errors.New("the node must stop")

// Register declares an error once, at package init. Codes are unique across the whole chain (each
// codespace owns a block of 100: core 1–99, auth 101–199, bank 201–299, members 301–399,
// claims 401–499, disputes 501–599, gov 601–699, projects 701–799, query 901–999), so a code alone identifies the error, and a code is never reused
// for another meaning.
func Register(codespace string, code uint32, desc string) *Error {
	if code == 0 {
		panic("core: code 0 is reserved for success")
	}
	k := fmt.Sprint(code)
	if prev, dup := registry[k]; dup {
		panic(fmt.Sprintf("core: code %d registered twice (%s and %s)", code, prev.Codespace, codespace))
	}
	e := &Error{Codespace: codespace, Code: code, Desc: desc}
	registry[k] = e
	return e
}

// Registered lists every registered error ordered by codespace and code, for docs and tests.
func Registered() []*Error {
	out := make([]*Error, 0, len(registry))
	for _, e := range registry {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Codespace != out[j].Codespace {
			return out[i].Codespace < out[j].Codespace
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// Codespace of the core package's own errors.
const Codespace = "core"

var (
	// ErrInternal is what an unregistered error (a bug) maps to. Its log is deterministic.
	ErrInternal = Register(Codespace, 1, "internal error")
	// ErrInvalidAddress is returned for anything that is not a well-formed commons1… address.
	ErrInvalidAddress = Register(Codespace, 2, "invalid address")
	// ErrPanic is returned when a handler panics. The panic is recovered, the tx fails with this
	// code, and its writes are discarded, so one bad tx can never halt the chain.
	ErrPanic = Register(Codespace, 3, "tx handler panicked")
)

// ABCIInfo maps any error to the (codespace, code, log) triple returned over ABCI. An unregistered
// error is reported as core/1 with its message, which is deterministic as long as the message is.
func ABCIInfo(err error) (codespace string, code uint32, log string) {
	if err == nil {
		return "", 0, ""
	}
	var reg *Error
	if errors.As(err, &reg) {
		return reg.Codespace, reg.Code, err.Error()
	}
	return ErrInternal.Codespace, ErrInternal.Code, ErrInternal.Desc + ": " + err.Error()
}
