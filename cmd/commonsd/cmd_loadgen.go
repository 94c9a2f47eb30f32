//go:build loadgen

package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/cmd/commonsd/internal/loadgen"
)

func init() { toolCommands = append(toolCommands, newLoadgenCmd) }

func newLoadgenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "loadgen --from KEY --rate TPS --duration D",
		Short: "Send valid signed txs at a target rate and report committed tx/s, latency and rejections",
		Long: `Send txs to one or more nodes at a target rate, watch the chain for their commits, and report
committed tx/s, send→commit latency (p50/p95/p99) and rejected txs by code.

The load accounts are derived from --seed; those without an account are first funded by --from in
16-transfer txs. --mix transfer sends transfers between them; --mix contrib adds claims,
attestations and vouches signed by --members (active members, e.g. alice,bob,carol of a devnet or
localnet), and --mix kvstore sends random key=value txs (no keys needed) to CometBFT's kvstore app,
for comparison. --rate takes a list (500,1000,2000) to step up the offered load; each step lasts
--duration and then waits up to --drain for its txs to commit.`,
		Example: `  commonsd loadgen --home .localnet --keyring-backend test --from alice --rate 1000 --duration 30s
  commonsd loadgen --nodes tcp://127.0.0.1:26657,tcp://127.0.0.1:26667 --from alice --rate 500,1000,2000 -o json
  commonsd loadgen --mix contrib --from alice --members alice,bob,carol --accounts 20 --rate 100
  commonsd loadgen --mix kvstore --node tcp://127.0.0.1:36657 --rate 1000`,
		Args: cobra.NoArgs,
		RunE: runLoadgen,
	}
	f := cmd.Flags()
	f.String("nodes", "", "comma-separated RPC addresses to spread the load over (default: --node)")
	f.String("rate", "100", "offered tx/s; a comma-separated list runs one step per rate")
	f.Duration("duration", 30*time.Second, "length of each step")
	f.Duration("drain", 15*time.Second, "longest wait after a step for its txs to commit")
	f.Int("accounts", 200, "load accounts")
	f.String("mix", loadgen.MixTransfer, "tx mix: transfer, contrib or kvstore")
	f.String("from", "", "funded key that funds the load accounts (transfer and contrib mixes)")
	f.String("members", "", "comma-separated member keys that claim, attest and vouch (contrib mix)")
	f.String("seed", "load", "seed of the load accounts' keys (reruns with one seed reuse the accounts)")
	f.Int("concurrency", 64, "concurrent broadcasts")
	f.Int("tx-size", 0, "kvstore tx size in bytes (default: the size of a transfer)")
	f.Bool("async", false, "broadcast_tx_async instead of broadcast_tx_sync (CheckTx codes are not seen)")
	f.Bool("results", true, "fetch block_results for tx codes (off: every included tx counts as committed, and the node does less JSON work)")
	f.Bool("stop-at-saturation", false, "skip the remaining rates once a step commits (or sends) less than 90% of its offer; a step that only refuses some txs, which are sent again, goes on")
	return cmd
}

func runLoadgen(cmd *cobra.Command, _ []string) error {
	f := cmd.Flags()
	cfg := loadgen.Config{Log: cmd.ErrOrStderr()}
	cfg.Duration, _ = f.GetDuration("duration")
	cfg.Drain, _ = f.GetDuration("drain")
	cfg.Accounts, _ = f.GetInt("accounts")
	cfg.Mix, _ = f.GetString("mix")
	cfg.Seed, _ = f.GetString("seed")
	cfg.Concurrency, _ = f.GetInt("concurrency")
	cfg.TxSize, _ = f.GetInt("tx-size")
	cfg.Async, _ = f.GetBool("async")
	cfg.StopAtSaturation, _ = f.GetBool("stop-at-saturation")
	results, _ := f.GetBool("results")
	cfg.SkipResults = !results
	nodes, _ := f.GetString("nodes")
	if nodes == "" {
		nodes, _ = f.GetString(flagNode)
	}
	cfg.Nodes = splitList(nodes)
	rates, _ := f.GetString("rate")
	for _, s := range splitList(rates) {
		r, err := strconv.ParseFloat(s, 64)
		if err != nil || r <= 0 {
			return fmt.Errorf("--rate %q: give positive tx/s, e.g. 500 or 500,1000,2000", s)
		}
		cfg.Rates = append(cfg.Rates, r)
	}
	if cfg.Mix != loadgen.MixKVStore {
		from, _ := f.GetString("from")
		if from == "" {
			return fmt.Errorf("--from is required: a funded key that funds the load accounts (e.g. alice of a devnet)")
		}
		var err error
		if cfg.Funder, err = privKey(cmd, from); err != nil {
			return err
		}
		ms, _ := f.GetString("members")
		for _, name := range splitList(ms) {
			k, err := privKey(cmd, name)
			if err != nil {
				return err
			}
			cfg.Members = append(cfg.Members, k)
		}
	}
	rep, err := loadgen.Run(cmd.Context(), cfg)
	if err != nil {
		return err
	}
	return printOut(cmd, rep, func(w io.Writer) { printLoadReport(w, rep) })
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func printLoadReport(w io.Writer, rep *loadgen.Report) {
	fmt.Fprintf(w, "mix %s, %d node(s), %d accounts, %d-byte txs\n", rep.Mix, rep.Nodes, rep.Accounts, rep.TxBytes)
	fmt.Fprintf(w, "%10s %8s %10s %12s %9s %9s %9s %9s %12s\n", "offered", "sent/s", "committed", "committed/s", "p50 ms", "p95 ms", "p99 ms", "rejected", "uncommitted")
	for _, s := range rep.Steps {
		rejected := 0
		for _, n := range s.Rejected {
			rejected += n
		}
		fmt.Fprintf(w, "%10.0f %8.0f %10d %12.1f %9.0f %9.0f %9.0f %9d %12d\n", s.OfferedTPS, s.SentTPS, s.Committed, s.CommittedTPS, s.P50ms, s.P95ms, s.P99ms, rejected, s.Uncommitted)
		codes := make([]string, 0, len(s.Rejected))
		for c := range s.Rejected {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			fmt.Fprintf(w, "%10s rejected %s: %d\n", "", c, s.Rejected[c])
		}
	}
	fmt.Fprintf(w, "max committed: %.1f tx/s\n", rep.MaxCommittedTPS)
}
