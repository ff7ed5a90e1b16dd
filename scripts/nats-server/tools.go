//go:build tools

// Package tools pins the NATS server as a dependency of this module, so
// `go build github.com/nats-io/nats-server/v2` builds exactly the version in go.mod.
package tools

import _ "github.com/nats-io/nats-server/v2"
