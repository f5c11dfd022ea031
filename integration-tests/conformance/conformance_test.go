// Package conformance runs Pulumi's language conformance suite (pulumi-test-language) against
// pulumi-language-unfold.
//
// The harness generates each test's program from PCL through our host (GenerateProject, which the host
// forwards to unfold-codegen), generates and packs the SDKs of the test providers (GeneratePackage, Pack),
// installs dependencies, then runs preview and update through a real Pulumi engine and asserts on the
// resulting state. Generated programs and SDKs are compared with the snapshots under testdata/.
//
// Environment:
//
//	UNFOLD_PULUMI_BIN          the folder holding pulumi-test-language (scripts/pulumi-cli prints it), or the binary
//	UNFOLD_LANGUAGE_HOST       the pulumi-language-unfold binary to test
//	UNFOLD_CODEGEN             the unfold-codegen binary the host forwards code generation to
//	UNFOLD_CONFORMANCE_TESTS   a regular expression selecting tests by name (default: all of them)
//	UNFOLD_CONFORMANCE_RESULTS a file to write the results table to (it is printed either way)
//	PULUMI_ACCEPT=1            write snapshots instead of comparing with them
package conformance

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	testingrpc "github.com/pulumi/pulumi/sdk/v3/proto/go/testing"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// expectedFailures lists the tests known to fail, each with why. A listed test that passes fails the run: the
// entry is stale and must go.
var expectedFailures = map[string]string{
	// Per-value dependencies: with the engine's output-values feature, an invoke's or a call's result
	// depends only on the arguments that flowed into each value. js-lib unions every argument's
	// dependencies onto the whole result, so a resource built from it depends on more.
	"l2-call-per-value-deps":   "a resource built from a Call result depends on every argument of the call, not only the one it returned",
	"l2-invoke-per-value-deps": "a resource built from an invoke result depends on every argument of the invoke (a and b), not only the one it returned (b)",

	// Where Pulumi's Node.js SDK (3.276.0, the reference the differential and real-world suites
	// compare with) does the same.
	"l2-failed-create-component-continue-on-error": "after the update the component's unknown output becomes undefined, as under the Node.js SDK, so the stack output is dropped instead of unknown (integration-tests/real-world/awsx-fargate-service shows the SDK doing so)",

	// Pulumi's Node.js host lists these two as well.
	"l2-resource-schema-secret": "an unknown output the schema marks secret is not kept secret (topLevelElided)",
	"l2-raw-string-bytes":       "strings with non-UTF-8 bytes are refused: the SDK does not set accepts_byte_string",

	// Generated code Pulumi's Node.js generator gets wrong; Pulumi's Node.js host lists both too.
	"l3-deferred-outputs":              "the generated program reads `_arg0_`, which it never declares (ReferenceError)",
	"l3-range-invoke-output-traversal": "pulumi#12507: the range loop variable is captured by reference, so an indexed output resolves with the wrong index",
}

// skipped lists tests that are not run at all, each with why: ones that cannot run here.
var skipped = map[string]string{
	"l2-resource-asset-archive": "needs the internet: its remote assets and archives are fetched from raw.githubusercontent.com",
}

// perTestTimeout bounds one RunLanguageTest call (code generation, npm install, preview and update).
const perTestTimeout = 10 * time.Minute

type outcome string

const (
	passed       outcome = "passed"
	expectedFail outcome = "expected-fail"
	skip         outcome = "skipped"
	failed       outcome = "failed"
	stale        outcome = "stale"
)

type results struct {
	mu      sync.Mutex
	byTest  map[string]outcome
	reasons map[string]string
}

func (r *results) record(test string, o outcome, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byTest[test] = o
	if reason != "" {
		r.reasons[test] = reason
	}
}

// category is the part of a test's name before its first dash: l1, l2, l3, policy, provider…
func category(test string) string {
	if i := strings.Index(test, "-"); i > 0 {
		return test[:i]
	}
	return test
}

func (r *results) table() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	columns := []outcome{passed, expectedFail, skip, failed, stale}
	counts := map[string]map[outcome]int{}
	for test, o := range r.byTest {
		c := category(test)
		if counts[c] == nil {
			counts[c] = map[outcome]int{}
		}
		counts[c][o]++
	}
	categories := make([]string, 0, len(counts))
	for c := range counts {
		categories = append(categories, c)
	}
	sort.Strings(categories)

	var b strings.Builder
	fmt.Fprintf(&b, "%-10s", "category")
	for _, col := range columns {
		fmt.Fprintf(&b, " %14s", col)
	}
	fmt.Fprintf(&b, " %7s\n", "total")
	total := map[outcome]int{}
	for _, c := range categories {
		fmt.Fprintf(&b, "%-10s", c)
		sum := 0
		for _, col := range columns {
			fmt.Fprintf(&b, " %14d", counts[c][col])
			total[col] += counts[c][col]
			sum += counts[c][col]
		}
		fmt.Fprintf(&b, " %7d\n", sum)
	}
	fmt.Fprintf(&b, "%-10s", "all")
	sum := 0
	for _, col := range columns {
		fmt.Fprintf(&b, " %14d", total[col])
		sum += total[col]
	}
	fmt.Fprintf(&b, " %7d\n", sum)

	var names []string
	for test, o := range r.byTest {
		if o == failed || o == stale {
			names = append(names, test)
		}
	}
	sort.Strings(names)
	for _, test := range names {
		fmt.Fprintf(&b, "%s %s: %s\n", r.byTest[test], test, firstLine(r.reasons[test]))
	}
	return b.String()
}

// firstLine condenses a harness message to one line: testify's failure reports keep their Error and Messages
// lines, without the trace.
func firstLine(s string) string {
	var kept []string
	inTrace := false
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "Error Trace:"):
			inTrace = true
		case strings.HasPrefix(line, "Error:") || strings.HasPrefix(line, "Messages:"):
			inTrace = false
			kept = append(kept, strings.Join(strings.Fields(line), " "))
		case inTrace:
		case strings.HasSuffix(line, ".go:") || regexp.MustCompile(`\.go:\d+:$`).MatchString(line):
		default:
			kept = append(kept, strings.Join(strings.Fields(line), " "))
		}
	}
	out := strings.Join(kept, " | ")
	if len(out) > 240 {
		out = out[:240] + " …"
	}
	return out
}

func requireEnv(t *testing.T, name string) string {
	value := os.Getenv(name)
	if value == "" {
		t.Fatalf("%s is not set (scripts/conformance sets it)", name)
	}
	return value
}

// startHarness starts pulumi-test-language, which prints its address on stdout and then closes it.
func startHarness(t *testing.T, bin string, logDir string) string {
	if info, err := os.Stat(bin); err == nil && info.IsDir() {
		bin = filepath.Join(bin, "pulumi-test-language")
	}
	cmd := exec.Command(bin)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logFile(t, filepath.Join(logDir, "pulumi-test-language.log"))
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	address, err := io.ReadAll(stdout)
	if err != nil || len(address) == 0 {
		t.Fatalf("read the address of %s: %v (see %s)", bin, err, logDir)
	}
	return strings.TrimSpace(string(address))
}

// startHost starts pulumi-language-unfold with the harness as its engine (the harness serves the Engine
// service, so the programs' log messages reach it). The host prints its port on the first line of stdout.
func startHost(t *testing.T, bin, engineAddress, logDir string) string {
	cmd := exec.Command(bin, engineAddress)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logFile(t, filepath.Join(logDir, "pulumi-language-unfold.stderr.log"))
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	lines := bufio.NewReader(stdout)
	port, err := lines.ReadString('\n')
	if err != nil {
		t.Fatalf("read the port of %s: %v (see %s)", bin, err, logDir)
	}
	// The rest of stdout is the programs' console output.
	out := logFile(t, filepath.Join(logDir, "pulumi-language-unfold.stdout.log"))
	go func() { _, _ = io.Copy(out, lines) }()
	return "127.0.0.1:" + strings.TrimSpace(port)
}

func logFile(t *testing.T, path string) *os.File {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// coreSDK is js-lib's @pulumi/pulumi: the harness packs it and the generated programs depend on the packed
// artifact, so npm never fetches Pulumi's Node.js SDK (Unfold serves its own in its place anyway).
func coreSDK(t *testing.T) (dir, version string) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "js-lib", "pulumi"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatalf("%s/package.json: %v", dir, err)
	}
	return dir, manifest.Version
}

func TestConformance(t *testing.T) {
	harnessBin := requireEnv(t, "UNFOLD_PULUMI_BIN")
	hostBin := requireEnv(t, "UNFOLD_LANGUAGE_HOST")
	requireEnv(t, "UNFOLD_CODEGEN")
	selected := regexp.MustCompile(os.Getenv("UNFOLD_CONFORMANCE_TESTS"))

	work, err := os.MkdirTemp("", "unfold-conformance-")
	if err != nil {
		t.Fatal(err)
	}
	// Kept when a test fails, for its logs and generated projects; otherwise removed (last, after the
	// harness and the host have stopped): a whole run leaves gigabytes of projects and packages.
	t.Cleanup(func() {
		if !t.Failed() {
			_ = os.RemoveAll(work)
		}
	})
	t.Logf("work directory (logs, generated projects of failed tests): %s", work)
	logDir := filepath.Join(work, "logs")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		t.Fatal(err)
	}
	tempDir := filepath.Join(work, "tests")

	harnessAddress := startHarness(t, harnessBin, logDir)
	hostAddress := startHost(t, hostBin, harnessAddress, logDir)

	// Some tests (l2-large-string) answer with hundreds of megabytes of output.
	conn, err := grpc.NewClient(harnessAddress, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(1<<30)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	harness := testingrpc.NewLanguageTestClient(conn)

	ctx := context.Background()
	list, err := harness.GetLanguageTests(ctx, &testingrpc.GetLanguageTestsRequest{})
	if err != nil {
		t.Fatalf("GetLanguageTests: %v", err)
	}

	snapshotDir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	coreDir, coreVersion := coreSDK(t)
	// The policy packs the policy-* tests name and the component providers the provider-* tests
	// name, written for runtime: unfold.
	policyDir, err := filepath.Abs("policies")
	if err != nil {
		t.Fatal(err)
	}
	providersDir, err := filepath.Abs("providers")
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := harness.PrepareLanguageTests(ctx, &testingrpc.PrepareLanguageTestsRequest{
		LanguagePluginName:   "unfold",
		LanguagePluginTarget: hostAddress,
		TemporaryDirectory:   tempDir,
		SnapshotDirectory:    snapshotDir,
		CoreSdkDirectory:     coreDir,
		CoreSdkVersion:       coreVersion,
		PolicyPackDirectory:  policyDir,
		ProvidersDirectory:   providersDir,
		SnapshotEdits: []*testingrpc.PrepareLanguageTestsRequest_Replacement{
			{Path: `package\.json`, Pattern: regexp.QuoteMeta(tempDir + "/artifacts"), Replacement: "ROOT/artifacts"},
		},
	})
	if err != nil {
		t.Fatalf("PrepareLanguageTests: %v", err)
	}

	res := &results{byTest: map[string]outcome{}, reasons: map[string]string{}}
	t.Cleanup(func() {
		table := res.table()
		if path := os.Getenv("UNFOLD_CONFORMANCE_RESULTS"); path != "" {
			if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
				t.Errorf("write %s: %v", path, err)
			}
		} else {
			fmt.Print("\n" + table)
		}
	})

	for _, test := range list.Tests {
		if !selected.MatchString(test) {
			continue
		}
		t.Run(test, func(t *testing.T) {
			if reason, ok := skipped[test]; ok {
				res.record(test, skip, reason)
				t.Skip(reason)
			}
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), perTestTimeout)
			defer cancel()
			result, err := harness.RunLanguageTest(ctx, &testingrpc.RunLanguageTestRequest{
				Token: prepared.Token,
				Test:  test,
			})
			var why string
			success := false
			if err != nil {
				why = "RunLanguageTest: " + err.Error()
			} else {
				success = result.Success
				why = strings.Join(result.Messages, "\n")
				for _, msg := range result.Messages {
					t.Log(msg)
				}
				if !success {
					t.Logf("stdout:\n%s", result.Stdout)
					t.Logf("stderr:\n%s", result.Stderr)
				}
			}
			reason, expected := expectedFailures[test]
			switch {
			case success && expected:
				res.record(test, stale, "passes but is listed as an expected failure ("+reason+")")
				t.Errorf("%s passes but is listed as an expected failure (%s): remove it from expectedFailures", test, reason)
			case success:
				res.record(test, passed, "")
			case expected:
				res.record(test, expectedFail, reason)
				t.Logf("expected failure (%s): %s", reason, firstLine(why))
			default:
				res.record(test, failed, why)
				t.Errorf("failed: %s", why)
			}
		})
	}
}
