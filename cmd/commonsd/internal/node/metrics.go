package node

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/commonsledger/commons/x/core"
)

// appMetrics are the application's Prometheus metrics, served on CometBFT's metrics endpoint
// (instrumentation.prometheus_listen_addr, set from metrics.address). Names start with commons_app_.
type appMetrics struct {
	txs         *prometheus.CounterVec
	claimsSub   prometheus.Counter
	claimsFinal *prometheus.CounterVec
	minted      prometheus.Counter
	decayed     prometheus.Counter
	vouches     prometheus.Counter
	admitted    prometheus.Counter
	finalize    prometheus.Histogram
	commit      prometheus.Histogram
	height      prometheus.Gauge
	blockTxs    prometheus.Gauge
	// pool reports the app-side mempool's size for the mempool_* gauges: the running node's
	// (setPool), as the metrics are registered once per process.
	pool atomic.Pointer[func() (txs int, bytes int64)]
}

// setPool makes the mempool gauges read size.
func (m *appMetrics) setPool(size func() (txs int, bytes int64)) { m.pool.Store(&size) }

func (m *appMetrics) poolSize() (int, int64) {
	if f := m.pool.Load(); f != nil {
		return (*f)()
	}
	return 0, 0
}

var (
	metricsOnce sync.Once
	theMetrics  *appMetrics
)

// newAppMetrics registers the metrics once per process with Prometheus's default registry, which is
// the one CometBFT's endpoint serves.
func newAppMetrics() *appMetrics {
	metricsOnce.Do(func() {
		ns := "commons"
		sub := "app"
		c := func(name, help string) prometheus.Counter {
			return prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: name, Help: help})
		}
		buckets := prometheus.ExponentialBuckets(0.0001, 2, 16) // 100 µs … 3.3 s
		m := &appMetrics{
			txs: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "txs_total",
				Help: "Txs executed in blocks, by message type and result (ok or the error code)."}, []string{"type", "result"}),
			claimsSub: c("claims_submitted_total", "Claims submitted."),
			claimsFinal: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "claims_finalized_total",
				Help: "Claims finalised, by status (verified or rejected)."}, []string{"status"}),
			minted:   c("minted_uhours_total", "Micro-hours minted by verified claims."),
			decayed:  c("decayed_uhours_total", "Micro-hours removed by realised demurrage."),
			vouches:  c("vouches_total", "Vouches recorded."),
			admitted: c("members_admitted_total", "Members admitted by vouches."),
			finalize: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Subsystem: sub, Name: "finalize_block_seconds",
				Help: "Time spent in FinalizeBlock.", Buckets: buckets}),
			commit: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Subsystem: sub, Name: "commit_seconds",
				Help: "Time spent in Commit (the atomic state write).", Buckets: buckets}),
			height:   prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub, Name: "height", Help: "Last committed height."}),
			blockTxs: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub, Name: "block_txs", Help: "Txs in the last block."}),
		}
		mempoolTxs := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub, Name: "mempool_txs",
			Help: "Txs in the app-side mempool (mempool.type = \"app\"; 0 with CometBFT's, see cometbft_mempool_size)."},
			func() float64 { n, _ := m.poolSize(); return float64(n) })
		mempoolBytes := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub, Name: "mempool_bytes",
			Help: "Bytes of the txs in the app-side mempool."},
			func() float64 { _, b := m.poolSize(); return float64(b) })
		prometheus.MustRegister(m.txs, m.claimsSub, m.claimsFinal, m.minted, m.decayed, m.vouches, m.admitted,
			m.finalize, m.commit, m.height, m.blockTxs, mempoolTxs, mempoolBytes)
		theMetrics = m
	})
	return theMetrics
}

// ObserveFinalize implements abci.Observer.
func (m *appMetrics) ObserveFinalize(_ int64, res *core.BlockResult, took time.Duration) {
	m.finalize.Observe(took.Seconds())
	m.blockTxs.Set(float64(len(res.TxResults)))
	for _, r := range res.TxResults {
		_, code, _ := core.ABCIInfo(r.Err)
		result := "ok"
		if code != 0 {
			result = strconv.FormatUint(uint64(code), 10)
		}
		typ := "unknown"
		if len(r.Msgs) > 0 {
			typ = r.Msgs[0]
		}
		m.txs.WithLabelValues(typ, result).Inc()
		if r.Err == nil {
			m.countEvents(r.Events)
		}
	}
	m.countEvents(res.Events)
}

func (m *appMetrics) countEvents(events []abciEvent) {
	for _, e := range events {
		switch e.Type {
		case "claim_submitted":
			m.claimsSub.Inc()
		case "member_vouched":
			m.vouches.Inc()
		case "member_admitted":
			m.admitted.Inc()
		case "claim_finalized":
			m.claimsFinal.WithLabelValues(attr(e, "status")).Inc()
		case "mint":
			m.minted.Add(uhours(attr(e, "amount")))
		case "demurrage":
			m.decayed.Add(uhours(attr(e, "decayed")))
		}
	}
}

// ObserveCommit implements abci.Observer.
func (m *appMetrics) ObserveCommit(height int64, took time.Duration) {
	m.commit.Observe(took.Seconds())
	m.height.Set(float64(height))
}
