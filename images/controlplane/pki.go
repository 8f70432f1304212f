package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// pki is the stand-in's certificate authority and the credentials it issued. The CA and the
// service-account key persist in the data directory, so kubeconfigs and tokens issued before
// a restart stay valid; leaf certificates are issued anew at every start, so a changed
// --tls-san takes effect.
type pki struct {
	ca      *x509.Certificate
	caKey   crypto.Signer
	admin   tls.Certificate
	adminPE pemPair
}

type pemPair struct{ cert, key []byte }

func ensurePKI(dirs layout, cfg serverConfig) (*pki, error) {
	ca, caKey, err := loadOrCreateCA(dirs.tls)
	if err != nil {
		return nil, err
	}
	if _, err := loadOrCreateKey(filepath.Join(dirs.tls, "service.key")); err != nil {
		return nil, err
	}
	p := &pki{ca: ca, caKey: caKey}

	serving, err := p.issue(x509.Certificate{
		Subject:     pkix.Name{CommonName: "kube-apiserver"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    servingDNSNames(cfg),
		IPAddresses: servingIPs(cfg),
	})
	if err != nil {
		return nil, err
	}
	if err := serving.write(filepath.Join(dirs.tls, "serving-kube-apiserver")); err != nil {
		return nil, err
	}

	p.adminPE, err = p.issue(clientTemplate("system:admin", "system:masters"))
	if err != nil {
		return nil, err
	}
	if p.admin, err = tls.X509KeyPair(p.adminPE.cert, p.adminPE.key); err != nil {
		return nil, err
	}

	// The controller manager acts for every controller with this one identity (see
	// controllerManagerFlags), so it needs the superuser group of a single-node control plane.
	controller, err := p.issue(clientTemplate("system:kube-controller-manager", "system:masters"))
	if err != nil {
		return nil, err
	}
	kc := kubeconfigYAML(cfg.serverURL(), pemEncode("CERTIFICATE", ca.Raw), controller)
	return p, writeFileAtomic(filepath.Join(dirs.cred, "controller.kubeconfig"), kc, 0o600)
}

func clientTemplate(user, group string) x509.Certificate {
	t := x509.Certificate{
		Subject:     pkix.Name{CommonName: user},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if group != "" {
		t.Subject.Organization = []string{group}
	}
	return t
}

func servingDNSNames(cfg serverConfig) []string {
	names := []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc." + cfg.clusterDomain}
	if host, err := os.Hostname(); err == nil {
		names = append(names, host)
	}
	for _, san := range cfg.tlsSANs {
		if net.ParseIP(san) == nil && san != "" {
			names = append(names, san)
		}
	}
	return names
}

func servingIPs(cfg serverConfig) []net.IP {
	ips := []net.IP{net.ParseIP("127.0.0.1"), net.IPv6loopback}
	if ip := firstServiceIP(cfg.serviceCIDR); ip != nil {
		ips = append(ips, ip)
	}
	for _, s := range append([]string{cfg.bindAddress, cfg.advertiseAddress}, cfg.tlsSANs...) {
		if ip := net.ParseIP(s); ip != nil && !ip.IsUnspecified() {
			ips = append(ips, ip)
		}
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		// With a wildcard bind the server is reachable on every interface (a bridge
		// network's published port arrives on the container's own address).
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				ips = append(ips, n.IP)
			}
		}
	}
	return ips
}

func firstServiceIP(cidr string) net.IP {
	_, n, err := net.ParseCIDR(cidr)
	if err != nil {
		return nil
	}
	ip := n.IP.To4()
	if ip == nil {
		return nil
	}
	out := make(net.IP, len(ip))
	copy(out, ip)
	out[3]++
	return out
}

func (p *pki) issue(t x509.Certificate) (pemPair, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return pemPair{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return pemPair{}, err
	}
	t.SerialNumber = serial
	t.NotBefore = time.Now().Add(-time.Hour)
	t.NotAfter = time.Now().Add(365 * 24 * time.Hour)
	t.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	der, err := x509.CreateCertificate(rand.Reader, &t, p.ca, key.Public(), p.caKey)
	if err != nil {
		return pemPair{}, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return pemPair{}, err
	}
	return pemPair{cert: pemEncode("CERTIFICATE", der), key: pemEncode("EC PRIVATE KEY", keyDER)}, nil
}

func (pp pemPair) write(base string) error {
	if err := writeFileAtomic(base+".crt", pp.cert, 0o644); err != nil {
		return err
	}
	return writeFileAtomic(base+".key", pp.key, 0o600)
}

func loadOrCreateCA(dir string) (*x509.Certificate, crypto.Signer, error) {
	certPath, keyPath := filepath.Join(dir, "ca.crt"), filepath.Join(dir, "ca.key")
	if certPEM, err := os.ReadFile(certPath); err == nil {
		key, err := loadOrCreateKey(keyPath)
		if err != nil {
			return nil, nil, err
		}
		block, _ := pem.Decode(certPEM)
		if block == nil {
			return nil, nil, fmt.Errorf("%s holds no PEM certificate", certPath)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		return cert, key, err
	}
	key, err := loadOrCreateKey(keyPath)
	if err != nil {
		return nil, nil, err
	}
	t := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "k3sbox-controlplane-ca@" + strconv.FormatInt(time.Now().Unix(), 10)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, t, t, key.Public(), key)
	if err != nil {
		return nil, nil, err
	}
	if err := writeFileAtomic(certPath, pemEncode("CERTIFICATE", der), 0o644); err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func loadOrCreateKey(path string) (crypto.Signer, error) {
	if data, err := os.ReadFile(path); err == nil {
		block, _ := pem.Decode(data)
		if block == nil {
			return nil, fmt.Errorf("%s holds no PEM key", path)
		}
		return x509.ParseECPrivateKey(block.Bytes)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return key, writeFileAtomic(path, pemEncode("EC PRIVATE KEY", der), 0o600)
}

func pemEncode(kind string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der})
}

// kubeconfigYAML renders a kubeconfig in the shape k3s writes (cluster, user and context all
// named "default"), so tools that post-process k3s.yaml work unchanged.
func kubeconfigYAML(server string, caPEM []byte, client pemPair) []byte {
	b64 := base64.StdEncoding.EncodeToString
	return []byte(fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: %s
    server: %s
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
preferences: {}
users:
- name: default
  user:
    client-certificate-data: %s
    client-key-data: %s
`, b64(caPEM), server, b64(client.cert), b64(client.key)))
}

func writeKubeconfig(cfg serverConfig, p *pki) error {
	mode, _ := strconv.ParseUint(cfg.kubeconfigMode, 8, 32)
	if err := os.MkdirAll(filepath.Dir(cfg.kubeconfigPath), 0o755); err != nil {
		return err
	}
	return writeFileAtomic(cfg.kubeconfigPath, kubeconfigYAML(cfg.serverURL(), pemEncode("CERTIFICATE", p.ca.Raw), p.adminPE), os.FileMode(mode))
}

// writeFileAtomic writes through a temporary file in the same directory, so a reader never
// sees half a certificate or kubeconfig.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
