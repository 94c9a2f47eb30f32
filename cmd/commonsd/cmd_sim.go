package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/cmd/commonsd/internal/sim"
)

func newSimCmd() *cobra.Command {
	d := sim.DefaultConfig()
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Run the agent-based fraud simulation on the real state machine, in-process",
		Long: `Simulate a commons for --days days, four blocks a day, on the real state machine (in memory,
no network): honest members claim the hours they worked and attest truthfully, a share of them
(--lazy) approve whatever they are shown, a colluding ring (--ring) claims 8 invented hours a day,
approves its own claims, vouches in sybils as fast as the rules allow and disputes honest claims
(--harass), and honest members examine verified claims (--look) and see fraud with probability
--detect. Each defence has a flag whose default is the production parameter, so one can be turned
off or changed alone; --defences=false runs the round-1 rules (no drawn reviewers, no probation, no
admission limit, daily vouches, no disputes). The report gives the fraudulent share of minted hours, the share reversed,
the honest hours lost, the sybils admitted and the time to detection; the same seed gives the
same report. See docs/integrity.md.`,
		Example: "  commonsd sim --members 1000 --ring 0.1 --days 90\n  commonsd sim --members 1000 --ring 0.1 --days 90 --defences=false --csv off.csv --plot off.svg",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			cfg := sim.Config{}
			cfg.Seed, _ = f.GetUint64("seed")
			cfg.Members, _ = f.GetInt("members")
			cfg.Ring, _ = f.GetFloat64("ring")
			cfg.Lazy, _ = f.GetFloat64("lazy")
			cfg.Detect, _ = f.GetFloat64("detect")
			cfg.Look, _ = f.GetFloat64("look")
			cfg.Harass, _ = f.GetFloat64("harass")
			cfg.Days, _ = f.GetInt("days")
			cfg.Defences, _ = f.GetBool("defences")
			cfg.Reviewers, _ = f.GetUint32("reviewers")
			cfg.MinReviewerApprovals, _ = f.GetUint32("min-reviewer-approvals")
			cfg.CheckInvariants, _ = f.GetBool("check-invariants")
			cfg.AdmissionsPerWeek, _ = f.GetUint32("admissions-per-week")
			cfg.ProbationDays, _ = f.GetInt("probation-days")
			cfg.VouchCooldownDays, _ = f.GetInt("vouch-cooldown-days")
			cfg.Disputes, _ = f.GetBool("disputes")
			if err := checkSimConfig(cfg); err != nil {
				return err
			}
			if quiet, _ := f.GetBool("quiet"); !quiet {
				cfg.Progress = cmd.ErrOrStderr()
			}
			r, err := sim.Run(cfg)
			if err != nil {
				return err
			}
			r.WriteText(cmd.OutOrStdout())
			if path, _ := f.GetString("csv"); path != "" {
				if err := writeFile(path, r.WriteCSV); err != nil {
					return err
				}
			}
			if path, _ := f.GetString("plot"); path != "" {
				if err := writeFile(path, r.WriteSVG); err != nil {
					return err
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.Uint64("seed", d.Seed, "random `SEED` (the same seed gives the same report)")
	f.Int("members", d.Members, "founding `N` members (honest, lazy and ring)")
	f.Float64("ring", d.Ring, "share of the members in the colluding ring (0–1)")
	f.Float64("lazy", d.Lazy, "share of the honest members who approve without looking (0–1)")
	f.Float64("detect", d.Detect, "chance an honest member examining a fraudulent claim sees it is false (0–1)")
	f.Float64("look", d.Look, "chance per block an honest member examines a recently verified claim (0–1)")
	f.Float64("harass", d.Harass, "chance per block a ring member disputes a verified honest claim (0–1)")
	f.Int("days", d.Days, "simulated `DAYS` (four blocks a day)")
	f.Bool("defences", d.Defences, "the defences below, each at its flag's value (false: round-1 rules, whatever the flags say)")
	f.Uint32("reviewers", d.Reviewers, "reviewers drawn per claim (0: off)")
	f.Uint32("min-reviewer-approvals", d.MinReviewerApprovals, "approvals needed from the drawn reviewers")
	f.Int("probation-days", d.ProbationDays, "probation after admission, in `DAYS` (0: off)")
	f.Uint32("admissions-per-week", d.AdmissionsPerWeek, "admissions per sponsor tree per week (0: unlimited)")
	f.Int("vouch-cooldown-days", d.VouchCooldownDays, "a member vouches at most once per `DAYS`")
	f.Bool("disputes", d.Disputes, "honest members dispute the fraud they see, the ring harasses, juries judge")
	f.Bool("check-invariants", false, "check every invariant after every block (slow for large runs)")
	f.String("csv", "", "write the daily series to `FILE` (CSV)")
	f.String("plot", "", "write a chart of the daily fraudulent share to `FILE` (SVG)")
	f.Bool("quiet", false, "no progress lines on stderr")
	return cmd
}

func checkSimConfig(c sim.Config) error {
	for name, v := range map[string]float64{"--ring": c.Ring, "--lazy": c.Lazy, "--detect": c.Detect, "--look": c.Look, "--harass": c.Harass} {
		if v < 0 || v > 1 {
			return fmt.Errorf("%s %v: give a share between 0 and 1", name, v)
		}
	}
	switch {
	case c.Members < 4 || c.Members > 100_000:
		return fmt.Errorf("--members %d: give between 4 and 100000", c.Members)
	case c.Days < 1 || c.Days > 3650:
		return fmt.Errorf("--days %d: give between 1 and 3650", c.Days)
	case c.ProbationDays < 0 || c.ProbationDays > 365 || c.VouchCooldownDays < 0 || c.VouchCooldownDays > 365:
		return fmt.Errorf("--probation-days %d --vouch-cooldown-days %d: give between 0 and 365", c.ProbationDays, c.VouchCooldownDays)
	case c.Defences && (c.Reviewers > 15 || c.MinReviewerApprovals > c.Reviewers || c.Reviewers > 0 && c.MinReviewerApprovals == 0):
		return fmt.Errorf("--reviewers %d --min-reviewer-approvals %d: reviewers at most 15, approvals between 1 and reviewers (both 0: no reviewers)", c.Reviewers, c.MinReviewerApprovals)
	}
	return nil
}

func writeFile(path string, write func(w io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
