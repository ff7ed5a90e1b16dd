package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
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
	"time"
)

// The certificates live as long as the .local/ directory: ten years, so that a test never
// fails because a machine was kept around.
const certificateLifetime = 10 * 365 * 24 * time.Hour

// ensurePKI creates, once, the cluster CA, the API server's serving certificate, the admin
// client certificate (group system:masters, which RBAC lets do everything) and the
// service-account signing key pair. Existing files are kept, so a restart keeps every
// token and kubeconfig valid.
func ensurePKI(c harnessConfig) error {
	dir := filepath.Join(c.Dir, "pki")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	path := func(name string) string { return filepath.Join(dir, name) }

	if !exists(path("ca.crt")) || !exists(path("ca.key")) {
		key, err := newKey()
		if err != nil {
			return err
		}
		template := certificateTemplate(pkix.Name{CommonName: "localstore-k8s-harness-ca"})
		template.IsCA = true
		template.BasicConstraintsValid = true
		template.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
		if err := writeCertificate(path("ca"), template, template, key, key); err != nil {
			return err
		}
	}
	caCert, caKey, err := readCertificate(path("ca"))
	if err != nil {
		return err
	}

	if !exists(path("apiserver.crt")) || !exists(path("apiserver.key")) {
		key, err := newKey()
		if err != nil {
			return err
		}
		template := certificateTemplate(pkix.Name{CommonName: "kube-apiserver"})
		template.KeyUsage = x509.KeyUsageDigitalSignature
		template.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		template.DNSNames = []string{"localhost", "kubernetes", "kubernetes.default",
			"kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}
		template.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
		if err := writeCertificate(path("apiserver"), template, caCert, key, caKey); err != nil {
			return err
		}
	}

	if !exists(path("admin.crt")) || !exists(path("admin.key")) {
		key, err := newKey()
		if err != nil {
			return err
		}
		template := certificateTemplate(pkix.Name{CommonName: "kubernetes-admin", Organization: []string{"system:masters"}})
		template.KeyUsage = x509.KeyUsageDigitalSignature
		template.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		if err := writeCertificate(path("admin"), template, caCert, key, caKey); err != nil {
			return err
		}
	}

	if !exists(path("sa.key")) || !exists(path("sa.pub")) {
		key, err := newKey()
		if err != nil {
			return err
		}
		private, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return err
		}
		public, err := x509.MarshalPKIXPublicKey(key.Public())
		if err != nil {
			return err
		}
		if err := writePEM(path("sa.key"), "PRIVATE KEY", private, 0o600); err != nil {
			return err
		}
		if err := writePEM(path("sa.pub"), "PUBLIC KEY", public, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// writeKubeconfig writes, at every start (the port may have changed), the admin kubeconfig
// with the certificates embedded, so that it can be copied or read from any directory.
func writeKubeconfig(c harnessConfig) error {
	pki := filepath.Join(c.Dir, "pki")
	encoded := map[string]string{}
	for _, name := range []string{"ca.crt", "admin.crt", "admin.key"} {
		content, err := os.ReadFile(filepath.Join(pki, name))
		if err != nil {
			return err
		}
		encoded[name] = base64.StdEncoding.EncodeToString(content)
	}
	kubeconfig := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: k8s-harness
  cluster:
    server: https://127.0.0.1:%d
    certificate-authority-data: %s
users:
- name: admin
  user:
    client-certificate-data: %s
    client-key-data: %s
contexts:
- name: k8s-harness
  context:
    cluster: k8s-harness
    user: admin
current-context: k8s-harness
`, c.APIPort, encoded["ca.crt"], encoded["admin.crt"], encoded["admin.key"])
	return writeAtomically(filepath.Join(c.Dir, "kubeconfig"), []byte(kubeconfig), 0o600)
}

func newKey() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}

func certificateTemplate(subject pkix.Name) *x509.Certificate {
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	now := time.Now()
	return &x509.Certificate{
		SerialNumber: serial,
		Subject:      subject,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(certificateLifetime),
	}
}

func writeCertificate(base string, template, parent *x509.Certificate, key *ecdsa.PrivateKey, parentKey crypto.Signer) error {
	der, err := x509.CreateCertificate(rand.Reader, template, parent, key.Public(), parentKey)
	if err != nil {
		return err
	}
	private, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	// The key first: a certificate without its key would be kept by the next start.
	if err := writePEM(base+".key", "EC PRIVATE KEY", private, 0o600); err != nil {
		return err
	}
	return writePEM(base+".crt", "CERTIFICATE", der, 0o644)
}

func readCertificate(base string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	certPEM, err := os.ReadFile(base + ".crt")
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(base + ".key")
	if err != nil {
		return nil, nil, err
	}
	certBlock, _ := pem.Decode(certPEM)
	keyBlock, _ := pem.Decode(keyPEM)
	if certBlock == nil || keyBlock == nil {
		return nil, nil, errors.New(base + ".crt/.key: not PEM")
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	key, err := x509.ParseECPrivateKey(keyBlock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	return cert, key, nil
}

func writePEM(path, blockType string, der []byte, mode os.FileMode) error {
	return writeAtomically(path, pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}), mode)
}

func writeAtomically(path string, content []byte, mode os.FileMode) error {
	temporary := path + ".tmp"
	if err := os.WriteFile(temporary, content, mode); err != nil {
		return err
	}
	return os.Rename(temporary, path)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
