package main

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// k3s's port layout, kept by the stand-in so that whatever runs it side by side on one host
// network (k3sbox up, several times) meets the ports real k3s would bind (k3s's
// pkg/daemons/control/server.go):
//
//   - the supervisor on --https-listen-port, on --bind-address and, for an address that is
//     neither a wildcard nor loopback, on loopback as well (util.ListenWithLoopback); it hands
//     every connection to the API server (k3s also answers its own /v1-k3s paths there);
//   - kube-apiserver on 127.0.0.1 at the supervisor's port + 1;
//   - kube-controller-manager on 127.0.0.1:10257, kube-scheduler on 127.0.0.1:10259, the cloud
//     controller manager on 127.0.0.1:10258, each unless switched off by the flags k3s takes.
const (
	controllerManagerPort = 10257
	cloudControllerPort   = 10258
	schedulerPort         = 10259
)

// apiserverPort is where kube-apiserver listens: the supervisor's port + 1, or the secure-port a
// --kube-apiserver-arg gives, as in k3s.
func (c serverConfig) apiserverPort() int {
	if p, ok := argValue(c.apiserverArgs, "secure-port"); ok {
		if n, err := strconv.Atoi(p); err == nil {
			return n
		}
	}
	return c.httpsPort + 1
}

// argValue finds key=value among k3s-style pass-through arguments; the last one wins, as it does
// on the component's own command line.
func argValue(args []string, key string) (string, bool) {
	value, found := "", false
	for _, a := range args {
		k, v, ok := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if ok && k == key {
			value, found = v, true
		}
	}
	return value, found
}

// supervisorAddresses are the addresses the supervisor listens on, as k3s's ListenWithLoopback.
func (c serverConfig) supervisorAddresses() []string {
	port := strconv.Itoa(c.httpsPort)
	addresses := []string{net.JoinHostPort(c.bindAddress, port)}
	ip := net.ParseIP(c.bindAddress)
	if !ip.IsUnspecified() && !ip.IsLoopback() {
		addresses = append(addresses, net.JoinHostPort("127.0.0.1", port))
	}
	return addresses
}

// startSupervisor listens where k3s's supervisor does and passes each connection, TLS and all,
// to the API server on loopback. It listens before the API server starts, as k3s does: the port
// is taken (or found taken) at once.
func startSupervisor(ctx context.Context, cfg serverConfig) ([]net.Listener, error) {
	target := net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.apiserverPort()))
	var listeners []net.Listener
	for _, address := range cfg.supervisorAddresses() {
		l, err := listen(address)
		if err != nil {
			for _, open := range listeners {
				open.Close()
			}
			return nil, err
		}
		listeners = append(listeners, l)
		go forward(ctx, l, target)
	}
	return listeners, nil
}

func listen(address string) (net.Listener, error) {
	var lc net.ListenConfig // Go sets SO_REUSEADDR, as for every listener
	return lc.Listen(context.Background(), "tcp", address)
}

func forward(ctx context.Context, l net.Listener, target string) {
	var dialer net.Dialer
	for {
		client, err := l.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			// Out of descriptors and the like: pass, as net/http does, rather than stop serving.
			logf("supervisor: accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		go func() {
			defer client.Close()
			server, err := dialer.DialContext(ctx, "tcp", target)
			if err != nil {
				return // the API server is not up yet: the client sees a closed connection
			}
			defer server.Close()
			var done sync.WaitGroup
			done.Add(2)
			go pipe(server, client, &done)
			go pipe(client, server, &done)
			done.Wait()
		}()
	}
}

// pipe copies one direction and then half-closes the other side, so each end sees the other's
// end of stream.
func pipe(to, from net.Conn, done *sync.WaitGroup) {
	defer done.Done()
	_, _ = io.Copy(to, from)
	if tcp, ok := to.(*net.TCPConn); ok {
		_ = tcp.CloseWrite()
	} else {
		_ = to.Close()
	}
}

// securePort is the port a component serves on: its default, or the secure-port its pass-through
// arguments give (0: none).
func securePort(args []string, fallback int) int {
	if p, ok := argValue(args, "secure-port"); ok {
		if n, err := strconv.Atoi(p); err == nil {
			return n
		}
	}
	return fallback
}

// startCloudControllerStandIn holds the cloud controller manager's port where k3s would run one:
// k3s runs its own cloud provider (node addresses, servicelb), which has no place in a stand-in
// without nodes, but its port is part of the layout two clusters must not share. It answers
// /healthz, over TLS with the API server's certificate, as the real one would.
func startCloudControllerStandIn(cfg serverConfig, dirs layout) (io.Closer, error) {
	port := securePort(cfg.cloudControllerArgs, cloudControllerPort)
	if port == 0 {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(dirs.tls+"/serving-kube-apiserver.crt", dirs.tls+"/serving-kube-apiserver.key")
	if err != nil {
		return nil, err
	}
	l, err := listen(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}
	server := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/healthz" {
				_, _ = io.WriteString(w, "ok")
				return
			}
			http.NotFound(w, r)
		}),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}},
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		if err := server.ServeTLS(l, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logf("cloud controller stand-in: %v", err)
		}
	}()
	return server, nil
}
