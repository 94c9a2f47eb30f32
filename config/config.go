// Package config is the typed node configuration of commonsd. It is loaded with viper from
// <home>/config/app.toml, then COMMONSD_* environment variables, then command-line flags (each
// overriding the one before), and validated before the node starts. CometBFT's own settings stay in
// <home>/config/config.toml.
package config

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Config is everything commonsd reads from app.toml.
type Config struct {
	API      APIConfig      `mapstructure:"api"`
	State    StateConfig    `mapstructure:"state"`
	Snapshot SnapshotConfig `mapstructure:"snapshot"`
	Log      LogConfig      `mapstructure:"log"`
	Metrics  MetricsConfig  `mapstructure:"metrics"`
	Mempool  MempoolConfig  `mapstructure:"mempool"`
}

// APIConfig is the JSON HTTP API and web explorer.
type APIConfig struct {
	Enable      bool     `mapstructure:"enable"`
	Address     string   `mapstructure:"address"`
	CORSOrigins []string `mapstructure:"cors_origins"`
}

// StateConfig is the application state store.
type StateConfig struct {
	// KeepRecent is how many recent heights stay queryable with height=.
	KeepRecent int64 `mapstructure:"keep_recent"`
}

// SnapshotConfig is state-sync snapshot production.
type SnapshotConfig struct {
	Interval   uint64 `mapstructure:"interval"`    // every N heights; 0 turns snapshots off
	KeepRecent uint32 `mapstructure:"keep_recent"` // snapshots kept on disk
}

// LogConfig is logging.
type LogConfig struct {
	Level  string `mapstructure:"level"`
	Format string `mapstructure:"format"`
}

// MetricsConfig is the Prometheus endpoint (CometBFT's metrics plus the app's).
type MetricsConfig struct {
	Enable  bool   `mapstructure:"enable"`
	Address string `mapstructure:"address"`
}

// MempoolConfig is the app side of mempool admission.
type MempoolConfig struct {
	MaxPendingPerSender uint64 `mapstructure:"max_pending_per_sender"`
}

// Default is the configuration a fresh `commonsd init` writes.
func Default() Config {
	return Config{
		API:      APIConfig{Enable: true, Address: "127.0.0.1:1317", CORSOrigins: []string{}},
		State:    StateConfig{KeepRecent: 1000},
		Snapshot: SnapshotConfig{Interval: 0, KeepRecent: 2},
		Log:      LogConfig{Level: "info", Format: "plain"},
		Metrics:  MetricsConfig{Enable: false, Address: "127.0.0.1:26660"},
		Mempool:  MempoolConfig{MaxPendingPerSender: 64},
	}
}

var (
	logLevels  = []string{"debug", "info", "warn", "error", "none"}
	logFormats = []string{"plain", "json"}
)

// Validate checks every value and names the key and the allowed values when one is wrong.
func (c Config) Validate() error {
	if c.API.Enable {
		if err := checkAddr("api.address", c.API.Address); err != nil {
			return err
		}
	}
	if c.Metrics.Enable {
		if err := checkAddr("metrics.address", c.Metrics.Address); err != nil {
			return err
		}
	}
	if c.State.KeepRecent < 1 {
		return fmt.Errorf("state.keep_recent = %d: must be at least 1", c.State.KeepRecent)
	}
	if c.Snapshot.Interval > 0 && c.Snapshot.KeepRecent < 1 {
		return fmt.Errorf("snapshot.keep_recent = %d: must be at least 1 when snapshot.interval is set", c.Snapshot.KeepRecent)
	}
	if !slices.Contains(logLevels, c.Log.Level) {
		return fmt.Errorf("log.level = %q: allowed values are %s", c.Log.Level, strings.Join(logLevels, ", "))
	}
	if !slices.Contains(logFormats, c.Log.Format) {
		return fmt.Errorf("log.format = %q: allowed values are %s", c.Log.Format, strings.Join(logFormats, ", "))
	}
	if c.Mempool.MaxPendingPerSender < 1 {
		return fmt.Errorf("mempool.max_pending_per_sender = %d: must be at least 1", c.Mempool.MaxPendingPerSender)
	}
	return nil
}

func checkAddr(key, addr string) error {
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		return fmt.Errorf("%s = %q: expected host:port, such as 127.0.0.1:1317", key, addr)
	}
	return nil
}

// Path is where app.toml lives under a node home.
func Path(home string) string { return filepath.Join(home, "config", "app.toml") }

// EnvPrefix prefixes environment overrides: COMMONSD_API_ADDRESS overrides api.address.
const EnvPrefix = "COMMONSD"

// Load reads app.toml (if present), then COMMONSD_* variables, then the flags that were set, and
// validates the result. Flag names are the keys with '.' and '_' written as '-' (api-address).
func Load(home string, flags *pflag.FlagSet) (Config, error) {
	v := viper.New()
	setDefaults(v, Default())
	v.SetConfigFile(Path(home))
	v.SetConfigType("toml")
	if _, err := os.Stat(Path(home)); err == nil {
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("read %s: %w", Path(home), err)
		}
	}
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	if flags != nil {
		for _, key := range v.AllKeys() {
			if f := flags.Lookup(FlagName(key)); f != nil {
				if err := v.BindPFlag(key, f); err != nil {
					return Config{}, err
				}
			}
		}
	}
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("invalid configuration: %w", err)
	}
	return c, nil
}

// FlagName is the command-line flag that overrides a config key.
func FlagName(key string) string { return strings.NewReplacer(".", "-", "_", "-").Replace(key) }

func setDefaults(v *viper.Viper, c Config) {
	v.SetDefault("api.enable", c.API.Enable)
	v.SetDefault("api.address", c.API.Address)
	v.SetDefault("api.cors_origins", c.API.CORSOrigins)
	v.SetDefault("state.keep_recent", c.State.KeepRecent)
	v.SetDefault("snapshot.interval", c.Snapshot.Interval)
	v.SetDefault("snapshot.keep_recent", c.Snapshot.KeepRecent)
	v.SetDefault("log.level", c.Log.Level)
	v.SetDefault("log.format", c.Log.Format)
	v.SetDefault("metrics.enable", c.Metrics.Enable)
	v.SetDefault("metrics.address", c.Metrics.Address)
	v.SetDefault("mempool.max_pending_per_sender", c.Mempool.MaxPendingPerSender)
}

// Write renders c as a commented app.toml at path.
func Write(path string, c Config) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(c.TOML()), 0o644)
}

// TOML renders the configuration with a comment per key.
func (c Config) TOML() string {
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	origins := make([]string, len(c.API.CORSOrigins))
	for i, o := range c.API.CORSOrigins {
		origins[i] = q(o)
	}
	return fmt.Sprintf(`# commonsd application configuration. Every key can be overridden by an environment variable
# (COMMONSD_<SECTION>_<KEY>, e.g. COMMONSD_API_ADDRESS) or a flag (--api-address).

[api]
# Serve the read-only JSON API (/api/v1) and the web explorer (/).
enable = %t
address = %s
# Origins allowed to call the API from a browser; ["*"] allows any.
cors_origins = [%s]

[state]
# How many recent heights stay queryable with height=.
keep_recent = %d

[snapshot]
# Take a state-sync snapshot every N heights (0 = off), and keep this many.
interval = %d
keep_recent = %d

[log]
# debug | info | warn | error | none
level = %s
# plain | json
format = %s

[metrics]
# Prometheus metrics (CometBFT's and the app's) at http://<address>/metrics.
enable = %t
address = %s

[mempool]
# Txs one sender may have waiting in the mempool beyond its committed sequence.
max_pending_per_sender = %d
`, c.API.Enable, q(c.API.Address), strings.Join(origins, ", "), c.State.KeepRecent,
		c.Snapshot.Interval, c.Snapshot.KeepRecent, q(c.Log.Level), q(c.Log.Format),
		c.Metrics.Enable, q(c.Metrics.Address), c.Mempool.MaxPendingPerSender)
}
