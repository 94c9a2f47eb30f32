package api

import (
	"encoding/hex"
	"net/http"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/claims"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/disputes"
	"github.com/commonsledger/commons/x/gov"
)

type msgView struct {
	Type  string `json:"type"` // auth.MsgName: transfer | vouch | submit_claim | attest | open_dispute | jury_vote | appeal | propose | vote | withdraw_claim
	Value any    `json:"value"`
}

type txView struct {
	Hash        string       `json:"hash"`
	Height      int64        `json:"height"`
	Index       uint32       `json:"index"`
	Code        uint32       `json:"code"`
	Codespace   string       `json:"codespace"`
	Log         string       `json:"log"`
	Signer      *ref         `json:"signer"`
	Sequence    uint64       `json:"sequence"`
	Memo        string       `json:"memo"`
	Messages    []msgView    `json:"messages"`
	Events      []abci.Event `json:"events"`
	DecodeError string       `json:"decode_error,omitempty"`
}

// parseTxHash reads a tx hash: 64 hex characters, any case, optionally 0x-prefixed.
func parseTxHash(s string) ([]byte, bool) {
	h, err := hex.DecodeString(strings.TrimPrefix(strings.ToLower(s), "0x"))
	return h, err == nil && len(h) == 32
}

// tx answers /txs/{hash} from CometBFT's tx index, with the messages decoded.
func (s *Server) tx(q *request) (any, error) {
	raw := q.r.PathValue("hash")
	hash, ok := parseTxHash(raw)
	if !ok {
		return nil, badRequest("tx hash %q is not 64 hex characters", raw)
	}
	if s.opts.Comet == nil {
		return nil, &apiError{Code: http.StatusServiceUnavailable, Message: "this server has no tx index (it is not running inside a node)"}
	}
	res, err := s.opts.Comet.Tx(q.ctx, hash, false)
	if err != nil {
		switch {
		case strings.Contains(err.Error(), "not found"):
			return nil, notFoundf("no committed tx %X on this node (not yet committed, or pruned from the tx index)", hash)
		case strings.Contains(err.Error(), "indexing is disabled"):
			return nil, &apiError{Code: http.StatusServiceUnavailable, Message: "this node does not index txs (tx_index.indexer = \"null\" in config.toml)"}
		}
		return nil, err
	}
	r := res.TxResult
	v := txView{Hash: strings.ToUpper(hex.EncodeToString(hash)), Height: res.Height, Index: res.Index, Code: r.Code,
		Codespace: r.Codespace, Log: r.Log, Messages: []msgView{}, Events: r.Events}
	if v.Events == nil {
		v.Events = []abci.Event{}
	}
	d, err := auth.Decode(res.Tx)
	if err != nil {
		v.DecodeError = err.Error()
		return v, nil
	}
	signer := q.ref(d.Signer.String())
	v.Signer, v.Sequence, v.Memo = &signer, d.Body.Sequence, d.Body.Memo
	for _, m := range d.Body.Msgs {
		v.Messages = append(v.Messages, q.msg(m))
	}
	return v, nil
}

type transferView struct {
	To          ref    `json:"to"`
	Amount      uint64 `json:"amount"`
	AmountHours string `json:"amount_hours"`
}

type vouchView struct {
	Candidate ref    `json:"candidate"`
	Handle    string `json:"handle"`
}

type submitClaimView struct {
	Start    jsonTime       `json:"start"`
	End      jsonTime       `json:"end"`
	Category string         `json:"category"`
	Summary  string         `json:"summary"`
	Evidence []evidenceView `json:"evidence"`
	// SummaryHash is set for a private summary; Beneficiary for a countersigned claim.
	SummaryHash string           `json:"summary_hash,omitempty"`
	Beneficiary *beneficiaryView `json:"beneficiary,omitempty"`
	Project     string           `json:"project"`
}

type createProjectMsgView struct {
	Handle   string `json:"handle"`
	Name     string `json:"name"`
	Stewards []ref  `json:"stewards"`
}

type distributeMsgView struct {
	Project string   `json:"project"`
	From    jsonTime `json:"from"`
	To      jsonTime `json:"to"`
}

type attestView struct {
	ClaimID uint64 `json:"claim_id"`
	Verdict string `json:"verdict"`
	Note    string `json:"note"`
}

type openDisputeView struct {
	ClaimID uint64 `json:"claim_id"`
	Reason  string `json:"reason"`
}

type withdrawClaimMsgView struct {
	ClaimID uint64 `json:"claim_id"`
}

type appealMsgView struct {
	DisputeID uint64 `json:"dispute_id"`
}

type juryVoteMsgView struct {
	DisputeID uint64 `json:"dispute_id"`
	Vote      string `json:"vote"`
	Note      string `json:"note"`
}

type proposeMsgView struct {
	Kind      string               `json:"kind"` // params | text | validator | expel | reinstate | upgrade
	Summary   string               `json:"summary"`
	Params    *paramsChangeView    `json:"params"`
	Validator *validatorChangeView `json:"validator"`
	Member    *memberChangeView    `json:"member"`
	Upgrade   *upgradeView         `json:"upgrade"`
}

type voteMsgView struct {
	ProposalID uint64 `json:"proposal_id"`
	Option     string `json:"option"` // yes | no | abstain
}

// msg renders one message as JSON. Addresses are shown with handles as of the latest block.
func (q *request) msg(m *auth.Msg) msgView {
	v := msgView{Type: auth.MsgName(m)}
	switch sum := m.Sum.(type) {
	case *auth.Msg_Transfer:
		t := sum.Transfer
		v.Value = transferView{q.ref(t.To), t.Amount, core.FormatHours(t.Amount)}
	case *auth.Msg_Vouch:
		v.Value = vouchView{q.ref(sum.Vouch.Candidate), sum.Vouch.Handle}
	case *auth.Msg_SubmitClaim:
		c := sum.SubmitClaim
		sv := submitClaimView{Start: jsonTime(c.Start), End: jsonTime(c.End), Category: c.Category, Summary: c.Summary,
			Evidence: []evidenceView{}, SummaryHash: hex.EncodeToString(c.SummaryHash), Project: c.Project}
		for _, e := range c.Evidence {
			sv.Evidence = append(sv.Evidence, evidenceView{URI: e.Uri, SHA256: hex.EncodeToString(e.Sha256)})
		}
		if b := c.Countersignature; b != nil {
			sv.Beneficiary = &beneficiaryView{PubKey: hex.EncodeToString(b.PubKey), Address: b.BeneficiaryAddress().String(),
				Signature: hex.EncodeToString(b.Signature)}
		}
		v.Value = sv
	case *auth.Msg_Attest:
		a := sum.Attest
		v.Value = attestView{a.ClaimId, claims.VerdictName(a.Verdict), a.Note}
	case *auth.Msg_OpenDispute:
		v.Value = openDisputeView{sum.OpenDispute.ClaimId, sum.OpenDispute.Reason}
	case *auth.Msg_JuryVote:
		j := sum.JuryVote
		v.Value = juryVoteMsgView{j.DisputeId, disputes.VoteName(j.Vote), j.Note}
	case *auth.Msg_Appeal:
		v.Value = appealMsgView{sum.Appeal.DisputeId}
	case *auth.Msg_WithdrawClaim:
		v.Value = withdrawClaimMsgView{sum.WithdrawClaim.ClaimId}
	case *auth.Msg_Propose:
		p := proposeMsgView{Kind: gov.KindName(sum.Propose.Content), Summary: sum.Propose.Summary}
		cv := q.content(sum.Propose.Content)
		p.Params, p.Validator, p.Member, p.Upgrade = cv.params, cv.validator, cv.member, cv.upgrade
		v.Value = p
	case *auth.Msg_Vote:
		v.Value = voteMsgView{sum.Vote.ProposalId, gov.OptionName(sum.Vote.Option)}
	case *auth.Msg_CreateProject:
		p := createProjectMsgView{Handle: sum.CreateProject.Handle, Name: sum.CreateProject.Name, Stewards: []ref{}}
		for _, s := range sum.CreateProject.Stewards {
			p.Stewards = append(p.Stewards, q.ref(s))
		}
		v.Value = p
	case *auth.Msg_Distribute:
		d := sum.Distribute
		v.Value = distributeMsgView{d.Project, jsonTime(d.From), jsonTime(d.To)}
	}
	return v
}
