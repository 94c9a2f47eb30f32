package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtjsonlib "github.com/cometbft/cometbft/libs/json"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/commonsledger/commons/app"
	"github.com/commonsledger/commons/x/core"
	"github.com/commonsledger/commons/x/gov"
	"github.com/commonsledger/commons/x/members"
)

// StatementType names the format of a validator statement and is the first line of what its
// operator signs, so that the signature can mean nothing else (not a tx, not another version).
const StatementType = "commons-gentx/v1"

// Statement is an operator's signed statement of one genesis validator (`commonsd genesis gentx`):
// the node's consensus public key, never its private key, with the moniker, power and peer address
// the operator declares, bound to one chain and one genesis draft.
type Statement struct {
	Type    string `json:"type"`
	ChainID string `json:"chain_id"`
	// GenesisHash is DraftHash of the genesis the operator saw: founders and params included, so a
	// statement is also the operator's consent to them; validators excluded, so that collect can add
	// them without breaking the statements.
	GenesisHash string `json:"genesis_hash"`
	Moniker     string `json:"moniker"`
	Power       int64  `json:"power"`
	PubKey      string `json:"pub_key"` // base64 of the 32-byte ed25519 consensus key
	NodeID      string `json:"node_id"`
	Peer        string `json:"peer"`             // node_id@host:port, for persistent_peers
	Operator    string `json:"operator"`         // the operator's account address
	OperatorKey string `json:"operator_pub_key"` // base64 of its ed25519 public key
	Signature   string `json:"signature,omitempty"`
}

// SignBytes is what the operator's account key signs: SHA-256 of "commons-gentx/v1\n" followed by
// the statement's JSON (fields in the order above, no whitespace) without the signature field.
func (s Statement) SignBytes() []byte {
	s.Signature = ""
	bz, err := json.Marshal(s)
	if err != nil {
		panic(err) // strings and an int64 always marshal
	}
	h := sha256.Sum256(append([]byte(StatementType+"\n"), bz...))
	return h[:]
}

// Sign fills in the operator's key, address and signature.
func (s *Statement) Sign(priv ed25519.PrivKey) error {
	pub := priv.PubKey().Bytes()
	s.Operator = core.AddressFromPubKey(pub).String()
	s.OperatorKey = base64.StdEncoding.EncodeToString(pub)
	sig, err := priv.Sign(s.SignBytes())
	if err != nil {
		return err
	}
	s.Signature = base64.StdEncoding.EncodeToString(sig)
	return nil
}

// ConsensusKey is the decoded pub_key (nil if it is not valid base64).
func (s Statement) ConsensusKey() []byte {
	bz, err := base64.StdEncoding.DecodeString(s.PubKey)
	if err != nil {
		return nil
	}
	return bz
}

// Check reports what is wrong with the statement on its own and against the genesis it is for,
// each problem naming the statement's field.
func (s Statement) Check(chainID, draftHash string) []problem {
	var ps []problem
	add := func(field, f string, a ...any) { ps = append(ps, problem{field, fmt.Sprintf(f, a...)}) }
	if s.Type != StatementType {
		add("type", "%q; this binary reads %q statements", s.Type, StatementType)
	}
	if s.ChainID != chainID {
		add("chain_id", "%q, but the genesis is for %q", s.ChainID, chainID)
	}
	if s.GenesisHash != draftHash {
		add("genesis_hash", "%s, but the genesis without validators hashes to %s: the operator signed for another draft (other founders or params); they must run gentx again on this one", s.GenesisHash, draftHash)
	}
	if err := checkMoniker(s.Moniker); err != nil {
		add("moniker", "%v", err)
	}
	if s.Power < 1 || s.Power > gov.MaxValidatorPower {
		add("power", "%d; give 1 to %d", s.Power, gov.MaxValidatorPower)
	}
	if k := s.ConsensusKey(); len(k) != ed25519.PubKeySize {
		add("pub_key", "%q is not a base64 32-byte ed25519 key (%d bytes)", s.PubKey, len(k))
	}
	if err := checkNodeID(s.NodeID); err != nil {
		add("node_id", "%v", err)
	}
	if id, hostPort, ok := strings.Cut(s.Peer, "@"); !ok || id != s.NodeID {
		add("peer", "%q must be node_id@host:port with this statement's node_id", s.Peer)
	} else if err := checkHostPort(hostPort); err != nil {
		add("peer", "%v", err)
	}
	opKey, err := base64.StdEncoding.DecodeString(s.OperatorKey)
	switch {
	case err != nil || len(opKey) != ed25519.PubKeySize:
		add("operator_pub_key", "%q is not a base64 32-byte ed25519 key", s.OperatorKey)
	case core.AddressFromPubKey(opKey).String() != s.Operator:
		add("operator", "%s is not the address of operator_pub_key (%s)", s.Operator, core.AddressFromPubKey(opKey))
	default:
		sig, err := base64.StdEncoding.DecodeString(s.Signature)
		if err != nil || !ed25519.PubKey(opKey).VerifySignature(s.SignBytes(), sig) {
			add("signature", "does not verify with operator_pub_key: the statement was changed after %s signed it, or signed by another key", s.Operator)
		}
	}
	return ps
}

func checkMoniker(m string) error {
	if m == "" || len(m) > gov.MaxMonikerBytes {
		return fmt.Errorf("%q: give 1 to %d bytes", m, gov.MaxMonikerBytes)
	}
	for _, r := range m {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%q contains a control character", m)
		}
	}
	return nil
}

func checkNodeID(id string) error {
	if b, err := hex.DecodeString(id); err != nil || len(b) != 20 || strings.ToLower(id) != id {
		return fmt.Errorf("%q is not a node id (40 lower-case hex digits, from the node's node_key.json)", id)
	}
	return nil
}

// checkHostPort accepts host:port with a host other peers can dial.
func checkHostPort(hp string) error {
	host, port, err := net.SplitHostPort(hp)
	if err != nil {
		return fmt.Errorf("%q: want HOST:PORT (%v)", hp, err)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("%q: port must be 1 to 65535", hp)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		return fmt.Errorf("%q: give the address other operators reach this node at, not a wildcard", hp)
	}
	return nil
}

// problem is one thing wrong with a genesis or a statement, with the field it is about.
type problem struct{ field, msg string }

func (p problem) String() string { return p.field + ": " + p.msg }

// DraftHash is the hex SHA-256 of the genesis without its validators: the document re-encoded
// with validators emptied and compacted, so that neither whitespace nor collect's additions change
// it. Statements carry it; collect and validate compare it.
func DraftHash(doc *cmttypes.GenesisDoc) string {
	d := *doc
	d.Validators = nil
	bz, err := cmtjsonlib.Marshal(&d)
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, bz); err != nil {
		panic(err)
	}
	h := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(h[:])
}

// FileHash is the hex SHA-256 of a genesis file's bytes, exactly as on disk: what `genesis hash`
// prints and every operator compares (the same as `sha256sum FILE`).
func FileHash(bz []byte) string {
	h := sha256.Sum256(bz)
	return hex.EncodeToString(h[:])
}

// loadedStatement is a statement with the file it came from.
type loadedStatement struct {
	file string
	Statement
}

// readStatements reads every *.json in dir, sorted by name; a file that is not a statement (bad
// JSON, unknown fields) is a problem named by its file.
func readStatements(dir string) ([]loadedStatement, []problem, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	var out []loadedStatement
	var ps []problem
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		bz, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, err
		}
		var s Statement
		dec := json.NewDecoder(bytes.NewReader(bz))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			ps = append(ps, problem{path, fmt.Sprintf("not a validator statement: %v", err)})
			continue
		}
		out = append(out, loadedStatement{path, s})
	}
	if len(out) == 0 && len(ps) == 0 {
		ps = append(ps, problem{dir, "holds no statements (*.json written by `commonsd genesis gentx`)"})
	}
	return out, ps, nil
}

// checkStatements checks each statement and the set: no validator key, moniker or node id twice,
// at most gov.MaxValidators. Problems name the file and the field.
func checkStatements(stmts []loadedStatement, chainID, draftHash string) []problem {
	var ps []problem
	keys, monikers, nodes := map[string]string{}, map[string]string{}, map[string]string{}
	for _, s := range stmts {
		for _, p := range s.Check(chainID, draftHash) {
			ps = append(ps, problem{s.file + ": " + p.field, p.msg})
		}
		if other, dup := keys[s.PubKey]; dup {
			ps = append(ps, problem{s.file + ": pub_key", fmt.Sprintf("the same validator key as %s: one key is one validator (running it twice is double signing)", other)})
		} else {
			keys[s.PubKey] = s.file
		}
		if other, dup := monikers[s.Moniker]; dup {
			ps = append(ps, problem{s.file + ": moniker", fmt.Sprintf("%q is also %s's moniker", s.Moniker, other)})
		} else {
			monikers[s.Moniker] = s.file
		}
		if other, dup := nodes[s.NodeID]; dup && s.NodeID != "" {
			ps = append(ps, problem{s.file + ": node_id", fmt.Sprintf("the same node as %s", other)})
		} else {
			nodes[s.NodeID] = s.file
		}
	}
	if len(stmts) > gov.MaxValidators {
		ps = append(ps, problem{"statements", fmt.Sprintf("%d, more than %d validators", len(stmts), gov.MaxValidators)})
	}
	return ps
}

// validatorsOf are the genesis validators the statements declare, sorted by moniker.
func validatorsOf(stmts []loadedStatement) []cmttypes.GenesisValidator {
	vals := make([]cmttypes.GenesisValidator, 0, len(stmts))
	for _, s := range stmts {
		pk := ed25519.PubKey(s.ConsensusKey())
		vals = append(vals, cmttypes.GenesisValidator{Address: pk.Address(), PubKey: pk, Power: s.Power, Name: s.Moniker})
	}
	slices.SortFunc(vals, func(a, b cmttypes.GenesisValidator) int { return strings.Compare(a.Name, b.Name) })
	return vals
}

func sameValidators(a, b []cmttypes.GenesisValidator) bool {
	return slices.EqualFunc(a, b, func(x, y cmttypes.GenesisValidator) bool {
		return x.PubKey.Equals(y.PubKey) && x.Power == y.Power && x.Name == y.Name
	})
}

// checkGenesis lists every problem of a genesis: chain id, validators (none yet is one problem),
// each module's params, founders (at least members.params.vouches_to_join, handles and addresses
// once each), then anything else app_state's own validation refuses. stmts, when given, must be
// exactly the genesis validators and each must hold up (checkStatements).
func checkGenesis(doc *cmttypes.GenesisDoc, stmts []loadedStatement) []problem {
	var ps []problem
	add := func(field, f string, a ...any) { ps = append(ps, problem{field, fmt.Sprintf(f, a...)}) }
	if doc.ChainID == "" {
		add("chain_id", "empty")
	}
	if len(doc.Validators) == 0 {
		add("validators", "none yet: each operator runs `commonsd genesis gentx`, then one runs `commonsd genesis collect DIR`")
	}
	seenKey, seenName := map[string]int{}, map[string]int{}
	for i, v := range doc.Validators {
		f := fmt.Sprintf("validators[%d]", i)
		if _, ok := v.PubKey.(ed25519.PubKey); !ok || len(v.PubKey.Bytes()) != ed25519.PubKeySize {
			add(f+".pub_key", "not a 32-byte ed25519 key")
			continue
		}
		if v.Power < 1 || v.Power > gov.MaxValidatorPower {
			add(f+".power", "%d; give 1 to %d", v.Power, gov.MaxValidatorPower)
		}
		if j, dup := seenKey[string(v.PubKey.Bytes())]; dup {
			add(f+".pub_key", "the same validator key as validators[%d]", j)
		}
		seenKey[string(v.PubKey.Bytes())] = i
		if j, dup := seenName[v.Name]; dup {
			add(f+".name", "%q is also validators[%d]'s name", v.Name, j)
		}
		seenName[v.Name] = i
	}
	g, err := app.ParseGenesis(doc.AppState)
	if g == nil {
		add("app_state", "%v", err)
		return ps
	}
	before := len(ps)
	if g.Bank == nil || g.Members == nil || g.Claims == nil || g.Disputes == nil || g.Gov == nil ||
		g.Bank.Params == nil || g.Members.Params == nil || g.Claims.Params == nil || g.Disputes.Params == nil || g.Gov.Params == nil {
		add("app_state", "%v", g.Validate())
		return ps
	}
	for _, m := range []struct {
		name string
		err  error
	}{{"bank", g.Bank.Params.Validate()}, {"members", g.Members.Params.Validate()}, {"claims", g.Claims.Params.Validate()},
		{"disputes", g.Disputes.Params.Validate()}, {"gov", g.Gov.Params.Validate()}} {
		if m.err != nil {
			add("app_state."+m.name+".params", "%v", m.err)
		}
	}
	founders := 0
	addrs, handles := map[string]int{}, map[string]int{}
	for i, m := range g.Members.Members {
		f := fmt.Sprintf("app_state.members.members[%d]", i)
		if m == nil {
			add(f, "empty")
			continue
		}
		if m.Status == members.MemberStatus_MEMBER_STATUS_UNSPECIFIED || m.Status == members.MemberStatus_MEMBER_STATUS_ACTIVE {
			founders++
		}
		if addr, err := core.ParseAddress(m.Address); err != nil {
			add(f+".address", "%v", err)
		} else if j, dup := addrs[addr.String()]; dup {
			add(f+".address", "%s is also members[%d]", m.Address, j)
		} else {
			addrs[addr.String()] = i
		}
		if err := members.ValidateHandle(m.Handle); err != nil {
			add(f+".handle", "%v", err)
		} else if j, dup := handles[m.Handle]; dup {
			add(f+".handle", "%q is also members[%d]'s handle", m.Handle, j)
		} else {
			handles[m.Handle] = i
		}
	}
	if need := g.Members.Params.VouchesToJoin; uint64(founders) < uint64(need) {
		add("app_state.members.members", "%d founding members, fewer than app_state.members.params.vouches_to_join (%d): nobody could ever be vouched in; add founders with `commonsd genesis add-founder`",
			founders, need)
	}
	if len(ps) == before {
		if err := g.Validate(); err != nil {
			add("app_state", "%v", err)
		}
	}
	if stmts != nil {
		ps = append(ps, checkStatements(stmts, doc.ChainID, DraftHash(doc))...)
		want := validatorsOf(stmts)
		for _, v := range want {
			i := slices.IndexFunc(doc.Validators, func(x cmttypes.GenesisValidator) bool { return x.PubKey.Equals(v.PubKey) })
			switch {
			case i < 0:
				add("validators", "lacks %s's key %s (a statement declares it; run `commonsd genesis collect`)", v.Name, base64.StdEncoding.EncodeToString(v.PubKey.Bytes()))
			case doc.Validators[i].Power != v.Power || doc.Validators[i].Name != v.Name:
				add(fmt.Sprintf("validators[%d]", i), "%q with power %d, but its statement says %q with power %d",
					doc.Validators[i].Name, doc.Validators[i].Power, v.Name, v.Power)
			}
		}
		for i, v := range doc.Validators {
			if !slices.ContainsFunc(want, func(x cmttypes.GenesisValidator) bool { return x.PubKey.Equals(v.PubKey) }) {
				add(fmt.Sprintf("validators[%d]", i), "%q has no statement in the gentx directory", v.Name)
			}
		}
	}
	return ps
}
