package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
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

// promptPassphrase asks for the keyring passphrase on the terminal.
func promptPassphrase(confirm bool) (string, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", fmt.Errorf("the file keyring needs a passphrase: set COMMONSD_KEYRING_PASSPHRASE, or use --keyring-backend test on a devnet")
	}
	fmt.Fprint(os.Stderr, "Keyring passphrase: ")
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
