package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/version"
)

// serverConfig holds the `k3s server` flags this stand-in understands.
type serverConfig struct {
	dataDir             string
	httpsPort           int
	bindAddress         string
	advertiseAddress    string
	tlsSANs             []string
	kubeconfigPath      string
	kubeconfigMode      string
	serviceCIDR         string
	clusterDomain       string
	apiserverArgs       []string
	controllerArgs      []string
	schedulerArgs       []string
	cloudControllerArgs []string
	disabledComponents  []string
	disableAgent        bool
	disableScheduler    bool
	disableCloud        bool
	ignoredK3sArguments []string
}

// cloudControllerRuns: k3s runs its cloud controller manager unless both it and servicelb (whose
// controller lives in it) are disabled (pkg/cli/server: Skips["ccm"]).
func (c serverConfig) cloudControllerRuns() bool {
	for _, d := range c.disabledComponents {
		if d == "servicelb" && c.disableCloud {
			return false
		}
	}
	return true
}

func parseServerFlags(args []string) (serverConfig, error) {
	var c serverConfig
	fs := pflag.NewFlagSet("server", pflag.ContinueOnError)
	fs.StringVarP(&c.dataDir, "data-dir", "d", "/var/lib/rancher/k3s", "state directory")
	fs.IntVar(&c.httpsPort, "https-listen-port", 6443, "API server port")
	fs.StringVar(&c.bindAddress, "bind-address", "0.0.0.0", "API server bind address")
	fs.StringVar(&c.advertiseAddress, "advertise-address", "", "address advertised for the kubernetes service")
	fs.StringSliceVar(&c.tlsSANs, "tls-san", nil, "extra names and addresses for the serving certificate")
	fs.StringVarP(&c.kubeconfigPath, "write-kubeconfig", "o", "/etc/rancher/k3s/k3s.yaml", "where to write the admin kubeconfig")
	fs.StringVar(&c.kubeconfigMode, "write-kubeconfig-mode", "0600", "file mode of the admin kubeconfig")
	fs.StringVar(&c.serviceCIDR, "service-cidr", "10.43.0.0/16", "service cluster IP range")
	fs.StringVar(&c.clusterDomain, "cluster-domain", "cluster.local", "cluster DNS domain")
	fs.StringArrayVar(&c.apiserverArgs, "kube-apiserver-arg", nil, "extra kube-apiserver flag (key=value)")
	fs.StringArrayVar(&c.controllerArgs, "kube-controller-manager-arg", nil, "extra kube-controller-manager flag (key=value)")
	fs.StringArrayVar(&c.schedulerArgs, "kube-scheduler-arg", nil, "extra kube-scheduler flag (key=value)")
	fs.StringArrayVar(&c.cloudControllerArgs, "kube-cloud-controller-manager-arg", nil, "extra cloud controller manager flag (key=value; this stand-in honours secure-port)")
	fs.BoolVar(&c.disableScheduler, "disable-scheduler", false, "run no kube-scheduler")
	fs.BoolVar(&c.disableCloud, "disable-cloud-controller", false, "run no cloud controller manager (with --disable=servicelb)")
	fs.StringSliceVar(&c.disabledComponents, "disable", nil, "k3s add-ons to disable (this stand-in ships none)")
	fs.BoolVar(&c.disableAgent, "disable-agent", false, "run no agent (this stand-in never runs one)")
	// k3s flags that only concern parts this stand-in does not have: accepted so that a
	// command line written for k3s starts, and reported once at start.
	for _, name := range []string{"disable-network-policy", "disable-helm-controller", "disable-kube-proxy"} {
		fs.Bool(name, false, "accepted for k3s compatibility; no effect")
	}
	for _, name := range []string{"flannel-backend", "node-name", "token", "agent-token", "cluster-cidr", "snapshotter", "node-ip", "node-external-ip"} {
		fs.String(name, "", "accepted for k3s compatibility; no effect")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	fs.Visit(func(f *pflag.Flag) {
		if strings.HasSuffix(f.Usage, "no effect") {
			c.ignoredK3sArguments = append(c.ignoredK3sArguments, "--"+f.Name)
		}
	})
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if c.httpsPort < 1 || c.httpsPort > 65535 {
		return c, fmt.Errorf("--https-listen-port %d is not a port (1-65535)", c.httpsPort)
	}
	if p := c.apiserverPort(); p < 1 || p > 65535 {
		return c, fmt.Errorf("kube-apiserver's port %d (--https-listen-port + 1) is not a port", p)
	}
	if net.ParseIP(c.bindAddress) == nil {
		return c, fmt.Errorf("--bind-address %q is not an IP address", c.bindAddress)
	}
	if _, err := strconv.ParseUint(c.kubeconfigMode, 8, 32); err != nil {
		return c, fmt.Errorf("--write-kubeconfig-mode %q is not an octal file mode", c.kubeconfigMode)
	}
	return c, nil
}

// localHost is the address clients on this host use to reach the API server.
func (c serverConfig) localHost() string {
	ip := net.ParseIP(c.bindAddress)
	if ip.IsUnspecified() || ip.IsLoopback() {
		return "127.0.0.1"
	}
	return c.bindAddress
}

func (c serverConfig) serverURL() string {
	return "https://" + net.JoinHostPort(c.localHost(), strconv.Itoa(c.httpsPort))
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s k3sbox-controlplane: %s\n", time.Now().UTC().Format(time.RFC3339), fmt.Sprintf(format, args...))
}

func runServer(args []string) int {
	cfg, err := parseServerFlags(args)
	if err != nil {
		logf("%v", err)
		return 2
	}
	logf("starting %s %s", flavor, version.Get().GitVersion)
	if len(cfg.ignoredK3sArguments) > 0 {
		logf("ignoring k3s flags that concern parts this stand-in does not have: %s", strings.Join(cfg.ignoredK3sArguments, " "))
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, cfg); err != nil {
		logf("fatal: %v", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, cfg serverConfig) error {
	dirs := newLayout(cfg.dataDir)
	if err := dirs.create(); err != nil {
		return err
	}
	pki, err := ensurePKI(dirs, cfg)
	if err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	// Written before the API server starts, as k3s does: a client waiting for the server (k3sbox
	// up) can fetch it while the server boots and needs no second look once /readyz answers.
	if err := writeKubeconfig(cfg, pki); err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	listeners, err := startSupervisor(ctx, cfg)
	if err != nil {
		return fmt.Errorf("supervisor: %w", err)
	}
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	if cfg.cloudControllerRuns() {
		ccm, err := startCloudControllerStandIn(cfg, dirs)
		if err != nil {
			return fmt.Errorf("cloud controller manager: %w", err)
		}
		if ccm != nil {
			defer ccm.Close()
		}
	}
	etcd, err := startEtcd(dirs)
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	defer etcd.Close()
	logf("etcd ready")

	self, err := os.Executable()
	if err != nil {
		return err
	}
	children := newSupervisor()
	defer children.stopAll(10 * time.Second)
	if err := children.start("kube-apiserver", exec.Command(self, append([]string{"kube-apiserver"}, apiserverFlags(cfg, dirs)...)...), dirs.db); err != nil {
		return err
	}
	// The controller manager must not run before the API answers: it would then poll the API's
	// health only once a second. Its process starts now all the same, and waits at a start gate
	// (see awaitStartGate): its process start and the initialisation of every package of this
	// binary, ~0.1 s on two cores, are done by the time the API answers, instead of after it
	// while clients wait for the objects it makes. It stays a child process, so
	// that it is stopped before the API server (run in this process, it kept the API server
	// from stopping within docker stop's 10 s).
	gate, release, err := os.Pipe()
	if err != nil {
		return err
	}
	manager := exec.Command(self, append([]string{"kube-controller-manager"}, controllerManagerFlags(cfg, dirs)...)...)
	manager.ExtraFiles = []*os.File{gate} // fd 3 in the child
	manager.Env = append(os.Environ(), startGateEnv+"=3")
	err = children.start("kube-controller-manager", manager, dirs.db)
	if err == nil && !cfg.disableScheduler {
		if cfg.cloudControllerRuns() {
			// As k3s: the scheduler waits for a node without the cloud provider's taint, and
			// without an agent none ever comes.
			logf("kube-scheduler held back until a node appears, as k3s holds it while its cloud controller runs; pass --disable-cloud-controller --disable=servicelb to run it")
		} else {
			scheduler := exec.Command(self, append([]string{"kube-scheduler"}, schedulerFlags(cfg, dirs)...)...)
			scheduler.ExtraFiles = []*os.File{gate}
			scheduler.Env = append(os.Environ(), startGateEnv+"=3")
			err = children.start("kube-scheduler", scheduler, dirs.db)
		}
	}
	gate.Close() // the children hold their own copies
	if err != nil {
		release.Close()
		return err
	}
	admin := adminClient(cfg, pki)
	if err := waitReady(ctx, cfg, admin, children); err != nil {
		return err // the gate stays shut; stopping the children ends the waiting one
	}
	release.Close() // end of file at the gate: the controller manager starts
	go ensureDefaultServiceAccount(ctx, cfg, admin)
	logf("API server ready at %s; kubeconfig written to %s", cfg.serverURL(), cfg.kubeconfigPath)

	select {
	case <-ctx.Done():
		logf("shutting down")
		return nil
	case exit := <-children.exited:
		return exit
	case err := <-etcd.Err():
		return fmt.Errorf("etcd stopped: %w", err)
	}
}

// layout is where the stand-in keeps its state under --data-dir, mirroring k3s's own tree.
type layout struct {
	root, tls, cred, db string
}

func newLayout(root string) layout {
	server := filepath.Join(root, "server")
	return layout{root: root, tls: filepath.Join(server, "tls"), cred: filepath.Join(server, "cred"), db: filepath.Join(server, "db")}
}

func (l layout) create() error {
	for _, d := range []string{l.tls, l.cred, l.db} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	return nil
}

// Sockets live in the db directory and are named relative to it: etcd's peer listener takes
// only the host part of a unix URL, so absolute paths cannot be used. Unix sockets instead of
// TCP ports let several clusters share the host network without colliding. etcd insists on
// host:port URLs, so the port is part of the file name.
const (
	etcdClientSocket = "etcd-client.sock:2379"
	etcdPeerSocket   = "etcd-peer.sock:2380"
)

func startEtcd(dirs layout) (*embed.Etcd, error) {
	if err := os.Chdir(dirs.db); err != nil {
		return nil, err
	}
	for _, s := range []string{etcdClientSocket, etcdPeerSocket} {
		_ = os.Remove(s) // a socket left by a killed run would make the listen fail
	}
	cfg := embed.NewConfig()
	cfg.Name = "default"
	cfg.Dir = filepath.Join(dirs.db, "etcd")
	cfg.Logger = "zap"
	cfg.LogLevel = "warn"
	client, _ := url.Parse("unix://" + etcdClientSocket)
	peer, _ := url.Parse("unix://" + etcdPeerSocket)
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*client}, []url.URL{*client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*peer}, []url.URL{*peer}
	cfg.ListenMetricsUrls = nil
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	// A development cluster favours speed over surviving a power cut: without fsync, etcd is
	// fast even on vfs or 9p storage; a killed process loses nothing, the page cache stays.
	cfg.UnsafeNoFsync = true
	cfg.AutoCompactionMode = "periodic"
	cfg.AutoCompactionRetention = "10m"
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, nil
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, errors.New("not ready within 60s")
	}
}

func apiserverFlags(cfg serverConfig, dirs layout) []string {
	issuer := "https://kubernetes.default.svc." + cfg.clusterDomain
	flags := []string{
		"--etcd-servers=unix://" + etcdClientSocket,
		// Behind the supervisor (ports.go), on loopback, as in k3s.
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(cfg.apiserverPort()),
		"--tls-cert-file=" + filepath.Join(dirs.tls, "serving-kube-apiserver.crt"),
		"--tls-private-key-file=" + filepath.Join(dirs.tls, "serving-kube-apiserver.key"),
		"--client-ca-file=" + filepath.Join(dirs.tls, "ca.crt"),
		"--service-account-issuer=" + issuer,
		"--api-audiences=" + issuer + ",k3s",
		"--service-account-key-file=" + filepath.Join(dirs.tls, "service.key"),
		"--service-account-signing-key-file=" + filepath.Join(dirs.tls, "service.key"),
		"--service-cluster-ip-range=" + cfg.serviceCIDR,
		"--authorization-mode=RBAC",
		"--allow-privileged=true",
		"--profiling=false",
		"--cert-dir=" + filepath.Join(dirs.tls, "temporary-certs"),
	}
	advertise := cfg.advertiseAddress
	if advertise == "" && !net.ParseIP(cfg.bindAddress).IsUnspecified() {
		advertise = cfg.bindAddress
	}
	if advertise != "" {
		flags = append(flags, "--advertise-address="+advertise)
		// Endpoints may not point at loopback; with no nodes nothing uses the kubernetes
		// service's endpoints, so skip them rather than log a rejection every ten seconds.
		if ip := net.ParseIP(advertise); ip != nil && ip.IsLoopback() {
			flags = append(flags, "--endpoint-reconciler-type=none")
		}
	}
	return withUserArgs(flags, cfg.apiserverArgs)
}

func controllerManagerFlags(cfg serverConfig, dirs layout) []string {
	flags := []string{
		"--kubeconfig=" + filepath.Join(dirs.cred, "controller.kubeconfig"),
		"--authentication-kubeconfig=" + filepath.Join(dirs.cred, "controller.kubeconfig"),
		"--authorization-kubeconfig=" + filepath.Join(dirs.cred, "controller.kubeconfig"),
		// k3s's port, which clusters on one host network share unless told otherwise
		// (--kube-controller-manager-arg=secure-port=0, as k3sbox passes it).
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(controllerManagerPort),
		"--leader-elect=false",
		"--service-account-private-key-file=" + filepath.Join(dirs.tls, "service.key"),
		"--root-ca-file=" + filepath.Join(dirs.tls, "ca.crt"),
		"--cluster-signing-cert-file=" + filepath.Join(dirs.tls, "ca.crt"),
		"--cluster-signing-key-file=" + filepath.Join(dirs.tls, "ca.key"),
		// One identity for all controllers, in system:masters (see pki.go): per-controller
		// service-account credentials made the default service account, which clients wait
		// for, appear seconds later, and the controller manager's own role is too narrow for
		// emptying a deleted namespace.
		"--use-service-account-credentials=false",
		"--profiling=false",
		// Each controller checks its informers' caches once at start, then only every 100 ms
		// (client-go's fixed period), and the informers start a moment before the controllers:
		// the service account controller missed that first check and made the default service
		// account 100 ms late. Started 25-50 ms later, it usually finds its caches synced (the
		// account appears ~0.1 s after /readyz instead of ~0.16 s); when it does not, the cost
		// is that delay.
		"--controller-start-interval=25ms",
	}
	return withUserArgs(flags, cfg.controllerArgs)
}

// schedulerFlags runs kube-scheduler as k3s does, with the controller manager's identity.
func schedulerFlags(cfg serverConfig, dirs layout) []string {
	kubeconfig := filepath.Join(dirs.cred, "controller.kubeconfig")
	flags := []string{
		"--kubeconfig=" + kubeconfig,
		"--authentication-kubeconfig=" + kubeconfig,
		"--authorization-kubeconfig=" + kubeconfig,
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(schedulerPort),
		"--leader-elect=false",
		"--profiling=false",
	}
	return withUserArgs(flags, cfg.schedulerArgs)
}

// withUserArgs is a component's command line as k3s's GetArgs makes it: the defaults, less those
// whose key a pass-through argument sets, then every pass-through argument. Merely appended, a
// list flag's value (--authorization-mode, --api-audiences) would be added to the default rather
// than replace it.
func withUserArgs(defaults, args []string) []string {
	set := make(map[string]bool, len(args))
	for _, a := range args {
		key, _, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		set[key] = true
	}
	flags := make([]string, 0, len(defaults)+len(args))
	for _, d := range defaults {
		if key, _, _ := strings.Cut(strings.TrimPrefix(d, "--"), "="); !set[key] {
			flags = append(flags, d)
		}
	}
	return append(flags, asFlags(args)...)
}

// asFlags turns k3s-style "key=value" pass-through arguments into "--key=value".
func asFlags(args []string) []string {
	out := make([]string, 0, len(args))
	for _, a := range args {
		out = append(out, "--"+strings.TrimPrefix(a, "--"))
	}
	return out
}

// adminClient speaks HTTPS to the API server with the admin credentials: the server's own
// requests to its API.
func adminClient(cfg serverConfig, pki *pki) *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(pki.ca)
	return &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{
			RootCAs:      pool,
			Certificates: []tls.Certificate{pki.admin},
			ServerName:   cfg.localHost(),
		}},
	}
}

// waitReady polls /readyz with the admin credentials until it answers 200, the API server
// process exits, or the context ends.
func waitReady(ctx context.Context, cfg serverConfig, client *http.Client, children *supervisor) error {
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		resp, err := client.Get(cfg.serverURL() + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case exit := <-children.exited:
			return exit
		// Often: the controller manager's start gate opens once this returns, and the default
		// service account (what k3sbox up waits for) is made right after it.
		case <-time.After(10 * time.Millisecond):
		}
	}
	return errors.New("API server not ready within 5m")
}

// ensureDefaultServiceAccount creates the service account of namespace default, as the controller
// manager's service-account controller does about 0.1 s after it starts: clients that wait for a
// usable cluster (k3sbox up; anything that creates pods in default) wait for this account, and
// the controller manager starts only once the API answers. The controller takes an existing
// account as made. One made on an earlier boot (409) is fine; the namespace itself appears a
// moment after /readyz, so a 404 is tried again.
func ensureDefaultServiceAccount(ctx context.Context, cfg serverConfig, client *http.Client) {
	const account = `{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"default"}}`
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Post(cfg.serverURL()+"/api/v1/namespaces/default/serviceaccounts", "application/json", strings.NewReader(account))
		if err == nil {
			resp.Body.Close()
			switch {
			case resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusConflict:
				return
			case resp.StatusCode != http.StatusNotFound && resp.StatusCode < 500:
				// refused for good (e.g. 403): the controller manager makes the account
				logf("default service account not created (HTTP %d); the controller manager makes it", resp.StatusCode)
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	logf("default service account not created within 30s; the controller manager makes it")
}
