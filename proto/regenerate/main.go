// Command regenerate writes ../vendor/pulumi.fds: the Pulumi gRPC protocol as
// compiled into the Go SDK module github.com/pulumi/pulumi/sdk/v3 (pinned in
// go.mod), as one FileDescriptorSet. Importing the SDK's generated packages
// registers every pulumi/*.proto file in protoregistry.GlobalFiles; this
// program takes those files, the well-known types they import and
// google/rpc/status.proto, and writes them dependencies first. The output is
// deterministic, so rerunning it reproduces the vendored bytes exactly.
//
// Usage, from this directory (offline once the module cache holds go.sum's modules):
//
//	GOFLAGS=-mod=mod GOTOOLCHAIN=local go run .
package main

import (
	"crypto/sha256"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	_ "github.com/pulumi/pulumi/sdk/v3/proto/go"
	_ "github.com/pulumi/pulumi/sdk/v3/proto/go/codegen"
	_ "github.com/pulumi/pulumi/sdk/v3/proto/go/testing"
	// google.rpc.Status, for the rich error details providers attach to gRPC
	// errors. The Go SDK uses genproto's copy (google/rpc/status.proto) of what
	// the Pulumi repository also ships as google/protobuf/status.proto.
	_ "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

const (
	out        = "../vendor/pulumi.fds"
	provenance = "../vendor/PROVENANCE.md"
	sdkModule  = "github.com/pulumi/pulumi/sdk/v3"
)

func main() {
	// The roots: every Pulumi file, and google.rpc's status.
	files := map[string]protoreflect.FileDescriptor{}
	var pending []protoreflect.FileDescriptor
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if strings.HasPrefix(fd.Path(), "pulumi/") || fd.Path() == "google/rpc/status.proto" {
			files[fd.Path()] = fd
			pending = append(pending, fd)
		}
		return true
	})
	// Add what they import.
	for len(pending) > 0 {
		fd := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		imports := fd.Imports()
		for i := 0; i < imports.Len(); i++ {
			dep := imports.Get(i).FileDescriptor
			if imports.Get(i).IsPlaceholder() {
				log.Fatalf("%s imports %s, which is not registered", fd.Path(), dep.Path())
			}
			if _, ok := files[dep.Path()]; !ok {
				files[dep.Path()] = dep
				pending = append(pending, dep)
			}
		}
	}

	// Dependencies first; otherwise by name.
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var ordered []string
	seen := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		imports := files[name].Imports()
		for i := 0; i < imports.Len(); i++ {
			visit(imports.Get(i).Path())
		}
		ordered = append(ordered, name)
	}
	for _, name := range names {
		visit(name)
	}

	set := &descriptorpb.FileDescriptorSet{}
	for _, name := range ordered {
		set.File = append(set.File, protodesc.ToFileDescriptorProto(files[name]))
	}
	bytes, err := proto.MarshalOptions{Deterministic: true}.Marshal(set)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.FromSlash(out), bytes, 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.FromSlash(provenance), []byte(provenanceText(bytes, ordered)), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %s (%d bytes, %d files)\n", out, len(bytes), len(ordered))
}

// provenanceText describes the set: the modules its descriptors come from
// (versions and go.sum hashes as linked into this program), its hash and files.
func provenanceText(fds []byte, files []string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		log.Fatal("no build info")
	}
	modules := map[string]*debug.Module{}
	for _, dep := range info.Deps {
		if dep.Replace != nil {
			log.Fatalf("%s is replaced", dep.Path)
		}
		modules[dep.Path] = dep
	}
	module := func(path string) *debug.Module {
		if m := modules[path]; m != nil {
			return m
		}
		log.Fatalf("%s is not linked in", path)
		return nil
	}
	sdk := module(sdkModule)
	var b strings.Builder
	fmt.Fprintf(&b, `# Vendored Pulumi protocol definitions

`+"`pulumi.fds`"+` is a protobuf FileDescriptorSet holding the Pulumi gRPC protocol
(`+"`proto/pulumi/**/*.proto`"+` of pulumi/pulumi) as released in Pulumi %s, plus
the google/protobuf well-known types it imports and google.rpc.Status.

- Source: the descriptors compiled into the Go modules below (the Pulumi Go
  SDK's generated packages `+"`proto/go`, `proto/go/codegen`, `proto/go/testing`"+`),
  read from the Go protobuf registry by `+"`proto/regenerate`"+`. Its go.mod pins the
  versions; go.sum and the hashes below verify them.
- Regenerate: `+"`cd proto/regenerate && GOFLAGS=-mod=mod GOTOOLCHAIN=local go run .`"+`
  (offline when the module cache holds the modules). The output is
  deterministic: the same module versions give the same bytes.
- Descriptors carry no source info (comments), as compiled into Go code.
- License: the Pulumi protocol definitions are Copyright 2016-2025 Pulumi
  Corporation, Apache License 2.0. The google/protobuf well-known types are
  Copyright Google Inc., BSD 3-Clause; google/rpc/status.proto is Copyright
  Google LLC, Apache License 2.0.
- pulumi.fds sha256 `+"`%x`"+`

Go modules (go.sum lines):
`, sdk.Version, sha256.Sum256(fds))
	for _, path := range []string{sdkModule, "google.golang.org/protobuf", "google.golang.org/genproto/googleapis/rpc"} {
		m := module(path)
		fmt.Fprintf(&b, "- `%s %s %s`\n", m.Path, m.Version, m.Sum)
	}
	b.WriteString("\nFiles, in dependency order:\n")
	for _, name := range files {
		fmt.Fprintf(&b, "- `%s`\n", name)
	}
	return b.String()
}
