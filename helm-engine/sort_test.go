package main

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/releaseutil"
)

// sortManifests must give what Helm's SortManifests gives, on any set of rendered files: Helm is
// the oracle. Random files mix known and unknown kinds, hooks with weights, several documents a
// file, partials and empty files; each set is sorted twice, so that the second pass is served from
// the kept per-file results, as a matrix's later renders are.
func TestSortManifestsAsHelmDoes(t *testing.T) {
	kinds := []string{"Deployment", "Service", "ConfigMap", "Namespace", "CustomResourceDefinition",
		"ServiceAccount", "Job", "Secret", "Prometheus", "ServiceMonitor", "Alertmanager", "Role",
		"RoleBinding", "ClusterRole", "APIService", "PodDisruptionBudget"}
	hooks := []string{"", "", "", "pre-install", "post-install", "test", "pre-install,pre-upgrade"}
	for seed := int64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewSource(seed))
		files := map[string]string{}
		for f := 0; f < 1+r.Intn(12); f++ {
			name := fmt.Sprintf("chart/templates/%c%d.yaml", "abc_"[r.Intn(4)], r.Intn(30))
			var docs []string
			for d := 0; d < r.Intn(4); d++ {
				doc := fmt.Sprintf("apiVersion: v1\nkind: %s\nmetadata:\n  name: o%d-%d\n", kinds[r.Intn(len(kinds))], f, d)
				if h := hooks[r.Intn(len(hooks))]; h != "" {
					doc += fmt.Sprintf("  annotations:\n    helm.sh/hook: %s\n    helm.sh/hook-weight: \"%d\"\n", h, r.Intn(5)-2)
				}
				docs = append(docs, doc)
			}
			files[name] = strings.Join(docs, "---\n")
		}
		wantHooks, wantManifests, wantErr := releaseutil.SortManifests(files, nil, releaseutil.InstallOrder)
		for pass := 1; pass <= 2; pass++ {
			gotHooks, gotManifests, gotErr := sortManifests(files)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("seed %d pass %d: error %v, Helm's %v", seed, pass, gotErr, wantErr)
			}
			if len(wantHooks) == 0 && len(gotHooks) == 0 && len(wantManifests) == 0 && len(gotManifests) == 0 {
				continue
			}
			if !reflect.DeepEqual(gotHooks, wantHooks) || !reflect.DeepEqual(gotManifests, wantManifests) {
				t.Fatalf("seed %d pass %d: order differs from Helm's\n got %s\nwant %s", seed, pass,
					names(gotHooks, gotManifests), names(wantHooks, wantManifests))
			}
		}
	}
}

func TestSortManifestsReportsAFilesYamlErrorAsHelmDoes(t *testing.T) {
	files := map[string]string{
		"c/templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"c/templates/b.yaml": "apiVersion: v1\nkind: [\n",
	}
	_, _, want := releaseutil.SortManifests(files, nil, releaseutil.InstallOrder)
	_, _, got := sortManifests(files)
	if want == nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("error %v, Helm's %v", got, want)
	}
}

func names(hooks interface{}, manifests []releaseutil.Manifest) string {
	var out []string
	for _, m := range manifests {
		out = append(out, m.Name+":"+m.Head.Kind+"/"+m.Head.Metadata.Name)
	}
	return fmt.Sprintf("hooks %v manifests %v", hooks, out)
}
