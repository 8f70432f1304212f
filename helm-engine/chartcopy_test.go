package main

import (
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
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
		state := &commandState{}
		var wg sync.WaitGroup
		for round := 0; round < 3; round++ {
			for i, set := range sets {
				check := func() {
					want, wantErr := renderWith(helm.Render, loader.Load, path, set)
					again, _ := renderWith(helm.Render, loader.Load, path, set)
					got, gotErr := renderWith(helm.Render, state.loadChart, path, set)
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
		kept := state.charts.get(path, func() loadedChart { t.Fatal("the chart was not kept"); return loadedChart{} })
		sameChart(t, name, kept.chart, fresh)
	}
}

// sameChart fails t unless chart kept is as loaded (fresh: loaded again), subcharts and all:
// nothing a render changes has been changed in it. Subcharts are compared by name, since Helm's
// loader adds them in a map's order.
func sameChart(t *testing.T, where string, kept, fresh *chart.Chart) {
	t.Helper()
	for _, field := range []string{"Metadata", "Values", "Templates", "Files", "Raw", "Schema", "Lock"} {
		if !reflect.DeepEqual(reflect.ValueOf(*kept).FieldByName(field).Interface(), reflect.ValueOf(*fresh).FieldByName(field).Interface()) {
			t.Errorf("%s: the chart loaded once has another %s than when loaded (a render changed it)", where, field)
		}
	}
	subcharts := map[string]*chart.Chart{}
	for _, sub := range fresh.Dependencies() {
		subcharts[sub.Name()] = sub
	}
	if len(kept.Dependencies()) != len(subcharts) {
		t.Errorf("%s: %d subcharts, %d when loaded", where, len(kept.Dependencies()), len(subcharts))
	}
	for _, sub := range kept.Dependencies() {
		if sub.Parent() != kept {
			t.Errorf("%s: subchart %s has another parent than the chart loaded once", where, sub.Name())
		}
		if loaded, ok := subcharts[sub.Name()]; !ok {
			t.Errorf("%s: subchart %s was not loaded", where, sub.Name())
		} else {
			sameChart(t, where+"/"+sub.Name(), sub, loaded)
		}
	}
}
