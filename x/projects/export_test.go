package projects

// The key builders this package's external tests use to corrupt stored state on purpose. Outside
// x/projects nothing builds projects keys (app's TestModuleKeysStayInside).
var (
	ProjectKey      = projectKey
	HandleKey       = handleKey
	DistributionKey = distributionKey
	PeriodKey       = periodKey
)
