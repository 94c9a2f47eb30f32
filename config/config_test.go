package config

import (
	"os"
	"path/filepath"
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
