package reports

import "github.com/utilscore/utilscore/metrics"

// PeriodZH names a period in Chinese (2024年第四季度), as the workbooks' titles do.
func PeriodZH(p metrics.Period) string { return periodZH(p) }
