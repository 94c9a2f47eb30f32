package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func TestLoadPrecedence(t *testing.T) {
	home := t.TempDir()
	c := Default()
	c.API.Address = "127.0.0.1:2000"
	c.Log.Level = "warn"
	c.State.KeepRecent = 7
	if err := Write(Path(home), c); err != nil {
		t.Fatal(err)
	}
	flags := pflag.NewFlagSet("t", pflag.ContinueOnError)
	flags.String(FlagName("log.level"), "info", "")
	flags.Int64(FlagName("state.keep_recent"), 1000, "")
	if err := flags.Parse([]string{"--state-keep-recent", "9"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("COMMONSD_LOG_LEVEL", "error")
	got, err := Load(home, flags)
	if err != nil {
		t.Fatal(err)
	}
	if got.API.Address != "127.0.0.1:2000" { // file
		t.Errorf("api.address = %q, want the file's", got.API.Address)
	}
	if got.Log.Level != "error" { // env beats file; the unset flag does not override
		t.Errorf("log.level = %q, want env's error", got.Log.Level)
	}
	if got.State.KeepRecent != 9 { // a set flag beats everything
		t.Errorf("state.keep_recent = %d, want the flag's 9", got.State.KeepRecent)
	}
}

func TestLoadWithoutFileUsesDefaults(t *testing.T) {
	got, err := Load(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.API.Address != Default().API.Address || got.Mempool.MaxPendingPerSender != 64 {
		t.Fatalf("defaults not applied: %+v", got)
	}
}

func TestInvalidValuesNameKeyAndAllowedValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"log level", func(c *Config) { c.Log.Level = "loud" }, `log.level = "loud": allowed values are debug, info, warn, error, none`},
		{"log format", func(c *Config) { c.Log.Format = "xml" }, `log.format = "xml": allowed values are plain, json`},
		{"api address", func(c *Config) { c.API.Address = "1317" }, `api.address = "1317": expected host:port`},
		{"keep recent", func(c *Config) { c.State.KeepRecent = 0 }, `state.keep_recent = 0: must be at least 1`},
		{"snapshot keep", func(c *Config) { c.Snapshot.Interval, c.Snapshot.KeepRecent = 10, 0 }, `snapshot.keep_recent = 0`},
		{"mempool cap", func(c *Config) { c.Mempool.MaxPendingPerSender = 0 }, `mempool.max_pending_per_sender = 0`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.edit(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestBadFileFailsAtLoad(t *testing.T) {
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, "config"), 0o755)
	os.WriteFile(Path(home), []byte("[log]\nlevel = \"shout\"\n"), 0o644)
	_, err := Load(home, nil)
	if err == nil || !strings.Contains(err.Error(), `invalid configuration: log.level = "shout"`) {
		t.Fatalf("got %v", err)
	}
}

// TestEveryFieldHasOneKey: each leaf of Config is declared by exactly one entry of Keys, whose name
// is its mapstructure path, so a new setting cannot miss its default, flag or app.toml line.
func TestEveryFieldHasOneKey(t *testing.T) {
	var c Config
	declared := map[string]any{}
	for _, k := range Keys {
		if _, dup := declared[k.Name]; dup {
			t.Fatalf("key %s declared twice", k.Name)
		}
		declared[k.Name] = k.Field(&c)
	}
	n := 0
	ct := reflect.TypeOf(c)
	for i := range ct.NumField() {
		sec := ct.Field(i)
		for j := range sec.Type.NumField() {
			f := sec.Type.Field(j)
			name := sec.Tag.Get("mapstructure") + "." + f.Tag.Get("mapstructure")
			p, ok := declared[name]
			if !ok {
				t.Fatalf("%s (Config.%s.%s) has no entry in Keys", name, sec.Name, f.Name)
			}
			want := reflect.ValueOf(&c).Elem().Field(i).Field(j).Addr().Interface()
			if p != want {
				t.Fatalf("Keys entry %s points at another field", name)
			}
			n++
		}
	}
	if n != len(Keys) {
		t.Fatalf("%d config fields, %d keys", n, len(Keys))
	}
}

// TestTOMLRoundTrip: a written app.toml loads back to the same configuration, every key set.
func TestTOMLRoundTrip(t *testing.T) {
	home := t.TempDir()
	c := Default()
	c.API.CORSOrigins = []string{"https://a.example", "*"}
	c.Metrics.Enable, c.Snapshot.Interval, c.Mempool.MaxPendingPerSender = true, 100, 7
	if err := Write(Path(home), c); err != nil {
		t.Fatal(err)
	}
	got, err := Load(home, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("loaded %+v\nwrote  %+v", got, c)
	}
	text, _ := os.ReadFile(Path(home))
	for _, want := range []string{"[mempool]\n# Txs one sender may have waiting", "max_pending_per_sender = 7", `cors_origins = ["https://a.example", "*"]`} {
		if !strings.Contains(string(text), want) {
			t.Fatalf("app.toml lacks %q:\n%s", want, text)
		}
	}
}

// TestFlagsOverrideEveryKey: every key has a flag whose value, when set, wins.
func TestFlagsOverrideEveryKey(t *testing.T) {
	flags := pflag.NewFlagSet("t", pflag.ContinueOnError)
	AddFlags(flags, Default())
	if err := flags.Parse([]string{"--log-format", "json", "--mempool-max-pending-per-sender", "3", "--api-cors-origins", "x,y"}); err != nil {
		t.Fatal(err)
	}
	got, err := Load(t.TempDir(), flags)
	if err != nil {
		t.Fatal(err)
	}
	if got.Log.Format != "json" || got.Mempool.MaxPendingPerSender != 3 || !reflect.DeepEqual(got.API.CORSOrigins, []string{"x", "y"}) {
		t.Fatalf("flags not applied: %+v", got)
	}
	for _, k := range Keys {
		if flags.Lookup(FlagName(k.Name)) == nil {
			t.Fatalf("no flag for %s", k.Name)
		}
	}
}
