// dockerfile-lint checks Dockerfiles without a Docker engine: BuildKit's own linter (the
// rules of `docker build --check`, run on the Dockerfile the way BuildKit reads it), then
// the house rules of our images. It prints each finding as file:line and exits 1 if any.
//
//	dockerfile-lint cell-api/Dockerfile control-plane/Dockerfile …
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerfile-lint <Dockerfile>…")
		os.Exit(2)
	}
	findings := 0
	for _, path := range os.Args[1:] {
		found, err := lint(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			os.Exit(2)
		}
		for _, f := range found {
			fmt.Println(f)
		}
		findings += len(found)
	}
	if findings > 0 {
		os.Exit(1)
	}
}

func lint(path string) ([]string, error) {
	dt, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var found []string
	// BuildKit: parse, check every stage, report its lint warnings and build errors.
	// The results name their source by this map; no LLB is built, so its definition is empty.
	sourceMap := llb.NewSourceMap(nil, path, "Dockerfile", dt)
	sourceMap.Definition = &llb.Definition{}
	results, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{SourceMap: sourceMap, MetaResolver: offlineImages{}})
	if err != nil {
		return nil, err
	}
	for _, w := range results.Warnings {
		found = append(found, fmt.Sprintf("%s:%d: %s: %s (%s)", path, firstLine(w.Location.GetRanges()), w.RuleName, w.Detail, w.URL))
	}
	if results.Error != nil {
		found = append(found, fmt.Sprintf("%s:%d: build error: %s", path, firstLine(results.Error.Location.GetRanges()), results.Error.Message))
		return found, nil
	}
	house, err := houseRules(path, dt)
	if err != nil {
		return nil, err
	}
	return append(found, house...), nil
}

// offlineImages answers BuildKit's questions about base images without a registry (none is
// reachable here, and linting needs none): an empty linux/amd64 image config for any name.
// Rules that look into a base image's own settings (its ENV, for UndefinedVar) see none.
type offlineImages struct{}

func (offlineImages) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	config := []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}`)
	return ref, digest.FromBytes(config), config, nil
}

func firstLine(ranges []*pb.Range) int32 {
	if len(ranges) == 0 {
		return 0
	}
	return ranges[0].GetStart().GetLine()
}

var digestPinned = regexp.MustCompile(`@sha256:[0-9a-f]{64}$|@sha256:\$\{?[A-Z_]+\}?$`)

// houseRules: every base image pinned by digest (directly, or through an ARG whose
// default is), and the final stage runs as a non-root user.
func houseRules(path string, dt []byte) ([]string, error) {
	ast, err := parser.Parse(bytes.NewReader(dt))
	if err != nil {
		return nil, err
	}
	stages, metaArgs, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		return nil, err
	}
	defaults := map[string]string{}
	for _, arg := range metaArgs {
		for _, kv := range arg.Args {
			if kv.Value != nil {
				defaults[kv.Key] = *kv.Value
			}
		}
	}
	names := map[string]bool{}
	var found []string
	for _, stage := range stages {
		image := os.Expand(stage.BaseName, func(name string) string { return defaults[name] })
		if !names[strings.ToLower(image)] && image != "scratch" && !digestPinned.MatchString(image) {
			found = append(found, fmt.Sprintf("%s:%d: BaseNotPinned: FROM %s is not pinned by digest (name@sha256:…)", path, stage.Location[0].Start.Line, stage.BaseName))
		}
		if stage.Name != "" {
			names[strings.ToLower(stage.Name)] = true
		}
	}
	if len(stages) == 0 {
		return append(found, fmt.Sprintf("%s: no stage", path)), nil
	}
	final := stages[len(stages)-1]
	user := ""
	for _, command := range final.Commands {
		if u, ok := command.(*instructions.UserCommand); ok {
			user = u.User
		}
	}
	if user == "" || user == "root" || user == "0" || strings.HasPrefix(user, "0:") || strings.HasPrefix(user, "root:") {
		found = append(found, fmt.Sprintf("%s:%d: RootUser: the final stage must end with USER <non-root uid>", path, final.Location[0].Start.Line))
	}
	if len(stages) < 2 {
		found = append(found, fmt.Sprintf("%s: SingleStage: build in one stage and copy the result into a slim final stage", path))
	}
	return found, nil
}
