// Command k3s is k3sbox's control-plane stand-in: one static, multi-call binary holding the
// upstream kube-apiserver, kube-controller-manager, kube-scheduler and kubectl of one Kubernetes
// release, with etcd embedded, in k3s's port layout (ports.go). It exists because the Go module proxy reachable from k3sbox's build machines
// does not serve github.com/k3s-io/k3s, so real k3s cannot be compiled there.
//
// It accepts the subset of `k3s server` flags that k3sbox and Testcontainers' K3sContainer
// pass, and writes a k3s-shaped kubeconfig, so the same image slot serves both. It is
// labelled and versioned as a stand-in everywhere; it is not k3s.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	_ "time/tzdata" // CronJob time zones, as in upstream kube-apiserver

	"github.com/spf13/cobra"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/component-base/version"
	kubectl "k8s.io/kubectl/pkg/cmd"
	kubectlutil "k8s.io/kubectl/pkg/cmd/util"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
)

// flavor names what this binary is wherever it reports a version.
const flavor = "k3sbox control-plane stand-in (kube-apiserver + kube-controller-manager + embedded etcd; not k3s)"

func main() {
	name := filepath.Base(os.Args[0])
	args := os.Args[1:]
	if name == "k3s" || name == "controlplane" {
		if len(args) == 0 {
			args = []string{"server"}
		}
		name, args = args[0], args[1:]
	}
	switch name {
	case "server", "kube-apiserver", "kube-controller-manager", "kube-scheduler":
		adaptMemoryLimit() // the long-running ones (memory.go)
	}
	switch name {
	case "server":
		os.Exit(runServer(args))
	case "kubectl":
		runKubectl(args)
	case "kube-apiserver":
		os.Exit(runCobra(apiserver.NewAPIServerCommand(), args))
	case "kube-controller-manager":
		command := controllermanager.NewControllerManagerCommand()
		awaitStartGate()
		os.Exit(runCobra(command, args))
	case "kube-scheduler":
		command := scheduler.NewSchedulerCommand()
		awaitStartGate()
		os.Exit(runCobra(command, args))
	case "--version", "-v", "version":
		printVersion()
	default:
		fmt.Fprintf(os.Stderr, "k3s: unknown command %q (commands: server, kubectl, kube-apiserver, kube-controller-manager, kube-scheduler, --version)\n", name)
		os.Exit(2)
	}
}

// startGateEnv names the inherited file descriptor a component waits on before it starts: the
// server passes the read end of a pipe and closes the write end when the component may run.
const startGateEnv = "K3SBOX_START_GATE"

// awaitStartGate returns once the server opens the start gate (end of file on the descriptor
// named by startGateEnv), or at once when there is none.
func awaitStartGate() {
	fd, err := strconv.Atoi(os.Getenv(startGateEnv))
	if err != nil {
		return
	}
	os.Unsetenv(startGateEnv)
	gate := os.NewFile(uintptr(fd), "start-gate")
	_, _ = io.Copy(io.Discard, gate)
	gate.Close()
}

func printVersion() {
	fmt.Printf("k3s version %s (%s)\n", version.Get().GitVersion, flavor)
	fmt.Printf("go version %s\n", version.Get().GoVersion)
}

func runCobra(command *cobra.Command, args []string) int {
	command.SetArgs(args)
	return cli.Run(command)
}

func runKubectl(args []string) {
	os.Args = append([]string{"kubectl"}, args...)
	command := kubectl.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		kubectlutil.CheckErr(err)
	}
}
