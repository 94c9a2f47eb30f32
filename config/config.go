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
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/commonsledger/commons/app"
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
		Mempool:  MempoolConfig{MaxPendingPerSender: app.DefaultOptions().MaxPendingPerSender},
	}
}

var (
	logLevels  = []string{"debug", "info", "warn", "error", "none"}
	logFormats = []string{"plain", "json"}
)

// Key is one app.toml key. The table below is the only place a key is declared: the viper default,
// the validation, the commented app.toml and the command-line flag are all derived from it.
type Key struct {
	Name string // "section.key", as in app.toml
	// Help is the key's comment in app.toml and its flag's usage text.
	Help string
	// Field points at the key's value in c: *bool, *string, *[]string, *int64, *uint64 or *uint32.
	Field func(c *Config) any
	// Check returns the problem with the key's value in c (nil if none); it may look at other keys.
	Check func(c Config) error
}

// Keys are every app.toml key, in file order.
var Keys = []Key{
	{Name: "api.enable", Help: "Serve the read-only JSON API (/api/v1) and the web explorer (/).",
		Field: func(c *Config) any { return &c.API.Enable }},
	{Name: "api.address", Help: "API and explorer listen address (host:port).",
		Field: func(c *Config) any { return &c.API.Address },
		Check: func(c Config) error { return checkAddrIf(c.API.Enable, "api.address", c.API.Address) }},
	{Name: "api.cors_origins", Help: `Origins allowed to call the API from a browser; ["*"] allows any.`,
		Field: func(c *Config) any { return &c.API.CORSOrigins }},
	{Name: "state.keep_recent", Help: "How many recent heights stay queryable with height=.",
		Field: func(c *Config) any { return &c.State.KeepRecent },
		Check: func(c Config) error { return atLeastOne("state.keep_recent", c.State.KeepRecent, "") }},
	{Name: "snapshot.interval", Help: "Take a state-sync snapshot every N heights (0 = off).",
		Field: func(c *Config) any { return &c.Snapshot.Interval }},
	{Name: "snapshot.keep_recent", Help: "State-sync snapshots kept on disk.",
		Field: func(c *Config) any { return &c.Snapshot.KeepRecent },
		Check: func(c Config) error {
			if c.Snapshot.Interval == 0 {
				return nil
			}
			return atLeastOne("snapshot.keep_recent", int64(c.Snapshot.KeepRecent), " when snapshot.interval is set")
		}},
	{Name: "log.level", Help: "Log level: " + strings.Join(logLevels, " | ") + ".",
		Field: func(c *Config) any { return &c.Log.Level },
		Check: func(c Config) error { return oneOf("log.level", c.Log.Level, logLevels) }},
	{Name: "log.format", Help: "Log format: " + strings.Join(logFormats, " | ") + ".",
		Field: func(c *Config) any { return &c.Log.Format },
		Check: func(c Config) error { return oneOf("log.format", c.Log.Format, logFormats) }},
	{Name: "metrics.enable", Help: "Serve Prometheus metrics (CometBFT's and the app's) at http://<address>/metrics.",
		Field: func(c *Config) any { return &c.Metrics.Enable }},
	{Name: "metrics.address", Help: "Prometheus listen address (host:port).",
		Field: func(c *Config) any { return &c.Metrics.Address },
		Check: func(c Config) error { return checkAddrIf(c.Metrics.Enable, "metrics.address", c.Metrics.Address) }},
	{Name: "mempool.max_pending_per_sender", Help: "Txs one sender may have waiting in the mempool beyond its committed sequence.",
		Field: func(c *Config) any { return &c.Mempool.MaxPendingPerSender },
		Check: func(c Config) error {
			return atLeastOne("mempool.max_pending_per_sender", int64(min(c.Mempool.MaxPendingPerSender, 1<<62)), "")
		}},
}

// Validate checks every value and names the key and the allowed values when one is wrong.
func (c Config) Validate() error {
	for _, k := range Keys {
		if k.Check == nil {
			continue
		}
		if err := k.Check(c); err != nil {
			return err
		}
	}
	return nil
}

func atLeastOne(key string, v int64, when string) error {
	if v < 1 {
		return fmt.Errorf("%s = %d: must be at least 1%s", key, v, when)
	}
	return nil
}

func oneOf(key, v string, allowed []string) error {
	if !slices.Contains(allowed, v) {
		return fmt.Errorf("%s = %q: allowed values are %s", key, v, strings.Join(allowed, ", "))
	}
	return nil
}

func checkAddrIf(enabled bool, key, addr string) error {
	if !enabled {
		return nil
	}
	return checkAddr(key, addr)
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
	for _, k := range Keys {
		v.SetDefault(k.Name, reflect.ValueOf(k.Field(&c)).Elem().Interface())
	}
}

// AddFlags registers a flag for every key (--api-address for api.address), with c's values as
// defaults and each key's help as usage.
func AddFlags(f *pflag.FlagSet, c Config) {
	for _, k := range Keys {
		name := FlagName(k.Name)
		switch p := k.Field(&c).(type) {
		case *bool:
			f.Bool(name, *p, k.Help)
		case *string:
			f.String(name, *p, k.Help)
		case *[]string:
			f.StringSlice(name, *p, k.Help)
		case *int64:
			f.Int64(name, *p, k.Help)
		case *uint64:
			f.Uint64(name, *p, k.Help)
		case *uint32:
			f.Uint32(name, *p, k.Help)
		default:
			panic(fmt.Sprintf("config: key %s has unsupported type %T", k.Name, p))
		}
	}
}

// Write renders c as a commented app.toml at path.
func Write(path string, c Config) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(c.TOML()), 0o644)
}

// TOML renders the configuration as app.toml, each key under its section with its help as a comment.
func (c Config) TOML() string {
	var b strings.Builder
	b.WriteString("# commonsd application configuration. Every key can be overridden by an environment variable\n" +
		"# (COMMONSD_<SECTION>_<KEY>, e.g. COMMONSD_API_ADDRESS) or a flag (--api-address).\n")
	section := ""
	for _, k := range Keys {
		sec, name, _ := strings.Cut(k.Name, ".")
		if sec != section {
			fmt.Fprintf(&b, "\n[%s]\n", sec)
			section = sec
		}
		fmt.Fprintf(&b, "# %s\n%s = %s\n", k.Help, name, tomlValue(k.Field(&c)))
	}
	return b.String()
}

// tomlValue renders a key's value in TOML: strings quoted, lists bracketed.
func tomlValue(p any) string {
	switch v := p.(type) {
	case *string:
		return strconv.Quote(*v)
	case *[]string:
		q := make([]string, len(*v))
		for i, s := range *v {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	default:
		return fmt.Sprint(reflect.ValueOf(p).Elem().Interface())
	}
}
