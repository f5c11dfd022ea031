package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	codegenrpc "github.com/pulumi/pulumi/sdk/v3/proto/go/codegen"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
)

// A small provider schema, served to the code generators by an in-process schema loader.
const simpleSchema = `{
	"name": "simple",
	"version": "2.0.0",
	"resources": {
		"simple:index:Resource": {
			"description": "A resource with one boolean.",
			"properties": {"value": {"type": "boolean"}},
			"required": ["value"],
			"inputProperties": {"value": {"type": "boolean"}},
			"requiredInputs": ["value"]
		}
	}
}`

const simpleProgram = `resource "res" "simple:index:Resource" {
	value = true
}

output "out" {
	value = res.value
}
`

// The test binary doubles as unfold-codegen itself, so the handshake is tested on the real entry point.
func TestMain(m *testing.M) {
	if os.Getenv("UNFOLD_CODEGEN_TEST_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

type testLoader struct {
	codegenrpc.UnimplementedLoaderServer
}

func (testLoader) GetSchema(_ context.Context, req *codegenrpc.GetSchemaRequest) (*codegenrpc.GetSchemaResponse, error) {
	if req.Package == "simple" {
		return &codegenrpc.GetSchemaResponse{Schema: []byte(simpleSchema)}, nil
	}
	return nil, status.Errorf(codes.NotFound, "the test loader has no schema for package %q", req.Package)
}

// startLoader serves the test schema loader and returns its address.
func startLoader(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	codegenrpc.RegisterLoaderServer(srv, testLoader{})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().String()
}

func dial(t *testing.T, addr string) pulumirpc.LanguageRuntimeClient {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return pulumirpc.NewLanguageRuntimeClient(conn)
}

// startHost serves unfold-codegen in process and returns a client for it and the loader's address.
func startHost(t *testing.T) (pulumirpc.LanguageRuntimeClient, string) {
	t.Helper()
	cancel := make(chan bool)
	handle, err := serve(cancel)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		close(cancel)
		<-handle.Done
	})
	return dial(t, fmt.Sprintf("127.0.0.1:%d", handle.Port)), startLoader(t)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

func errorSummaries(diags []*codegenrpc.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		if d.Severity == codegenrpc.DiagnosticSeverity_DIAG_ERROR {
			out = append(out, d.Summary+": "+d.Detail)
		}
	}
	return out
}

// readTree returns every file under dir, by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func assertContains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s does not contain %q; it is:\n%s", what, want, text)
		}
	}
}

func assertSameTrees(t *testing.T, a, b map[string]string) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("the runs wrote different file sets: %v vs %v", keys(a), keys(b))
	}
	for name, data := range a {
		if b[name] != data {
			t.Errorf("%s differs between two runs on the same input", name)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestGenerateProgram(t *testing.T) {
	client, loader := startHost(t)
	req := &pulumirpc.GenerateProgramRequest{
		Source:       map[string]string{"main.pp": simpleProgram},
		LoaderTarget: loader,
		Strict:       true,
	}
	resp, err := client.GenerateProgram(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if errs := errorSummaries(resp.Diagnostics); len(errs) > 0 {
		t.Fatalf("unexpected errors: %v", errs)
	}
	if got := keys(resp.Source); len(got) != 1 || got[0] != "index.ts" {
		t.Fatalf("expected only index.ts, got %v", got)
	}
	assertContains(t, "index.ts", string(resp.Source["index.ts"]),
		`import * as simple from "@pulumi/simple";`,
		`const res = new simple.Resource("res", {value: true});`,
		`export const out = res.value;`)

	// Same input, same bytes: the files and the encoded response.
	first, err := proto.MarshalOptions{Deterministic: true}.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := client.GenerateProgram(ctx(t), req)
		if err != nil {
			t.Fatal(err)
		}
		encoded, err := proto.MarshalOptions{Deterministic: true}.Marshal(again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, encoded) {
			t.Fatal("GenerateProgram answered the same request with different bytes")
		}
	}
}

func TestGenerateProgramMultipleFilesIsDeterministic(t *testing.T) {
	client, loader := startHost(t)
	source := map[string]string{}
	for i := range 8 {
		source[fmt.Sprintf("f%d.pp", i)] = fmt.Sprintf(
			"resource \"r%d\" \"simple:index:Resource\" {\n\tvalue = %v\n}\n", i, i%2 == 0)
	}
	var first string
	for i := range 5 {
		resp, err := client.GenerateProgram(ctx(t), &pulumirpc.GenerateProgramRequest{
			Source: source, LoaderTarget: loader, Strict: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		if errs := errorSummaries(resp.Diagnostics); len(errs) > 0 {
			t.Fatalf("unexpected errors: %v", errs)
		}
		got := string(resp.Source["index.ts"])
		if i == 0 {
			first = got
			assertContains(t, "index.ts", got, `new simple.Resource("r0", {value: true})`,
				`new simple.Resource("r7", {value: false})`)
		} else if got != first {
			t.Fatalf("run %d generated different TypeScript:\n%s\nvs\n%s", i, got, first)
		}
	}
}

func TestGenerateProject(t *testing.T) {
	client, loader := startHost(t)
	source := t.TempDir()
	if err := os.WriteFile(filepath.Join(source, "main.pp"), []byte(simpleProgram), 0o600); err != nil {
		t.Fatal(err)
	}

	generate := func() map[string]string {
		target := t.TempDir()
		resp, err := client.GenerateProject(ctx(t), &pulumirpc.GenerateProjectRequest{
			SourceDirectory:   source,
			TargetDirectory:   target,
			Project:           `{"name": "simple-project", "description": "a test"}`,
			Strict:            true,
			LoaderTarget:      loader,
			LocalDependencies: map[string]string{"simple": "/artifacts/simple-2.0.0.tgz"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if errs := errorSummaries(resp.Diagnostics); len(errs) > 0 {
			t.Fatalf("unexpected errors: %v", errs)
		}
		return readTree(t, target)
	}

	files := generate()
	if got := keys(files); strings.Join(got, " ") != ".gitignore Pulumi.yaml index.ts package.json tsconfig.json" {
		t.Fatalf("unexpected files: %v", got)
	}
	assertContains(t, "Pulumi.yaml", files["Pulumi.yaml"], "name: simple-project", "runtime: unfold")
	assertContains(t, "index.ts", files["index.ts"], `new simple.Resource("res", {value: true})`)
	assertContains(t, "package.json", files["package.json"],
		`"name": "simple-project"`, `"@pulumi/simple": "/artifacts/simple-2.0.0.tgz"`)
	assertContains(t, "tsconfig.json", files["tsconfig.json"], `"index.ts"`)

	assertSameTrees(t, files, generate())
}

func TestGeneratePackage(t *testing.T) {
	client, loader := startHost(t)
	generate := func() map[string]string {
		dir := t.TempDir()
		resp, err := client.GeneratePackage(ctx(t), &pulumirpc.GeneratePackageRequest{
			Directory:    dir,
			Schema:       simpleSchema,
			LoaderTarget: loader,
			ExtraFiles:   map[string][]byte{"NOTICE": []byte("simple\n")},
		})
		if err != nil {
			t.Fatal(err)
		}
		if errs := errorSummaries(resp.Diagnostics); len(errs) > 0 {
			t.Fatalf("unexpected errors: %v", errs)
		}
		return readTree(t, dir)
	}

	files := generate()
	for _, name := range []string{"package.json", "index.ts", "resource.ts", "utilities.ts", "tsconfig.json", "README.md", "NOTICE"} {
		if _, ok := files[name]; !ok {
			t.Errorf("the SDK has no %s; it has %v", name, keys(files))
		}
	}
	assertContains(t, "resource.ts", files["resource.ts"],
		"generated by pulumi-language-unfold",
		"export class Resource extends pulumi.CustomResource",
		`declare public readonly value: pulumi.Output<boolean>;`)
	assertContains(t, "package.json", files["package.json"], `"name": "@pulumi/simple"`, `"resource": true`, `"@pulumi/pulumi":`)

	assertSameTrees(t, files, generate())
}

func TestErrorsComeBackAsDiagnostics(t *testing.T) {
	client, loader := startHost(t)
	cases := map[string]struct {
		source string
		want   string
	}{
		"syntax error":          {"resource \"res\" \"simple:index:Resource\" {\n\tvalue = \n", ""},
		"unknown resource type": {"resource \"res\" \"simple:index:Nope\" {\n}\n", "Nope"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			resp, err := client.GenerateProgram(ctx(t), &pulumirpc.GenerateProgramRequest{
				Source: map[string]string{"main.pp": c.source}, LoaderTarget: loader, Strict: true,
			})
			if err != nil {
				t.Fatalf("expected diagnostics, got the error %v", err)
			}
			errs := errorSummaries(resp.Diagnostics)
			if len(errs) == 0 {
				t.Fatal("expected an error diagnostic")
			}
			if !strings.Contains(strings.Join(errs, "\n"), c.want) {
				t.Errorf("the diagnostics %q do not mention %q", errs, c.want)
			}
			if len(resp.Source) != 0 {
				t.Errorf("expected no files, got %v", keys(resp.Source))
			}
		})
	}

	t.Run("unknown package", func(t *testing.T) {
		// The loader's failure comes back as an error diagnostic or a gRPC error, and names the package.
		resp, err := client.GenerateProgram(ctx(t), &pulumirpc.GenerateProgramRequest{
			Source:       map[string]string{"main.pp": "resource \"res\" \"nope:index:Thing\" {\n}\n"},
			LoaderTarget: loader, Strict: true,
		})
		text := fmt.Sprint(err)
		if err == nil {
			text = strings.Join(errorSummaries(resp.Diagnostics), "\n")
		}
		t.Logf("unknown package: %s", text)
		if !strings.Contains(text, `"nope"`) {
			t.Fatalf("expected a failure naming the package, got %q", text)
		}
	})

	t.Run("project with an unknown resource type", func(t *testing.T) {
		source := t.TempDir()
		if err := os.WriteFile(filepath.Join(source, "main.pp"),
			[]byte(cases["unknown resource type"].source), 0o600); err != nil {
			t.Fatal(err)
		}
		resp, err := client.GenerateProject(ctx(t), &pulumirpc.GenerateProjectRequest{
			SourceDirectory: source, TargetDirectory: t.TempDir(), Project: `{"name": "p"}`,
			Strict: true, LoaderTarget: loader,
		})
		if err != nil {
			t.Fatalf("expected diagnostics, got the error %v", err)
		}
		if len(errorSummaries(resp.Diagnostics)) == 0 {
			t.Fatal("expected an error diagnostic")
		}
	})

	t.Run("invalid schema", func(t *testing.T) {
		resp, err := client.GeneratePackage(ctx(t), &pulumirpc.GeneratePackageRequest{
			Directory: t.TempDir(), LoaderTarget: loader,
			Schema: `{"name": "bad", "resources": {"bad:index:R": {"properties": {"x": {"type": "nosuchtype"}}}}}`,
		})
		if err != nil {
			t.Fatalf("expected diagnostics, got the error %v", err)
		}
		if errs := errorSummaries(resp.Diagnostics); !strings.Contains(strings.Join(errs, "\n"), "nosuchtype") {
			t.Fatalf("expected an error diagnostic naming the bad type, got %q", errs)
		}
	})

	t.Run("generator assertion", func(t *testing.T) {
		// The Node.js generator asserts when an extra file collides with one it generates; that panic must
		// come back as an error, and the server must keep serving.
		_, err := client.GeneratePackage(ctx(t), &pulumirpc.GeneratePackageRequest{
			Directory: t.TempDir(), Schema: simpleSchema, LoaderTarget: loader,
			ExtraFiles: map[string][]byte{"README.md": []byte("# simple\n")},
		})
		s, _ := status.FromError(err)
		if s.Code() != codes.Internal || !strings.Contains(s.Message(), "README.md") {
			t.Fatalf("expected an Internal error naming README.md, got %v", err)
		}
		if _, err := client.GeneratePackage(ctx(t), &pulumirpc.GeneratePackageRequest{
			Directory: t.TempDir(), Schema: simpleSchema, LoaderTarget: loader,
		}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRequestErrors(t *testing.T) {
	client, loader := startHost(t)
	wantCode := func(t *testing.T, err error, code codes.Code, mention string) {
		t.Helper()
		s, _ := status.FromError(err)
		if s.Code() != code || !strings.Contains(s.Message(), mention) {
			t.Errorf("expected %v mentioning %q, got %v", code, mention, err)
		}
	}

	_, err := client.GenerateProgram(ctx(t), &pulumirpc.GenerateProgramRequest{
		Source: map[string]string{"main.pp": simpleProgram},
	})
	wantCode(t, err, codes.InvalidArgument, "loader_target")

	_, err = client.GenerateProject(ctx(t), &pulumirpc.GenerateProjectRequest{
		SourceDirectory: t.TempDir(), TargetDirectory: t.TempDir(), Project: "{not json", LoaderTarget: loader,
	})
	wantCode(t, err, codes.InvalidArgument, "Pulumi.yaml")

	_, err = client.GeneratePackage(ctx(t), &pulumirpc.GeneratePackageRequest{
		Directory: t.TempDir(), Schema: "[]", LoaderTarget: loader,
	})
	wantCode(t, err, codes.InvalidArgument, "schema")

	// A loader nobody serves: the failure is reported, the server survives.
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := lis.Addr().String()
	_ = lis.Close()
	resp, err := client.GenerateProgram(ctx(t), &pulumirpc.GenerateProgramRequest{
		Source: map[string]string{"main.pp": simpleProgram}, LoaderTarget: dead, Strict: true,
	})
	if err == nil && len(errorSummaries(resp.Diagnostics)) == 0 {
		t.Fatal("expected a failure when the schema loader is unreachable")
	}
	t.Logf("unreachable loader: %v %v", err, errorSummaries(resp.GetDiagnostics()))

	_, err = client.GetPluginInfo(ctx(t), &emptypb.Empty{})
	wantCode(t, err, codes.Unimplemented, "GetPluginInfo")
	_, err = client.Run(ctx(t), &pulumirpc.RunRequest{})
	wantCode(t, err, codes.Unimplemented, "Run")

	// Still serving.
	if _, err := client.GenerateProgram(ctx(t), &pulumirpc.GenerateProgramRequest{
		Source: map[string]string{"main.pp": simpleProgram}, LoaderTarget: loader, Strict: true,
	}); err != nil {
		t.Fatal(err)
	}
}

func TestRecoverPanics(t *testing.T) {
	_, err := recoverPanics(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/x/Y"},
		func(context.Context, any) (any, error) { panic("boom") })
	s, _ := status.FromError(err)
	if s.Code() != codes.Internal || !strings.Contains(s.Message(), "boom") {
		t.Fatalf("expected an Internal error mentioning the panic, got %v", err)
	}
}

// The binary's contract: launched with Pulumi's plugin arguments, it prints its port on the first stdout line
// and serves there.
func TestHandshake(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-root="+t.TempDir(), "127.0.0.1:1")
	cmd.Env = append(os.Environ(), "UNFOLD_CODEGEN_TEST_RUN_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the port: %v", err)
	}
	port, err := strconv.Atoi(strings.TrimSuffix(line, "\n"))
	if err != nil || port <= 0 {
		t.Fatalf("the first line should be the port, got %q", line)
	}

	client := dial(t, fmt.Sprintf("127.0.0.1:%d", port))
	resp, err := client.GenerateProgram(ctx(t), &pulumirpc.GenerateProgramRequest{
		Source: map[string]string{"main.pp": simpleProgram}, LoaderTarget: startLoader(t), Strict: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	assertContains(t, "index.ts", string(resp.Source["index.ts"]), `new simple.Resource("res"`)
}
