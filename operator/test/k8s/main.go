// Command k8s-harness runs a real kube-apiserver for the tests, on loopback, in one process
// with the etcd it stores into. There is no kubelet, controller manager or scheduler: objects
// are stored, validated, admitted and authorised as in a cluster, but nothing acts on them
// (see README.md).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	config, err := loadConfig()
	if err != nil {
		fmt.Fprintf(os.Stderr, "k8s-harness: %v\n", err)
		os.Exit(2)
	}
	if err := ensurePKI(config); err != nil {
		fmt.Fprintf(os.Stderr, "k8s-harness: certificates: %v\n", err)
		os.Exit(1)
	}
	if err := writeKubeconfig(config); err != nil {
		fmt.Fprintf(os.Stderr, "k8s-harness: kubeconfig: %v\n", err)
		os.Exit(1)
	}
	etcd, err := startEtcd(config)
	if err != nil {
		fmt.Fprintf(os.Stderr, "k8s-harness: etcd: %v\n", err)
		os.Exit(1)
	}
	// The API server owns the signal handling (SIGTERM/SIGINT end Run gracefully); etcd is
	// closed only after it has returned, so that no write is cut off half-way.
	command := app.NewAPIServerCommand()
	command.SetArgs(apiServerArgs(config))
	code := cli.Run(command)
	etcd.Close()
	os.Exit(code)
}

// apiServerArgs are the kube-apiserver flags for a single-node, loopback-only control plane.
func apiServerArgs(c harnessConfig) []string {
	pki := func(name string) string { return filepath.Join(c.Dir, "pki", name) }
	return []string{
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", c.APIPort),
		"--tls-cert-file=" + pki("apiserver.crt"),
		"--tls-private-key-file=" + pki("apiserver.key"),
		"--client-ca-file=" + pki("ca.crt"),
		fmt.Sprintf("--etcd-servers=http://127.0.0.1:%d", c.EtcdClientPort),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + pki("sa.pub"),
		"--service-account-signing-key-file=" + pki("sa.key"),
		// RBAC alone: the admin client is in system:masters; tests create other users'
		// bindings to check what an operator or a tenant may do.
		"--authorization-mode=RBAC",
		// Cluster IPs are only allocated, never routed: there is no kube-proxy.
		"--service-cluster-ip-range=" + c.ServiceCIDR,
		// Endpoint validation refuses loopback addresses, so the reconciler that publishes
		// the "kubernetes" Service's endpoints would fail forever; nothing here needs them.
		"--endpoint-reconciler-type=none",
		// Without a controller manager no namespace gets its "default" ServiceAccount, and
		// the ServiceAccount admission plugin would refuse every Pod.
		"--disable-admission-plugins=" + c.DisabledAdmissionPlugins,
		"--profiling=false",
		"--v=" + c.Verbosity,
	}
}
