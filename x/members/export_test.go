package members

// ByStatusKey is for this package's external tests, which corrupt an index on purpose. Outside
// x/members nothing builds members keys (app's TestModuleKeysStayInside).
var (
	ByStatusKey = byStatusKey
	VouchedKey  = vouchedKey
)
