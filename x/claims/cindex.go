package claims

import (
	"bytes"
	"cmp"
	"container/heap"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/commonsledger/commons/x/core"
)

// The category and time indexes answer QueryClaims' category, status and time filters (the time
// filter is on a claim's start: from_time <= start < to_time) without walking every claim. They are
// derived state: written with every claim (index, moveStatus), rebuilt by InitGenesis from the
// claims, never exported, and checked by CheckInvariants. What each costs per claim (keys under
// core.PrefixClaims, 2 bytes of prefix; a category of n bytes takes n+1 in a key):
//
//   - byCategory (0x0f), lp(category) | id → empty: 1 key of 11+n bytes, written once.
//   - byCatStatus (0x15), lp(category) | status | id → empty: 1 key of 12+n bytes, moved (one
//     delete, one set) on each status change. Pages category + status filters.
//   - catCount (0x16), lp(category) | status → count (8 bytes): shared by the claims of a category
//     and status; one read and write on submission and two on each status change. Totals of
//     category (the sum of its four statuses) and category + status filters.
//   - startCount (0x17), level | bucket | lp(category) → count ‖ largest id (16 bytes): one per
//     level, the second, minute, hour and UTC day of the start (4 keys of 12+n bytes), shared by
//     the claims of a category starting in the same bucket; one read and write each on submission,
//     never changed after (claims are never deleted, their start and category never change).
//   - byStartCat (0x18), start | lp(category) | id → empty: 1 key of 19+n bytes, written once.
//
// So a claim touches 8 keys here: for a 6-byte category 142 bytes of keys and 72 bytes of counter
// values, of which the catCount and the 4 start counters (82 bytes of keys, all 72 of values) are
// shared with the claims of the same category and bucket (the day and hour ones nearly always
// are); its own keys are byCategory, byCatStatus and byStartCat, 60 bytes. byCategory existed
// before; byStartCat and the counters replace a (start, id) index of one 18-byte key per claim.
//
// How a time filter is answered: [from, to) splits into whole buckets, UTC days in the middle and
// at each end at most 23 hours, 59 minutes and 59 seconds (startNodes); their counters give the
// exact total from at most 2×(23+59+59) + days counters per category present. The page is found by
// branch and bound (topIDs): the bucket with the largest id is opened first (a day into its hours,
// an hour into its minutes, a minute into its seconds, a second's byStartCat entries walked newest
// first), and it stops once no bucket left can hold an id above the page's. Its cost depends on the
// page (offset + limit) and how the ids of the range spread over buckets, not on how many claims
// the range holds. A status filter together with a time filter has no counter: its total walks
// the smaller of the status (or category-status) index and the byStartCat entries of the range.

// startLevels are the widths in seconds of the start-count levels: second, minute, hour and UTC
// day; each divides the next.
var startLevels = [...]int64{1, 60, hour, day}

const dayLevel = len(startLevels) - 1

func floorDiv(a, w int64) int64 {
	q := a / w
	if a%w < 0 {
		q--
	}
	return q
}

func ceilDiv(a, w int64) int64 {
	q := a / w
	if a%w > 0 {
		q++
	}
	return q
}

func lpCategory(category string) []byte { return core.LenPrefixed([]byte(category)) }

func byCatStatus(category string, s ClaimStatus) []byte {
	return core.Key(byCatStatusPrefix, lpCategory(category), []byte{byte(s)})
}

func catCountKey(category string, s ClaimStatus) []byte {
	return core.Key(catCountPrefix, lpCategory(category), []byte{byte(s)})
}

func startCounts(level int, bucket int64) []byte {
	return core.Key(startCountPrefix, []byte{byte(level)}, core.Int64Key(bucket))
}

func startCountKey(level int, bucket int64, category string) []byte {
	return core.Key(startCounts(level, bucket), lpCategory(category))
}

func byStartCatKey(start int64, category string, id uint64) []byte {
	return core.Key(byStartCatPrefix, core.Int64Key(start), lpCategory(category), core.Uint64Key(id))
}

// startCount is the value of a startCount key: the claims in the bucket and the largest id among them.
type startCount struct{ n, maxID uint64 }

func (s startCount) bytes() []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(make([]byte, 0, 16), s.n), s.maxID)
}

func decodeStartCount(v []byte) startCount {
	return startCount{binary.BigEndian.Uint64(v[:8]), binary.BigEndian.Uint64(v[8:16])}
}

// indexStart adds a new claim to the start counters and byStartCat. Claims are never deleted and
// their start and category never change, so these only ever grow.
func indexStart(kv core.KV, c *Claim) {
	kv.Set(byStartCatKey(c.Start, c.Category, c.Id), present)
	for level, w := range startLevels {
		key := startCountKey(level, floorDiv(c.Start, w), c.Category)
		var s startCount
		if v, ok := kv.Get(key); ok {
			s = decodeStartCount(v)
		}
		s.n++
		s.maxID = max(s.maxID, c.Id)
		kv.Set(key, s.bytes())
	}
}

// moveCategoryStatus moves c from its status from (UNSPECIFIED for a new claim) to to in the
// category-status index and counters.
func moveCategoryStatus(kv core.KV, w put, c *Claim, from, to ClaimStatus) {
	id := core.Uint64Key(c.Id)
	if from != ClaimStatus_CLAIM_STATUS_UNSPECIFIED {
		kv.Delete(core.Key(byCatStatus(c.Category, from), id))
		addCatCount(kv, c.Category, from, -1)
	}
	w(kv, core.Key(byCatStatus(c.Category, to), id), present)
	addCatCount(kv, c.Category, to, +1)
}

func addCatCount(kv core.KV, category string, s ClaimStatus, delta int64) {
	key := catCountKey(category, s)
	n := int64(catCount(kv, category, s)) + delta
	if n <= 0 {
		kv.Delete(key)
		return
	}
	kv.Set(key, core.Uint64Key(uint64(n)))
}

func catCount(r core.Reader, category string, s ClaimStatus) uint64 {
	if v, ok := r.Get(catCountKey(category, s)); ok {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

// CategoryCount returns how many claims of category have status s, or of any status when s is
// UNSPECIFIED. At most four point reads.
func (Keeper) CategoryCount(r core.Reader, category string, s ClaimStatus) uint64 {
	if !ValidCategory(category) {
		return 0
	}
	if s != ClaimStatus_CLAIM_STATUS_UNSPECIFIED {
		return catCount(r, category, s)
	}
	var n uint64
	for st := ClaimStatus_CLAIM_STATUS_PENDING; st <= ClaimStatus_CLAIM_STATUS_REVERSED; st++ {
		n += catCount(r, category, st)
	}
	return n
}

// startNode is a whole bucket of one level for one category (or, above level 0, for every
// category: ""), with its count and largest id: a day, hour, minute or second (level 0, whose
// claims are the byStartCat entries of that start and category).
type startNode struct {
	level    int
	bucket   int64
	category string
	n, maxID uint64
}

// counterNodes appends the non-empty counters of level for the buckets [fa, fb), of category, one
// node each. With category "" (every category) a bucket's counters above level 0 are added up into
// one node of category "", so that a time filter alone opens each bucket once; a second stays one
// node per category, since its entries are walked per category.
func counterNodes(r core.Reader, out []startNode, level int, fa, fb int64, category string) []startNode {
	first, merge := len(out), category == "" && level > 0
	r.Iterate(startCounts(level, fa), startCounts(level, fb), false, func(key, v []byte) bool {
		rest := key[len(startCountPrefix)+1:]
		cat := string(rest[9:])
		if category != "" && cat != category {
			return true
		}
		s, b := decodeStartCount(v), core.DecodeInt64Key(rest[:8])
		if merge {
			if last := len(out) - 1; last >= first && out[last].bucket == b {
				out[last].n += s.n
				out[last].maxID = max(out[last].maxID, s.maxID)
				return true
			}
			cat = ""
		}
		out = append(out, startNode{level: level, bucket: b, category: cat, n: s.n, maxID: s.maxID})
		return true
	})
	return out
}

// startNodes splits [lo, hi) into whole buckets, as large as fit, and returns those with claims of
// category (every category when ""): from level down, the buckets of level inside the range, then
// the pieces at either end from the level below. At most 2×(w-1) buckets per level below the top,
// w the ratio to the level below.
func startNodes(r core.Reader, out []startNode, level int, lo, hi int64, category string) []startNode {
	if lo >= hi {
		return out
	}
	w := startLevels[level]
	fa, fb := ceilDiv(lo, w), floorDiv(hi, w) // whole buckets [fa, fb)
	if level == 0 {
		return counterNodes(r, out, 0, fa, fb, category)
	}
	if fa >= fb {
		return startNodes(r, out, level-1, lo, hi, category)
	}
	// lo <= fa*w < fb*w <= hi: neither product overflows.
	out = startNodes(r, out, level-1, lo, fa*w, category)
	out = counterNodes(r, out, level, fa, fb, category)
	return startNodes(r, out, level-1, fb*w, hi, category)
}

// startRange returns the start range [lo, hi) of a request's time filter (an absent bound is the
// end of int64: no start is MaxInt64, which would end after it) and whether it is not empty.
func startRange(q *QueryClaimsRequest) (lo, hi int64, ok bool) {
	lo, hi = math.MinInt64, math.MaxInt64
	if q.FromTime != 0 {
		lo = q.FromTime
	}
	if q.ToTime != 0 {
		hi = q.ToTime
	}
	return lo, hi, lo < hi
}

// nodeHeap is a max-heap of buckets by largest id.
type nodeHeap []startNode

func (h nodeHeap) Len() int           { return len(h) }
func (h nodeHeap) Less(i, j int) bool { return h[i].maxID > h[j].maxID }
func (h nodeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *nodeHeap) Push(x any)        { *h = append(*h, x.(startNode)) }
func (h *nodeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// topIDs returns the keep largest ids of the claims in the buckets nodes, in descending order. It
// opens the bucket with the largest id first (a bucket of a level into its buckets of the level
// below, a second into its byStartCat entries) and stops when the page is full and no bucket left
// holds a larger id than the keep-th found, so it reads only buckets that can hold the page.
func topIDs(r core.Reader, nodes []startNode, keep uint64) []uint64 {
	pq := nodeHeap(nodes)
	heap.Init(&pq)
	top := &idHeap{}
	full := func() bool { return uint64(top.Len()) >= keep }
	for pq.Len() > 0 {
		nd := heap.Pop(&pq).(startNode)
		if full() && nd.maxID <= (*top)[0] {
			break
		}
		if nd.level > 0 {
			ratio := startLevels[nd.level] / startLevels[nd.level-1]
			// nd is a whole bucket inside the range, so its children's bounds do not overflow.
			for _, child := range counterNodes(r, nil, nd.level-1, nd.bucket*ratio, (nd.bucket+1)*ratio, nd.category) {
				heap.Push(&pq, child)
			}
			continue
		}
		core.IteratePrefix(r, core.Key(byStartCatPrefix, core.Int64Key(nd.bucket), lpCategory(nd.category)), true, func(key, _ []byte) bool {
			id := binary.BigEndian.Uint64(key[len(key)-8:])
			if full() && id <= (*top)[0] {
				return false // the rest of this second is older still
			}
			top.offer(id, keep)
			return true
		})
	}
	ids := []uint64(*top)
	slices.SortFunc(ids, func(a, b uint64) int { return cmp.Compare(b, a) })
	return ids
}

// scanStarts walks the byStartCat entries of [lo, hi), of category (every category when ""), calls
// accept for each, and returns how many it accepted and the keep largest accepted ids, descending.
// It reads every claim of the range: the walk for a status with a time filter, when the range holds
// fewer claims than the status.
func scanStarts(r core.Reader, lo, hi int64, category string, keep uint64, accept func(uint64) bool) (ids []uint64, n uint64) {
	top := &idHeap{}
	lp := lpCategory(category)
	r.Iterate(core.Key(byStartCatPrefix, core.Int64Key(lo)), core.Key(byStartCatPrefix, core.Int64Key(hi)), false, func(key, _ []byte) bool {
		rest := key[len(byStartCatPrefix)+8:]
		if category != "" && !bytes.Equal(rest[:len(rest)-8], lp) {
			return true
		}
		if id := binary.BigEndian.Uint64(key[len(key)-8:]); accept(id) {
			n++
			top.offer(id, keep)
		}
		return true
	})
	ids = []uint64(*top)
	slices.SortFunc(ids, func(a, b uint64) int { return cmp.Compare(b, a) })
	return ids, n
}

// checkCategoryTimeIndexes: byCategory, byCatStatus, catCount, startCount and byStartCat hold exactly
// what the claims give: each claim once in each index, each counter its claims' count (and max id),
// no other entry.
func checkCategoryTimeIndexes(r core.Reader, all []*Claim) error {
	type entry struct {
		value []byte
		claim uint64
	}
	want := map[string]entry{}
	cats := map[string]uint64{}
	starts := map[string]startCount{}
	for _, c := range all {
		id := core.Uint64Key(c.Id)
		want[string(core.Key(byCategory(c.Category), id))] = entry{present, c.Id}
		want[string(core.Key(byCatStatus(c.Category, c.Status), id))] = entry{present, c.Id}
		want[string(byStartCatKey(c.Start, c.Category, c.Id))] = entry{present, c.Id}
		cats[string(catCountKey(c.Category, c.Status))]++
		for level, w := range startLevels {
			k := string(startCountKey(level, floorDiv(c.Start, w), c.Category))
			s := starts[k]
			s.n++
			s.maxID = max(s.maxID, c.Id)
			starts[k] = s
		}
	}
	for k, n := range cats {
		want[k] = entry{value: core.Uint64Key(n)}
	}
	for k, s := range starts {
		want[k] = entry{value: s.bytes()}
	}
	var err error
	for _, p := range [][]byte{byCategoryPrefix, byCatStatusPrefix, catCountPrefix, startCountPrefix, byStartCatPrefix} {
		core.IteratePrefix(r, p, false, func(key, v []byte) bool {
			w, ok := want[string(key)]
			switch {
			case !ok:
				err = fmt.Errorf("invariant category/time index: stray entry %x", key)
			case !bytes.Equal(v, w.value):
				err = fmt.Errorf("invariant category/time index: entry %x holds %x, the claims give %x", key, v, w.value)
			}
			delete(want, string(key))
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	if len(want) > 0 {
		keys := make([]string, 0, len(want))
		for k := range want {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return fmt.Errorf("invariant category/time index: %d entries missing, the first %x (claim %d)", len(want), keys[0], want[keys[0]].claim)
	}
	return nil
}
