package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/x/core"
)

// printOut writes v as indented JSON with --output json, or calls text otherwise.
func printOut(cmd *cobra.Command, v any, text func(w io.Writer)) error {
	format, _ := cmd.Flags().GetString(flagOutput)
	switch format {
	case "json":
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case "text", "":
		text(cmd.OutOrStdout())
		return nil
	default:
		return fmt.Errorf("--output %q: use text or json", format)
	}
}

// formatTimeOrDash renders a block time as core.FormatTime does, or "-" for 0 (never happened).
func formatTimeOrDash(unix int64) string {
	if unix == 0 {
		return "-"
	}
	return core.FormatTime(unix)
}

// plural renders "1 verified claim" or "2 verified claims".
func plural(n uint64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// pageFlags adds the --offset and --limit flags of a paginated listing.
func pageFlags(f *pflag.FlagSet, defaultLimit, maxLimit uint64) {
	f.Uint64("offset", 0, "skip the first `N`")
	f.Uint64("limit", defaultLimit, fmt.Sprintf("show at most `N` (max %d)", maxLimit))
}

// promptPassphrase asks for the keyring passphrase on the terminal.
func promptPassphrase(confirm bool) (string, error) {
	return promptSecret("Keyring passphrase", confirm,
		fmt.Errorf("the file keyring needs a passphrase: set COMMONSD_KEYRING_PASSPHRASE, or use --keyring-backend test on a devnet"))
}

// promptExportPassphrase returns the passphrase of a key export: COMMONSD_EXPORT_PASSPHRASE, or asked
// on the terminal (twice, and at least 8 characters, when confirm: choosing one for an export).
func promptExportPassphrase(confirm bool) (string, error) {
	if p := os.Getenv(keyring.ExportPassphraseEnv); p != "" {
		return p, nil
	}
	return promptSecret("Export passphrase", confirm,
		fmt.Errorf("a key export is sealed under its own passphrase: set %s, or run on a terminal", keyring.ExportPassphraseEnv))
}

// promptSecret reads a secret without echo from the terminal on stdin, asking "label: ", and
// returns notTerminal when stdin is not a terminal. With confirm it asks twice and wants 8
// characters at least.
func promptSecret(label string, confirm bool, notTerminal error) (string, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", notTerminal
	}
	fmt.Fprintf(os.Stderr, "%s: ", label)
	p, err := term.ReadPassword(fd)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", err
	}
	if confirm {
		if len(p) < 8 {
			return "", fmt.Errorf("passphrase must be at least 8 characters")
		}
		fmt.Fprint(os.Stderr, "Repeat passphrase: ")
		again, err := term.ReadPassword(fd)
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return "", err
		}
		if string(again) != string(p) {
			return "", fmt.Errorf("passphrases do not match")
		}
	}
	return strings.TrimRight(string(p), "\r\n"), nil
}
