package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// The splitting rule is shared with the Java side (RenderedChart.Piece); testdata/pieces.json is
// the contract both test against.
func TestPiecesFollowTheSharedSplittingRule(t *testing.T) {
	var fixture struct {
		Cases []struct {
			Name      string   `json:"name"`
			Text      string   `json:"text"`
			Pieces    []string `json:"pieces"`
			Documents []string `json:"documents"`
		} `json:"cases"`
	}
	data, err := os.ReadFile(filepath.Join("testdata", "pieces.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &fixture); err != nil {
		t.Fatal(err)
	}
	for _, c := range fixture.Cases {
		t.Run(c.Name, func(t *testing.T) {
			ps := pieces(c.Text)
			var texts, documents []string
			for _, p := range ps {
				texts = append(texts, *p.Text)
				documents = append(documents, documentOf(*p.Text))
			}
			if strings.Join(texts, "") != c.Text {
				t.Errorf("pieces joined are not the text: %q", texts)
			}
			if !equal(texts, c.Pieces) {
				t.Errorf("pieces %q, want %q", texts, c.Pieces)
			}
			if !equal(documents, c.Documents) {
				t.Errorf("documents %q, want %q", documents, c.Documents)
			}
		})
	}
}

func TestPiecesCarryTheirDocumentAsHelmConvertsIt(t *testing.T) {
	ps := pieces("---\nmode: 0644\nenabled: yes\n---\na: 1\na: 2\n---\n")
	want := []string{`{"enabled":true,"mode":420}`, "", "null"}
	for i, p := range ps {
		if *p.JSON != want[i] {
			t.Errorf("piece %d: JSON %q, want %q (YAML 1.1 as sigs.k8s.io/yaml reads it; strict: duplicate keys refused)", i, *p.JSON, want[i])
		}
	}
}

func TestPiecesAlreadySentGoAsTheirKeyAlone(t *testing.T) {
	sent = map[string]bool{}
	first := pieces("---\na: 1\n---\nb: 2\n")
	forget(first)
	second := pieces("---\na: 1\n---\nc: 3\n")
	forget(second)
	if first[0].Text == nil || first[1].Text == nil {
		t.Fatal("the first answer must carry every piece whole")
	}
	if second[0].Text != nil || second[0].Key != first[0].Key {
		t.Errorf("a piece sent before must go as its key alone: %+v", second[0])
	}
	if second[1].Text == nil {
		t.Error("a new piece must go whole")
	}
}

func TestRendersAskingAtOnceShareOneConversion(t *testing.T) {
	document := "\nkind: ConfigMap\nmetadata: {name: shared-" + t.Name() + "}\n"
	results := make([]string, 16)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = toJSON(document)
		}(i)
	}
	wg.Wait()
	kept := documentJSON.get(document, func() string { t.Fatal("the conversion was not kept"); return "" })
	for i, r := range results {
		if r != results[0] || r != kept {
			t.Fatalf("render %d got %q, not the one conversion %q", i, r, kept)
		}
	}
	if results[0] != `{"kind":"ConfigMap","metadata":{"name":"shared-TestRendersAskingAtOnceShareOneConversion"}}` {
		t.Errorf("conversion %q", results[0])
	}
}

// A server removed and made again under one name keeps its kubeconfig's path: its capabilities
// must be discovered again, not taken from the server that was there before.
func TestAClusterMadeAgainUnderOneKubeconfigPathIsANewCluster(t *testing.T) {
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig.yaml")
	write := func(server string) {
		if err := os.WriteFile(kubeconfig, []byte("clusters:\n- cluster: {server: "+server+"}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("https://127.0.0.1:21001")
	before := clusterKey(request{Kubeconfig: kubeconfig})
	if again := clusterKey(request{Kubeconfig: kubeconfig}); again != before {
		t.Errorf("one cluster, two keys: %q and %q", before, again)
	}
	if other := clusterKey(request{Kubeconfig: kubeconfig, Context: "other"}); other == before {
		t.Error("another context must be another cluster")
	}
	write("https://127.0.0.1:21003")
	if after := clusterKey(request{Kubeconfig: kubeconfig}); after == before {
		t.Error("a rewritten kubeconfig must name another cluster")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The warm JVM keeps its engine from one command to the next, and the user edits the chart
// between them: a later command renders the chart as its files are then, while the renders of
// one command all see the chart as the first of them loaded it.
func TestALaterCommandRendersTheChartAsItIsThen(t *testing.T) {
	chart := t.TempDir()
	write := func(name, text string) {
		if err := os.MkdirAll(filepath.Join(chart, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(chart, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Chart.yaml", "apiVersion: v2\nname: edited\nversion: 0.1.0\n")
	write("templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n")
	manifest := func(command int64) string {
		a, err := render(request{Chart: chart, Release: "r", Command: command, state: stateOf(command)})
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		for _, p := range a.Manifest {
			text.WriteString(*p.Text)
		}
		return text.String()
	}

	command := latestCommand() + 1
	if got := manifest(command); !strings.Contains(got, "name: first") {
		t.Fatalf("first command rendered %q", got)
	}
	write("templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n")
	if got := manifest(command); !strings.Contains(got, "name: first") {
		t.Errorf("a render of the same command saw the edit: %q", got)
	}
	if got := manifest(command + 1); !strings.Contains(got, "name: second") {
		t.Errorf("the next command rendered the chart as it was: %q", got)
	}
}

// A document's JSON is kept by its text for the engine's life; the text is a slice of the whole
// rendered manifest, which the kept key must not hold on to (a warm JVM's engine renders a chart
// again after each edit, and each new document would keep a render's worth of text).
func TestAKeptDocumentDoesNotHoldTheWholeManifest(t *testing.T) {
	manifest := strings.Repeat("# filler\n", 10000) + "kind: Kept\nname: " + t.Name() + "\n"
	document := manifest[len(manifest)-len("kind: Kept\nname: "+t.Name()+"\n"):]
	toJSON(document)
	start := uintptr(unsafe.Pointer(unsafe.StringData(manifest)))
	documentJSON.entries.Range(func(key, _ any) bool {
		if k := key.(string); k == document {
			at := uintptr(unsafe.Pointer(unsafe.StringData(k)))
			if at >= start && at < start+uintptr(len(manifest)) {
				t.Error("the kept key is a slice of the manifest")
			}
		}
		return true
	})
}

// Requests come in order, but a render its command gave up on may be sent just after the next
// command's first: it must not make the latest command start over.
func TestARequestOfAnEarlierCommandLeavesTheLatestCommandsState(t *testing.T) {
	command := latestCommand() + 1
	latest := stateOf(command)
	if earlier := stateOf(command - 1); earlier == latest {
		t.Error("an earlier command's request got the latest command's state")
	}
	if again := stateOf(command); again != latest {
		t.Error("the latest command's state was replaced by an earlier command's request")
	}
}

// latestCommand is the number of the latest command the engine has been asked about.
func latestCommand() int64 {
	commands.Lock()
	defer commands.Unlock()
	return commands.number
}
