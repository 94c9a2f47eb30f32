package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/members"
)

// The genesis ceremony: `commonsd genesis new | add-founder | gentx | collect | validate | hash`.
// docs/new-network.md walks three operators through it.

// defaultGenesisFile is where the ceremony's commands read and write the genesis unless told.
const defaultGenesisFile = "genesis.json"

// ceremonySteps is what `commonsd init` prints when it has no genesis to join, and `genesis` too.
const ceremonySteps = `To start a new network (docs/new-network.md has the whole ceremony, command for command):
  1. one operator:  commonsd genesis new --chain-id ID --profile production --output genesis.json
  2. each founder:  commonsd keys add NAME && commonsd keys show NAME -a   (send the address to that operator)
     that operator: commonsd genesis add-founder ADDRESS --handle HANDLE   (once per founder), then
                    sends genesis.json to the other operators
  3. each operator: commonsd init MONIKER --genesis genesis.json           (keys and config for this draft)
                    commonsd keys add KEY
                    commonsd genesis gentx --moniker MONIKER --from KEY --p2p HOST:26656
                    (sends the gentx-MONIKER.json it writes to the first operator)
  4. one operator:  commonsd genesis collect gentxs   (every statement, in one directory; sets persistent_peers)
  5. everyone:      commonsd genesis validate genesis.json --gentxs gentxs
                    commonsd genesis hash genesis.json   (compare it with the others over a second channel)
  6. each operator: commonsd genesis collect gentxs   (checks the statements, leaves the file as is, sets persistent_peers)
                    commonsd init MONIKER --genesis genesis.json --force
                    commonsd start
To join a running network: commonsd init MONIKER --genesis <its genesis.json>.
To try Commons Ledger on one machine: commonsd devnet (one node, demo members) or commonsd localnet.
`

func newGenesisCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "genesis",
		Short: "Create a new network's genesis with its founders and validators (the genesis ceremony)",
		Long:  "The genesis ceremony of a new network.\n\n" + ceremonySteps,
	}
	cmd.AddCommand(newGenesisNewCmd(), newGenesisAddFounderCmd(), newGenesisGentxCmd(), newGenesisCollectCmd(),
		newGenesisValidateCmd(), newGenesisHashCmd())
	return cmd
}

// profileGenesis is the app genesis of a profile: production (x/*.DefaultParams, in days) or
// devnet (x/*.DevnetParams, in seconds), with no founders and no accounts.
func profileGenesis(profile string) (*app.GenesisState, error) {
	switch profile {
	case "production":
		return app.DefaultGenesis(), nil
	case "devnet":
		return DevnetGenesis(), nil
	}
	return nil, fmt.Errorf("--profile %q: use production (a real network: days) or devnet (a rehearsal: seconds)", profile)
}

func newGenesisNewCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "new --chain-id ID --profile production|devnet [--output FILE]",
		Short: "Write a new genesis: every module's params from the profile, no founders, no validators",
		Long: `Write a new genesis: chain id, genesis time (now), consensus params, and every module's params
from the profile: production (the defaults of a real network, in days; docs/new-network.md lists
them one by one) or devnet (seconds, for a rehearsal). It has no founders and no validators yet:
add-founder and collect add them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			chainID, _ := f.GetString(flagChainID)
			profile, _ := f.GetString("profile")
			out, _ := f.GetString("output")
			force, _ := f.GetBool("force")
			if chainID == "" {
				return fmt.Errorf("give the new network's --chain-id, e.g. commons-1")
			}
			if len(chainID) > cmttypes.MaxChainIDLen {
				return fmt.Errorf("--chain-id %q: at most %d characters", chainID, cmttypes.MaxChainIDLen)
			}
			g, err := profileGenesis(profile)
			if err != nil {
				return err
			}
			if _, err := os.Stat(out); err == nil && !force {
				return fmt.Errorf("%s already exists; pick another --output or give --force", out)
			}
			state, err := app.MarshalGenesis(g)
			if err != nil {
				return err
			}
			doc := &cmttypes.GenesisDoc{ChainID: chainID, GenesisTime: genesisTime(), ConsensusParams: node.ConsensusParams(),
				AppState: json.RawMessage(state)}
			if err := doc.ValidateAndComplete(); err != nil {
				return err
			}
			if err := doc.SaveAs(out); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: chain %s, %s params, genesis time %s; no founders and no validators yet\nnext: commonsd genesis add-founder ADDRESS --handle HANDLE --genesis %s\n",
				out, chainID, profile, doc.GenesisTime.Format("2006-01-02T15:04:05Z"), out)
			return nil
		},
	}
	f := cmd.Flags()
	f.String("profile", "", "params: production (days) or devnet (seconds)")
	f.String("output", defaultGenesisFile, "genesis `FILE` to write")
	f.Bool("force", false, "overwrite an existing FILE")
	return cmd
}

// genesisTime is a new genesis's time: now, to the second.
func genesisTime() time.Time { return time.Now().UTC().Truncate(time.Second) }

// readGenesisFile reads a genesis file with CometBFT's own checks; app_state is decoded later.
func readGenesisFile(path string) (*cmttypes.GenesisDoc, []byte, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	doc, err := cmttypes.GenesisDocFromJSON(bz)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc, bz, nil
}

// editAppState decodes the genesis's app_state, lets edit change it, validates it and saves.
func editAppState(path string, doc *cmttypes.GenesisDoc, edit func(*app.GenesisState) error) error {
	g, err := app.ParseGenesis(doc.AppState)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := edit(g); err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return err
	}
	state, err := app.MarshalGenesis(g)
	if err != nil {
		return err
	}
	doc.AppState = json.RawMessage(state)
	return doc.SaveAs(path)
}

func newGenesisAddFounderCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add-founder ADDRESS|KEY --handle HANDLE [--balance AMOUNT] [--genesis FILE]",
		Short: "Add a founding member (active from the genesis time), with no balance or the one given",
		Long: `Add a founding member to the genesis: ACTIVE from the start, joined_at = the genesis time, with
no hours unless --balance gives some. ADDRESS is what the founder sends you (` + "`commonsd keys show NAME -a`" + `);
KEY is a key in your own keyring. A second founder with the same address or handle is refused.
A network needs at least vouches_to_join founders, or nobody can ever be vouched in.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			path, _ := f.GetString("genesis")
			handle, _ := f.GetString("handle")
			balStr, _ := f.GetString("balance")
			if err := members.ValidateHandle(handle); err != nil {
				return fmt.Errorf("--handle: %w", err)
			}
			balance, err := core.ParseAmount(balStr)
			if err != nil {
				return fmt.Errorf("--balance: %w", err)
			}
			addr, err := core.ParseAddress(args[0])
			if err != nil {
				kr, kerr := openKeyring(cmd)
				if kerr != nil {
					return kerr
				}
				rec, kerr := kr.Show(args[0])
				if kerr != nil {
					return fmt.Errorf("%q is neither an address (%v) nor a key in %s", args[0], err, kr.Dir())
				}
				addr, _ = core.ParseAddress(rec.Address)
			}
			doc, _, err := readGenesisFile(path)
			if err != nil {
				return err
			}
			var count int
			if err := editAppState(path, doc, func(g *app.GenesisState) error {
				for _, m := range g.Members.Members {
					if a, _ := core.ParseAddress(m.Address); a.String() == addr.String() {
						return fmt.Errorf("%s is already a founder, as %q", addr, m.Handle)
					}
					if m.Handle == handle {
						return fmt.Errorf("handle %q is already %s's", handle, m.Address)
					}
				}
				g.Members.Members = append(g.Members.Members, &members.Member{Address: addr.String(), Handle: handle, JoinedAt: doc.GenesisTime.Unix()})
				if balance > 0 {
					for _, a := range g.Bank.Accounts {
						if a.Address == addr.String() {
							return fmt.Errorf("%s already has a genesis account", addr)
						}
					}
					g.Bank.Accounts = append(g.Bank.Accounts, &bank.GenesisAccount{Address: addr.String(), Balance: balance})
				}
				count = len(g.Members.Members)
				return nil
			}); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "added founder %s (%s) with %s to %s; %d founders\n", handle, addr, core.FormatAmount(balance), path, count)
			return nil
		},
	}
	f := cmd.Flags()
	f.String("handle", "", "the founder's `HANDLE` (3-32 of a-z, 0-9, -)")
	f.String("balance", "0", "hours the founder starts with, e.g. 10 or 2500000uhour")
	f.String("genesis", defaultGenesisFile, "genesis `FILE` to change")
	return cmd
}

func newGenesisGentxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gentx --moniker NAME --from KEY --p2p HOST:PORT [--power N] [--output FILE]",
		Short: "Sign a statement of this node's validator key, moniker, power and peer address for the genesis",
		Long: `Write this node's validator statement: the consensus public key of --home's validator (read
through CometBFT's key file; the private key is not copied anywhere), the moniker, the power, the
node id and the peer address node_id@HOST:PORT, for the chain and the genesis draft in --genesis
(default: the node's own, installed by ` + "`commonsd init MONIKER --genesis FILE`" + `), signed with the
operator's account key --from. Send the file to the operator who runs ` + "`genesis collect`" + `.
HOST:PORT is where the other operators reach this node; PORT must be the node's p2p port.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			home := homeOf(cmd)
			moniker, _ := f.GetString("moniker")
			from, _ := f.GetString("from")
			power, _ := f.GetInt64("power")
			hostPort, _ := f.GetString("p2p")
			out, _ := f.GetString("output")
			path, _ := f.GetString("genesis")
			if from == "" || hostPort == "" {
				return fmt.Errorf("give --from KEY (your account key) and --p2p HOST:PORT (where the others reach your node)")
			}
			conf, err := node.LoadCometConfig(home)
			if err != nil {
				return err
			}
			if moniker == "" {
				moniker = conf.Moniker
			}
			if path == "" {
				path = conf.GenesisFile()
			}
			if out == "" {
				out = "gentx-" + moniker + ".json"
			}
			if err := checkHostPort(hostPort); err != nil {
				return fmt.Errorf("--p2p %w", err)
			}
			_, port, _ := net.SplitHostPort(strings.TrimPrefix(conf.P2P.ListenAddress, "tcp://"))
			if _, declared, _ := net.SplitHostPort(hostPort); declared != port {
				return fmt.Errorf("--p2p %s: the node listens on %s ([p2p] laddr in %s); declare that port, or change laddr first",
					hostPort, conf.P2P.ListenAddress, filepath.Join(home, "config", "config.toml"))
			}
			doc, _, err := readGenesisFile(path)
			if err != nil {
				return err
			}
			pk, err := node.ConsensusPubKey(home)
			if err != nil {
				return err
			}
			nk, err := p2p.LoadNodeKey(conf.NodeKeyFile())
			if err != nil {
				return fmt.Errorf("node key: %w", err)
			}
			priv, err := privKey(cmd, from)
			if err != nil {
				return err
			}
			s := Statement{Type: StatementType, ChainID: doc.ChainID, GenesisHash: DraftHash(doc), Moniker: moniker, Power: power,
				PubKey: base64.StdEncoding.EncodeToString(pk), NodeID: string(nk.ID()), Peer: string(nk.ID()) + "@" + hostPort}
			if err := s.Sign(priv); err != nil {
				return err
			}
			if ps := s.Check(doc.ChainID, s.GenesisHash); len(ps) > 0 {
				return fmt.Errorf("the statement would be refused: %s", ps[0])
			}
			bz, err := json.MarshalIndent(s, "", "  ")
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, append(bz, '\n'), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: validator %s (power %d), peer %s, chain %s, genesis draft %s, signed by %s\nsend it to the operator who runs `commonsd genesis collect`\n",
				out, moniker, power, s.Peer, s.ChainID, s.GenesisHash, s.Operator)
			return nil
		},
	}
	f := cmd.Flags()
	f.String("moniker", "", "the validator's `NAME` (default: the node's moniker)")
	f.String("from", "", "the operator's account `KEY`, which signs the statement")
	f.Int64("power", 10, "voting `POWER`")
	f.String("p2p", "", "`HOST:PORT` the other nodes reach this one at")
	f.String("output", "", "statement `FILE` (default gentx-MONIKER.json)")
	f.String("genesis", "", "genesis draft `FILE` (default: the node's config/genesis.json)")
	return cmd
}

func newGenesisCollectCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "collect DIR [--genesis FILE]",
		Short: "Add every statement in DIR as a genesis validator and set this node's persistent_peers",
		Long: `Check every statement in DIR (*.json from gentx): signature, chain id, genesis draft, a 32-byte
key, power in range, no validator key, moniker or node id twice. If one fails, print every problem
and change nothing. Otherwise set the genesis validators to the statements' (sorted by moniker) and,
if --home holds a node, write persistent_peers (every statement's peer but this node's own) into its
config/config.toml; without a node there, print the line to add.

Run again on a genesis that already lists exactly these validators, collect leaves the file as it
is (its hash does not change): that is how every operator checks the statements and sets their own
peers from the same directory.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, _ := cmd.Flags().GetString("genesis")
			doc, _, err := readGenesisFile(path)
			if err != nil {
				return err
			}
			stmts, ps, err := readStatements(args[0])
			if err != nil {
				return err
			}
			ps = append(ps, checkStatements(stmts, doc.ChainID, DraftHash(doc))...)
			if len(ps) > 0 {
				return reportProblems(cmd, path, ps)
			}
			w := cmd.OutOrStdout()
			vals := validatorsOf(stmts)
			switch {
			case sameValidators(doc.Validators, vals):
				fmt.Fprintf(w, "%s already lists these %d validators; left as it is\n", path, len(vals))
			case len(doc.Validators) > 0:
				return fmt.Errorf("%s already lists other validators than the statements in %s; collect into the genesis before validators were added", path, args[0])
			default:
				doc.Validators = vals
				if err := doc.SaveAs(path); err != nil {
					return err
				}
				for _, v := range vals {
					fmt.Fprintf(w, "validator %s power %d key %s\n", v.Name, v.Power, base64.StdEncoding.EncodeToString(v.PubKey.Bytes()))
				}
				fmt.Fprintf(w, "added %d validators to %s\n", len(vals), path)
			}
			return writePeers(cmd, stmts)
		},
	}
	cmd.Flags().String("genesis", defaultGenesisFile, "genesis `FILE` to complete")
	return cmd
}

// writePeers sets persistent_peers in --home's config.toml to every statement's peer but the
// node's own, or prints the line when --home holds no node.
func writePeers(cmd *cobra.Command, stmts []loadedStatement) error {
	home := homeOf(cmd)
	w := cmd.OutOrStdout()
	var own p2p.ID
	conf, err := node.LoadCometConfig(home)
	if err == nil {
		nk, err := p2p.LoadNodeKey(conf.NodeKeyFile())
		if err != nil {
			return fmt.Errorf("node key: %w", err)
		}
		own = nk.ID()
	}
	var peers []string
	for _, s := range stmts {
		if p2p.ID(s.NodeID) != own {
			peers = append(peers, s.Peer)
		}
	}
	line := strings.Join(peers, ",")
	if conf == nil {
		fmt.Fprintf(w, "no node in %s: set this in each node's config/config.toml, [p2p] section (leaving out its own entry):\npersistent_peers = %q\n", home, line)
		return nil
	}
	conf.P2P.PersistentPeers = line
	cfgPath := filepath.Join(home, "config", "config.toml")
	cmtcfg.WriteConfigFile(cfgPath, conf)
	fmt.Fprintf(w, "wrote persistent_peers = %q to %s\n", line, cfgPath)
	return nil
}

// reportProblems prints each problem on its own line and returns an error counting them.
func reportProblems(cmd *cobra.Command, path string, ps []problem) error {
	for _, p := range ps {
		fmt.Fprintln(cmd.OutOrStdout(), p)
	}
	return fmt.Errorf("%s: %d problem(s); nothing was changed", path, len(ps))
}

func newGenesisValidateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate [FILE] [--gentxs DIR]",
		Short: "Check a whole genesis and print every problem, each with the field it is about",
		Long: `Check the genesis (default genesis.json) and print every problem, one a line, field first:
chain id; validators (none yet is a problem: the draft before collect has only that one); every
module's params (each module's own bounds); founders (at least members.params.vouches_to_join,
no handle or address twice); then whatever else app_state's validation refuses. With --gentxs DIR
it also checks every statement there as collect does (signature, chain id, genesis draft, key,
power, no key, moniker or node id twice) and that they are exactly the genesis validators.
Exits non-zero if anything is wrong.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := defaultGenesisFile
			if len(args) == 1 {
				path = args[0]
			}
			doc, _, err := readGenesisFile(path)
			if err != nil {
				return err
			}
			var stmts []loadedStatement
			var ps []problem
			if dir, _ := cmd.Flags().GetString("gentxs"); dir != "" {
				if stmts, ps, err = readStatements(dir); err != nil {
					return err
				}
				if stmts == nil {
					stmts = []loadedStatement{}
				}
			}
			ps = append(checkGenesis(doc, stmts), ps...)
			if len(ps) > 0 {
				for _, p := range ps {
					fmt.Fprintln(cmd.OutOrStdout(), p)
				}
				return fmt.Errorf("%s: %d problem(s)", path, len(ps))
			}
			g, _ := app.ParseGenesis(doc.AppState)
			fmt.Fprintf(cmd.OutOrStdout(), "%s is valid: chain %s, %d founders, %d validators", path, doc.ChainID, len(g.Members.Members), len(doc.Validators))
			if stmts != nil {
				fmt.Fprintf(cmd.OutOrStdout(), ", each with a valid statement")
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\n")
			return nil
		},
	}
	cmd.Flags().String("gentxs", "", "also check the validator statements in `DIR`")
	return cmd
}

func newGenesisHashCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "hash [FILE]",
		Short: "Print the SHA-256 of the genesis file's bytes, which every operator compares before starting",
		Long: `Print the hex SHA-256 of FILE's bytes exactly as they are on disk (default genesis.json), the
same as ` + "`sha256sum FILE`" + `. Copy the file, never re-save it: another tool's whitespace changes the
hash. ` + "`commonsd init --genesis FILE`" + ` installs it byte for byte, so the hash of
<home>/config/genesis.json is the same.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := defaultGenesisFile
			if len(args) == 1 {
				path = args[0]
			}
			bz, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if _, err := cmttypes.GenesisDocFromJSON(bz); err != nil {
				return fmt.Errorf("%s is not a genesis: %w", path, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s  %s\n", FileHash(bz), path)
			return nil
		},
	}
}

// errNoGenesis is init's answer without --genesis.
var errNoGenesis = errors.New("no genesis to join: give --genesis FILE (the steps above make one)")
