// Package projects is shared value accounting (design §9, Sensorica's open value network). A
// project has a handle, stewards and an account whose address is derived from the project's id
// (AccountAddress), so that no key can sign for it and anyone may pay into it with an ordinary
// transfer. Members tag their claims with a project; a steward's distribution splits the account's
// whole balance among the claimants of the project's VERIFIED claims verified in a period, in
// proportion to their hours, exactly in integers (Split: largest remainder, ties by address). A
// period is distributed at most once. The same split in parts per million is queryable for
// revenue earned outside the chain.
//
// The index of claims by project belongs to x/claims (it indexes claims' records) and is read
// through the Claims interface; projects never scans claims.
package projects
