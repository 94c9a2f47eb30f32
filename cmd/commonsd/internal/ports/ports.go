// Package ports finds free TCP ports on 127.0.0.1 for tests that start nodes.
//
// A port that is free when checked may be taken before the node binds it. Asking the kernel for
// port 0 returns a port from its ephemeral range, and every outgoing connection (a peer dialling,
// an RPC client) also takes its local port from that range, so under load another connection can
// take the port first and the node fails with "address already in use". These ports come from below
// the ephemeral range, where only another listener can take them, and from a random start, so
// packages tested in parallel rarely scan the same ports.
package ports

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// lowest is the lowest port handed out: well above the well-known and registered services.
const lowest = 10000

// Range returns a base port such that base … base+n-1 are all free on 127.0.0.1 now.
func Range(n int) (int, error) {
	top := ephemeralStart() - n
	if top <= lowest {
		return 0, fmt.Errorf("no room for %d ports below the ephemeral range", n)
	}
	span := top - lowest
	start := rand.IntN(span)
	for tried := 0; tried < span; tried += 97 {
		base := lowest + (start+tried)%span
		if free(base, n) {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no %d consecutive free ports on 127.0.0.1", n)
}

// Addr returns a free "127.0.0.1:port".
func Addr() (string, error) {
	p, err := Range(1)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("127.0.0.1:%d", p), nil
}

func free(base, n int) bool {
	for p := base; p < base+n; p++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}

// ephemeralStart is the first port of the kernel's ephemeral range (Linux's default 32768 when it
// cannot be read).
func ephemeralStart() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if v, err := strconv.Atoi(f[0]); err == nil && v > lowest {
				return v
			}
		}
	}
	return 32768
}
