package auth_test

import (
	"crypto/sha256"
	"fmt"

	"github.com/cometbft/cometbft/crypto/ed25519"

	"github.com/commonsledger/commons/x/auth"
	"github.com/commonsledger/commons/x/bank"
	"github.com/commonsledger/commons/x/core"
)

// A client builds a TxBody (chain id, the sender's next sequence, messages), signs it with Sign
// and broadcasts the bytes. A node reads them with Decode, which runs every check that needs no
// state, and then VerifySignature. The signer's address comes from the public key in the tx.
func ExampleSign() {
	seed := sha256.Sum256([]byte("example/alice"))
	alice := ed25519.GenPrivKeyFromSecret(seed[:])
	seed = sha256.Sum256([]byte("example/bob"))
	bob := core.AddressFromPubKey(ed25519.GenPrivKeyFromSecret(seed[:]).PubKey().Bytes())

	raw, err := auth.Sign(alice, &auth.TxBody{ChainId: "commons-1", Sequence: 0, Memo: "for the bike repair",
		Msgs: []*auth.Msg{{Sum: &auth.Msg_Transfer{Transfer: &bank.MsgTransfer{To: bob.String(), Amount: 2_500_000}}}}})
	if err != nil {
		panic(err)
	}

	tx, err := auth.Decode(raw)
	if err != nil {
		panic(err)
	}
	fmt.Println("signer:", tx.Signer)
	fmt.Println("signature valid:", tx.VerifySignature() == nil)
	fmt.Printf("%s, sequence %d, %q\n", tx.Body.ChainId, tx.Body.Sequence, tx.Body.Memo)
	for _, m := range tx.Body.Msgs {
		t := m.GetTransfer()
		fmt.Println(auth.MsgName(m), core.FormatAmount(t.Amount), "to", t.To)
	}

	// Changing a signed byte breaks the signature.
	tx.Tx.BodyBytes[len(tx.Tx.BodyBytes)-1] ^= 1
	fmt.Println(tx.VerifySignature())
	// Output:
	// signer: commons1545mkk55u6f9e6r2nwq8med2luk9s0kxjgdhen
	// signature valid: true
	// commons-1, sequence 0, "for the bike repair"
	// transfer 2.5 hours to commons1nv58akc76vpya32ucahwhsr0qe48x53m34e5cv
	// signature verification failed: signature does not match body and key of commons1545mkk55u6f9e6r2nwq8med2luk9s0kxjgdhen; re-sign the tx with that key
}
