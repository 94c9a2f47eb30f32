package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
)

type keyView struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	PubKey  string `json:"pub_key"`
	// HDPath is the SLIP-0010 path of a key made from a mnemonic; keys made before mnemonics, and
	// imported ones, have none.
	HDPath string `json:"hd_path,omitempty"`
	// Mnemonic is set only in the output of `keys add` without --recover, the one time it is shown.
	Mnemonic string `json:"mnemonic,omitempty"`
}

func viewOf(r keyring.Record) keyView {
	return keyView{Name: r.Name, Address: r.Address, PubKey: fmt.Sprintf("%X", r.PubKey), HDPath: r.HDPath}
}

const keysAddLong = `Create a key from a new 24-word BIP-39 mnemonic (256 bits of entropy) and store it in the keyring.

The ed25519 key is derived from the mnemonic by SLIP-0010 on the path ` + keyring.HDPath + `
(coin type 118', as Cosmos wallets use; docs/decisions.md says why). The mnemonic is printed once
and stored nowhere: write the words down, in order, and keep them offline. Anyone who has them
controls the key, and they are the only way to restore it if this keyring is lost.

With --recover, restore a key from its mnemonic instead: the words are read as one line from
standard input (asked for on a terminal), e.g.
  commonsd keys add alice --recover
  commonsd keys add alice --recover < words.txt
A misspelt word or a wrong checksum is refused, naming the word's position; NAME must be free.

The file backend (the default) encrypts the key under the keyring passphrase (asked, or
COMMONSD_KEYRING_PASSPHRASE); the test backend stores it in plain text for devnets.`

const keysExportLong = `Write the private key of NAME as an ASCII-armored block, encrypted under an export passphrase
(scrypt + AES-256-GCM, the file keyring's own sealing), to standard output or --output-file.

The block is PEM ("-----BEGIN COMMONS PRIVATE KEY-----") with its parameters in headers (Address,
KDF, Scrypt-N/R/P, Salt, Nonce, Cipher, Key-Type, Version); the format is in docs/operating.md.
The export passphrase is asked for twice on a terminal (8 characters at least), or read from
COMMONSD_EXPORT_PASSPHRASE in scripts. It is not the keyring passphrase, which the file backend
asks for first to unlock the key. Read the block back with ` + "`commonsd keys import NAME FILE`" + `.`

const keysImportLong = `Import a key that ` + "`commonsd keys export`" + ` wrote (FILE, or - for standard input) under NAME.

The export passphrase is asked for on a terminal, or read from COMMONSD_EXPORT_PASSPHRASE; a wrong
one is refused and nothing is stored. The file backend then asks for the keyring passphrase to
encrypt the key. NAME must be free. An imported key has no mnemonic of its own here.`

func newKeysCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "Manage the ed25519 keys in the local keyring"}
	add := &cobra.Command{
		Use: "add NAME", Short: "Create a key from a new 24-word mnemonic, or restore one (--recover)",
		Long: keysAddLong, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			if fromMnemonic, _ := cmd.Flags().GetBool("recover"); fromMnemonic {
				return recoverKey(cmd, kr, args[0])
			}
			r, mnemonic, err := kr.Create(args[0])
			if err != nil {
				return err
			}
			v := viewOf(r)
			v.Mnemonic = mnemonic
			if format, _ := cmd.Flags().GetString(flagOutput); format == "json" {
				fmt.Fprintln(cmd.ErrOrStderr(), "The mnemonic is in this output and shown only this once: write it down and keep it offline.")
			}
			return printOut(cmd, v, func(w io.Writer) {
				fmt.Fprintf(w, "created key %q\naddress: %s\npath:    %s\n\n", r.Name, r.Address, r.HDPath)
				fmt.Fprintf(w, "WRITE DOWN THESE %d WORDS, IN ORDER, AND KEEP THEM OFFLINE. They are shown only this once.\n", keyring.MnemonicWords)
				fmt.Fprintf(w, "Anyone who has them controls this key; they are the only way to restore it if this keyring is lost\n")
				fmt.Fprintf(w, "(commonsd keys add %s --recover).\n\n%s\n\n", r.Name, mnemonic)
				fmt.Fprintf(w, "stored in %s\n", kr.Dir())
			})
		},
	}
	add.Flags().Bool("recover", false, "restore a key from its 24-word mnemonic, read as one line from standard input")
	list := &cobra.Command{
		Use: "list", Short: "List keys", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			recs, err := kr.List()
			if err != nil {
				return err
			}
			views := make([]keyView, 0, len(recs))
			for _, r := range recs {
				views = append(views, viewOf(r))
			}
			return printOut(cmd, views, func(w io.Writer) {
				if len(views) == 0 {
					fmt.Fprintf(w, "no keys in %s; create one with `commonsd keys add NAME`\n", kr.Dir())
				}
				for _, v := range views {
					fmt.Fprintf(w, "%-16s %s\n", v.Name, v.Address)
				}
			})
		},
	}
	show := &cobra.Command{
		Use: "show NAME", Short: "Show a key (-a prints only its address)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			r, err := kr.Show(args[0])
			if err != nil {
				return err
			}
			if onlyAddr, _ := cmd.Flags().GetBool("address"); onlyAddr {
				fmt.Fprintln(cmd.OutOrStdout(), r.Address)
				return nil
			}
			v := viewOf(r)
			return printOut(cmd, v, func(w io.Writer) {
				fmt.Fprintf(w, "name:    %s\naddress: %s\npub_key: %s\n", v.Name, v.Address, v.PubKey)
				if v.HDPath != "" {
					fmt.Fprintf(w, "path:    %s (from a mnemonic)\n", v.HDPath)
				}
			})
		},
	}
	show.Flags().BoolP("address", "a", false, "print only the address")
	del := &cobra.Command{
		Use: "delete NAME", Short: "Delete a key (irreversible)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			if err := kr.Delete(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "deleted key %q\n", args[0])
			return nil
		},
	}
	export := &cobra.Command{
		Use: "export NAME", Short: "Write a key as an armored block encrypted under an export passphrase",
		Long: keysExportLong, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			r, err := kr.Show(args[0])
			if err != nil {
				return err
			}
			file, _ := cmd.Flags().GetString("output-file")
			if file != "" {
				if _, err := os.Stat(file); err == nil {
					return fmt.Errorf("%s already exists; export never overwrites a file: choose another --output-file", file)
				}
			}
			priv, err := kr.PrivKey(r.Name)
			if err != nil {
				return err
			}
			pass, err := promptExportPassphrase(true)
			if err != nil {
				return err
			}
			armored, err := keyring.Armor(priv, pass)
			if err != nil {
				return err
			}
			if file == "" {
				return printOut(cmd, map[string]string{"name": r.Name, "address": r.Address, "armor": string(armored)},
					func(w io.Writer) { w.Write(armored) })
			}
			if err := writeNewFile(file, armored); err != nil {
				return err
			}
			return printOut(cmd, map[string]string{"name": r.Name, "address": r.Address, "file": file}, func(w io.Writer) {
				fmt.Fprintf(w, "exported key %q (%s) to %s\nimport it with: commonsd keys import NAME %s\n", r.Name, r.Address, file, file)
			})
		},
	}
	export.Flags().String("output-file", "", "write the block to `FILE` (created with mode 0600, never overwritten) instead of standard output")
	imp := &cobra.Command{
		Use: "import NAME FILE", Short: "Import a key from a block written by `keys export`",
		Long: keysImportLong, Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			if err := kr.CheckNewName(args[0]); err != nil {
				return err
			}
			var armored []byte
			if args[1] == "-" {
				armored, err = io.ReadAll(io.LimitReader(cmd.InOrStdin(), 1<<20))
			} else {
				armored, err = os.ReadFile(args[1])
			}
			if err != nil {
				return fmt.Errorf("reading the key export: %w", err)
			}
			pass, err := promptExportPassphrase(false)
			if err != nil {
				return err
			}
			priv, err := keyring.Unarmor(armored, pass)
			if err != nil {
				return err
			}
			r, err := kr.Import(args[0], priv)
			if err != nil {
				return err
			}
			return printOut(cmd, viewOf(r), func(w io.Writer) {
				fmt.Fprintf(w, "imported key %q\naddress: %s\n", r.Name, r.Address)
			})
		},
	}
	rename := &cobra.Command{
		Use: "rename OLD NEW", Short: "Rename a key (NEW must be free)", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			kr, err := openKeyring(cmd)
			if err != nil {
				return err
			}
			r, err := kr.Rename(args[0], args[1])
			if err != nil {
				return err
			}
			return printOut(cmd, viewOf(r), func(w io.Writer) {
				fmt.Fprintf(w, "renamed key %q to %q\naddress: %s\n", args[0], r.Name, r.Address)
			})
		},
	}
	cmd.AddCommand(add, list, show, del, export, imp, rename)
	return cmd
}

// recoverKey is `keys add NAME --recover`: it checks NAME first, so nobody types 24 words for
// nothing, then reads the mnemonic and stores its key.
func recoverKey(cmd *cobra.Command, kr *keyring.Keyring, name string) error {
	if err := kr.CheckNewName(name); err != nil {
		return err
	}
	mnemonic, err := readMnemonic(cmd)
	if err != nil {
		return err
	}
	r, err := kr.Recover(name, mnemonic)
	if err != nil {
		return err
	}
	return printOut(cmd, viewOf(r), func(w io.Writer) {
		fmt.Fprintf(w, "recovered key %q\naddress: %s\npath:    %s\n", r.Name, r.Address, r.HDPath)
	})
}

// readMnemonic reads one line from the command's standard input, asking for it on a terminal.
func readMnemonic(cmd *cobra.Command) (string, error) {
	in := cmd.InOrStdin()
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(cmd.ErrOrStderr(), "Enter your %d-word mnemonic, words separated by spaces, then Enter:\n", keyring.MnemonicWords)
	}
	line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the mnemonic from standard input: %w", err)
	}
	if strings.TrimSpace(line) == "" {
		return "", fmt.Errorf("no mnemonic on standard input: type it when asked, or pipe it in (commonsd keys add NAME --recover < words.txt)")
	}
	return line, nil
}

// writeNewFile creates path with mode 0600 and writes bz, refusing an existing file.
func writeNewFile(path string, bz []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(bz); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
