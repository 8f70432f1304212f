package main

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// defaultConfig is `k3s server` with no flags, as k3s defaults them.
func defaultConfig() serverConfig {
	return serverConfig{
		dataDir:        "/var/lib/rancher/k3s",
		httpsPort:      6443,
		bindAddress:    "0.0.0.0",
		kubeconfigPath: "/etc/rancher/k3s/k3s.yaml",
		kubeconfigMode: "0600",
		serviceCIDR:    "10.43.0.0/16",
		clusterDomain:  "cluster.local",
	}
}

// spaced turns every --flag=value into --flag value, the other way k3s's command line takes.
func spaced(args []string) []string {
	var out []string
	for _, a := range args {
		if name, value, ok := strings.Cut(a, "="); ok && strings.HasPrefix(a, "--") {
			out = append(out, name, value)
		} else {
			out = append(out, a)
		}
	}
	return out
}

func TestParseServerFlagsDefaultsAreK3ss(t *testing.T) {
	got, err := parseServerFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := defaultConfig(); !reflect.DeepEqual(got, want) {
		t.Errorf("parseServerFlags() = %+v, want %+v", got, want)
	}
}

func TestParseServerFlagsAcceptsEveryServerFlagInBothForms(t *testing.T) {
	tests := []struct {
		name string
		args []string // --flag=value; each is also tried as --flag value
		want func(*serverConfig)
	}{
		{"data-dir", []string{"--data-dir=/data"}, func(c *serverConfig) { c.dataDir = "/data" }},
		{"https-listen-port", []string{"--https-listen-port=16443"}, func(c *serverConfig) { c.httpsPort = 16443 }},
		{"bind-address", []string{"--bind-address=127.0.0.1"}, func(c *serverConfig) { c.bindAddress = "127.0.0.1" }},
		{"IPv6 bind-address", []string{"--bind-address=::1"}, func(c *serverConfig) { c.bindAddress = "::1" }},
		{"advertise-address", []string{"--advertise-address=192.0.2.4"}, func(c *serverConfig) { c.advertiseAddress = "192.0.2.4" }},
		{"write-kubeconfig", []string{"--write-kubeconfig=/out/k.yaml"}, func(c *serverConfig) { c.kubeconfigPath = "/out/k.yaml" }},
		{"write-kubeconfig-mode", []string{"--write-kubeconfig-mode=644"}, func(c *serverConfig) { c.kubeconfigMode = "644" }},
		{"service-cidr", []string{"--service-cidr=10.96.0.0/12"}, func(c *serverConfig) { c.serviceCIDR = "10.96.0.0/12" }},
		{"cluster-domain", []string{"--cluster-domain=corp.internal"}, func(c *serverConfig) { c.clusterDomain = "corp.internal" }},
		{
			"tls-san, repeated and comma-separated",
			[]string{"--tls-san=a.example", "--tls-san=192.0.2.1,b.example"},
			func(c *serverConfig) { c.tlsSANs = []string{"a.example", "192.0.2.1", "b.example"} },
		},
		{
			"kube-apiserver-arg, repeated, commas kept in a value",
			[]string{"--kube-apiserver-arg=event-ttl=2h", "--kube-apiserver-arg=feature-gates=A=true,B=false"},
			func(c *serverConfig) { c.apiserverArgs = []string{"event-ttl=2h", "feature-gates=A=true,B=false"} },
		},
		{
			"kube-controller-manager-arg",
			[]string{"--kube-controller-manager-arg=secure-port=0", "--kube-controller-manager-arg=v=2"},
			func(c *serverConfig) { c.controllerArgs = []string{"secure-port=0", "v=2"} },
		},
		{"kube-scheduler-arg", []string{"--kube-scheduler-arg=secure-port=0"}, func(c *serverConfig) { c.schedulerArgs = []string{"secure-port=0"} }},
		{
			"kube-cloud-controller-manager-arg",
			[]string{"--kube-cloud-controller-manager-arg=secure-port=0"},
			func(c *serverConfig) { c.cloudControllerArgs = []string{"secure-port=0"} },
		},
		{
			"disable, repeated and comma-separated",
			[]string{"--disable=traefik,servicelb", "--disable=coredns"},
			func(c *serverConfig) { c.disabledComponents = []string{"traefik", "servicelb", "coredns"} },
		},
		{"disable-agent", []string{"--disable-agent"}, func(c *serverConfig) { c.disableAgent = true }},
		{"disable-scheduler", []string{"--disable-scheduler"}, func(c *serverConfig) { c.disableScheduler = true }},
		{"disable-cloud-controller", []string{"--disable-cloud-controller"}, func(c *serverConfig) { c.disableCloud = true }},
		{"shorthands -d and -o", []string{"-d", "/d", "-o", "/o.yaml"}, func(c *serverConfig) { c.dataDir, c.kubeconfigPath = "/d", "/o.yaml" }},
		{
			"k3s flags without effect here are accepted and listed once, by name",
			[]string{
				"--disable-network-policy", "--disable-helm-controller", "--disable-kube-proxy",
				"--flannel-backend=none", "--node-name=n", "--token=t", "--agent-token=a", "--cluster-cidr=10.42.0.0/16",
				"--snapshotter=native", "--node-ip=192.0.2.2", "--node-external-ip=192.0.2.3", "--token=again",
			},
			func(c *serverConfig) {
				c.ignoredK3sArguments = []string{
					"--agent-token", "--cluster-cidr", "--disable-helm-controller", "--disable-kube-proxy", "--disable-network-policy",
					"--flannel-backend", "--node-external-ip", "--node-ip", "--node-name", "--snapshotter", "--token",
				}
			},
		},
		{
			"k3sbox's command line (ServerRecipe)",
			[]string{
				"--disable-agent", "--disable=traefik,servicelb,metrics-server,coredns,local-storage", "--disable-scheduler",
				"--disable-cloud-controller", "--kube-controller-manager-arg=secure-port=0", "--flannel-backend=none",
				"--https-listen-port=6550", "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
				"--kube-apiserver-arg=endpoint-reconciler-type=none", "--tls-san=127.0.0.1", "--write-kubeconfig-mode=600",
			},
			func(c *serverConfig) {
				c.disableAgent, c.disableScheduler, c.disableCloud = true, true, true
				c.disabledComponents = []string{"traefik", "servicelb", "metrics-server", "coredns", "local-storage"}
				c.controllerArgs = []string{"secure-port=0"}
				c.ignoredK3sArguments = []string{"--flannel-backend"}
				c.httpsPort, c.bindAddress, c.advertiseAddress = 6550, "127.0.0.1", "127.0.0.1"
				c.apiserverArgs = []string{"endpoint-reconciler-type=none"}
				c.tlsSANs = []string{"127.0.0.1"}
				c.kubeconfigMode = "600"
			},
		},
		{
			"Testcontainers' K3sContainer command line",
			[]string{"--disable=traefik", "--tls-san=localhost"},
			func(c *serverConfig) { c.disabledComponents, c.tlsSANs = []string{"traefik"}, []string{"localhost"} },
		},
	}
	for _, tt := range tests {
		want := defaultConfig()
		tt.want(&want)
		for form, args := range map[string][]string{"--flag=value": tt.args, "--flag value": spaced(tt.args)} {
			t.Run(tt.name+"/"+form, func(t *testing.T) {
				got, err := parseServerFlags(args)
				if err != nil {
					t.Fatalf("parseServerFlags(%q): %v", args, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("parseServerFlags(%q)\n got %+v\nwant %+v", args, got, want)
				}
			})
		}
	}
}

func TestParseServerFlagsRefusesUnknownAndInvalidFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // part of the error
	}{
		{"unknown flag", []string{"--no-such-flag=1"}, "unknown flag"},
		{"k3s flag the stand-in does not take", []string{"--cluster-init"}, "unknown flag"},
		{"positional argument", []string{"--disable-agent", "extra"}, "unexpected arguments"},
		{"flag without its value", []string{"--data-dir"}, "needs an argument"},
		{"port not a number", []string{"--https-listen-port=https"}, "invalid argument"},
		{"port zero", []string{"--https-listen-port=0"}, "not a port"},
		{"port too high", []string{"--https-listen-port=65536"}, "not a port"},
		{"no room for kube-apiserver's port", []string{"--https-listen-port=65535"}, "kube-apiserver's port 65536"},
		{"kube-apiserver secure-port zero", []string{"--kube-apiserver-arg=secure-port=0"}, "kube-apiserver's port 0"},
		{"bind address a name", []string{"--bind-address=localhost"}, "not an IP address"},
		{"bind address empty", []string{"--bind-address="}, "not an IP address"},
		{"kubeconfig mode not octal", []string{"--write-kubeconfig-mode=rw-------"}, "not an octal file mode"},
		{"kubeconfig mode with a non-octal digit", []string{"--write-kubeconfig-mode=0698"}, "not an octal file mode"},
		{"boolean flag with a non-boolean value", []string{"--disable-agent=maybe"}, "invalid argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseServerFlags(tt.args)
			if err == nil {
				t.Fatalf("parseServerFlags(%q) accepted it", tt.args)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseServerFlags(%q): %v, want an error with %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestParseServerFlagsAllowsTopPortWhenKubeAPIServerPortIsGiven(t *testing.T) {
	cfg := testConfig(t, "--https-listen-port=65535", "--kube-apiserver-arg=secure-port=6444")
	if cfg.httpsPort != 65535 || cfg.apiserverPort() != 6444 {
		t.Errorf("ports %d and %d, want 65535 and 6444", cfg.httpsPort, cfg.apiserverPort())
	}
}

func TestCloudControllerRunsUnlessItAndServiceLBAreBothDisabled(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"--disable-cloud-controller"}, true},
		{[]string{"--disable=servicelb"}, true},
		{[]string{"--disable=traefik", "--disable-cloud-controller"}, true},
		{[]string{"--disable=servicelb", "--disable-cloud-controller"}, false},
		{[]string{"--disable=traefik,servicelb,coredns", "--disable-cloud-controller"}, false},
	}
	for _, tt := range tests {
		if got := testConfig(t, tt.args...).cloudControllerRuns(); got != tt.want {
			t.Errorf("cloudControllerRuns with %q = %v, want %v", tt.args, got, tt.want)
		}
	}
}

func TestArgValueFindsTheLastKeyValue(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		key       string
		want      string
		wantFound bool
	}{
		{"none", nil, "secure-port", "", false},
		{"absent", []string{"event-ttl=2h"}, "secure-port", "", false},
		{"k3s form", []string{"secure-port=6444"}, "secure-port", "6444", true},
		{"with dashes", []string{"--secure-port=6444"}, "secure-port", "6444", true},
		{"last wins", []string{"secure-port=1", "event-ttl=2h", "secure-port=2"}, "secure-port", "2", true},
		{"value holding =", []string{"feature-gates=A=true,B=false"}, "feature-gates", "A=true,B=false", true},
		{"empty value", []string{"secure-port="}, "secure-port", "", true},
		{"key alone", []string{"secure-port"}, "secure-port", "", false},
		{"longer key", []string{"secure-port-x=1"}, "secure-port", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found := argValue(tt.args, tt.key)
			if got != tt.want || found != tt.wantFound {
				t.Errorf("argValue(%q, %q) = %q, %v; want %q, %v", tt.args, tt.key, got, found, tt.want, tt.wantFound)
			}
		})
	}
}

func TestSecurePortIsTheDefaultUnlessArgsGiveOne(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{nil, controllerManagerPort},
		{[]string{"v=2"}, controllerManagerPort},
		{[]string{"secure-port=0"}, 0},
		{[]string{"--secure-port=11257"}, 11257},
		{[]string{"secure-port=1", "secure-port=2"}, 2},
		{[]string{"secure-port=none"}, controllerManagerPort},
	}
	for _, tt := range tests {
		if got := securePort(tt.args, controllerManagerPort); got != tt.want {
			t.Errorf("securePort(%q) = %d, want %d", tt.args, got, tt.want)
		}
	}
}

func TestAPIServerPortIsSupervisorPortPlusOneUnlessGiven(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{nil, 6444},
		{[]string{"--https-listen-port=16443"}, 16444},
		{[]string{"--kube-apiserver-arg=secure-port=7000"}, 7000},
		{[]string{"--kube-apiserver-arg=secure-port=7000", "--kube-apiserver-arg=secure-port=7001"}, 7001},
	}
	for _, tt := range tests {
		if got := testConfig(t, tt.args...).apiserverPort(); got != tt.want {
			t.Errorf("apiserverPort with %q = %d, want %d", tt.args, got, tt.want)
		}
	}
	if got := (serverConfig{httpsPort: 6443, apiserverArgs: []string{"secure-port=x"}}).apiserverPort(); got != 6444 {
		t.Errorf("apiserverPort with a secure-port that is no number = %d, want 6444", got)
	}
}

func TestSupervisorListensOnBindAddressAndLoopbackAsK3s(t *testing.T) {
	tests := []struct {
		bind string
		want []string
	}{
		{"0.0.0.0", []string{"0.0.0.0:6443"}},
		{"::", []string{"[::]:6443"}},
		{"127.0.0.1", []string{"127.0.0.1:6443"}},
		{"127.0.0.2", []string{"127.0.0.2:6443"}},
		{"::1", []string{"[::1]:6443"}},
		{"192.0.2.5", []string{"192.0.2.5:6443", "127.0.0.1:6443"}},
	}
	for _, tt := range tests {
		if got := testConfig(t, "--bind-address="+tt.bind).supervisorAddresses(); !slices.Equal(got, tt.want) {
			t.Errorf("supervisorAddresses for %s = %q, want %q", tt.bind, got, tt.want)
		}
	}
}

func TestAsFlagsPrefixesDashesOnce(t *testing.T) {
	got := asFlags([]string{"event-ttl=2h", "--secure-port=0", "profiling", "feature-gates=A=true,B=false"})
	want := []string{"--event-ttl=2h", "--secure-port=0", "--profiling", "--feature-gates=A=true,B=false"}
	if !slices.Equal(got, want) {
		t.Errorf("asFlags = %q, want %q", got, want)
	}
	if got := asFlags(nil); got == nil || len(got) != 0 {
		t.Errorf("asFlags(nil) = %#v, want an empty list", got)
	}
}

// values are the values a command line gives flag, in order.
func values(flags []string, flag string) []string {
	var out []string
	for _, f := range flags {
		if v, ok := strings.CutPrefix(f, "--"+flag+"="); ok {
			out = append(out, v)
		} else if f == "--"+flag {
			out = append(out, "(bare)")
		}
	}
	return out
}

// assertFlags checks that flags gives each flag exactly the values wanted (none: absent).
func assertFlags(t *testing.T, flags []string, want map[string][]string) {
	t.Helper()
	for flag, w := range want {
		if got := values(flags, flag); !slices.Equal(got, w) {
			t.Errorf("--%s: %q, want %q\nin %q", flag, got, w, flags)
		}
	}
}

func TestAPIServerFlagsServeBehindTheSupervisorWithTheStandInsCredentials(t *testing.T) {
	dirs := newLayout("/data")
	flags := apiserverFlags(testConfig(t, "--https-listen-port=6550", "--cluster-domain=corp.internal", "--service-cidr=10.96.0.0/12"), dirs)
	assertFlags(t, flags, map[string][]string{
		"etcd-servers":                     {"unix://etcd-client.sock:2379"},
		"bind-address":                     {"127.0.0.1"},
		"secure-port":                      {"6551"},
		"tls-cert-file":                    {"/data/server/tls/serving-kube-apiserver.crt"},
		"tls-private-key-file":             {"/data/server/tls/serving-kube-apiserver.key"},
		"client-ca-file":                   {"/data/server/tls/ca.crt"},
		"service-account-issuer":           {"https://kubernetes.default.svc.corp.internal"},
		"api-audiences":                    {"https://kubernetes.default.svc.corp.internal,k3s"},
		"service-account-key-file":         {"/data/server/tls/service.key"},
		"service-account-signing-key-file": {"/data/server/tls/service.key"},
		"service-cluster-ip-range":         {"10.96.0.0/12"},
		"authorization-mode":               {"RBAC"},
		"advertise-address":                nil, // wildcard bind: kube-apiserver picks its own
		"endpoint-reconciler-type":         nil,
	})
	for _, f := range flags {
		if !strings.HasPrefix(f, "--") || !strings.Contains(f, "=") {
			t.Errorf("%q is not --key=value", f)
		}
	}
}

func TestAPIServerFlagsAdvertiseTheBindOrAdvertiseAddress(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		advertise  []string
		reconciler []string
	}{
		{"wildcard bind", nil, nil, nil},
		{"IPv6 wildcard bind", []string{"--bind-address=::"}, nil, nil},
		{"address bind", []string{"--bind-address=192.0.2.5"}, []string{"192.0.2.5"}, nil},
		{"advertise address wins", []string{"--bind-address=192.0.2.5", "--advertise-address=192.0.2.6"}, []string{"192.0.2.6"}, nil},
		{"advertise address with wildcard bind", []string{"--advertise-address=192.0.2.6"}, []string{"192.0.2.6"}, nil},
		{"loopback bind: no endpoints", []string{"--bind-address=127.0.0.1"}, []string{"127.0.0.1"}, []string{"none"}},
		{
			"k3sbox's loopback command line: its endpoint-reconciler-type once",
			[]string{"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--kube-apiserver-arg=endpoint-reconciler-type=none"},
			[]string{"127.0.0.1"}, []string{"none"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			flags := apiserverFlags(testConfig(t, tt.args...), newLayout("/data"))
			assertFlags(t, flags, map[string][]string{"advertise-address": tt.advertise, "endpoint-reconciler-type": tt.reconciler})
		})
	}
}

// As k3s's GetArgs: a --kube-*-arg key replaces the stand-in's default for it; other keys are
// added; a key given twice is passed twice, in order.
func TestUserComponentArgsReplaceDefaultsAsInK3s(t *testing.T) {
	dirs := newLayout("/data")
	tests := []struct {
		name  string
		flags func(serverConfig, layout) []string
		args  []string
		want  map[string][]string
	}{
		{
			"kube-apiserver: a list flag is replaced, not added to",
			apiserverFlags,
			[]string{"--kube-apiserver-arg=authorization-mode=Node,RBAC", "--kube-apiserver-arg=api-audiences=a,b"},
			map[string][]string{"authorization-mode": {"Node,RBAC"}, "api-audiences": {"a,b"}},
		},
		{
			"kube-apiserver: secure-port moves the API server",
			apiserverFlags,
			[]string{"--kube-apiserver-arg=secure-port=7000"},
			map[string][]string{"secure-port": {"7000"}},
		},
		{
			"kube-apiserver: new keys are added, repeated ones kept in order",
			apiserverFlags,
			[]string{"--kube-apiserver-arg=event-ttl=2h", "--kube-apiserver-arg=--feature-gates=A=true", "--kube-apiserver-arg=feature-gates=B=false"},
			map[string][]string{"event-ttl": {"2h"}, "feature-gates": {"A=true", "B=false"}, "authorization-mode": {"RBAC"}},
		},
		{
			"kube-apiserver: a bare key replaces the default",
			apiserverFlags,
			[]string{"--kube-apiserver-arg=profiling"},
			map[string][]string{"profiling": {"(bare)"}},
		},
		{
			"kube-controller-manager: k3sbox's secure-port=0",
			controllerManagerFlags,
			[]string{"--kube-controller-manager-arg=secure-port=0"},
			map[string][]string{"secure-port": {"0"}, "leader-elect": {"false"}},
		},
		{
			"kube-controller-manager: defaults without args",
			controllerManagerFlags,
			nil,
			map[string][]string{
				"kubeconfig":                       {"/data/server/cred/controller.kubeconfig"},
				"bind-address":                     {"127.0.0.1"},
				"secure-port":                      {"10257"},
				"service-account-private-key-file": {"/data/server/tls/service.key"},
				"root-ca-file":                     {"/data/server/tls/ca.crt"},
				"cluster-signing-cert-file":        {"/data/server/tls/ca.crt"},
				"cluster-signing-key-file":         {"/data/server/tls/ca.key"},
				"use-service-account-credentials":  {"false"},
			},
		},
		{
			"kube-controller-manager: controllers list replaced",
			controllerManagerFlags,
			[]string{"--kube-controller-manager-arg=controllers=*,-ttl", "--kube-controller-manager-arg=leader-elect=true"},
			map[string][]string{"controllers": {"*,-ttl"}, "leader-elect": {"true"}},
		},
		{
			"kube-scheduler: defaults without args",
			schedulerFlags,
			nil,
			map[string][]string{"kubeconfig": {"/data/server/cred/controller.kubeconfig"}, "secure-port": {"10259"}, "bind-address": {"127.0.0.1"}},
		},
		{
			"kube-scheduler: secure-port=0",
			schedulerFlags,
			[]string{"--kube-scheduler-arg=secure-port=0", "--kube-scheduler-arg=v=4"},
			map[string][]string{"secure-port": {"0"}, "v": {"4"}, "leader-elect": {"false"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertFlags(t, tt.flags(testConfig(t, tt.args...), dirs), tt.want)
		})
	}
}

func TestComponentFlagsIgnoreOtherComponentsArgs(t *testing.T) {
	cfg := testConfig(t, "--kube-apiserver-arg=v=1", "--kube-controller-manager-arg=v=2", "--kube-scheduler-arg=v=3")
	dirs := newLayout("/data")
	for name, tt := range map[string]struct {
		flags []string
		want  string
	}{
		"kube-apiserver":          {apiserverFlags(cfg, dirs), "1"},
		"kube-controller-manager": {controllerManagerFlags(cfg, dirs), "2"},
		"kube-scheduler":          {schedulerFlags(cfg, dirs), "3"},
	} {
		if got := values(tt.flags, "v"); !slices.Equal(got, []string{tt.want}) {
			t.Errorf("%s: --v %q, want [%s]", name, got, tt.want)
		}
	}
}
