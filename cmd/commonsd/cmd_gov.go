package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/cosmos/gogoproto/jsonpb"
	"github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/cmd/commonsd/internal/node"
	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/gov"
)

// The gov module's commands: `tx gov propose params|text`, `tx gov vote`, `query proposal` and
// `query proposals`.

func govTxCmds() []*cobra.Command { return []*cobra.Command{newGovCmd()} }

func govQueryCmds() []*cobra.Command {
	return []*cobra.Command{newQueryProposalCmd(), newQueryProposalsCmd(), newQueryValidatorsCmd(), newQueryUpgradeCmd()}
}

func newGovCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "gov", Short: "Propose a change to the rules, or vote on a proposal"}
	propose := &cobra.Command{Use: "propose", Short: "Propose a params, validator or member change, or a text signal (active members past probation)"}
	params := &cobra.Command{
		Use:   "params MODULE --set NAME=VALUE... --summary TEXT --from KEY",
		Short: "Propose new values for some of a module's params (" + strings.Join(gov.ParamModules, ", ") + ")",
		Long: `Propose a change of one module's parameters. The command reads the module's current params from
the node, applies each --set (a JSON value, or a bare string), and proposes the whole set; the module
checks it now and again when the vote passes. Eligible members vote during gov's voting_period; the
change needs a quorum and more than half of the yes and no votes (more than two thirds for the gov
module's own params), and applies from the block after the vote closes. See ` + "`commonsd query params`" + `
for the names and current values.`,
		Example: `  commonsd tx gov propose params claims --set min_approvals=3 --summary "Three approvals per claim" --from alice
  commonsd tx gov propose params claims --set 'categories=["care","code","ecology","teaching","community","repair"]' --summary "A repair category" --from alice`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			summary, err := proposalSummary(cmd)
			if err != nil {
				return err
			}
			sets, _ := cmd.Flags().GetStringArray("set")
			if len(sets) == 0 {
				return fmt.Errorf("give at least one --set NAME=VALUE; see `commonsd query params` for the names")
			}
			var current app.QueryParamsResponse
			if _, err := query(cmd, "/app/params", nil, &current); err != nil {
				return err
			}
			bz, err := changedParams(&current, args[0], sets)
			if err != nil {
				return err
			}
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_Propose{Propose: &gov.MsgPropose{Summary: summary,
				Content: &gov.Content{Sum: &gov.Content_Params{Params: &gov.ParamsChange{Module: args[0], Params: bz}}}}}})
		},
	}
	params.Flags().StringArray("set", nil, "`NAME=VALUE` of one param (repeat for more); VALUE is JSON or a bare string")
	text := &cobra.Command{
		Use:     "text --summary TEXT --from KEY",
		Short:   "Propose a signal with no effect (a decision the members record)",
		Example: `  commonsd tx gov propose text --summary "We meet on the first Monday of each month" --from alice`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			summary, err := proposalSummary(cmd)
			if err != nil {
				return err
			}
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_Propose{Propose: &gov.MsgPropose{Summary: summary,
				Content: &gov.Content{Sum: &gov.Content_Text{Text: &gov.TextProposal{}}}}}})
		},
	}
	validator := &cobra.Command{
		Use:   "validator --pubkey KEY --power N --moniker NAME --summary TEXT --from KEY",
		Short: "Propose adding a validator, changing its power, or removing it (--power 0)",
		Long: `Propose a change of the CometBFT validator set. --pubkey is the operator's ed25519 consensus
public key as ` + "`commonsd show-validator`" + ` prints it on their node (base64). It needs more than two
thirds of the yes and no votes; when the vote closes the change is checked again and sent to
CometBFT, and the new validator signs from two blocks later. No change may move a third or more of
the total voting power at once or leave no validator (see ` + "`commonsd query validators`" + `).`,
		Example: `  commonsd tx gov propose validator --pubkey "$(ssh op5 commonsd show-validator)" --power 10 --moniker op5 --summary "Add op5, run by the food bank" --from alice`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			summary, err := proposalSummary(cmd)
			if err != nil {
				return err
			}
			f := cmd.Flags()
			s, _ := f.GetString("pubkey")
			pk, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
			if err != nil || len(pk) != 32 {
				return fmt.Errorf("--pubkey %q: give the base64 ed25519 key `commonsd show-validator` prints (32 bytes)", s)
			}
			if !f.Changed("power") {
				return fmt.Errorf("--power is required: the new voting power, or 0 to remove the validator")
			}
			power, _ := f.GetInt64("power")
			moniker, _ := f.GetString("moniker")
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_Propose{Propose: &gov.MsgPropose{Summary: summary,
				Content: &gov.Content{Sum: &gov.Content_Validator{Validator: &gov.ValidatorChange{PubKey: pk, Power: power, Moniker: moniker}}}}}})
		},
	}
	validator.Flags().String("pubkey", "", "the validator's ed25519 consensus public `KEY` (base64, from `commonsd show-validator`)")
	validator.Flags().Int64("power", 0, "new voting `POWER` (0 removes the validator)")
	validator.Flags().String("moniker", "", "a `NAME` for the validator")
	member := &cobra.Command{
		Use:   "member ADDRESS|KEY --expel|--reinstate --summary TEXT --from KEY",
		Short: "Propose expelling a member, or reinstating an expelled one",
		Long: `Propose expelling a member (every member action of theirs is then refused, and nobody can vouch
them back in) or reinstating an expelled member. It passes on a quorum and more than half of the yes
and no votes. The member's record, claims and history stay either way.`,
		Example: `  commonsd tx gov propose member mallory --expel --summary "Invented 300 hours; see disputes 4-9" --from alice`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			summary, err := proposalSummary(cmd)
			if err != nil {
				return err
			}
			expel, _ := cmd.Flags().GetBool("expel")
			reinstate, _ := cmd.Flags().GetBool("reinstate")
			if expel == reinstate {
				return fmt.Errorf("give exactly one of --expel and --reinstate")
			}
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_Propose{Propose: &gov.MsgPropose{Summary: summary,
				Content: &gov.Content{Sum: &gov.Content_Member{Member: &gov.MemberChange{Address: addr, Expel: expel}}}}}})
		},
	}
	member.Flags().Bool("expel", false, "expel the member")
	member.Flags().Bool("reinstate", false, "reinstate the expelled member")
	upgrade := &cobra.Command{
		Use:   "upgrade NAME --height H [--info TEXT] --summary TEXT --from KEY",
		Short: "Propose a software upgrade: every node stops at height H until it runs a release that knows NAME",
		Long: `Propose a software upgrade. If it passes (more than two thirds of the yes and no votes), every
node stops at the start of block H and logs "upgrade NAME required at height H"; operators then start
the release that knows NAME, which migrates the state once and continues the same chain. Pick H after
the vote ends, with time for operators to install the release. See docs/operating.md, "Upgrading".`,
		Example: `  commonsd tx gov propose upgrade v5 --height 1200000 --info "https://example.org/releases/v5" --summary "Release 5: reviewer tenure" --from alice`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			summary, err := proposalSummary(cmd)
			if err != nil {
				return err
			}
			height, _ := cmd.Flags().GetUint64("height")
			if height == 0 {
				return fmt.Errorf("--height is required: the block at which every node stops for the upgrade")
			}
			info, _ := cmd.Flags().GetString("info")
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_Propose{Propose: &gov.MsgPropose{Summary: summary,
				Content: &gov.Content{Sum: &gov.Content_Upgrade{Upgrade: &gov.UpgradeProposal{Name: args[0], Height: height, Info: info}}}}}})
		},
	}
	upgrade.Flags().Uint64("height", 0, "the block `HEIGHT` at which nodes stop for the upgrade")
	upgrade.Flags().String("info", "", "where operators get the release (`TEXT`, at most 512 bytes)")
	for _, c := range []*cobra.Command{params, text, validator, member, upgrade} {
		c.Flags().String("summary", "", "what the proposal does and why (`TEXT`, at most max_summary_bytes; link to a longer text)")
	}
	propose.AddCommand(params, text, validator, member, upgrade)
	vote := &cobra.Command{
		Use:   "vote PROPOSAL-ID yes|no|abstain --from KEY",
		Short: "Vote on a proposal before its voting end; voting again changes your vote",
		Long: `Vote yes, no or abstain on a proposal in its vote. Every active member past probation has one vote;
abstaining counts towards the quorum but not the majority. Until the vote ends, voting again replaces
your vote.`,
		Example: `  commonsd tx gov vote 1 yes --from bob`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseProposalID(args[0])
			if err != nil {
				return err
			}
			o, ok := core.ParseEnum(strings.ToLower(args[1]), gov.OptionName, gov.VoteOption_VOTE_OPTION_YES,
				gov.VoteOption_VOTE_OPTION_NO, gov.VoteOption_VOTE_OPTION_ABSTAIN)
			if !ok {
				return fmt.Errorf("vote %q: use yes, no or abstain", args[1])
			}
			return sendTx(cmd, &auth.Msg{Sum: &auth.Msg_Vote{Vote: &gov.MsgVote{ProposalId: id, Option: o}}})
		},
	}
	cmd.AddCommand(propose, vote)
	return cmd
}

func proposalSummary(cmd *cobra.Command) (string, error) {
	s, _ := cmd.Flags().GetString("summary")
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("--summary is required: say what the proposal does and why")
	}
	return s, nil
}

// changedParams applies sets (NAME=VALUE) to module's current params and returns them encoded. A
// name the module's params do not have, or a value of the wrong type, is an error here, before
// anything is signed; the chain validates the ranges.
func changedParams(current *app.QueryParamsResponse, module string, sets []string) ([]byte, error) {
	p := current.ParamsOf(module)
	if p == nil {
		return nil, fmt.Errorf("module %q: use one of %s", module, strings.Join(gov.ParamModules, ", "))
	}
	var buf bytes.Buffer
	if err := (&jsonpb.Marshaler{OrigName: true, EmitDefaults: true}).Marshal(&buf, p); err != nil {
		return nil, err
	}
	fields := map[string]json.RawMessage{}
	if err := json.Unmarshal(buf.Bytes(), &fields); err != nil {
		return nil, err
	}
	for _, s := range sets {
		name, value, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("--set %q: write NAME=VALUE, such as min_approvals=3", s)
		}
		if _, known := fields[name]; !known {
			return nil, fmt.Errorf("--set %s: %s params have no %q; they are %s", name, module, name, strings.Join(slices.Sorted(maps.Keys(fields)), ", "))
		}
		raw := json.RawMessage(value)
		if !json.Valid(raw) {
			raw, _ = json.Marshal(value) // a bare string
		}
		fields[name] = raw
	}
	edited, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	p.Reset()
	if err := jsonpb.Unmarshal(bytes.NewReader(edited), p); err != nil {
		return nil, fmt.Errorf("%s params: %v (check each --set value's type in `commonsd query params -o json`)", module, err)
	}
	return proto.Marshal(p)
}

func parseProposalID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("proposal id %q: expected a number such as 1", s)
	}
	return id, nil
}

func writeProposal(w io.Writer, p *gov.Proposal) {
	kind := gov.KindName(p.Content)
	if m := p.Content.GetParams().GetModule(); m != "" {
		kind += " (" + m + ")"
	}
	if u := p.Content.GetUpgrade(); u != nil {
		kind += fmt.Sprintf(" (%s at height %d)", u.Name, u.Height)
	}
	if m := p.Content.GetMember(); m != nil {
		kind += " (" + m.Address + ")"
	}
	if v := p.Content.GetValidator(); v != nil {
		kind += fmt.Sprintf(" (%s %s to power %d)", v.Moniker, gov.EncodeKey(v.PubKey), v.Power)
	}
	fmt.Fprintf(w, "proposal %d: %s, %s\n  proposer: %s, submitted %s\n  summary:  %s\n  tally:    %d yes, %d no, %d abstain\n",
		p.Id, gov.StatusName(p.Status), kind, p.Proposer, formatTimeOrDash(p.SubmittedAt), p.Summary, p.Yes, p.No, p.Abstain)
	if p.Status == gov.ProposalStatus_PROPOSAL_STATUS_VOTING {
		fmt.Fprintf(w, "  voting:   until %s\n", formatTimeOrDash(p.VotingEnd))
	} else {
		fmt.Fprintf(w, "  closed:   %s (height %d), %d eligible: %s\n", formatTimeOrDash(p.ClosedAt), p.ClosedHeight, p.Eligible, p.Result)
	}
}

func newQueryProposalCmd() *cobra.Command {
	return &cobra.Command{
		Use: "proposal ID", Short: "Show a proposal with its tally so far, its votes and what it changes", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseProposalID(args[0])
			if err != nil {
				return err
			}
			if ok, err := printAPI(cmd, "/proposals/"+strconv.FormatUint(id, 10), nil); ok {
				return err
			}
			var res gov.ProposalWithVotes
			if _, err := query(cmd, "/gov/proposal/"+strconv.FormatUint(id, 10), nil, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				writeProposal(w, res.Proposal)
				if pc := res.Proposal.Content.GetParams(); pc != nil {
					fmt.Fprintf(w, "  params:   %s\n", describeParams(pc))
				}
				for _, v := range res.Votes {
					fmt.Fprintf(w, "  voted:    %s by %s at %s\n", gov.OptionName(v.Option), v.Voter, formatTimeOrDash(v.Time))
				}
			})
		},
	}
}

// describeParams renders a params change's proposed params as JSON.
func describeParams(pc *gov.ParamsChange) string {
	p, err := app.DecodeParams(pc.Module, pc.Params)
	if err != nil {
		return err.Error()
	}
	s, err := (&jsonpb.Marshaler{OrigName: true, EmitDefaults: true}).MarshalToString(p)
	if err != nil {
		return err.Error()
	}
	return s
}

func newQueryProposalsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use: "proposals", Short: "List proposals, newest first, optionally by status", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if params, err := listParams(cmd, "status"); err != nil {
				return err
			} else if ok, err := printAPI(cmd, "/proposals", params); ok {
				return err
			}
			f := cmd.Flags()
			req := &gov.QueryProposalsRequest{}
			if st, _ := f.GetString("status"); st != "" {
				var ok bool
				req.Status, ok = core.ParseEnum(strings.ToLower(st), gov.StatusName, gov.ProposalStatus_PROPOSAL_STATUS_VOTING,
					gov.ProposalStatus_PROPOSAL_STATUS_PASSED, gov.ProposalStatus_PROPOSAL_STATUS_REJECTED, gov.ProposalStatus_PROPOSAL_STATUS_FAILED)
				if !ok {
					return fmt.Errorf("--status %q: use voting, passed, rejected or failed", st)
				}
			}
			req.Offset, _ = f.GetUint64("offset")
			req.Limit, _ = f.GetUint64("limit")
			var res gov.QueryProposalsResponse
			if _, err := query(cmd, "/gov/proposals", req, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				fmt.Fprintf(w, "%d matching\n", res.Total)
				for _, p := range res.Proposals {
					writeProposal(w, p)
				}
			})
		},
	}
	f := cmd.Flags()
	f.String("status", "", "only proposals of this `STATUS`: voting, passed, rejected or failed")
	pageFlags(f, 20, gov.MaxLimit)
	return cmd
}

func newQueryValidatorsCmd() *cobra.Command {
	return &cobra.Command{
		Use: "validators", Short: "Show the validator set as the app keeps it, and its recent changes", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if ok, err := printAPI(cmd, "/validators", nil); ok {
				return err
			}
			var res gov.QueryValidatorsResponse
			if _, err := query(cmd, "/gov/validators", nil, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				fmt.Fprintf(w, "%d validators, total power %d\n", len(res.Validators), res.TotalPower)
				for _, v := range res.Validators {
					fmt.Fprintf(w, "  %s  power %d  %s\n", gov.EncodeKey(v.PubKey), v.Power, v.Moniker)
				}
				if len(res.History) > 0 {
					fmt.Fprintln(w, "changes, newest first:")
				}
				for _, e := range res.History {
					by := "genesis"
					if e.ProposalId != 0 {
						by = "proposal " + strconv.FormatUint(e.ProposalId, 10)
					}
					fmt.Fprintf(w, "  height %d: %s %s power %d -> %d (%s)\n", e.Height, gov.EncodeKey(e.PubKey), e.Moniker, e.PreviousPower, e.Power, by)
				}
			})
		},
	}
}

func newShowValidatorCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show-validator",
		Short: "Print this node's consensus public key (base64), as a validator proposal takes it",
		Long: `Print the ed25519 consensus public key of the node in --home (from its priv_validator_key.json,
whose private key stays where it is). Send it to the member who proposes your node as a validator:
` + "`commonsd tx gov propose validator --pubkey KEY …`" + `.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pk, err := node.ConsensusPubKey(homeOf(cmd))
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), base64.StdEncoding.EncodeToString(pk))
			return nil
		},
	}
}

func newQueryUpgradeCmd() *cobra.Command {
	return &cobra.Command{
		Use: "upgrade", Short: "Show the scheduled software upgrade, if any, and the upgrades applied", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var res gov.QueryUpgradeResponse
			if _, err := query(cmd, "/gov/upgrade", nil, &res); err != nil {
				return err
			}
			return printOut(cmd, &res, func(w io.Writer) {
				if p := res.Plan; p != nil {
					fmt.Fprintf(w, "scheduled: %s at height %d (proposal %d) %s\n", p.Name, p.Height, p.ProposalId, p.Info)
				} else {
					fmt.Fprintln(w, "scheduled: none")
				}
				for _, a := range res.Applied {
					fmt.Fprintf(w, "applied:   %s at height %d, %s: protocol %d -> %d (proposal %d)\n",
						a.Name, a.Height, formatTimeOrDash(a.Time), a.From, a.To, a.ProposalId)
				}
			})
		},
	}
}
