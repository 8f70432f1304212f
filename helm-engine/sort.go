package main

import (
	"sort"

	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/releaseutil"
)

// sortManifests is releaseutil.SortManifests(files, nil, InstallOrder), with each file's share of
// the work done once per --serve engine. SortManifests splits every rendered file with a regular
// expression and parses each document's head as YAML: ~23% of the engine's CPU over a matrix's
// dozen renders of kube-prometheus-stack (pprof), where almost every file comes out the same in
// every cell. Here each file goes through SortManifests alone, its result kept by path and text;
// the files' results are joined in path order, as SortManifests visits them, and stably sorted by
// kind once more, as its last step does. Each file's own result is already stably sorted by kind,
// so the order is the one SortManifests gives (TestSortManifestsAsHelmDoes compares them).
func sortManifests(files map[string]string) ([]*release.Hook, []releaseutil.Manifest, error) {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var hooks []*release.Hook
	var manifests []releaseutil.Manifest
	for _, p := range paths {
		f := sortedFileOf(p, files[p])
		if f.err != nil {
			return nil, nil, f.err
		}
		hooks = append(hooks, f.hooks...)
		manifests = append(manifests, f.manifests...)
	}
	// As releaseutil's lessByKind (kind_sorter.go, Helm v3.21): kinds in InstallOrder's order,
	// unknown kinds after them alphabetically; equal ones keep their order (the sort is stable).
	rank := make(map[string]int, len(releaseutil.InstallOrder))
	for i, kind := range releaseutil.InstallOrder {
		rank[kind] = i
	}
	less := func(a, b string) bool {
		first, aok := rank[a]
		second, bok := rank[b]
		if !aok || !bok {
			return aok || (!bok && a < b)
		}
		return first < second
	}
	sort.SliceStable(hooks, func(i, j int) bool { return less(hooks[i].Kind, hooks[j].Kind) })
	sort.SliceStable(manifests, func(i, j int) bool {
		return less(manifests[i].Head.Kind, manifests[j].Head.Kind)
	})
	return hooks, manifests, nil
}

// sortedFile is SortManifests' result for one file. Shared by the renders that produce the same
// file: read-only from then on.
type sortedFile struct {
	hooks     []*release.Hook
	manifests []releaseutil.Manifest
	err       error
}

// sortedFiles: each file's sortedFile by its path and text.
var sortedFiles memo[fileKey, sortedFile]

type fileKey struct{ path, content string }

func sortedFileOf(path, content string) sortedFile {
	return sortedFiles.get(fileKey{path, content}, func() sortedFile {
		hooks, manifests, err := releaseutil.SortManifests(
			map[string]string{path: content}, nil, releaseutil.InstallOrder)
		return sortedFile{hooks, manifests, err}
	})
}
