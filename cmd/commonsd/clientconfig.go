package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"
)

// The client configuration (issue 16): defaults for the flags every client command takes, kept in
// <home>/config/client.toml, so that `--home .devnet --keyring-backend test` need not be typed each
// time. Flags win, then COMMONSD_HOME for the home, then the file, then the built-in defaults.
// `home` in the default home's file points every command at another home (a devnet, say).

// clientKeys are the settings of client.toml, each the name of a root persistent flag.
var clientKeys = []string{flagNode, flagChainID, flagKeyring, flagOutput, flagHome}

// clientConfigPath is the client.toml of home.
func clientConfigPath(home string) string { return filepath.Join(home, "config", "client.toml") }

// readClientConfig reads home's client.toml; a missing file is an empty configuration.
func readClientConfig(home string) (map[string]string, error) {
	out := map[string]string{}
	path := clientConfigPath(home)
	if _, err := os.Stat(path); err != nil {
		return out, nil
	}
	v := viper.New()
	v.SetConfigFile(path)
	v.SetConfigType("toml")
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	for _, k := range v.AllKeys() {
		if !slices.Contains(clientKeys, k) {
			return nil, fmt.Errorf("%s: unknown setting %q; the settings are %s", path, k, strings.Join(clientKeys, ", "))
		}
		out[k] = v.GetString(k)
	}
	return out, nil
}

// writeClientConfig writes settings to home's client.toml, in clientKeys order.
func writeClientConfig(home string, settings map[string]string) error {
	var b strings.Builder
	b.WriteString("# commonsd client settings: defaults for --node, --chain-id, --keyring-backend, --output\n# and --home; flags win. Edit with `commonsd config set|get|list`.\n")
	for _, k := range clientKeys {
		if v, ok := settings[k]; ok {
			fmt.Fprintf(&b, "%s = %s\n", k, strconv.Quote(v))
		}
	}
	path := clientConfigPath(home)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// applyClientConfig sets the flags the user did not give from the client configuration: the file
// in --home (or COMMONSD_HOME, or the default home), whose `home` setting may point at another home,
// whose own client.toml then comes first.
func applyClientConfig(cmd *cobra.Command) error {
	f := cmd.Flags()
	home := homeOf(cmd)
	settings, err := readClientConfig(home)
	if err != nil {
		return err
	}
	if h := settings[flagHome]; h != "" && !f.Changed(flagHome) && os.Getenv("COMMONSD_HOME") == "" && h != home {
		if err := f.Set(flagHome, h); err != nil {
			return err
		}
		there, err := readClientConfig(h) // the home pointed at has its own settings; they come first
		if err != nil {
			return err
		}
		for k, v := range there {
			settings[k] = v
		}
		home = h
	}
	for _, k := range clientKeys {
		v, ok := settings[k]
		if !ok || k == flagHome || f.Changed(k) || f.Lookup(k) == nil {
			continue
		}
		if err := f.Set(k, v); err != nil {
			return fmt.Errorf("%s: %s = %q: %w", clientConfigPath(home), k, v, err)
		}
	}
	return nil
}

// clientConfigCmds are `config set|get|list`.
func clientConfigCmds() []*cobra.Command {
	keys := strings.Join(clientKeys, ", ")
	set := &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Set a client default (" + keys + ") in <home>/config/client.toml",
		Long: `Set a default for one of the flags every client command takes: ` + keys + `. Flags still
win. Set in the default home (~/.commonsd, or COMMONSD_HOME), ` + "`home`" + ` points every command at another
home, e.g. a devnet's.`,
		Example: "  commonsd config set home $PWD/.devnet\n  commonsd config set keyring-backend test --home .devnet\n  commonsd config set node tcp://127.0.0.1:26657",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			home := homeOf(cmd)
			if !slices.Contains(clientKeys, args[0]) {
				return fmt.Errorf("unknown setting %q; the settings are %s", args[0], keys)
			}
			if fl := cmd.Root().PersistentFlags().Lookup(args[0]); fl != nil && args[0] != flagHome {
				if err := fl.Value.Set(args[1]); err != nil { // check the value as the flag would
					return fmt.Errorf("%s %q: %w", args[0], args[1], err)
				}
			}
			settings, err := readClientConfig(home)
			if err != nil {
				return err
			}
			settings[args[0]] = args[1]
			if err := writeClientConfig(home, settings); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s = %q in %s\n", args[0], args[1], clientConfigPath(home))
			return nil
		},
	}
	get := &cobra.Command{
		Use: "get KEY", Short: "Print a client setting (empty if unset)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(clientKeys, args[0]) {
				return fmt.Errorf("unknown setting %q; the settings are %s", args[0], keys)
			}
			settings, err := readClientConfig(homeOf(cmd))
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), settings[args[0]])
			return nil
		},
	}
	list := &cobra.Command{
		Use: "list", Short: "Print the client settings of <home>/config/client.toml", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			settings, err := readClientConfig(homeOf(cmd))
			if err != nil {
				return err
			}
			return printOut(cmd, settings, func(w io.Writer) {
				for _, k := range clientKeys {
					if v, ok := settings[k]; ok {
						fmt.Fprintf(w, "%s = %s\n", k, v)
					}
				}
			})
		},
	}
	return []*cobra.Command{set, get, list}
}
