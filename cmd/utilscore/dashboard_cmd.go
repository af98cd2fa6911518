package main

import (
	"context"
	"fmt"
	"io"

	"github.com/utilscore/utilscore/dashboards"
	"github.com/utilscore/utilscore/reports"
)

const dashboardUsage = `--period PERIOD [--audience regulator|utility|office|public] [flags]

Writes the period's static chart pages into --out: index.html (every utility's
headline figures and score, the district ranking, links to workbooks in the same
folder) and a page per utility. The ECharts script is copied into the folder: the
pages load nothing from outside it and work opened from disk.`

func runDashboard(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("dashboard", dashboardUsage, errOut)
	var db dbFlags
	db.register(fs)
	period := fs.String("period", "", "quarter (2024Q3), year (2024) or month (2024-07)")
	audience := fs.String("audience", reports.Regulator, "regulator, utility, office or public")
	profileName := fs.String("profile", "district-wpgt", "policy profile: a built-in id or a YAML file")
	outDir := fs.String("out", "site", "folder to write the pages into")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkAudience(*audience, false); err != nil {
		return err
	}
	store, p, prof, err := db.openPeriodProfile(ctx, errOut, scope{period: *period, need: anyRecords}, *profileName)
	if err != nil {
		return err
	}
	defer store.Close()
	prog := newProgress(errOut)
	prog.step(reports.AudienceZH[*audience], "图表页面", 0, 0)
	data, err := collect(ctx, store, p, prof)
	if err != nil {
		prog.done()
		return err
	}
	defer data.Close()
	paths, err := dashboards.Write(*outDir, *audience, data)
	prog.done()
	for _, path := range paths {
		fmt.Fprintln(out, path)
	}
	return err
}
