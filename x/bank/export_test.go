package bank

// The key builders this package's external tests use to corrupt state on purpose. Outside
// x/bank nothing builds bank keys (app's TestModuleKeysStayInside).
var (
	AccountKey = accountKey
	BucketKey  = bucketKey
)
