package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// testConfig is the server configuration of a command line with no flags but those given.
func testConfig(t *testing.T, args ...string) serverConfig {
	t.Helper()
	cfg, err := parseServerFlags(args)
	if err != nil {
		t.Fatalf("parseServerFlags(%q): %v", args, err)
	}
	return cfg
}

// testLayout is a data directory's layout under a fresh temporary folder, created as serve does.
func testLayout(t *testing.T) layout {
	t.Helper()
	dirs := newLayout(t.TempDir())
	if err := dirs.create(); err != nil {
		t.Fatal(err)
	}
	return dirs
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// parseCert reads the one PEM certificate in data.
func parseCert(t *testing.T, data []byte) *x509.Certificate {
	t.Helper()
	block, rest := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("no PEM certificate in %q", data)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		t.Fatalf("more than one PEM block: %q", rest)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func certFile(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	return parseCert(t, readFile(t, path))
}

func fileMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

// verify checks cert against the CA alone, for the given use.
func verify(cert, ca *x509.Certificate, usage x509.ExtKeyUsage, dnsName string) error {
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	_, err := cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: dnsName, KeyUsages: []x509.ExtKeyUsage{usage}})
	return err
}

func hasIP(ips []net.IP, want string) bool {
	return slices.ContainsFunc(ips, func(ip net.IP) bool { return ip.Equal(net.ParseIP(want)) })
}

func TestEnsurePKICreatesACAAndLeafCertificatesInK3sLayout(t *testing.T) {
	dirs := testLayout(t)
	cfg := testConfig(t, "--data-dir="+dirs.root, "--tls-san=k3sbox.example", "--tls-san=192.0.2.10")
	p, err := ensurePKI(dirs, cfg)
	if err != nil {
		t.Fatal(err)
	}

	for _, f := range []struct {
		path string
		mode os.FileMode
	}{
		{filepath.Join(dirs.tls, "ca.crt"), 0o644},
		{filepath.Join(dirs.tls, "ca.key"), 0o600},
		{filepath.Join(dirs.tls, "service.key"), 0o600},
		{filepath.Join(dirs.tls, "serving-kube-apiserver.crt"), 0o644},
		{filepath.Join(dirs.tls, "serving-kube-apiserver.key"), 0o600},
		{filepath.Join(dirs.cred, "controller.kubeconfig"), 0o600},
	} {
		if got := fileMode(t, f.path); got != f.mode {
			t.Errorf("%s: mode %o, want %o", f.path, got, f.mode)
		}
	}

	ca := certFile(t, filepath.Join(dirs.tls, "ca.crt"))
	if !ca.IsCA || ca.KeyUsage&x509.KeyUsageCertSign == 0 {
		t.Errorf("ca.crt is not a signing CA: IsCA=%v KeyUsage=%v", ca.IsCA, ca.KeyUsage)
	}
	if !bytes.Equal(ca.Raw, p.ca.Raw) {
		t.Error("ensurePKI's CA is not the one in ca.crt")
	}
	if !strings.HasPrefix(ca.Subject.CommonName, "k3sbox-controlplane-ca@") {
		t.Errorf("CA common name %q", ca.Subject.CommonName)
	}

	serving := certFile(t, filepath.Join(dirs.tls, "serving-kube-apiserver.crt"))
	if _, err := tls.LoadX509KeyPair(filepath.Join(dirs.tls, "serving-kube-apiserver.crt"), filepath.Join(dirs.tls, "serving-kube-apiserver.key")); err != nil {
		t.Errorf("serving certificate and key do not match: %v", err)
	}
	if serving.Subject.CommonName != "kube-apiserver" {
		t.Errorf("serving certificate's common name %q", serving.Subject.CommonName)
	}
	for _, name := range []string{"kubernetes.default.svc.cluster.local", "localhost", "k3sbox.example"} {
		if err := verify(serving, ca, x509.ExtKeyUsageServerAuth, name); err != nil {
			t.Errorf("serving certificate for %s: %v", name, err)
		}
	}
	for _, ip := range []string{"127.0.0.1", "10.43.0.1", "192.0.2.10"} {
		if err := serving.VerifyHostname(ip); err != nil {
			t.Errorf("serving certificate for %s: %v", ip, err)
		}
	}
	if err := verify(serving, ca, x509.ExtKeyUsageClientAuth, ""); err == nil {
		t.Error("the serving certificate also verifies as a client certificate")
	}

	admin, err := x509.ParseCertificate(p.admin.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if admin.Subject.CommonName != "system:admin" || !slices.Equal(admin.Subject.Organization, []string{"system:masters"}) {
		t.Errorf("admin certificate's subject %v", admin.Subject)
	}
	if err := verify(admin, ca, x509.ExtKeyUsageClientAuth, ""); err != nil {
		t.Errorf("admin certificate: %v", err)
	}
	if err := verify(admin, ca, x509.ExtKeyUsageServerAuth, ""); err == nil {
		t.Error("the admin certificate also verifies as a serving certificate")
	}
	if !bytes.Equal(parseCert(t, p.adminPE.cert).Raw, admin.Raw) {
		t.Error("the admin key pair and its PEM form differ")
	}

	controller := parseKubeconfig(t, readFile(t, filepath.Join(dirs.cred, "controller.kubeconfig")))
	if controller.server != cfg.serverURL() {
		t.Errorf("controller kubeconfig's server %q, want %q", controller.server, cfg.serverURL())
	}
	if !bytes.Equal(controller.ca.Raw, ca.Raw) {
		t.Error("controller kubeconfig's CA is not the CA")
	}
	if controller.cert.Subject.CommonName != "system:kube-controller-manager" || !slices.Equal(controller.cert.Subject.Organization, []string{"system:masters"}) {
		t.Errorf("controller certificate's subject %v", controller.cert.Subject)
	}
	if err := verify(controller.cert, ca, x509.ExtKeyUsageClientAuth, ""); err != nil {
		t.Errorf("controller certificate: %v", err)
	}
}

func TestEnsurePKIOnRestartKeepsCAAndServiceAccountKeyButReissuesServingCertificate(t *testing.T) {
	dirs := testLayout(t)
	before := testConfig(t, "--data-dir="+dirs.root, "--tls-san=old.example", "--write-kubeconfig="+filepath.Join(dirs.root, "k3s.yaml"))
	first, err := ensurePKI(dirs, before)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeKubeconfig(before, first); err != nil {
		t.Fatal(err)
	}
	issuedBefore := parseKubeconfig(t, readFile(t, before.kubeconfigPath))
	caKey := readFile(t, filepath.Join(dirs.tls, "ca.key"))
	serviceKey := readFile(t, filepath.Join(dirs.tls, "service.key"))
	servingBefore := certFile(t, filepath.Join(dirs.tls, "serving-kube-apiserver.crt"))

	after := before
	after.tlsSANs = []string{"new.example", "198.51.100.7"}
	second, err := ensurePKI(dirs, after)
	if err != nil {
		t.Fatal(err)
	}

	if !bytes.Equal(second.ca.Raw, first.ca.Raw) {
		t.Error("the CA changed across a restart")
	}
	if !bytes.Equal(readFile(t, filepath.Join(dirs.tls, "ca.key")), caKey) {
		t.Error("the CA key changed across a restart")
	}
	if !bytes.Equal(readFile(t, filepath.Join(dirs.tls, "service.key")), serviceKey) {
		t.Error("the service-account key changed across a restart: tokens issued before it would be refused")
	}
	if err := verify(issuedBefore.cert, second.ca, x509.ExtKeyUsageClientAuth, ""); err != nil {
		t.Errorf("a kubeconfig written before the restart is no longer valid: %v", err)
	}

	serving := certFile(t, filepath.Join(dirs.tls, "serving-kube-apiserver.crt"))
	if serving.SerialNumber.Cmp(servingBefore.SerialNumber) == 0 {
		t.Error("the serving certificate was not issued anew")
	}
	if err := verify(serving, second.ca, x509.ExtKeyUsageServerAuth, "new.example"); err != nil {
		t.Errorf("the new --tls-san is not served: %v", err)
	}
	if !hasIP(serving.IPAddresses, "198.51.100.7") {
		t.Errorf("the new --tls-san address is not served: %v", serving.IPAddresses)
	}
	if slices.Contains(serving.DNSNames, "old.example") {
		t.Error("a --tls-san no longer given is still served")
	}
}

func TestEnsurePKIRefusesACAFileThatHoldsNoCertificate(t *testing.T) {
	dirs := testLayout(t)
	if err := os.WriteFile(filepath.Join(dirs.tls, "ca.crt"), []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ensurePKI(dirs, testConfig(t))
	if err == nil || !strings.Contains(err.Error(), "holds no PEM certificate") {
		t.Fatalf("ensurePKI with a broken ca.crt: %v", err)
	}
}

func TestServingDNSNamesAreK3sNamesHostnameAndNameSANs(t *testing.T) {
	host, err := os.Hostname()
	if err != nil {
		t.Skip("no hostname:", err)
	}
	base := []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"defaults", nil, append(slices.Clone(base), "kubernetes.default.svc.cluster.local", host)},
		{"cluster domain", []string{"--cluster-domain=corp.internal"}, append(slices.Clone(base), "kubernetes.default.svc.corp.internal", host)},
		{
			"names from --tls-san, addresses left to servingIPs",
			[]string{"--tls-san=a.example,192.0.2.1", "--tls-san=b.example", "--tls-san=::1"},
			append(slices.Clone(base), "kubernetes.default.svc.cluster.local", host, "a.example", "b.example"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, tt.args...)
			if got := servingDNSNames(cfg); !slices.Equal(got, tt.want) {
				t.Errorf("servingDNSNames = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestServingIPsHoldLoopbackServiceIPAndGivenAddresses(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    []string
		notWant []string
	}{
		{"wildcard bind", nil, []string{"127.0.0.1", "::1", "10.43.0.1"}, []string{"0.0.0.0"}},
		{"IPv6 wildcard bind", []string{"--bind-address=::"}, []string{"127.0.0.1", "::1"}, []string{"::"}},
		{"service CIDR", []string{"--service-cidr=10.96.0.0/12"}, []string{"10.96.0.1"}, []string{"10.43.0.1"}},
		{"bind and advertise addresses", []string{"--bind-address=192.0.2.5", "--advertise-address=192.0.2.6"}, []string{"192.0.2.5", "192.0.2.6"}, nil},
		{"address SANs", []string{"--tls-san=203.0.113.9,name.example", "--tls-san=2001:db8::9"}, []string{"203.0.113.9", "2001:db8::9"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ips := servingIPs(testConfig(t, tt.args...))
			for _, w := range tt.want {
				if !hasIP(ips, w) {
					t.Errorf("servingIPs = %v, lacks %s", ips, w)
				}
			}
			for _, n := range tt.notWant {
				if hasIP(ips, n) {
					t.Errorf("servingIPs = %v, holds %s", ips, n)
				}
			}
		})
	}
}

func TestServingIPsIncludeEveryInterfaceAddress(t *testing.T) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skip("no interface addresses:", err)
	}
	ips := servingIPs(testConfig(t))
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !hasIP(ips, n.IP.String()) {
			t.Errorf("servingIPs = %v, lacks interface address %s", ips, n.IP)
		}
	}
}

func TestFirstServiceIPIsTheRangesFirstHost(t *testing.T) {
	tests := []struct{ cidr, want string }{
		{"10.43.0.0/16", "10.43.0.1"},
		{"10.96.0.0/12", "10.96.0.1"},
		{"10.43.7.9/16", "10.43.0.1"}, // the network, not the address given
		{"172.20.0.128/25", "172.20.0.129"},
		{"", ""},
		{"10.43.0.0", ""},
		{"not-a-cidr", ""},
	}
	for _, tt := range tests {
		got := firstServiceIP(tt.cidr)
		if tt.want == "" {
			if got != nil {
				t.Errorf("firstServiceIP(%q) = %v, want none", tt.cidr, got)
			}
			continue
		}
		if !got.Equal(net.ParseIP(tt.want)) {
			t.Errorf("firstServiceIP(%q) = %v, want %s", tt.cidr, got, tt.want)
		}
	}
}

// kubeconfig is what parseKubeconfig reads back from a kubeconfig's text.
type kubeconfig struct {
	server string
	ca     *x509.Certificate
	cert   *x509.Certificate
	pair   tls.Certificate
}

// parseKubeconfig reads the k3s-shaped kubeconfig kubeconfigYAML writes, with the standard
// library only: each field is on its own line, base64 data holds PEM.
func parseKubeconfig(t *testing.T, data []byte) kubeconfig {
	t.Helper()
	fields := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		key, value, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- ")), ": ")
		if ok {
			if _, dup := fields[key]; dup && key != "name" {
				t.Fatalf("%s given twice in\n%s", key, data)
			}
			fields[key] = value
		}
	}
	decode := func(key string) []byte {
		t.Helper()
		b, err := base64.StdEncoding.DecodeString(fields[key])
		if err != nil || len(b) == 0 {
			t.Fatalf("%s: %q is not base64 data (%v)", key, fields[key], err)
		}
		return b
	}
	var k kubeconfig
	k.server = fields["server"]
	k.ca = parseCert(t, decode("certificate-authority-data"))
	certPEM, keyPEM := decode("client-certificate-data"), decode("client-key-data")
	k.cert = parseCert(t, certPEM)
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatalf("client certificate and key: %v", err)
	}
	k.pair = pair
	for key, want := range map[string]string{"apiVersion": "v1", "kind": "Config", "current-context": "default", "cluster": "default", "user": "default"} {
		if fields[key] != want {
			t.Errorf("%s: %q, want %q", key, fields[key], want)
		}
	}
	return k
}

func TestKubeconfigYAMLEmbedsServerCAAndClientCredentials(t *testing.T) {
	dirs := testLayout(t)
	p, err := ensurePKI(dirs, testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	const server = "https://127.0.0.1:6443"
	k := parseKubeconfig(t, kubeconfigYAML(server, pemEncode("CERTIFICATE", p.ca.Raw), p.adminPE))
	if k.server != server {
		t.Errorf("server %q, want %q", k.server, server)
	}
	if !bytes.Equal(k.ca.Raw, p.ca.Raw) {
		t.Error("certificate-authority-data is not the CA")
	}
	if !bytes.Equal(k.pair.Certificate[0], p.admin.Certificate[0]) {
		t.Error("client-certificate-data is not the admin certificate")
	}
	if err := verify(k.cert, k.ca, x509.ExtKeyUsageClientAuth, ""); err != nil {
		t.Errorf("the client certificate does not verify against the embedded CA: %v", err)
	}
}

func TestWriteKubeconfigWritesAdminKubeconfigWithModeAndServerURL(t *testing.T) {
	tests := []struct {
		name string
		args []string
		url  string
		mode os.FileMode
	}{
		{"defaults", nil, "https://127.0.0.1:6443", 0o600},
		{"k3sbox's mode", []string{"--write-kubeconfig-mode=600", "--https-listen-port=16443"}, "https://127.0.0.1:16443", 0o600},
		{"readable mode", []string{"--write-kubeconfig-mode=0644"}, "https://127.0.0.1:6443", 0o644},
		{"loopback bind", []string{"--bind-address=127.0.0.2"}, "https://127.0.0.1:6443", 0o600},
		{"IPv6 wildcard bind", []string{"--bind-address=::"}, "https://127.0.0.1:6443", 0o600},
		{"address bind", []string{"--bind-address=192.0.2.5", "--https-listen-port=7443"}, "https://192.0.2.5:7443", 0o600},
		{"IPv6 address bind", []string{"--bind-address=2001:db8::5"}, "https://[2001:db8::5]:6443", 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dirs := testLayout(t)
			path := filepath.Join(dirs.root, "etc", "rancher", "k3s", "k3s.yaml") // its folder does not exist yet
			cfg := testConfig(t, append([]string{"--write-kubeconfig", path}, tt.args...)...)
			p, err := ensurePKI(dirs, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := writeKubeconfig(cfg, p); err != nil {
				t.Fatal(err)
			}
			if got := fileMode(t, path); got != tt.mode {
				t.Errorf("mode %o, want %o", got, tt.mode)
			}
			k := parseKubeconfig(t, readFile(t, path))
			if k.server != tt.url {
				t.Errorf("server %q, want %q", k.server, tt.url)
			}
			if k.cert.Subject.CommonName != "system:admin" {
				t.Errorf("client certificate for %q, want system:admin", k.cert.Subject.CommonName)
			}
			if err := verify(k.cert, p.ca, x509.ExtKeyUsageClientAuth, ""); err != nil {
				t.Errorf("client certificate: %v", err)
			}
		})
	}
}

func TestWriteFileAtomicSetsModeAndLeavesNoTemporaryFile(t *testing.T) {
	for _, mode := range []os.FileMode{0o600, 0o640, 0o644} {
		dir := t.TempDir()
		path := filepath.Join(dir, "k3s.yaml")
		if err := os.WriteFile(path, []byte("old, longer content"), 0o666); err != nil {
			t.Fatal(err)
		}
		if err := writeFileAtomic(path, []byte("new"), mode); err != nil {
			t.Fatal(err)
		}
		if got := string(readFile(t, path)); got != "new" {
			t.Errorf("content %q, want %q", got, "new")
		}
		if got := fileMode(t, path); got != mode {
			t.Errorf("mode %o, want %o", got, mode)
		}
		assertOnlyFiles(t, dir, "k3s.yaml")
	}
}

func TestWriteFileAtomicLeavesNoTemporaryFileWhenItFails(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "taken")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "inside"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(target, []byte("data"), 0o600); err == nil {
		t.Fatal("writing over a non-empty directory succeeded")
	}
	assertOnlyFiles(t, dir, "taken")
}

func assertOnlyFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, want) {
		t.Errorf("%s holds %q, want %q", dir, names, want)
	}
}

func TestNewLayoutMirrorsK3sDataDirectory(t *testing.T) {
	root := t.TempDir()
	dirs := newLayout(root)
	want := layout{root: root, tls: root + "/server/tls", cred: root + "/server/cred", db: root + "/server/db"}
	if dirs != want {
		t.Fatalf("newLayout = %+v, want %+v", dirs, want)
	}
	if err := dirs.create(); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dirs.tls, dirs.cred, dirs.db} {
		if got := fileMode(t, d); got != 0o700 {
			t.Errorf("%s: mode %o, want 700", d, got)
		}
	}
}
