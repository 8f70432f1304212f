// k3sbox-helm: Helm's own engine (helm.sh/helm/v3, the version helm-java embeds) behind one
// request, so that k3sbox renders a chart exactly as `helm install --dry-run=server` does against
// the target cluster: its Kubernetes version and served API versions in .Capabilities, `lookup`
// answered read-only by that cluster, hooks and tests included, CRDs of disabled subcharts left
// out, and chart references (directory, .tgz, URL, oci://, repo/name, --repo) resolved with
// dependencies fetched by Helm's own downloader.
//
// Helm's template engine is engine/, a copy of Helm's pkg/engine that parses each template file
// once per process, and a chart is loaded once per command (chartcopy.go): a matrix renders one
// chart a dozen times. A warm JVM keeps its engine from one command to the next (command.go).
//
// helm-java's template call returns the release manifest only (no hooks), renders with default
// capabilities and cannot take API versions; that is why this exists.
//
// Protocol: one JSON request on stdin, one JSON answer on stdout, exit 0. A refusal is an answer
// with "error" and "kind" (usage, render, cluster) and exit 3. With --serve (what k3sbox uses):
// requests one after another on stdin, each with an "id", rendered at once, each answered on a line
// of its own with its "id" as it finishes, until stdin ends. Anything Helm or client-go logs goes
// to stderr, which k3sbox shows only with --verbose.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/cli"
	"helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/downloader"
	"helm.sh/helm/v3/pkg/getter"
	"helm.sh/helm/v3/pkg/registry"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	"sigs.k8s.io/yaml"

	"k3sbox.dev/helmengine/engine"
)

type request struct {
	// ID: with --serve, what the answer carries back (requests are answered as they finish).
	ID      int64  `json:"id"`
	Chart   string `json:"chart"`
	Version string `json:"version"`
	Repo    string `json:"repo"`
	// PlainHTTP: reach an OCI registry over HTTP (helm's --plain-http); InsecureSkipTLSVerify: do
	// not check a repository's or registry's certificate (--insecure-skip-tls-verify).
	PlainHTTP             bool     `json:"plainHttp"`
	InsecureSkipTLSVerify bool     `json:"insecureSkipTlsVerify"`
	ValuesFiles           []string `json:"valuesFiles"`
	Set                   []string `json:"set"`
	SetString             []string `json:"setString"`
	Release               string   `json:"release"`
	Namespace             string   `json:"namespace"`
	KubeVersion           string   `json:"kubeVersion"`
	APIVersions           []string `json:"apiVersions"`
	// Kubeconfig empty: render offline, as `helm template` does (default capabilities, lookup
	// answers nothing).
	Kubeconfig string `json:"kubeconfig"`
	Context    string `json:"context"`
	// DependencyCache: where a chart folder with missing dependencies is copied and its
	// dependencies built, so that the user's chart folder is never written to.
	DependencyCache string `json:"dependencyCache"`
	// CrdsOnly: answer the CRDs of the crds/ folders the values enable, and render nothing: Helm's
	// install makes those before it asks the cluster what it serves and renders, so that the
	// templates see them (.Capabilities.APIVersions, lookup).
	CrdsOnly bool `json:"crdsOnly"`
	// Rediscover: ask the cluster what it serves again, not what an earlier render of this engine
	// found (k3sbox has just made CRDs there).
	Rediscover bool `json:"rediscover"`
	// Command: which command of the JVM the request is for (see commandState); 0 for all, from a
	// JVM that starts an engine for each command.
	Command int64 `json:"command"`
	// state: the command's, set as the request is read (in order: see stateOf).
	state *commandState
}

type answer struct {
	ID          int64  `json:"id"`
	ChartName   string `json:"chartName,omitempty"`
	ChartPath   string `json:"chartPath,omitempty"`
	KubeVersion string `json:"kubeVersion,omitempty"`
	// Crds and Manifest: the text `helm template --include-crds` prints, in pieces (see pieces).
	Crds     []piece `json:"crds"`
	Manifest []piece `json:"manifest"`
	// DependenciesFetched: the copy of the chart, under the dependency cache, in which the
	// dependencies its charts/ folder lacks were fetched.
	DependenciesFetched string `json:"dependenciesFetched,omitempty"`
	Error               string `json:"error,omitempty"`
	Kind                string `json:"kind,omitempty"`
	// Server: the API server a "cluster" failure is about.
	Server string `json:"server,omitempty"`
}

type failure struct {
	kind   string
	err    error
	server string
}

func (f failure) Error() string { return f.err.Error() }

func fail(kind string, format string, args ...interface{}) error {
	return failure{kind: kind, err: fmt.Errorf(format, args...)}
}

func main() {
	// client-go and Helm log through klog and the standard logger: to stderr, never stdout.
	klog.SetOutput(os.Stderr)
	klog.LogToStderr(true)
	if len(os.Args) == 2 && os.Args[1] == "--version" {
		fmt.Println(helmVersion())
		return
	}
	if len(os.Args) == 2 && os.Args[1] == "--serve" {
		serve()
		return
	}
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		reply(answer{Error: "bad request: " + err.Error(), Kind: "usage"}, 3)
	}
	req.state = stateOf(req.Command)
	a := answerTo(req)
	if a.Error != "" {
		reply(a, 3)
	}
	reply(a, 0)
}

// serve answers requests (JSON objects on stdin, each with an id) until stdin ends, each on one
// line of stdout as soon as it is rendered: one engine for every render of a k3sbox command. A
// matrix renders a dozen times, and what those renders share is then done once: the JSON of the
// documents that come out the same in every cell (kube-prometheus-stack's 5 MB of CRDs), the
// capabilities of each target cluster, and the start of the process.
func serve() {
	// A dozen renders of one chart allocate a lot and keep little: collect less often (the
	// collector took ~8% of a matrix's renders at Go's default of 100).
	debug.SetGCPercent(400)
	in := json.NewDecoder(bufio.NewReaderSize(os.Stdin, 1<<16))
	out := json.NewEncoder(os.Stdout)
	var writing sync.Mutex
	var pending sync.WaitGroup
	idle := newIdleRelease(2 * time.Second)
	for {
		var req request
		if err := in.Decode(&req); err != nil {
			break // stdin closed: the JVM is done (or gone)
		}
		req.state = stateOf(req.Command)
		pending.Add(1)
		idle.busy()
		go func(req request) {
			defer pending.Done()
			defer idle.done()
			a := answerTo(req)
			a.ID = req.ID
			writing.Lock()
			defer writing.Unlock()
			forget(a.Crds)
			forget(a.Manifest)
			_ = out.Encode(a)
		}(req)
	}
	pending.Wait()
}

// answerTo renders req, a failure as the answer's error and kind.
func answerTo(req request) answer {
	a, err := render(req)
	if err != nil {
		a = answer{Error: oneLine(err.Error()), Kind: "render"}
		if f, ok := err.(failure); ok {
			a.Kind, a.Server = f.kind, f.server
		}
	}
	return a
}

// helmVersion is the version of Helm's module this binary was built with, as `k3sbox version`
// shows it.
func helmVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == "helm.sh/helm/v3" {
				return m.Version
			}
		}
	}
	return "unknown"
}

func reply(a answer, code int) {
	_ = json.NewEncoder(os.Stdout).Encode(a)
	os.Exit(code)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

func render(req request) (answer, error) {
	settings := cli.New()
	settings.KubeConfig = req.Kubeconfig
	settings.KubeContext = req.Context
	if req.Namespace == "" {
		req.Namespace = "default"
	}
	settings.SetNamespace(req.Namespace)

	registryOptions := []registry.ClientOption{
		registry.ClientOptCredentialsFile(settings.RegistryConfig),
		registry.ClientOptWriter(os.Stderr),
	}
	if req.PlainHTTP {
		registryOptions = append(registryOptions, registry.ClientOptPlainHTTP())
	}
	registryClient, err := registry.NewClient(registryOptions...)
	if err != nil {
		return answer{}, fail("usage", "cannot use the registry configuration %s: %v", settings.RegistryConfig, err)
	}
	locate := action.NewInstall(&action.Configuration{})
	locate.SetRegistryClient(registryClient)
	locate.ChartPathOptions.Version = req.Version
	locate.ChartPathOptions.RepoURL = req.Repo
	locate.ChartPathOptions.PlainHTTP = req.PlainHTTP
	locate.ChartPathOptions.InsecureSkipTLSverify = req.InsecureSkipTLSVerify
	chartPath, err := locate.ChartPathOptions.LocateChart(req.Chart, settings)
	if err != nil {
		return answer{}, fail("usage", "chart %s not found: %v", req.Chart, err)
	}
	chrt, err := req.state.loadChart(chartPath)
	if err != nil {
		return answer{}, fail("usage", "chart %s cannot be loaded: %v", chartPath, err)
	}
	fetched := ""
	if deps := chrt.Metadata.Dependencies; deps != nil {
		if action.CheckDependencies(chrt, deps) != nil {
			chrt, chartPath, err = buildDependencies(chartPath, req, settings, registryClient)
			if err != nil {
				return answer{}, err
			}
			fetched = chartPath
		}
	}
	switch chrt.Metadata.Type {
	case "", "application":
	default:
		return answer{}, fail("usage", "%s charts are not installable; pass an application chart", chrt.Metadata.Type)
	}

	vals, err := (&values.Options{
		ValueFiles:   req.ValuesFiles,
		Values:       req.Set,
		StringValues: req.SetString,
	}).MergeValues(getter.All(settings))
	if err != nil {
		return answer{}, fail("usage", "%v", err)
	}

	if req.CrdsOnly {
		// As action.Install: disabled subcharts are dropped before their crds/ would be made.
		if err := chartutil.ProcessDependenciesWithMerge(chrt, vals); err != nil {
			return answer{}, err
		}
		return answer{
			ChartName:           chrt.Name(),
			ChartPath:           chartPath,
			DependenciesFetched: fetched,
			Crds:                pieces(crdsText(chrt)),
			Manifest:            []piece{},
		}, nil
	}

	caps, restConfig, err := capabilities(req, settings)
	if err != nil {
		return answer{}, err
	}
	if chrt.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(chrt.Metadata.KubeVersion, caps.KubeVersion.String()) {
		return answer{}, fail("render", "chart requires kubeVersion: %s which is incompatible with Kubernetes %s", chrt.Metadata.KubeVersion, caps.KubeVersion.String())
	}

	// As action.Install does: disabled subcharts (condition/tags) are dropped here, so neither
	// their templates nor their crds/ are rendered.
	if err := chartutil.ProcessDependenciesWithMerge(chrt, vals); err != nil {
		return answer{}, err
	}
	release := req.Release
	if release == "" {
		release = chrt.Name()
	}
	options := chartutil.ReleaseOptions{Name: release, Namespace: req.Namespace, Revision: 1, IsInstall: true}
	valuesToRender, err := chartutil.ToRenderValuesWithSchemaValidation(chrt, vals, options, caps, false)
	if err != nil {
		return answer{}, err
	}
	var files map[string]string
	if restConfig != nil {
		files, err = engine.New(restConfig).Render(chrt, valuesToRender)
	} else {
		var e engine.Engine
		files, err = e.Render(chrt, valuesToRender)
	}
	if err != nil {
		return answer{}, err
	}
	for name := range files {
		if strings.HasSuffix(name, "NOTES.txt") {
			delete(files, name)
		}
	}
	hooks, manifests, err := sortManifests(files)
	if err != nil {
		return answer{}, err
	}

	// The same text as `helm template --include-crds`: CRDs, the manifests in install order, then
	// the hooks (tests included).
	var manifest bytes.Buffer
	for _, m := range manifests {
		fmt.Fprintf(&manifest, "---\n# Source: %s\n%s\n", m.Name, m.Content)
	}
	for _, h := range hooks {
		fmt.Fprintf(&manifest, "---\n# Source: %s\n%s\n", h.Path, h.Manifest)
	}
	return answer{
		ChartName:           chrt.Name(),
		ChartPath:           chartPath,
		KubeVersion:         caps.KubeVersion.String(),
		DependenciesFetched: fetched,
		Crds:                pieces(crdsText(chrt)),
		Manifest:            pieces(manifest.String()),
	}, nil
}

// crdsText is the CRDs of chrt's crds/ folders as `helm template --include-crds` prints them.
func crdsText(chrt *chart.Chart) string {
	var crds bytes.Buffer
	for _, crd := range chrt.CRDObjects() {
		fmt.Fprintf(&crds, "---\n# Source: %s\n%s\n", crd.Filename, string(crd.File.Data))
	}
	return crds.String()
}

// piece is one document of a rendered text with the separator line before it: the pieces of a
// text, one after another, are the text. Key names the text (a digest); JSON is the document (the
// piece without its separator line) as Helm converts a manifest before it sends it
// (sigs.k8s.io/yaml: YAML 1.1, so `0644` is octal and `yes` true, as the install would see them):
// "null" for an empty document, "" where the strict conversion refuses it (duplicate keys, YAML
// that does not parse), and the Java parser then reads the text itself, to report it as it does.
// Why JSON at all: parsing kube-prometheus-stack's 5 MB of YAML in the JVM took 1.35 s, its JSON
// 0.08 s.
//
// Text and JSON are nil in a piece this process has already sent (see forget): a matrix renders a
// chart a dozen times, and sending kube-prometheus-stack's 5 MB of CRDs (twice: text and JSON)
// with each answer cost the JVM more time to read than the renders took.
type piece struct {
	Key  string  `json:"key"`
	Text *string `json:"text,omitempty"`
	JSON *string `json:"json,omitempty"`
}

// pieces splits text where k3sbox's Java side splits it (RenderedChart.Piece.split: before lines
// that are `---` and trailing blanks).
func pieces(text string) []piece {
	var out []piece
	start, line := 0, 0
	for {
		newline := strings.IndexByte(text[line:], '\n')
		end := len(text)
		if newline >= 0 {
			end = line + newline
		}
		if line > start && isSeparator(text[line:end]) {
			out = append(out, pieceOf(text[start:line]))
			start = line
		}
		if newline < 0 {
			break
		}
		line = end + 1
	}
	return append(out, pieceOf(text[start:]))
}

func pieceOf(text string) piece {
	j := toJSON(documentOf(text))
	return piece{Key: keyOf(text), Text: &text, JSON: &j}
}

// documentOf is a piece's document: the piece from the end of its separator line, if it has one.
func documentOf(text string) string {
	if nl := strings.IndexByte(text, '\n'); nl >= 0 && isSeparator(text[:nl]) {
		return text[nl:]
	} else if nl < 0 && isSeparator(text) {
		return ""
	}
	return text
}

// keyOf names a text within this process: two seeded 64-bit hashes. Not SHA-256: a matrix
// hashes its 8.8 MB of text a dozen times, and keys never leave the process and the JVM that
// reads its answers.
func keyOf(text string) string {
	return fmt.Sprintf("%016x%016x", maphash.String(keySeeds[0], text), maphash.String(keySeeds[1], text))
}

var keySeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// sent: the keys of the pieces this process has written whole (see piece). Read and changed only
// under serve's writing lock, so that an answer naming a piece comes after the one that carried it.
var sent = map[string]bool{}

// forget drops the text and JSON of the pieces already sent; the others are marked sent.
func forget(ps []piece) {
	for i := range ps {
		if sent[ps[i].Key] {
			ps[i].Text, ps[i].JSON = nil, nil
		} else {
			sent[ps[i].Key] = true
		}
	}
}

func isSeparator(line string) bool {
	return strings.HasPrefix(line, "---") && strings.TrimRight(line[3:], " \t\r\f\v") == ""
}

// documentJSON: each document's JSON by its text, for the renders of one --serve engine. One
// conversion a document even when renders ask for it at once: a matrix's renders start together,
// and each converting kube-prometheus-stack's 5 MB of CRDs itself was a quarter of their CPU.
var documentJSON memo[string, string]

func toJSON(document string) string {
	// The key cloned: document is a slice of the whole rendered manifest, which a kept key would
	// keep alive with it, a render's worth for each new document (a random password, an edit).
	if !documentJSON.has(document) {
		document = strings.Clone(document)
	}
	return documentJSON.get(document, func() string {
		if j, err := yaml.YAMLToJSONStrict([]byte(document)); err == nil {
			return string(j)
		}
		return ""
	})
}

// cluster: what capabilities found out about one target cluster, kept for the other renders of
// the command (a matrix renders three values sets for each server; see commandState). Within one
// k3sbox command the cluster's served APIs do not change but by k3sbox's own scratch CRDs, which
// versionSet leaves out anyway.
type cluster struct {
	config      *rest.Config
	version     chartutil.KubeVersion
	apiVersions chartutil.VersionSet
}

// capabilities are the target cluster's, as `helm install --dry-run=server` sees them: its
// version and every group/version and group/version/Kind it serves (installed CRDs included).
// With no kubeconfig, Helm's defaults as `helm template` has them. --kube-version and
// --api-versions override either.
func capabilities(req request, settings *cli.EnvSettings) (*chartutil.Capabilities, *rest.Config, error) {
	caps := chartutil.DefaultCapabilities.Copy()
	var restConfig *rest.Config
	if req.Kubeconfig != "" {
		key := clusterKey(req)
		if req.Rediscover {
			req.state.clusters.Delete(key)
		}
		c, err := req.state.clusterOf(key, settings)
		if err != nil {
			return nil, nil, err
		}
		caps.KubeVersion = c.version
		caps.APIVersions = append(chartutil.VersionSet{}, c.apiVersions...)
		restConfig = c.config
	}
	if req.KubeVersion != "" {
		kv, err := chartutil.ParseKubeVersion(req.KubeVersion)
		if err != nil {
			return nil, nil, fail("usage", "--kube-version '%s' is not a version; write it like v1.35.0", req.KubeVersion)
		}
		caps.KubeVersion = *kv
	}
	caps.APIVersions = append(caps.APIVersions, req.APIVersions...)
	return caps, restConfig, nil
}

// clusterKey names the cluster a render asks for: the kubeconfig's path, its context, and what
// the file says, since a server removed and made again under one name (an upgrade check's
// server, started afresh) keeps the kubeconfig's path but not its port or certificates.
func clusterKey(req request) string {
	text, _ := os.ReadFile(req.Kubeconfig) // unreadable: the discovery that follows says so
	return req.Kubeconfig + "\x00" + req.Context + "\x00" + keyOf(string(text))
}

// clusterOf is what the cluster at key (kubeconfig and context) serves, found once per command.
func (state *commandState) clusterOf(key string, settings *cli.EnvSettings) (cluster, error) {
	if known, ok := state.clusters.Load(key); ok {
		return known.(cluster), nil
	}
	lock, _ := state.discovering.LoadOrStore(key, &sync.Mutex{})
	lock.(*sync.Mutex).Lock()
	defer lock.(*sync.Mutex).Unlock()
	if known, ok := state.clusters.Load(key); ok {
		return known.(cluster), nil
	}
	restConfig, err := settings.RESTClientGetter().ToRESTConfig()
	if err != nil {
		return cluster{}, fail("usage", "kubeconfig %s cannot be used: %v", settings.KubeConfig, err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(restConfig)
	if err != nil {
		return cluster{}, unreachable(restConfig.Host, err)
	}
	sv, err := dc.ServerVersion()
	if err != nil {
		return cluster{}, unreachable(restConfig.Host, err)
	}
	apiVersions, err := versionSet(dc, restConfig)
	if err != nil {
		return cluster{}, unreachable(restConfig.Host, err)
	}
	c := cluster{
		config:      restConfig,
		version:     chartutil.KubeVersion{Version: sv.GitVersion, Major: sv.Major, Minor: sv.Minor},
		apiVersions: apiVersions,
	}
	state.clusters.Store(key, c)
	return c, nil
}

// buildDependencies fetches what Chart.yaml/Chart.lock name and charts/ lacks, as `helm
// dependency build` would, into a copy of the chart under the dependency cache: the user's chart
// folder is never written to, and the copy is reused while the chart's files are unchanged.
func buildDependencies(chartPath string, req request, settings *cli.EnvSettings, rc *registry.Client) (*chart.Chart, string, error) {
	info, err := os.Stat(chartPath)
	if err != nil || !info.IsDir() {
		return nil, "", fail("usage", "chart %s lacks dependencies and is not a folder k3sbox can build them in; run `helm dependency build` before packaging it", chartPath)
	}
	if req.DependencyCache == "" {
		return nil, "", fail("usage", "chart %s lacks dependencies: run `helm dependency build %s`", chartPath, chartPath)
	}
	digest, err := folderDigest(chartPath)
	if err != nil {
		return nil, "", fail("usage", "cannot read chart %s: %v", chartPath, err)
	}
	dest := filepath.Join(req.DependencyCache, filepath.Base(chartPath)+"-"+digest[:16])
	if chrt, err := loader.Load(dest); err == nil && action.CheckDependencies(chrt, chrt.Metadata.Dependencies) == nil {
		return chrt, dest, nil
	}
	// One fetch at a time for this chart: a matrix renders it a dozen times at once, and one
	// render's RemoveAll and Rename of dest would pull it from under another's Load. Whoever
	// waited finds the dependencies fetched.
	unlock, err := lockFile(dest + ".lock")
	if err != nil {
		return nil, "", fail("usage", "cannot lock %s: %v", dest+".lock", err)
	}
	defer unlock()
	if chrt, err := loader.Load(dest); err == nil && action.CheckDependencies(chrt, chrt.Metadata.Dependencies) == nil {
		return chrt, dest, nil
	}
	tmp := dest + ".tmp" + fmt.Sprint(os.Getpid())
	_ = os.RemoveAll(tmp)
	if err := copyFolder(chartPath, tmp); err != nil {
		return nil, "", fail("usage", "cannot copy chart %s into %s: %v", chartPath, req.DependencyCache, err)
	}
	if err := absoluteFileDependencies(tmp, chartPath); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, "", fail("usage", "cannot read the dependencies of chart %s: %v", chartPath, err)
	}
	fmt.Fprintf(os.Stderr, "k3sbox-helm: fetching the dependencies of %s into %s\n", chartPath, dest)
	manager := &downloader.Manager{
		Out:              os.Stderr,
		ChartPath:        tmp,
		Getters:          getter.All(settings),
		RegistryClient:   rc,
		RepositoryConfig: settings.RepositoryConfig,
		RepositoryCache:  settings.RepositoryCache,
	}
	if err := manager.Build(); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, "", fail("usage", "the dependencies of chart %s could not be fetched: %v", chartPath, err)
	}
	_ = os.RemoveAll(dest)
	if err := os.Rename(tmp, dest); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, "", fail("usage", "cannot keep the dependencies in %s: %v", dest, err)
	}
	chrt, err := loader.Load(dest)
	if err != nil {
		return nil, "", fail("usage", "chart %s with its dependencies cannot be loaded: %v", chartPath, err)
	}
	return chrt, dest, nil
}

// absoluteFileDependencies makes the copy's `file://../sub` dependencies point where they point
// from the original folder: Helm resolves them from the chart's own folder, which for the copy is
// the cache. Its Chart.lock then names other repositories than Chart.yaml, so it goes, and Helm
// resolves the dependencies from Chart.yaml as `helm dependency update` does.
func absoluteFileDependencies(copyPath, original string) error {
	file := filepath.Join(copyPath, "Chart.yaml")
	md, err := chartutil.LoadChartfile(file)
	if err != nil {
		return err
	}
	changed := false
	for _, d := range md.Dependencies {
		if !strings.HasPrefix(d.Repository, "file://") {
			continue
		}
		p := strings.TrimPrefix(d.Repository, "file://")
		if filepath.IsAbs(p) {
			continue
		}
		abs, err := filepath.Abs(filepath.Join(original, p))
		if err != nil {
			return err
		}
		d.Repository = "file://" + abs
		changed = true
	}
	if !changed {
		return nil
	}
	if err := chartutil.SaveChartfile(file, md); err != nil {
		return err
	}
	for _, lock := range []string{"Chart.lock", "requirements.lock"} {
		_ = os.Remove(filepath.Join(copyPath, lock))
	}
	return nil
}

// lockFile takes an exclusive lock on path (made if missing) between processes; the lock goes with
// the process, so a killed render never leaves it held.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func folderDigest(root string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "%s\x00", path.Clean(filepath.ToSlash(rel)))
		_, err = io.Copy(h, f)
		return err
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

func copyFolder(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// unreachable keeps the innermost cause ("connection refused", "x509: ..."): the request URL that
// Go's error repeats says nothing the server address does not.
func unreachable(server string, err error) error {
	cause := err.Error()
	if i := strings.LastIndex(cause, ": "); i >= 0 && !strings.Contains(cause, "Unauthorized") {
		cause = cause[i+2:]
	}
	return failure{kind: "cluster", err: fmt.Errorf("%s", cause), server: server}
}

// versionSet is action.GetVersionSet less what only k3sbox's kept scratch CRDs serve (label
// k3sbox.dev/scratch=true): an earlier validation made them, a real install would not find them,
// and a chart that asks .Capabilities.APIVersions.Has must render as it would for the install.
// The scratch CRDs are listed as metadata only: their full objects (schemas of megabytes) made
// the list cost more than the rest of the render.
func versionSet(dc discovery.ServerResourcesInterface, cfg *rest.Config) (chartutil.VersionSet, error) {
	scratch := scratchResources(cfg)
	groups, resources, err := dc.ServerGroupsAndResources()
	if err != nil && !discovery.IsGroupDiscoveryFailedError(err) {
		return nil, err
	}
	if len(groups) == 0 && len(resources) == 0 {
		return chartutil.DefaultVersionSet, nil
	}
	versions := map[string]bool{}
	for _, r := range resources {
		gv, err := schema.ParseGroupVersion(r.GroupVersion)
		if err != nil {
			continue
		}
		served := false
		for _, res := range r.APIResources {
			// "alertmanagers/status" is a subresource of "alertmanagers": scratch as it is
			if scratch[strings.SplitN(res.Name, "/", 2)[0]+"."+gv.Group] {
				continue
			}
			served = true
			versions[path.Join(r.GroupVersion, res.Kind)] = true
		}
		if served {
			versions[r.GroupVersion] = true
		}
	}
	for _, g := range groups {
		for _, gv := range g.Versions {
			if _, listed := versions[gv.GroupVersion]; !listed && !onlyScratch(resources, gv.GroupVersion) {
				versions[gv.GroupVersion] = true
			}
		}
	}
	set := chartutil.VersionSet{}
	for v := range versions {
		set = append(set, v)
	}
	return set, nil
}

// onlyScratch: a group/version whose resources were all left out as scratch.
func onlyScratch(resources []*metav1.APIResourceList, groupVersion string) bool {
	for _, r := range resources {
		if r.GroupVersion == groupVersion {
			return true // listed with resources, and versionSet did not keep it: all scratch
		}
	}
	return false
}

// scratchResources: "plural.group" of every scratch CRD (its name), from a metadata-only list.
func scratchResources(cfg *rest.Config) map[string]bool {
	scratch := map[string]bool{}
	client, err := metadata.NewForConfig(cfg)
	if err != nil {
		return scratch
	}
	crds := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	list, err := client.Resource(crds).List(context.Background(), metav1.ListOptions{LabelSelector: "k3sbox.dev/scratch=true"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "k3sbox-helm: cannot list scratch CRDs:", err)
		return scratch
	}
	for _, item := range list.Items {
		scratch[item.Name] = true
	}
	return scratch
}
