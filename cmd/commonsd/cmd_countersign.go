package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
)

// The offline side of a countersigned claim (design §9, care work): `commonsd claim statement`
// writes the statement of a claim, the beneficiary signs it on their own machine with `commonsd claim
// countersign`, and `tx claim submit --countersigned FILE` attaches the signature. No node is needed
// until the submission, and the beneficiary needs no account.

// statementFile is the JSON a claimant hands the beneficiary: the claim's statement
// (claims.ClaimStatement) in readable form, with the summary text so that the beneficiary reads
// what they sign. The text is not signed itself; its SHA-256, summary_hash, is.
type statementFile struct {
	ChainID     string `json:"chain_id"`
	Claimant    string `json:"claimant"`
	Start       string `json:"start"` // RFC 3339
	End         string `json:"end"`
	Category    string `json:"category"`
	Summary     string `json:"summary,omitempty"`
	SummaryHash string `json:"summary_hash"` // hex SHA-256 of summary
}

// countersignatureFile is what the beneficiary hands back.
type countersignatureFile struct {
	Statement   statementFile `json:"statement"`
	Beneficiary string        `json:"beneficiary"` // the address of pub_key (they need no account)
	PubKey      string        `json:"pub_key"`     // base64 of the 32-byte ed25519 key
	Signature   string        `json:"signature"`   // base64 of the 64-byte signature of claims.CountersignBytes
}

func statementFileOf(s *claims.ClaimStatement, summary string) statementFile {
	return statementFile{ChainID: s.ChainId, Claimant: s.Claimant, Start: formatRFC3339(s.Start), End: formatRFC3339(s.End),
		Category: s.Category, Summary: summary, SummaryHash: hex.EncodeToString(s.SummaryHash)}
}

func formatRFC3339(unix int64) string { return time.Unix(unix, 0).UTC().Format(time.RFC3339) }

// statement decodes f, and checks that its summary, when given, is the one its hash names.
func (f statementFile) statement() (*claims.ClaimStatement, error) {
	start, err := time.Parse(time.RFC3339, f.Start)
	if err != nil {
		return nil, fmt.Errorf("start %q is not an RFC 3339 time", f.Start)
	}
	end, err := time.Parse(time.RFC3339, f.End)
	if err != nil {
		return nil, fmt.Errorf("end %q is not an RFC 3339 time", f.End)
	}
	h, err := hex.DecodeString(f.SummaryHash)
	if err != nil || len(h) != sha256.Size {
		return nil, fmt.Errorf("summary_hash %q is not 64 hex characters (a SHA-256)", f.SummaryHash)
	}
	if f.Summary != "" && !bytes.Equal(claims.SummaryHashOf(f.Summary, nil), h) {
		return nil, fmt.Errorf("summary_hash is not the SHA-256 of the summary: the statement was changed after it was written")
	}
	if _, err := core.ParseAddress(f.Claimant); err != nil {
		return nil, fmt.Errorf("claimant: %v", err)
	}
	if f.ChainID == "" || f.Category == "" || !end.After(start) {
		return nil, fmt.Errorf("the statement needs a chain_id, a category and an end after its start")
	}
	return &claims.ClaimStatement{ChainId: f.ChainID, Claimant: f.Claimant, Start: start.Unix(), End: end.Unix(),
		Category: f.Category, SummaryHash: h}, nil
}

func newClaimOfflineCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "claim",
		Short: "Offline steps of a claim: its statement, and a beneficiary's countersignature",
		Long: `A claim may carry the countersignature of its beneficiary (the person cared for, the project
maintainer); a category listed in the claims param require_beneficiary needs one. The steps, none of
which needs a node:

  1. the claimant writes the statement:      commonsd claim statement ... --output-file stmt.json
  2. the beneficiary signs it with their key: commonsd claim countersign stmt.json --from THEIR-KEY --output-file cs.json
  3. the claimant submits with the same fields: commonsd tx claim submit ... --countersigned cs.json

The beneficiary needs a key (commonsd keys add), but no account and no membership. See docs/privacy.md
for what a countersignature proves and what it does not.`,
	}
	cmd.AddCommand(newClaimStatementCmd(), newClaimCountersignCmd())
	return cmd
}

func newClaimStatementCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "statement --claimant ADDRESS|KEY --chain-id ID --category CATEGORY (--summary TEXT | --summary-file FILE) --start TIME --end TIME",
		Short: "Write the statement of a claim for its beneficiary to countersign (offline)",
		Example: `  commonsd claim statement --claimant carol --chain-id commons-devnet --category care \
      --summary "Night shift with Mrs K." --start 2026-11-20T20:00:00Z --end 2026-11-21T02:00:00Z --output-file stmt.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			chainID, _ := f.GetString(flagChainID)
			who, _ := f.GetString("claimant")
			category, _ := f.GetString("category")
			if chainID == "" || who == "" || category == "" {
				return fmt.Errorf("--chain-id, --claimant and --category are required: the statement binds the countersignature to them")
			}
			if d, _ := f.GetDuration("duration"); d != 0 {
				return fmt.Errorf("--duration ends at the chain's latest block, which the beneficiary cannot know; give --start and --end")
			}
			claimant, err := resolveAddress(cmd, who)
			if err != nil {
				return fmt.Errorf("--claimant: %w", err)
			}
			start, end, err := claimInterval(cmd)
			if err != nil {
				return err
			}
			summary, err := summaryText(cmd)
			if err != nil {
				return err
			}
			msg := &claims.MsgSubmitClaim{Start: start.Unix(), End: end.Unix(), Category: category, Summary: summary}
			return writeJSONFile(cmd, statementFileOf(claims.StatementOf(chainID, claimant, msg), summary))
		},
	}
	f := cmd.Flags()
	f.String("claimant", "", "the `ADDRESS|KEY` that will submit the claim")
	f.String("category", "", "`CATEGORY` of the work")
	f.String("start", "", "interval start, an RFC 3339 `TIME`")
	f.String("end", "", "interval end (exclusive), an RFC 3339 `TIME`")
	f.Duration("duration", 0, "not accepted here (give --start and --end)")
	_ = f.MarkHidden("duration")
	summaryFlags(f)
	f.String("output-file", "", "write the statement to `FILE` (created, never overwritten) instead of standard output")
	return cmd
}

func newClaimCountersignCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "countersign STATEMENT-FILE --from KEY",
		Short: "Countersign a claim's statement as its beneficiary, with your own key (offline)",
		Long: `Countersign the statement of a claim made for you (commonsd claim statement). Read it first: by
signing you say that this claimant did this work for you in this interval, as the summary says. The
signature is over the chain id, claimant, interval, category and the summary's SHA-256, so it cannot
be moved to another claim. Your key needs no account; it must not be the claimant's own.`,
		Example: `  commonsd claim countersign stmt.json --from mrs-k --output-file cs.json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			from, _ := cmd.Flags().GetString("from")
			if from == "" {
				return fmt.Errorf("--from is required: the name of your own key (see `commonsd keys list`)")
			}
			var sf statementFile
			if err := readJSONFile(args[0], &sf); err != nil {
				return err
			}
			s, err := sf.statement()
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			priv, err := privKey(cmd, from)
			if err != nil {
				return err
			}
			if addr := core.AddressFromPubKey(priv.PubKey().Bytes()).String(); addr == s.Claimant {
				return fmt.Errorf("%s is the claimant's own key; the beneficiary countersigns with their own key", from)
			}
			cs, err := claims.Countersign(priv, s)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "countersigned: %s claims %s of %s on %s (summary sha256 %s)\n",
				s.Claimant, core.FormatInterval(s.Start, s.End), s.Category, s.ChainId, sf.SummaryHash)
			if sf.Summary == "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "note: the statement carries no summary text; you signed its hash without reading it")
			} else {
				fmt.Fprintf(cmd.ErrOrStderr(), "summary: %s\n", sf.Summary)
			}
			return writeJSONFile(cmd, countersignatureFileOf(sf, cs))
		},
	}
	cmd.Flags().String("from", "", "your `KEY` (the beneficiary's)")
	cmd.Flags().String("output-file", "", "write the countersignature to `FILE` (created, never overwritten) instead of standard output")
	return cmd
}

func countersignatureFileOf(sf statementFile, cs *claims.Countersignature) countersignatureFile {
	return countersignatureFile{Statement: sf, Beneficiary: cs.BeneficiaryAddress().String(),
		PubKey: base64.StdEncoding.EncodeToString(cs.PubKey), Signature: base64.StdEncoding.EncodeToString(cs.Signature)}
}

// loadCountersignature reads a countersignature file and checks that it is one: a statement that
// decodes and a signature that verifies under the key it names.
func loadCountersignature(path string) (*claims.ClaimStatement, *claims.Countersignature, error) {
	var cf countersignatureFile
	if err := readJSONFile(path, &cf); err != nil {
		return nil, nil, err
	}
	s, err := cf.Statement.statement()
	if err != nil {
		return nil, nil, fmt.Errorf("--countersigned %s: %w", path, err)
	}
	pub, err1 := base64.StdEncoding.DecodeString(cf.PubKey)
	sig, err2 := base64.StdEncoding.DecodeString(cf.Signature)
	if err1 != nil || err2 != nil || len(pub) != ed25519.PubKeySize || len(sig) != ed25519.SignatureSize {
		return nil, nil, fmt.Errorf("--countersigned %s: pub_key and signature must be base64 of 32 and 64 bytes", path)
	}
	if !ed25519.PubKey(pub).VerifySignature(claims.CountersignBytes(s), sig) {
		return nil, nil, fmt.Errorf("--countersigned %s: the signature does not verify over its statement; ask the beneficiary to countersign again", path)
	}
	return s, &claims.Countersignature{PubKey: pub, Signature: sig}, nil
}

// statementMismatch names the fields in which the countersigned statement got differs from want,
// the statement of the claim being submitted; "" if none.
func statementMismatch(got, want *claims.ClaimStatement) string {
	var diff []string
	add := func(name, g, w string) {
		if g != w {
			diff = append(diff, fmt.Sprintf("%s %s (the claim: %s)", name, g, w))
		}
	}
	add("chain id", got.ChainId, want.ChainId)
	add("claimant", got.Claimant, want.Claimant)
	add("start", formatRFC3339(got.Start), formatRFC3339(want.Start))
	add("end", formatRFC3339(got.End), formatRFC3339(want.End))
	add("category", got.Category, want.Category)
	add("summary sha256", hex.EncodeToString(got.SummaryHash), hex.EncodeToString(want.SummaryHash))
	return strings.Join(diff, "; ")
}

// summaryFlags are the ways to give a claim's summary.
func summaryFlags(f interface {
	String(name, value, usage string) *string
}) {
	f.String("summary", "", "`TEXT` saying what was done, in a sentence")
	f.String("summary-file", "", "read the summary from `FILE` instead of --summary")
}

// summaryText is --summary or the content of --summary-file (one of them is required).
func summaryText(cmd *cobra.Command) (string, error) {
	s, _ := cmd.Flags().GetString("summary")
	file, _ := cmd.Flags().GetString("summary-file")
	switch {
	case s != "" && file != "":
		return "", fmt.Errorf("give --summary or --summary-file, not both")
	case file != "":
		bz, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--summary-file: %w", err)
		}
		s = strings.TrimRight(string(bz), "\r\n")
	}
	if s == "" {
		return "", fmt.Errorf("--summary (or --summary-file) is required: say in a sentence what was done")
	}
	return s, nil
}

func readJSONFile(path string, v any) error {
	bz, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(bz))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// writeJSONFile writes v as indented JSON to --output-file (created, never overwritten) or stdout.
func writeJSONFile(cmd *cobra.Command, v any) error {
	bz, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	bz = append(bz, '\n')
	path, _ := cmd.Flags().GetString("output-file")
	var w io.Writer = cmd.OutOrStdout()
	if path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	_, err = w.Write(bz)
	return err
}
