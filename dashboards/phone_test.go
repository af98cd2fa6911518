package dashboards

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/reports"
)

// viewLabels counts the category labels ECharts draws on a chart's category axis.
const viewLabels = `(function (id, axis) {
  var chart = echarts.getInstanceByDom(document.getElementById(id));
  return chart.getModel().getComponent(axis, 0).axis.getViewLabels().length;
})`

// At a phone's width (390 px) every district of the ranking and every category of a
// public rate chart is labelled, and the public chart's hidden districts are bands
// labelled <5.
func TestLabelsAtPhoneWidth(t *testing.T) {
	chromium := needChromium(t)
	d := publicData(t)
	for i, c := range []string{"510302", "510303", "510304", "510311", "510321", "510322"} {
		if d.Districts[c] == "" {
			d.Districts[c] = []string{"", "", "", "沿滩区", "荣县", "富顺县"}[i]
		}
		d.Scores = append(d.Scores, policy.Score{Scope: "district", Key: c, Score: float64(70 + 3*i)})
	}
	dir := t.TempDir()
	for _, a := range []string{reports.Regulator, reports.Public} {
		if err := os.Mkdir(filepath.Join(dir, a), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := Write(filepath.Join(dir, a), a, d); err != nil {
			t.Fatal(err)
		}
	}
	b := openBrowser(t, chromium, "file://"+dir+"/")
	if err := chromedp.Run(b.ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	var ranking, service, bands int
	b.open(t, "file://"+filepath.Join(dir, reports.Regulator, "index.html"),
		chromedp.Evaluate(viewLabels+`('district_ranking', 'yAxis')`, &ranking))
	b.open(t, "file://"+filepath.Join(dir, reports.Public, "water.html"),
		chromedp.Evaluate(viewLabels+`('water_service', 'xAxis')`, &service),
		chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById('water_service')).getOption().series[0].markArea.data.filter(function (p) { return p[0].name === '<5'; }).length`, &bands))
	if ranking != 6 {
		t.Errorf("district ranking at 390 px: %d of 6 districts labelled", ranking)
	}
	if want := len(d.Districts) + 1; service != want {
		t.Errorf("water_service at 390 px: %d of %d categories labelled", service, want)
	}
	if bands != 2 {
		t.Errorf("water_service: %d bands labelled <5, want 2", bands)
	}
	for _, p := range b.takeProblems() {
		t.Error(p)
	}
}
