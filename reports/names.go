package reports

import "github.com/utilscore/utilscore/domain"

// The Chinese labels of codes are the domain's (one definition each); these short
// names keep the writers readable.
var (
	UtilityZH   = domain.UtilityZH
	AudienceZH  = domain.AudienceZH
	classZH     = domain.ClassZH
	areaZH      = domain.AreaZH
	statisticZH = domain.StatisticZH
	statusZH    = domain.StatusZH
	unitZH      = domain.UnitZH
)

func or(m map[string]string, k string) string { return domain.Or(m, k) }
