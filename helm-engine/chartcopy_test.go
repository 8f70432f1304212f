package main

import (
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"helm.sh/helm/v3/pkg/chart/loader"
	helm "helm.sh/helm/v3/pkg/engine"
)

// Charts loaded once (loadChart) render as charts loaded for each render: kube-prometheus-stack and
// argo-cd with values sets that drop subcharts, one after another and several at once; and the
// loaded chart is left as it was loaded.
func TestChartsLoadedOnceRenderAsChartsLoadedEachTime(t *testing.T) {
	dir := unpackCorpus(t)
	sets := []map[string]interface{}{
		{"grafana": map[string]interface{}{"enabled": false}},
		{},
		{"alertmanager": map[string]interface{}{"enabled": false}, "kube-state-metrics": map[string]interface{}{"enabled": false}},
		{"redis-ha": map[string]interface{}{"enabled": true}, "redis": map[string]interface{}{"enabled": false}},
	}
	for _, name := range []string{"kube-prometheus-stack", "argo-cd"} {
		path := filepath.Join(dir, name)
		var wg sync.WaitGroup
		for round := 0; round < 3; round++ {
			for i, set := range sets {
				check := func() {
					want, wantErr := renderWith(helm.Render, loader.Load, path, set)
					again, _ := renderWith(helm.Render, loader.Load, path, set)
					got, gotErr := renderWith(helm.Render, loadChart, path, set)
					sameRender(t, fmt.Sprintf("%s, values set %d, round %d", name, i, round), got, gotErr, want, again, wantErr)
				}
				if round == 0 {
					check() // one after another: each render after others changed their copies
				} else {
					wg.Add(1)
					go func() { defer wg.Done(); check() }()
				}
			}
		}
		wg.Wait()
		fresh, err := loader.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		entry, _ := loadedCharts.Load(path)
		if kept := entry.(*loadedChart).chart; !reflect.DeepEqual(kept, fresh) {
			t.Errorf("%s: the chart loaded once was changed by the renders", name)
		}
	}
}
