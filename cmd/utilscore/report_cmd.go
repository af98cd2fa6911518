package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/outfile"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/printout"
	"github.com/utilscore/utilscore/reports"
	"github.com/utilscore/utilscore/store"
)

const reportUsage = `--period PERIOD --audience regulator|utility|office|public [--utility U] [flags]

Writes the period's Excel workbook for an audience into --out: 总览 (the scorecard),
得分, one sheet per utility, 信息公开 (the disclosure table), 超期工单 (regulator and
utility), 数据质量 and 口径说明. The public workbook holds aggregates only, with groups
of fewer than 5 records shown as <5. For the utility audience without --utility, one
workbook per utility is written.

Beside each workbook it writes the printable quarterly report (…_水电气网营商环境季度报告_….html,
with assets/print.css): headline figures, the targets in words, charts, the
disclosure table and the missed targets, styled for A4. With --pdf each is also
printed to PDF by headless Chromium (UTILSCORE_CHROMIUM, else chromium on the PATH);
without a Chromium, --pdf refuses before writing anything.`

func runReport(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("report", reportUsage, errOut)
	var db dbFlags
	db.register(fs)
	db.registerLake(fs)
	period := fs.String("period", "", "quarter (2024Q3), year (2024) or month (2024-07)")
	audience := fs.String("audience", "", "regulator, utility, office or public; empty: all four")
	utility := fs.String("utility", "", "the utility of a utility workbook")
	profileName := fs.String("profile", "district-wpgt", "policy profile: a built-in id or a YAML file")
	outDir := fs.String("out", ".", "folder to write the workbooks into")
	pdf := fs.Bool("pdf", false, "also print each printable report to PDF with headless Chromium")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkAudience(*audience, true); err != nil {
		return err
	}
	chromium := ""
	if *pdf {
		var err error
		if chromium, err = printout.FindChromium(); err != nil {
			return err
		}
		if err := printout.CheckChineseFont(); err != nil {
			return err
		}
	}
	written := reports.Audiences
	if *audience != "" {
		written = []string{*audience}
	}
	store, p, prof, err := db.openPeriodProfile(ctx, errOut, scope{period: *period, utility: *utility, need: anyRecords}, *profileName)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := os.MkdirAll(*outDir, outfile.DirMode); err != nil {
		return err
	}
	prog := newProgress(errOut)
	paths, err := writeReports(ctx, store, p, prof, written, *utility, *outDir, prog)
	if err == nil && *pdf {
		prog.step(p.Label, "打印PDF", 0, 0)
		var pdfs []string
		pdfs, err = printout.PDF(ctx, chromium, slices.DeleteFunc(slices.Clone(paths), func(s string) bool { return !strings.HasSuffix(s, ".html") })...)
		paths = append(paths, pdfs...)
	}
	prog.done()
	for _, path := range paths {
		fmt.Fprintln(out, path)
	}
	return err
}

// collect gathers everything the period's workbooks and pages show.
func collect(ctx context.Context, db *store.DB, p metrics.Period, prof *policy.Profile) (_ *reports.Data, err error) {
	defer wrap(&err, "gather the figures of %s", p.Label)
	return reports.Collect(ctx, db.DB, p, prof)
}

// writeReports gathers the period's data once and writes each audience's workbook;
// the utility audience gets one workbook per utility unless one is named. prog shows
// the step, workbook and sheet under way.
func writeReports(ctx context.Context, store *store.DB, p metrics.Period, prof *policy.Profile, audiences []string, utility, dir string, prog *progress) ([]string, error) {
	prog.step(p.Label, "计算指标", 0, 0)
	data, err := collect(ctx, store, p, prof)
	if err != nil {
		return nil, err
	}
	defer data.Close()
	data.Progress = prog.step
	var paths []string
	for _, a := range audiences {
		utilities := []string{""}
		if a == reports.Utility {
			if utilities, err = store.Utilities(ctx); err != nil {
				return nil, err
			}
			if utility != "" {
				utilities = []string{utility}
			}
		}
		for _, u := range utilities {
			path, err := reports.Write(dir, a, u, data)
			if err != nil {
				return paths, err
			}
			paths = append(paths, path)
			if path, err = printout.Write(dir, a, u, data); err != nil {
				return paths, err
			}
			paths = append(paths, path)
		}
	}
	return paths, nil
}
