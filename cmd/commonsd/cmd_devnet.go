package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/cmd/commonsd/internal/keyring"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/config"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
)

// DevnetChainID is the chain id of `commonsd devnet`.
const DevnetChainID = "commons-devnet"

// devnetFunded are the demo accounts of a devnet funded at genesis (100 hours each).
var devnetFunded = []string{"alice", "bob", "carol"}

// devnetMembers are the devnet's founding members, handles equal to their key names in its test
// keyring: the funded alice, bob and carol, then twelve more with no balance (hours are earned) so
// that a dispute can draw a jury of 3 and its appeal a jury of 7 that excludes the claimant, the
// attestors, the disputant, the claimant's vouchers and the first jury (design §8; README's disputes
// walkthrough). Names a test or the README adds later (dana, erin) are not among them.
var devnetMembers = append(slices.Clone(devnetFunded),
	"frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "trent", "victor")

func newDevnetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "devnet",
		Short: "Start a single-validator development chain with demo members alice, bob, carol, frank … victor",
		Long: `Start a single-validator devnet in --home (created on first use, resumed afterwards). Its
genesis has fifteen founding members whose keys are in the devnet's test keyring, handles equal to
key names: alice, bob and carol with 100 hours each, and frank, grace, heidi, ivan, judy, mallory,
niaj, olivia, peggy, rupert, trent and victor with none (enough for a dispute's jury of 3 and its
appeal's jury of 7). It uses short windows so the contribution loop can be watched in about a
minute, and a dispute with its appeal in about two. --reset starts afresh.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home := homeOf(cmd)
			if reset, _ := cmd.Flags().GetBool("reset"); reset {
				if err := os.RemoveAll(home); err != nil {
					return err
				}
			}
			out := cmd.OutOrStdout()
			if _, err := os.Stat(filepath.Join(home, "config", "genesis.json")); err != nil {
				blockTime, _ := cmd.Flags().GetDuration("block-time")
				fmt.Fprintf(out, "creating a new devnet in %s …\n", home)
				if err := initDevnet(home, node.InitOptions{BlockTime: blockTime}); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(out, "resuming the devnet in %s (use --reset, or `make run RESET=1`, to start afresh)\n", home)
			}
			cfg, err := config.Load(home, cmd.Flags())
			if err != nil {
				return err
			}
			n, err := node.Start(home, cfg, os.Stdout, node.StartOptions{QuietComet: true})
			if err != nil {
				return err
			}
			return runUntilSignal(n, func() { printDevnetBanner(cmd, home, n) })
		},
	}
	cmd.Flags().Bool("reset", false, "delete the devnet home and start a new chain")
	cmd.Flags().Duration("block-time", time.Second, "target time between blocks (new devnets only)")
	addConfigFlags(cmd)
	return cmd
}

// initDevnet creates a devnet home: test keys for the demo accounts, a genesis funding them, and a
// client.toml naming the test keyring (and the RPC address). o may set block time and listen
// addresses; chain id, moniker and genesis are the devnet's.
func initDevnet(home string, o node.InitOptions) error {
	kr, err := keyring.Open(home, keyring.BackendTest, nil)
	if err != nil {
		return err
	}
	g, err := demoGenesis(kr)
	if err != nil {
		return err
	}
	o.Moniker, o.ChainID, o.Genesis, o.Force = "devnet", DevnetChainID, g, true
	if o.App.API.Address == "" {
		o.App = config.Default()
	}
	if _, err = node.Init(home, o); err != nil {
		return err
	}
	// The devnet's client settings: its test keyring, and its RPC address when not the default, so
	// that after `commonsd config set home <devnet>` no command needs a flag.
	settings := map[string]string{flagKeyring: keyring.BackendTest}
	if o.RPCAddr != "" {
		settings[flagNode] = o.RPCAddr
	}
	return writeClientConfig(home, settings)
}

// demoGenesis is the devnet genesis with the demo members (devnetMembers) as founding members,
// alice, bob and carol funded; their keys are created in kr if missing.
func demoGenesis(kr *keyring.Keyring) (*app.GenesisState, error) {
	g := DevnetGenesis()
	for _, name := range devnetMembers {
		rec, err := kr.Show(name)
		if err != nil {
			if rec, err = kr.Add(name); err != nil {
				return nil, err
			}
		}
		if slices.Contains(devnetFunded, name) {
			g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: rec.Address, Balance: 100 * core.MicroPerHour})
		}
	}
	if err := addDevnetMembers(g, kr); err != nil {
		return nil, err
	}
	return g, nil
}

// DevnetGenesis is a devnet's genesis before accounts are added: short windows (30 s attestation,
// 10 s vouch cooldown, 2 vouches to join; disputes: 300 s to dispute, juries of 3 with 30 s to
// vote, 60 s to appeal; gov: 60 s to vote on a proposal) so the contribution loop completes in about a minute and a dispute with its
// appeal in about two, and a 0.01-hour opening amount so loadgen can open many accounts from the
// demo balances.
func DevnetGenesis() *app.GenesisState {
	g := app.DefaultGenesis()
	bp, mp, cp, dp, gp := bank.DevnetParams(), members.DevnetParams(), claims.DevnetParams(), disputes.DevnetParams(), gov.DevnetParams()
	g.Bank.Params, g.Members.Params, g.Claims.Params, g.Disputes.Params, g.Gov.Params = &bp, &mp, &cp, &dp, &gp
	return g
}

// addDevnetMembers makes the demo accounts founding members, with their key names as handles,
// stated as members since max_claim_age before now, so that they may claim any recent time
// (nobody may claim time before joining).
func addDevnetMembers(g *app.GenesisState, kr *keyring.Keyring) error {
	joined := time.Now().Unix() - g.Claims.Params.MaxClaimAge
	for _, name := range devnetMembers {
		rec, err := kr.Show(name)
		if err != nil {
			return err
		}
		g.Members.Members = append(g.Members.Members, &members.Member{Address: rec.Address, Handle: name, JoinedAt: joined})
	}
	return nil
}

// binPath is how the user invoked this binary, for copy-pasteable examples.
func binPath() string {
	exe := os.Args[0]
	if !strings.Contains(exe, "/") {
		return exe
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, exe); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return exe
}

func printDevnetBanner(cmd *cobra.Command, home string, n *node.Node) {
	rpc := strings.Replace(n.Conf.RPC.ListenAddress, "tcp://", "http://", 1)
	bin := binPath()
	abs, err := filepath.Abs(home)
	if err != nil {
		abs = home
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, `
Commons Ledger devnet is running: chain %s
  RPC:       %s
`, n.App.ChainID(), rpc)
	if n.Cfg.API.Enable {
		fmt.Fprintf(w, "  API:       http://%s/api/v1\n  Explorer:  http://%s/\n", n.Cfg.API.Address, n.Cfg.API.Address)
	}
	fmt.Fprintf(w, `  Members:   %s (100 hours each),
             %s (no balance);
             keys in the test keyring in %s

Try, in another terminal:
  %s config set home %s     # once: this devnet becomes the default
  %s tx transfer bob 2.5 --from alice
  %s query account bob

Ctrl-C stops the node. 'make run' resumes this chain; 'make run RESET=1' starts afresh.

`, strings.Join(devnetFunded, ", "), strings.Join(devnetMembers[len(devnetFunded):], ", "), home, bin, abs, bin, bin)
}
