package claims

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/commonsledger/commons/x/core"
)

// The category and time indexes answer QueryClaims' category, status and time filters (the time
// filter is on a claim's start: from_time <= start < to_time) without walking every claim. They are
// derived state: written with every claim (index, moveStatus), rebuilt by InitGenesis from the
// claims, never exported, and checked by CheckInvariants. What each costs per claim (keys of
// claims.PrefixClaims: 2 bytes of prefix; a category of n bytes takes n+1):
//
//   - byCategory (0x0f), lp(category) | id → empty: 1 key of 12+n bytes, written once.
//   - byCatStatus (0x15), lp(category) | status | id → empty: 1 key of 13+n bytes, moved (one
//     delete, one set) on each status change. Pages category + status filters.
//   - catCount (0x16), lp(category) | status → count: 8 bytes, shared by every claim of the
//     category and status; one read and write on submission and on each status change. Totals of
//     category (the sum of its four statuses) and category + status filters.
//   - startCount (0x17), level | bucket | lp(category) → count ‖ max id: 16 bytes, one per level
//     (second, minute, hour and UTC day of the start: 4 keys of 12+n bytes), shared by the claims
//     of a category starting in the same bucket; one read and write each on submission, none after.
//     Exact totals of any start range from at most 2×(59+59+23) counters below the day level plus
//     one counter per day the range covers (per category present), whatever the claims.
//   - byDay (0x18), start day | lp(category) | id → start: 1 key of 19+n bytes with an 8-byte
//     value, written once. Pages time filters newest first: a range is the union of its days'
//     buckets, each in id order, merged by their max id (from the day counters), so a page reads
//     the buckets that hold its ids and stops at the first bucket whose max id is below them.
//
// So a claim costs 8 keys here (about 110 bytes of key and 72 of value for a 6-byte category), of
// which the 4 counters are shared with the claims of its bucket; the first four existed before
// the time counters, which replaced a (start, id) index of one key per claim.
//
// What is not flat: a time range whose ends fall inside a UTC day walks those (at most two) days'
// buckets newest first, skipping the claims outside the range, until the page is full; and a
// status filter with a time filter has no counter, so its total walks the smaller of the two
// (status index, or the time range's buckets).

// startLevels are the widths in seconds of the start-count levels; each divides the next, and the
// last is the day of the byDay buckets.
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

// startDay is the UTC day number of a start time, the bucket of its byDay entry.
func startDay(start int64) int64 { return floorDiv(start, startLevels[dayLevel]) }

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

func byDayBucket(day int64, category string) []byte {
	return core.Key(byDayPrefix, core.Int64Key(day), lpCategory(category))
}

func byDayKey(day int64, category string, id uint64) []byte {
	return core.Key(byDayBucket(day, category), core.Uint64Key(id))
}

// startCount is the value of a startCount key: the claims in the bucket and the largest id among them.
type startCount struct{ n, maxID uint64 }

func (s startCount) bytes() []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(make([]byte, 0, 16), s.n), s.maxID)
}

func decodeStartCount(v []byte) startCount {
	return startCount{binary.BigEndian.Uint64(v[:8]), binary.BigEndian.Uint64(v[8:16])}
}

// indexStart adds a new claim to the start counters and its day bucket. Claims are never deleted
// and their start and category never change, so these only ever grow.
func indexStart(kv core.KV, c *Claim) {
	kv.Set(byDayKey(startDay(c.Start), c.Category, c.Id), core.Int64Key(c.Start))
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
func moveCategoryStatus(kv core.KV, c *Claim, from, to ClaimStatus) {
	id := core.Uint64Key(c.Id)
	if from != ClaimStatus_CLAIM_STATUS_UNSPECIFIED {
		kv.Delete(core.Key(byCatStatus(c.Category, from), id))
		addCatCount(kv, c.Category, from, -1)
	}
	kv.Set(core.Key(byCatStatus(c.Category, to), id), present)
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

// sumStartCounts adds up the counters of level for the buckets [fa, fb), of category (every
// category when it is ""); the count and the largest id.
func sumStartCounts(r core.Reader, level int, fa, fb int64, category string) (n uint64) {
	r.Iterate(startCounts(level, fa), startCounts(level, fb), false, func(key, v []byte) bool {
		if category == "" || string(key[len(startCountPrefix)+1+8+1:]) == category {
			n += decodeStartCount(v).n
		}
		return true
	})
	return n
}

// countStarts counts the claims of category (every category when "") whose start is in [lo, hi)
// from the counters of level and the levels below it: the whole buckets of level inside the range
// from its counters, the pieces at either end from the level below. At most 2×(w-1) counters per
// level, w the ratio to the level below.
func countStarts(r core.Reader, level int, lo, hi int64, category string) uint64 {
	if lo >= hi {
		return 0
	}
	w := startLevels[level]
	fa, fb := ceilDiv(lo, w), floorDiv(hi, w) // whole buckets [fa, fb)
	if level == 0 {
		return sumStartCounts(r, 0, fa, fb, category)
	}
	if fa >= fb {
		return countStarts(r, level-1, lo, hi, category)
	}
	// lo <= fa*w < fb*w <= hi: neither product overflows.
	return countStarts(r, level-1, lo, fa*w, category) + sumStartCounts(r, level, fa, fb, category) +
		countStarts(r, level-1, fb*w, hi, category)
}

// dayBucket is one category's byDay bucket of one day, as far as it lies in a start range.
type dayBucket struct {
	day      int64
	category string
	n        uint64 // claims of the bucket with a start in the range
	maxID    uint64 // an upper bound of their ids: the bucket's largest id
	partial  bool   // the range covers only part of the day
}

// startRange returns the start range [lo, hi) of a request's time filter (an absent bound is
// the end of int64: no start is MaxInt64, which would end after it) and whether it is empty.
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

// dayBuckets lists the non-empty byDay buckets of category (every category when "") meeting
// [lo, hi), lo < hi, with exact counts: one read of the day counters over the range, and for the
// (at most two) days the range covers only in part, countStarts below the day level.
func dayBuckets(r core.Reader, lo, hi int64, category string) []dayBucket {
	loDay, hiDay := floorDiv(lo, day), floorDiv(hi-1, day) // the days meeting the range, inclusive
	loCut, hiCut := floorMod(lo, day) != 0, floorMod(hi, day) != 0
	var out []dayBucket
	r.Iterate(startCounts(dayLevel, loDay), startCounts(dayLevel, hiDay+1), false, func(key, v []byte) bool {
		rest := key[len(startCountPrefix)+1:]
		cat := string(rest[9:])
		if category != "" && cat != category {
			return true
		}
		d := core.DecodeInt64Key(rest[:8])
		s := decodeStartCount(v)
		b := dayBucket{day: d, category: cat, n: s.n, maxID: s.maxID}
		lowPart, highPart := d == loDay && loCut, d == floorDiv(hi, day) && hiCut
		if lowPart || highPart {
			// The products are computed only where they lie inside [lo, hi].
			segLo, segHi := lo, hi
			if !lowPart {
				segLo = d * day
			}
			if !highPart {
				segHi = (d + 1) * day
			}
			b.partial = true
			if b.n = countStarts(r, dayLevel-1, segLo, segHi, cat); b.n == 0 {
				return true
			}
		}
		out = append(out, b)
		return true
	})
	return out
}

func floorMod(a, w int64) int64 { return (a%w + w) % w }

// topIDs walks the buckets for the ids of claims whose start is in [lo, hi) and accept (nil: all)
// accepts, and returns the keep largest in descending order. With all it walks every bucket and
// returns the number of matches too; otherwise it visits buckets in descending order of their max
// id and stops when no bucket left can hold an id above the keep-th largest found.
func topIDs(r core.Reader, buckets []dayBucket, lo, hi int64, keep uint64, accept func(uint64) bool, all bool) (ids []uint64, matched uint64) {
	slices.SortFunc(buckets, func(a, b dayBucket) int { return -cmpUint(a.maxID, b.maxID) })
	top := &idHeap{}
	full := func() bool { return uint64(top.Len()) >= keep }
	for _, b := range buckets {
		if !all && full() && b.maxID <= (*top)[0] {
			break
		}
		core.IteratePrefix(r, byDayBucket(b.day, b.category), true, func(key, v []byte) bool {
			id := binary.BigEndian.Uint64(key[len(key)-8:])
			if !all && full() && id <= (*top)[0] {
				return false // the rest of the bucket is older still
			}
			if b.partial {
				if start := core.DecodeInt64Key(v); start < lo || start >= hi {
					return true
				}
			}
			if accept != nil && !accept(id) {
				return true
			}
			matched++
			top.offer(id, keep)
			return true
		})
	}
	ids = []uint64(*top)
	slices.SortFunc(ids, func(a, b uint64) int { return -cmpUint(a, b) })
	return ids, matched
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// checkCategoryTimeIndexes: byCategory, byCatStatus, catCount, startCount and byDay hold exactly
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
		want[string(byDayKey(startDay(c.Start), c.Category, c.Id))] = entry{core.Int64Key(c.Start), c.Id}
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
	for _, p := range [][]byte{byCategoryPrefix, byCatStatusPrefix, catCountPrefix, startCountPrefix, byDayPrefix} {
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
