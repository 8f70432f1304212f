package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	helm "helm.sh/helm/v3/pkg/engine"

	"k3sbox.dev/helmengine/engine"
)

// The engine k3sbox renders with is a copy of Helm's that shares parse trees between renders
// (engine/doc.go). Here it renders the real-world charts of shared/charts (the corpus the
// integration tests use) with several values sets, several renders at once, each twice, and must
// give exactly what Helm's own engine gives: the same files and text, or the same error.
func TestForkedEngineRendersAsHelms(t *testing.T) {
	dir := unpackCorpus(t)
	sets := map[string][]map[string]interface{}{
		// Sets that turn subcharts and template branches on and off, so the renders of one
		// chart parse different sets of files.
		"kube-prometheus-stack": {
			{},
			{"grafana": map[string]interface{}{"enabled": false}},
			{"alertmanager": map[string]interface{}{"enabled": false}, "nodeExporter": map[string]interface{}{"enabled": false}},
		},
		"cert-manager": {{"crds": map[string]interface{}{"enabled": true}}, {}},
		"argo-cd":      {{}, {"redis-ha": map[string]interface{}{"enabled": true}}},
	}
	charts, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) < 8 {
		t.Fatalf("the corpus has %d charts, want 8", len(charts))
	}
	var wg sync.WaitGroup
	for _, c := range charts {
		valueSets := sets[c.Name()]
		if valueSets == nil {
			valueSets = []map[string]interface{}{{}}
		}
		for i, set := range valueSets {
			for round := 0; round < 2; round++ {
				wg.Add(1)
				go func(name string, i, round int, set map[string]interface{}) {
					defer wg.Done()
					want, wantErr := renderWith(helm.Render, loader.Load, filepath.Join(dir, name), set)
					again, _ := renderWith(helm.Render, loader.Load, filepath.Join(dir, name), set)
					got, gotErr := renderWith(engine.Render, loader.Load, filepath.Join(dir, name), set)
					sameRender(t, fmt.Sprintf("%s, values set %d, round %d", name, i, round), got, gotErr, want, again, wantErr)
				}(c.Name(), i, round, set)
			}
		}
	}
	wg.Wait()
}

// renderWith renders the chart at path (loaded by load) with values as `helm template` does (main.render's steps
// without a cluster), through render.
func renderWith(render func(*chart.Chart, chartutil.Values) (map[string]string, error), load func(string) (*chart.Chart, error), path string, values map[string]interface{}) (map[string]string, error) {
	chrt, err := load(path)
	if err != nil {
		return nil, err
	}
	if err := chartutil.ProcessDependenciesWithMerge(chrt, values); err != nil {
		return nil, err
	}
	options := chartutil.ReleaseOptions{Name: "release", Namespace: "default", Revision: 1, IsInstall: true}
	vals, err := chartutil.ToRenderValuesWithSchemaValidation(chrt, values, options, chartutil.DefaultCapabilities, false)
	if err != nil {
		return nil, err
	}
	return render(chrt, vals)
}

// unpackCorpus unpacks shared/charts/realworld.tar.xz (or $K3SBOX_CORPUS's) into a folder of the
// test's; the integration tests use the same corpus.
func unpackCorpus(t *testing.T) string {
	corpus := os.Getenv("K3SBOX_CORPUS")
	if corpus == "" {
		corpus = filepath.Join("..", "..", "shared", "charts")
	}
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-xJf", filepath.Join(corpus, "realworld.tar.xz"), "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("unpacking the chart corpus (set K3SBOX_CORPUS to the shared/charts folder): %v: %s", err, out)
	}
	return dir
}

// sameRender fails t unless got (and gotErr) is Helm's render want (wantErr): the same files with
// the same text, but for those that Helm's engine itself renders differently each time (again, a
// second render: randAlphaNum's passwords, and checksums of them), where only the name is compared.
func sameRender(t *testing.T, where string, got map[string]string, gotErr error, want, again map[string]string, wantErr error) {
	t.Helper()
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Errorf("%s: error %v, Helm's %v", where, gotErr, wantErr)
	}
	if len(want) == 0 && wantErr == nil {
		t.Errorf("%s: Helm rendered nothing", where)
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d files, Helm's render %d", where, len(got), len(want))
	}
	random := 0
	for file, text := range want {
		if _, ok := got[file]; !ok {
			t.Errorf("%s: no %s, Helm's render has it", where, file)
		} else if again[file] != text {
			random++
		} else if got[file] != text {
			t.Errorf("%s: %s differs from Helm's render", where, file)
		}
	}
	if random > 3 {
		t.Errorf("%s: %d files differ between two of Helm's renders", where, random)
	}
}
