package ports

import (
	"fmt"
	"net"
	"testing"
)

func TestRangeIsFreeAndBelowTheEphemeralRange(t *testing.T) {
	for i := 0; i < 20; i++ {
		base, err := Range(50)
		if err != nil {
			t.Fatal(err)
		}
		if base < lowest || base+50 > ephemeralStart() {
			t.Fatalf("base %d: want %d ≤ base and base+50 ≤ %d", base, lowest, ephemeralStart())
		}
		for p := base; p < base+50; p++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				t.Fatalf("port %d of range %d: %v", p, base, err)
			}
			l.Close()
		}
	}
}

func TestRangeSkipsATakenPort(t *testing.T) {
	base, err := Range(1)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", base))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if free(base, 1) {
		t.Fatalf("port %d is held but free() says it is free", base)
	}
	for i := 0; i < 50; i++ {
		got, err := Range(1)
		if err != nil {
			t.Fatal(err)
		}
		if got == base {
			t.Fatalf("Range returned the held port %d", base)
		}
	}
}
