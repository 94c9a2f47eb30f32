package claims_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/commonsledger/commons/app/apptest"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// countingReader counts what a handler asks of the state: point reads, iterations started, and
// items an iteration handed out.
type countingReader struct {
	r                       core.Reader
	gets, iterates, visited int
}

func (c *countingReader) Get(key []byte) ([]byte, bool) { c.gets++; return c.r.Get(key) }

func (c *countingReader) Iterate(start, end []byte, reverse bool, fn func(key, value []byte) bool) {
	c.iterates++
	c.r.Iterate(start, end, reverse, func(k, v []byte) bool { c.visited++; return fn(k, v) })
}

func (c *countingReader) reads() int { return c.gets + c.iterates + c.visited }

func keeper() claims.Keeper {
	return claims.NewKeeper(members.NewKeeper(bank.Keeper{}), bank.Keeper{})
}

// submit runs SubmitClaim by k on committed state through a counting reader, in a block at the
// chain's next height and time, and returns the reader and the error.
func submit(t *testing.T, c *apptest.Chain, k apptest.Key, start, end int64) (*countingReader, error) {
	t.Helper()
	v := c.DB.ReadLatest()
	defer v.Discard()
	cr := &countingReader{r: v}
	ctx := core.NewContext(store.NewOverlay(cr), c.Height+1, c.Time.Add(c.BlockInterval).Unix(), apptest.ChainID)
	ctx.Signer = k.Addr
	err := keeper().SubmitClaim(ctx, &claims.MsgSubmitClaim{Start: start, End: end, Category: "care", Summary: "work"})
	return cr, err
}

const denseClaims = 16 * 3600 // one-second claims filling max_claim_duration: 57,600

// TestOverlapCheckIsOneSeek: a member holding 57,600 adjacent one-second VERIFIED claims (built
// loaded as a genesis import would) submits claims; the overlap check finds the right claim, accepts adjacent time,
// and reads as many keys as for a member holding no claim, plus the one index entry it finds.
func TestOverlapCheckIsOneSeek(t *testing.T) {
	dense, empty := apptest.NewKey("dense"), apptest.NewKey("empty")
	g := apptest.ContribGenesis(0, dense, empty, apptest.NewKey("third"))
	g.Claims.Params.MinClaimDuration = 1
	c := apptest.NewChain(t, "", g)
	c.Block()
	end := apptest.GenesisTime.Add(-time.Hour) // the dense claims end an hour before genesis
	first := c.LoadDenseClaims(dense, denseClaims, end, claims.ClaimStatus_CLAIM_STATUS_VERIFIED)
	if err := c.Invariants(); err != nil {
		t.Fatal(err)
	}
	e := end.Unix()
	idAt := func(start int64) uint64 { return first + uint64(start-(e-denseClaims)) } // the dense claim starting at start

	base, _ := submit(t, c, empty, e, e+60)
	if base.visited != 0 {
		t.Fatalf("a member without claims: %d index entries visited", base.visited)
	}
	tests := []struct {
		name       string
		start, end int64
		wantID     uint64 // 0: accepted
	}{
		{"adjacent after", e, e + 60, 0},
		{"overlaps the last second", e - 1, e + 59, idAt(e - 1)},
		{"inside, names the last claim starting before its end", e - 3600, e - 3540, idAt(e - 3541)},
		{"covers everything", e - denseClaims, e, idAt(e - 1)},
		{"overlaps the first second", e - denseClaims - 59, e - denseClaims + 1, idAt(e - denseClaims)},
		{"adjacent before", e - denseClaims - 60, e - denseClaims, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr, err := submit(t, c, dense, tt.start, tt.end)
			if tt.wantID == 0 {
				if err != nil {
					t.Fatal(err)
				}
			} else {
				want := "claim overlaps claim " + itoa(tt.wantID) + " (" +
					core.FormatInterval(int64(tt.wantID-first)+e-denseClaims, int64(tt.wantID-first)+e-denseClaims+1) +
					"); claim only time not already claimed"
				if !errors.Is(err, claims.ErrClaimOverlaps) || err.Error() != want {
					t.Fatalf("got %v, want %q", err, want)
				}
			}
			// One seek: the same reads as for the member without claims, plus at most the one
			// overlap-index entry the seek lands on.
			if cr.gets > base.gets || cr.iterates > base.iterates || cr.visited > 1 {
				t.Fatalf("reads: %d gets, %d iterations, %d entries visited; a member without claims needs %d, %d, 0",
					cr.gets, cr.iterates, cr.visited, base.gets, base.iterates)
			}
		})
	}
	if base.reads() > 12 {
		t.Fatalf("a submission reads %d keys: %d gets, %d iterations", base.reads(), base.gets, base.iterates)
	}
}

// TestReclaimCheckIsOneSeekPerLevel: the same with 14,400 REJECTED one-second claims (on reclaim
// level 0; fewer than above only to keep the test fast): a claim over them takes level 1 after one
// more seek, which reads one entry of level 0.
func TestReclaimCheckIsOneSeekPerLevel(t *testing.T) {
	dense, empty := apptest.NewKey("dense"), apptest.NewKey("empty")
	g := apptest.ContribGenesis(0, dense, empty, apptest.NewKey("third"))
	g.Claims.Params.MinClaimDuration = 1
	c := apptest.NewChain(t, "", g)
	c.Block()
	end := apptest.GenesisTime.Add(-time.Hour)
	c.LoadDenseClaims(dense, denseClaims/4, end, claims.ClaimStatus_CLAIM_STATUS_REJECTED)
	e := end.Unix()
	base, _ := submit(t, c, empty, e-3600, e)
	cr, err := submit(t, c, dense, e-3600, e)
	if err != nil {
		t.Fatal(err)
	}
	if cr.gets != base.gets || cr.iterates != base.iterates+1 || cr.visited != 1 {
		t.Fatalf("reads: %d gets, %d iterations, %d visited; without claims %d, %d, %d",
			cr.gets, cr.iterates, cr.visited, base.gets, base.iterates, base.visited)
	}
}

func itoa(u uint64) string { return strconv.FormatUint(u, 10) }
