// Package node initialises a node home and runs a Commons Ledger node: the app in-process behind
// CometBFT through a local ABCI client, plus the HTTP API.
package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	cmtlog "github.com/cometbft/cometbft/libs/log"
	nm "github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/proxy"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/spf13/viper"

	"github.com/commonsledger/commons/abci"
	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/app/snapshot"
	"github.com/commonsledger/commons/app/store"
	"github.com/commonsledger/commons/cmd/commonsd/internal/cometdb"
	"github.com/commonsledger/commons/config"
)

// AppDBDir is where the application state lives under a node home.
func AppDBDir(home string) string { return filepath.Join(home, "data", "app.db") }

// InitOptions configure a new node home.
type InitOptions struct {
	Moniker string
	ChainID string
	Genesis *app.GenesisState // nil: default genesis
	// GenesisJSON, if set, is a whole genesis file (from `commonsd genesis`) installed byte for byte,
	// so that its hash is the one the operators compared; Genesis and ChainID are then ignored and
	// no validator is added.
	GenesisJSON []byte
	// BlockTime is the target time between blocks (CometBFT timeout_commit).
	BlockTime time.Duration
	// RPCAddr and P2PAddr are listen addresses (tcp://host:port); empty keeps CometBFT's defaults.
	RPCAddr, P2PAddr string
	App              config.Config
	// Overwrite an existing genesis.
	Force bool
}

// Init writes config.toml, app.toml, the node and validator keys and a genesis: o.GenesisJSON as
// given, or else one built from o.Genesis with this node as the only validator. It refuses to
// overwrite an existing genesis unless Force is set.
func Init(home string, o InitOptions) (*cmttypes.GenesisDoc, error) {
	conf := cmtcfg.DefaultConfig()
	conf.SetRoot(home)
	cmtcfg.EnsureRoot(home)
	if o.Moniker != "" {
		conf.Moniker = o.Moniker
	}
	if o.BlockTime > 0 {
		conf.Consensus.TimeoutCommit = o.BlockTime
	}
	if o.RPCAddr != "" {
		conf.RPC.ListenAddress = o.RPCAddr
	}
	if o.P2PAddr != "" {
		conf.P2P.ListenAddress = o.P2PAddr
	}
	// CometBFT's own stores (blocks, state, tx index) in Pebble rather than goleveldb: cheaper
	// compactions under load (cometdb). Homes made before keep the backend their config names.
	conf.DBBackend = cometdb.Backend
	conf.P2P.AddrBookStrict = false // loopback and private networks are normal for commons nodes
	conf.P2P.AllowDuplicateIP = true
	// The app keeps the mempool (app/pool.go): it batch-verifies gossiped txs, gossip goes in
	// batches, and the recheck runs inside the app; "flood" in config.toml gives it back to CometBFT.
	conf.Mempool.Type = cmtcfg.MempoolTypeApp
	conf.Mempool.Size = 10000
	conf.Mempool.MaxTxsBytes = 64 << 20 // CometBFT's default, 1 GiB, would let 20,000 maximal txs take 320 MiB
	// New txs are gossiped in batches this often (the default, 500 ms, is half a block). A tx that
	// reaches the proposer after its proposal waits a whole block, so this wait shows in latency:
	// 10 ms rather than 50 cut p50 and p99 by 6-7 % on a 4-validator net at 2,000 tx/s, for no
	// measurable CPU (BENCHMARKS.md, round 11). CometBFT's own mempool gossips each tx at once.
	conf.Mempool.ReapInterval = 10 * time.Millisecond
	// A tx CheckTx refused may be sent again after this long (CometBFT's default is 5 s, long enough
	// to refuse a user's quick resend of the same bytes as "already seen").
	conf.Mempool.CheckTxRetryDelay = 100 * time.Millisecond
	cmtcfg.WriteConfigFile(filepath.Join(home, "config", "config.toml"), conf)
	if err := config.Write(config.Path(home), o.App); err != nil {
		return nil, err
	}
	if _, err := os.Stat(conf.GenesisFile()); err == nil && !o.Force {
		return nil, fmt.Errorf("%s already exists; use another --home, or --force to overwrite it", conf.GenesisFile())
	}
	pv := privval.LoadOrGenFilePV(conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile())
	if _, err := p2p.LoadOrGenNodeKey(conf.NodeKeyFile()); err != nil {
		return nil, fmt.Errorf("node key: %w", err)
	}
	if o.GenesisJSON != nil {
		return InstallGenesis(home, o.GenesisJSON, true)
	}
	pub, err := pv.GetPubKey()
	if err != nil {
		return nil, err
	}
	g := o.Genesis
	if g == nil {
		g = app.DefaultGenesis()
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	state, err := app.MarshalGenesis(g)
	if err != nil {
		return nil, err
	}
	doc := &cmttypes.GenesisDoc{
		ChainID:         o.ChainID,
		GenesisTime:     cmttime(),
		ConsensusParams: ConsensusParams(),
		Validators:      []cmttypes.GenesisValidator{{Address: pub.Address(), PubKey: pub, Power: 10, Name: conf.Moniker}},
		AppState:        json.RawMessage(state),
	}
	if err := doc.ValidateAndComplete(); err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	if err := doc.SaveAs(conf.GenesisFile()); err != nil {
		return nil, err
	}
	return doc, nil
}

// ParseGenesisDoc decodes a genesis file and checks it as a node would at start: CometBFT's
// checks, then the app_state's (app.ParseGenesis). A genesis without validators passes: it is a
// ceremony's draft, which `commonsd genesis collect` completes.
func ParseGenesisDoc(bz []byte) (*cmttypes.GenesisDoc, error) {
	doc, err := cmttypes.GenesisDocFromJSON(bz)
	if err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	if _, err := app.ParseGenesis(doc.AppState); err != nil {
		return nil, err
	}
	return doc, nil
}

// InstallGenesis writes bz, a whole genesis file, as home's genesis byte for byte (its SHA-256 is
// what operators compare), after ParseGenesisDoc accepts it. It leaves config.toml, app.toml and
// the keys as they are, and refuses to replace an existing genesis unless force is set.
func InstallGenesis(home string, bz []byte, force bool) (*cmttypes.GenesisDoc, error) {
	conf, err := LoadCometConfig(home)
	if err != nil {
		return nil, err
	}
	doc, err := ParseGenesisDoc(bz)
	if err != nil {
		return nil, err
	}
	path := conf.GenesisFile()
	if _, err := os.Stat(path); err == nil && !force {
		return nil, fmt.Errorf("%s already exists; use --force to replace it", path)
	}
	if err := os.WriteFile(path, bz, 0o644); err != nil {
		return nil, err
	}
	return doc, nil
}

// MaxBlockBytes is block.max_bytes of every genesis this binary writes: 4 MiB, instead of
// CometBFT's ~53 MiB default. It is 256 txs at auth.MaxTxBytes (16 KiB), thousands of ordinary
// ones, far more than a time bank's load at one block a second, while a block stays a few MB to
// gossip, execute and hold in memory (its overlay is a small multiple of its bytes). The store
// commits a block of any size, so this is a choice, not a safety limit. See docs/decisions.md.
const MaxBlockBytes = 4 << 20

// ConsensusParams are the consensus parameters of every genesis this binary writes (init, devnet,
// localnet; export keeps its source chain's): CometBFT's defaults, with block.max_bytes set to
// MaxBlockBytes and block.max_gas -1 (the app has no gas).
func ConsensusParams() *cmttypes.ConsensusParams {
	p := cmttypes.DefaultConsensusParams()
	p.Block.MaxBytes = MaxBlockBytes
	p.Block.MaxGas = -1
	return p
}

// cmttime is the genesis time: now, rounded to the second (this is the node operator's choice at
// init, not state-machine input).
func cmttime() time.Time { return time.Now().UTC().Truncate(time.Second) }

// LoadCometConfig reads <home>/config/config.toml.
func LoadCometConfig(home string) (*cmtcfg.Config, error) {
	conf := cmtcfg.DefaultConfig()
	path := filepath.Join(home, "config", "config.toml")
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no node at %s (%s missing); run `commonsd init` first", home, path)
	}
	v := viper.New()
	v.SetConfigFile(path)
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if err := v.Unmarshal(conf); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	conf.SetRoot(home)
	if err := conf.ValidateBasic(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return conf, nil
}

// ConsensusPubKey is the ed25519 public key of the validator key in home (read from its
// priv_validator_key.json, whose path config.toml names).
func ConsensusPubKey(home string) ([]byte, error) {
	conf, err := LoadCometConfig(home)
	if err != nil {
		return nil, err
	}
	path := conf.PrivValidatorKeyFile()
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no validator key at %s: %w", path, err)
	}
	pv := privval.LoadFilePVEmptyState(path, "")
	return pv.Key.PubKey.Bytes(), nil
}

// Node is a running node.
type Node struct {
	Comet *nm.Node
	App   *app.App
	DB    *store.DB
	Conf  *cmtcfg.Config
	// Halted receives the reason when the node must stop at a block it cannot execute (a scheduled
	// upgrade this binary does not know); the caller stops the node.
	Halted <-chan error
	Cfg    config.Config
	Log    *slog.Logger
	extra  []func(context.Context) error // stop hooks (API server, …)
}

// NewLogger builds the app's slog logger and CometBFT's logger writing to w per cfg.
func NewLogger(cfg config.LogConfig, w io.Writer) (*slog.Logger, cmtlog.Logger, error) {
	var lvl slog.Level
	switch cfg.Level {
	case "debug":
		lvl = slog.LevelDebug
	case "info":
		lvl = slog.LevelInfo
	case "warn":
		lvl = slog.LevelWarn
	case "error":
		lvl = slog.LevelError
	case "none":
		return slog.New(slog.DiscardHandler), cmtlog.NewNopLogger(), nil
	}
	w = cmtlog.NewSyncWriter(w)
	var h slog.Handler
	var cl cmtlog.Logger
	if cfg.Format == "json" {
		h = slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lvl})
		cl = cmtlog.NewTMJSONLogger(w)
	} else {
		h = slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl})
		cl = cmtlog.NewTMLogger(w)
	}
	opt, err := cmtlog.AllowLevel(cfg.Level)
	if err != nil {
		return nil, nil, err
	}
	return slog.New(h).With("module", "app"), cmtlog.NewFilter(cl, opt), nil
}

// StartOptions tune how a node runs without being configuration.
type StartOptions struct {
	// QuietComet limits CometBFT's own logs to errors (devnets), keeping the app's block lines.
	QuietComet bool
}

// Start opens the state, starts CometBFT with the app behind a local client, and returns once the
// node is running. CometBFT's handshake replays any blocks the app has not committed.
func Start(home string, cfg config.Config, logOut io.Writer, so StartOptions) (*Node, error) {
	conf, err := LoadCometConfig(home)
	if err != nil {
		return nil, err
	}
	logger, cmtLogger, err := NewLogger(cfg.Log, logOut)
	if err != nil {
		return nil, err
	}
	if so.QuietComet {
		_, cmtLogger, _ = NewLogger(config.LogConfig{Level: "error", Format: cfg.Log.Format}, logOut)
	}
	if cfg.Metrics.Enable {
		conf.Instrumentation.Prometheus = true
		conf.Instrumentation.PrometheusListenAddr = cfg.Metrics.Address
	}
	db, err := store.Open(AppDBDir(home), store.Options{KeepRecent: cfg.State.KeepRecent, Logger: badgerLogger{logger}})
	if err != nil {
		return nil, err
	}
	opts := app.DefaultOptions()
	opts.Logger = logger
	opts.MaxPendingPerSender = cfg.Mempool.MaxPendingPerSender
	if conf.Mempool.Type == cmtcfg.MempoolTypeApp {
		opts.Pool = app.PoolOptions{Size: conf.Mempool.Size, MaxBytes: conf.Mempool.MaxTxsBytes, InboxWait: app.DefaultInboxWait}
	}
	a := app.New(db, opts)
	if err := a.CheckProtocol(); err != nil {
		db.Close()
		return nil, err
	}
	var obs abci.Observer
	if cfg.Metrics.Enable {
		m := newAppMetrics()
		m.setPool(a.PoolSize)
		obs = m
	}
	adapter := abci.New(a, logger, app.Version, app.ProtocolVersion, obs)
	halted := make(chan error, 1)
	adapter.SetHalt(func(err error) {
		select {
		case halted <- err:
		default:
		}
	})
	snaps, err := snapshot.New(filepath.Join(home, "data", "snapshots"), db, a, snapshot.Options{
		Interval: cfg.Snapshot.Interval, KeepRecent: cfg.Snapshot.KeepRecent, Logger: logger})
	if err != nil {
		db.Close()
		return nil, err
	}
	adapter.SetSnapshots(snaps)
	nodeKey, err := p2p.LoadNodeKey(conf.NodeKeyFile())
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("load node key: %w", err)
	}
	// With priv_validator_laddr set, a remote signer (`commonsd signer`) holds the validator key and
	// CometBFT listens for it; this home need not hold the key at all.
	var pv cmttypes.PrivValidator
	if conf.PrivValidatorListenAddr == "" {
		pv = privval.LoadFilePV(conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile())
	} else {
		logger.Info("waiting for the remote signer", "priv_validator_laddr", conf.PrivValidatorListenAddr)
	}
	// One lock per ABCI connection, not one for all: CheckTx (mempool connection) runs beside
	// FinalizeBlock (consensus connection), guarded by the app's own two locks (app.App). Queries
	// were already safe beside block execution; broadcasts are closed while state sync restores.
	cn, err := nm.NewNode(conf, pv, nodeKey, proxy.NewConnSyncLocalClientCreator(adapter),
		nm.DefaultGenesisDocProviderFunc(conf), cometdb.Provider,
		nm.DefaultMetricsProvider(conf.Instrumentation), cmtLogger)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("create node: %w", err)
	}
	if err := cn.Start(); err != nil {
		db.Close()
		return nil, fmt.Errorf("start node: %w", err)
	}
	n := &Node{Comet: cn, App: a, DB: db, Conf: conf, Cfg: cfg, Log: logger, Halted: halted}
	n.OnStop(func(context.Context) error { snaps.Close(); return nil }) // before the store closes
	h := newAPI(n)
	if cfg.API.Enable {
		if err := startAPI(n, h); err != nil {
			n.Stop()
			return nil, fmt.Errorf("start API on %s: %w", cfg.API.Address, err)
		}
	}
	logger.Info("node started", "chain_id", a.ChainID(), "rpc", conf.RPC.ListenAddress, "height", db.Committed().Height)
	return n, nil
}

// OnStop registers a hook run (in reverse order) when the node stops.
func (n *Node) OnStop(fn func(context.Context) error) { n.extra = append(n.extra, fn) }

// Stop shuts the node down gracefully: hooks, then CometBFT, then the state database.
func (n *Node) Stop() error {
	var errs []error
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := len(n.extra) - 1; i >= 0; i-- {
		errs = append(errs, n.extra[i](ctx))
	}
	if n.Comet.IsRunning() {
		errs = append(errs, n.Comet.Stop())
		n.Comet.Wait()
	}
	errs = append(errs, n.DB.Close())
	return errors.Join(errs...)
}

// badgerLogger routes Badger's warnings and errors to slog and drops its chatter.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any) {
	b.l.Error(fmt.Sprintf(f, a...), "component", "badger")
}
func (b badgerLogger) Warningf(f string, a ...any) {
	b.l.Warn(fmt.Sprintf(f, a...), "component", "badger")
}
func (badgerLogger) Infof(string, ...any)  {}
func (badgerLogger) Debugf(string, ...any) {}
