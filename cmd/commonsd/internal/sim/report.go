package sim

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/commonsledger/commons/x/core"
)

// WriteText writes the report for people.
func (r *Report) WriteText(w io.Writer) {
	c := r.Config
	defences := "off (round-1 rules: no reviewers, no probation, no admission limit, daily vouches, no disputes)"
	if c.Defences {
		defences = c.DefencesString()
	}
	fmt.Fprintf(w, "simulation: %d members, ring %.0f%%, lazy %.0f%% of the honest, detection %.0f%%, %d days, seed %d\n",
		c.Members, 100*c.Ring, 100*c.Lazy, 100*c.Detect, c.Days, c.Seed)
	fmt.Fprintf(w, "defences:   %s\n", defences)
	fmt.Fprintf(w, "blocks:     %d (%d txs ok, %d refused)\n", r.Blocks, r.TxsOK, r.TxsFailed)
	fmt.Fprintf(w, "honest:     claimed %s, minted %s, rejected %s, reversed %s\n", h(r.HonestClaimed), h(r.HonestMinted), h(r.HonestRejected), h(r.HonestReversed))
	fmt.Fprintf(w, "            rejected for too few approvals %s, outvoted by rejections %s, too few reviewer approvals %s\n",
		h(r.HonestFewApprovals), h(r.HonestOutvoted), h(r.HonestNoReviewer))
	fmt.Fprintf(w, "fraudulent: claimed %s, minted %s, rejected %s, reversed %s\n", h(r.FraudClaimed), h(r.FraudMinted), h(r.FraudRejected), h(r.FraudReversed))
	fmt.Fprintf(w, "fraudulent share of minted hours: %.2f%%\n", 100*r.FraudShare())
	fmt.Fprintf(w, "fraudulent minted hours reversed: %.2f%% (mean %.1f days after verification)\n", 100*r.ReversedShare(), r.MeanDetectionDays())
	fmt.Fprintf(w, "honest hours lost (rejected or reversed): %.2f%%\n", 100*r.HonestLoss())
	if r.SybilCapReached {
		fmt.Fprintf(w, "sybils admitted: %d (the simulation's cap of %d sybil candidates was reached: without it there would be more)\n", r.Sybils, 2*c.Members)
	} else {
		fmt.Fprintf(w, "sybils admitted: %d\n", r.Sybils)
	}
	fmt.Fprintf(w, "app hash: %X\n", r.AppHash)
}

// DefencesString names the defences a run had, each with its setting.
func (c Config) DefencesString() string {
	onOff := func(on bool, s string) string {
		if on {
			return s
		}
		return "off"
	}
	return fmt.Sprintf("reviewers %s; probation %s; admissions %s; vouch cooldown %d d; disputes %s",
		onOff(c.Reviewers > 0, fmt.Sprintf("%d, %d approval(s) needed from them", c.Reviewers, c.MinReviewerApprovals)),
		onOff(c.ProbationDays > 0, fmt.Sprintf("%d d", c.ProbationDays)),
		onOff(c.AdmissionsPerWeek > 0, fmt.Sprintf("%d a week per sponsor tree", c.AdmissionsPerWeek)),
		max(c.VouchCooldownDays, 1), onOff(c.Disputes, "on"))
}

func h(u uint64) string { return core.FormatAmount(u) }

// WriteCSV writes the daily series.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"day", "honest_minted_uhour", "fraud_minted_uhour", "fraud_reversed_uhour", "fraud_share", "members", "sybils"})
	for _, d := range r.Series {
		cw.Write([]string{strconv.Itoa(d.Day), strconv.FormatUint(d.HonestMinted, 10), strconv.FormatUint(d.FraudMinted, 10),
			strconv.FormatUint(d.FraudReversed, 10), strconv.FormatFloat(share(d.FraudMinted, d.FraudMinted+d.HonestMinted), 'f', 5, 64),
			strconv.Itoa(d.Members), strconv.Itoa(d.Sybils)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteSVG draws the daily fraudulent share of standing minted hours (and the share reversed) as an
// SVG line chart.
func (r *Report) WriteSVG(w io.Writer) error {
	const W, H, pad = 640.0, 320.0, 40.0
	n := len(r.Series)
	x := func(i int) float64 { return pad + (W-2*pad)*float64(i)/float64(max(n-1, 1)) }
	y := func(v float64) float64 { return H - pad - (H-2*pad)*v }
	line := func(f func(Day) float64) string {
		s := ""
		for i, d := range r.Series {
			s += fmt.Sprintf("%.1f,%.1f ", x(i), y(f(d)))
		}
		return s
	}
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">
<rect width="100%%" height="100%%" fill="white"/>
<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/><line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>
<text x="%.0f" y="%.0f">100%%</text><text x="%.0f" y="%.0f">0</text><text x="%.0f" y="%.0f">day %d</text>
<polyline fill="none" stroke="#c0392b" stroke-width="2" points="%s"/>
<polyline fill="none" stroke="#2471a3" stroke-width="2" stroke-dasharray="4 3" points="%s"/>
<text x="%.0f" y="20" fill="#c0392b">fraudulent share of standing minted hours</text>
<text x="%.0f" y="36" fill="#2471a3">share of fraudulently minted hours reversed</text>
</svg>
`, W, H, pad, H-pad, W-pad, H-pad, pad, pad, pad, H-pad, 4.0, pad+4, 24.0, H-pad, W-pad-40, H-pad+16, n,
		line(func(d Day) float64 { return share(d.FraudMinted, d.FraudMinted+d.HonestMinted) }),
		line(func(d Day) float64 { return share(d.FraudReversed, d.FraudReversed+d.FraudMinted) }), pad+10, pad+10)
	return err
}
