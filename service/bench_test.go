package service

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/utilscore/utilscore/dashboards"
)

// BenchmarkServeDashboards loads the served pages on loopback: eight clients share a
// bounded number of requests (at most 20 000, at most 10 seconds) over the index
// page, a utility page and the ECharts script; it reports requests per second and the
// 99th-percentile latency.
func BenchmarkServeDashboards(b *testing.B) {
	output := b.TempDir()
	if _, err := Publish(output, "2024Q4", func(dir string) error {
		// A site of realistic size: the pages are small, the script is 1.1 MB.
		os.MkdirAll(filepath.Join(dir, "assets"), 0o755)
		os.WriteFile(filepath.Join(dir, "index.html"), make([]byte, 12_000), 0o644)
		os.WriteFile(filepath.Join(dir, "power.html"), make([]byte, 40_000), 0o644)
		return os.WriteFile(filepath.Join(dir, "assets", "echarts.min.js"), dashboards.EChartsScript(), 0o644)
	}); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Output: output}).Handler()) // 127.0.0.1 only
	defer srv.Close()
	paths := []string{"/", "/power.html", "/assets/echarts.min.js"}
	const clients, maxRequests, maxTime = 8, 20_000, 10 * time.Second

	b.ResetTimer()
	var rps, p99 float64
	for i := 0; i < b.N; i++ {
		var mu sync.Mutex
		var latencies []time.Duration
		next := make(chan string)
		go func() {
			defer close(next)
			deadline := time.Now().Add(maxTime)
			for n := 0; n < maxRequests && time.Now().Before(deadline); n++ {
				next <- paths[n%len(paths)]
			}
		}()
		start := time.Now()
		var wg sync.WaitGroup
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
				for p := range next {
					t0 := time.Now()
					resp, err := client.Get(srv.URL + p)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("GET %s = %d", p, resp.StatusCode)
					}
					mu.Lock()
					latencies = append(latencies, time.Since(t0))
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
		rps = float64(len(latencies)) / elapsed.Seconds()
		p99 = float64(latencies[len(latencies)*99/100].Microseconds()) / 1000
	}
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(p99, "p99-ms")
}
