package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// harnessConfig is read once from the environment; every value has a default so that
// `scripts/k8s.sh up` needs none.
type harnessConfig struct {
	// Dir holds etcd's data, the certificates and the kubeconfig (LOCALSTORE_K8S_DIR, default
	// .local/k8s relative to the working directory).
	Dir string
	// APIPort is the API server's HTTPS port on 127.0.0.1 (LOCALSTORE_K8S_API_PORT, default 56443).
	APIPort int
	// EtcdClientPort and EtcdPeerPort are etcd's ports on 127.0.0.1 (LOCALSTORE_K8S_ETCD_PORT, default
	// 52379; the peer port is the next one).
	EtcdClientPort int
	EtcdPeerPort   int
	// ServiceCIDR is the range Service cluster IPs are allocated from (LOCALSTORE_K8S_SERVICE_CIDR).
	ServiceCIDR string
	// DisabledAdmissionPlugins is passed to --disable-admission-plugins
	// (LOCALSTORE_K8S_DISABLE_ADMISSION_PLUGINS, default ServiceAccount).
	DisabledAdmissionPlugins string
	// Verbosity is the API server's klog level (LOCALSTORE_K8S_API_VERBOSITY, default 0).
	Verbosity string
}

func loadConfig() (harnessConfig, error) {
	c := harnessConfig{
		Dir:                      envOr("LOCALSTORE_K8S_DIR", ".local/k8s"),
		ServiceCIDR:              envOr("LOCALSTORE_K8S_SERVICE_CIDR", "10.96.0.0/16"),
		DisabledAdmissionPlugins: envOr("LOCALSTORE_K8S_DISABLE_ADMISSION_PLUGINS", "ServiceAccount"),
		Verbosity:                envOr("LOCALSTORE_K8S_API_VERBOSITY", "0"),
	}
	var err error
	if c.APIPort, err = portFromEnv("LOCALSTORE_K8S_API_PORT", 56443); err != nil {
		return c, err
	}
	if c.EtcdClientPort, err = portFromEnv("LOCALSTORE_K8S_ETCD_PORT", 52379); err != nil {
		return c, err
	}
	c.EtcdPeerPort = c.EtcdClientPort + 1
	if c.Dir, err = filepath.Abs(c.Dir); err != nil {
		return c, err
	}
	return c, nil
}

func envOr(name, fallback string) string {
	if value, ok := os.LookupEnv(name); ok && value != "" {
		return value
	}
	return fallback
}

func portFromEnv(name string, fallback int) (int, error) {
	value := envOr(name, strconv.Itoa(fallback))
	port, err := strconv.Atoi(value)
	if err != nil || port < 1 || port > 65534 {
		return 0, fmt.Errorf("%s=%q is not a TCP port", name, value)
	}
	return port, nil
}
