// chartservers: the two kinds of chart source Helm fetches from, served for k3sbox's tests on
// 127.0.0.1 by the real implementations: a chart repository (index.yaml made by Helm's own
// repo.IndexDirectory, packages over HTTP) and an OCI registry (go-containerregistry's), into
// which every package is pushed with Helm's own registry client.
//
// Usage: chartservers DIR. Prints one JSON line {"repo": URL, "oci": HOST:PORT} once both serve,
// then serves until its standard input closes.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/registry"
	"helm.sh/helm/v3/pkg/repo"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: chartservers DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	repoListener := listen()
	ociListener := listen()
	repoURL := "http://" + repoListener.Addr().String() + "/"
	ociHost := ociListener.Addr().String()

	index, err := repo.IndexDirectory(dir, repoURL)
	check(err)
	check(index.WriteFile(filepath.Join(dir, "index.yaml"), 0o644))
	go func() { check(http.Serve(repoListener, http.FileServer(http.Dir(dir)))) }()
	go func() { check(http.Serve(ociListener, ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0))))) }()

	client, err := registry.NewClient(registry.ClientOptPlainHTTP(), registry.ClientOptWriter(os.Stderr))
	check(err)
	packages, err := filepath.Glob(filepath.Join(dir, "*.tgz"))
	check(err)
	for _, p := range packages {
		data, err := os.ReadFile(p)
		check(err)
		chrt, err := loader.LoadArchive(bytes.NewReader(data))
		check(err)
		ref := fmt.Sprintf("%s/charts/%s:%s", ociHost, chrt.Name(), chrt.Metadata.Version)
		_, err = client.Push(data, ref)
		check(err)
	}
	check(json.NewEncoder(os.Stdout).Encode(map[string]string{"repo": repoURL, "oci": ociHost}))
	_, _ = io.Copy(io.Discard, os.Stdin)
}

func listen() net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	return l
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "chartservers:", err)
		os.Exit(1)
	}
}
