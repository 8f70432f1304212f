package main

import (
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
)

type loadedChart struct {
	chart *chart.Chart
	err   error
}

// loadChart is loader.Load(path), once per command (see commandState), each caller given a copy
// of its own (see copyChart). A matrix renders one chart a dozen times; loading
// kube-prometheus-stack (its files read, its YAML parsed, and its subcharts') was 15% of those
// renders' CPU. Every render of the command then sees the chart as it was at the first, even
// when its files change meanwhile; the next command reads them again.
func (state *commandState) loadChart(path string) (*chart.Chart, error) {
	loaded := state.charts.get(path, func() loadedChart {
		c, err := loader.Load(path)
		return loadedChart{c, err}
	})
	if loaded.err != nil {
		return nil, loaded.err
	}
	return copyChart(loaded.chart), nil
}

// copyChart copies what a render changes of a loaded chart, and shares the rest. Helm's
// chartutil.ProcessDependenciesWithMerge (disabled subcharts dropped, aliases, import-values)
// sets each chart's subcharts, its Metadata.Dependencies and their fields, and its Values (a new
// map: the old one is only read, as coalescing copies it first). Templates, files, schema and
// the values' maps are only read, by every render at once.
func copyChart(c *chart.Chart) *chart.Chart {
	out := *c
	metadata := *c.Metadata
	if c.Metadata.Dependencies != nil {
		metadata.Dependencies = make([]*chart.Dependency, len(c.Metadata.Dependencies))
		for i, d := range c.Metadata.Dependencies {
			dependency := *d
			metadata.Dependencies[i] = &dependency
		}
	}
	out.Metadata = &metadata
	subcharts := make([]*chart.Chart, 0, len(c.Dependencies()))
	for _, sub := range c.Dependencies() {
		subcharts = append(subcharts, copyChart(sub))
	}
	out.SetDependencies(subcharts...) // each copy's parent is out
	return &out
}
