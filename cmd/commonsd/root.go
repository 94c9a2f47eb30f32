package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/commonsledger/commons/cmd/commonsd/internal/client"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
)

// Persistent flag names.
const (
	flagHome    = "home"
	flagNode    = "node"
	flagOutput  = "output"
	flagChainID = "chain-id"
	flagKeyring = "keyring-backend"
)

func defaultHome() string {
	if h := os.Getenv("COMMONSD_HOME"); h != "" {
		return h
	}
	dir, err := os.UserHomeDir()
	if err != nil {
		return ".commonsd"
	}
	return filepath.Join(dir, ".commonsd")
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "commonsd",
		Short: "Commons Ledger: hours earned into existence by verified contributions to the common good",
		Long: `commonsd runs a Commons Ledger node and is its command-line client.

Contributors join through vouches, claim the hours they gave, verify each other's claims and send
hours. Validator operators initialise and run nodes. Everything reads and writes through one node's
RPC (--node).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Parent() != nil && cmd.Parent().Name() == "config" && cmd.Name() != "show" {
				return nil // config set|get|list edit the file of the home given, not of its `home`
			}
			return applyClientConfig(cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.String(flagHome, defaultHome(), "node and keyring home `DIR` (env COMMONSD_HOME)")
	pf.String(flagNode, "tcp://127.0.0.1:26657", "RPC `ADDRESS` of the node to talk to")
	pf.StringP(flagOutput, "o", "text", "output `FORMAT`: text or json")
	pf.String(flagChainID, "", "chain `ID` to sign for (default: read from the node)")
	pf.String(flagKeyring, keyring.BackendFile, "keyring `BACKEND`: file (encrypted) or test (plain, development only)")
	// pflag writes every boolean flag as --flag[=true|false]; show it as --flag, keeping the columns.
	cobra.AddTemplateFunc("flagUsages", func(fs *pflag.FlagSet) string {
		return strings.ReplaceAll(fs.FlagUsages(), "[=true|false]", strings.Repeat(" ", len("[=true|false]")))
	})
	t := root.UsageTemplate()
	t = strings.ReplaceAll(t, ".LocalFlags.FlagUsages", "flagUsages .LocalFlags")
	t = strings.ReplaceAll(t, ".InheritedFlags.FlagUsages", "flagUsages .InheritedFlags")
	root.SetUsageTemplate(t)
	root.AddCommand(newInitCmd(), newStartCmd(), newDevnetCmd(), newKeysCmd(), newTxCmd(), newQueryCmd(),
		newExportCmd(), newDebugCmd(), newConfigCmd(), newLocalnetCmd(), newGenesisCmd(),
		newStatusCmd(), newVersionCmd(), newSimCmd(), newShowValidatorCmd(), newSignerCmd(), newClaimOfflineCmd())
	for _, c := range toolCommands {
		root.AddCommand(c())
	}
	return root
}

// toolCommands are commands compiled in by build tags only, such as `loadgen` (-tags loadgen, see
// `make build-bench`): benchmark tools stay out of the validator binary.
var toolCommands []func() *cobra.Command

func homeOf(cmd *cobra.Command) string {
	h, _ := cmd.Flags().GetString(flagHome)
	return h
}

func openKeyring(cmd *cobra.Command) (*keyring.Keyring, error) {
	backend, _ := cmd.Flags().GetString(flagKeyring)
	return keyring.Open(homeOf(cmd), backend, promptPassphrase)
}

// privKey is the private key named name in the command's keyring.
func privKey(cmd *cobra.Command, name string) (ed25519.PrivKey, error) {
	kr, err := openKeyring(cmd)
	if err != nil {
		return nil, err
	}
	return kr.PrivKey(name)
}

func newClient(cmd *cobra.Command) (*client.Client, error) {
	node, _ := cmd.Flags().GetString(flagNode)
	c, err := client.New(node)
	if err != nil {
		return nil, err
	}
	c.Progress = cmd.ErrOrStderr()
	if d, err := cmd.Flags().GetDuration("timeout"); err == nil { // tx commands: how long to wait for a commit
		c.CommitTimeout = d
	}
	return c, nil
}
