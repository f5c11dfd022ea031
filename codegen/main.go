// unfold-codegen serves Pulumi code generation for Unfold programs.
//
// It implements three RPCs of Pulumi's LanguageRuntime service, GenerateProgram, GenerateProject and
// GeneratePackage, with Pulumi's own Node.js/TypeScript generator; the project it writes names `unfold` as its
// runtime. Every other LanguageRuntime RPC answers Unimplemented: running programs, installing dependencies and
// the rest belong to Unfold's language host, which forwards these three here.
//
// Launch it like any Pulumi plugin: it listens on 127.0.0.1 on a port the kernel picks and prints that port, in
// decimal, as the first line of stdout. It accepts (and ignores) the arguments Pulumi passes to plugins: an
// optional engine address, --logtostderr, -v=N, --tracing <endpoint> and -root=<dir>. It serves until it is
// killed, or stops gracefully on SIGINT or SIGTERM.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("unfold-codegen", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Bool("logtostderr", false, "accepted for compatibility with Pulumi's plugin launcher; ignored")
	flags.Int("v", 0, "accepted for compatibility with Pulumi's plugin launcher; ignored")
	flags.String("tracing", "", "accepted for compatibility with Pulumi's plugin launcher; ignored")
	flags.String("root", "", "accepted for compatibility with Pulumi's plugin launcher; ignored")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 1 {
		fmt.Fprintf(stderr, "unfold-codegen: expected at most one argument (the engine address), got %d\n", flags.NArg())
		return 2
	}

	cancel := make(chan bool)
	handle, err := serve(cancel)
	if err != nil {
		fmt.Fprintf(stderr, "unfold-codegen: could not start the gRPC server: %v\n", err)
		return 1
	}

	// The handshake: the port, alone, on the first line of stdout.
	if _, err := fmt.Fprintf(stdout, "%d\n", handle.Port); err != nil {
		fmt.Fprintf(stderr, "unfold-codegen: could not print the port: %v\n", err)
		return 1
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-signals
		close(cancel)
	}()

	if err := <-handle.Done; err != nil {
		fmt.Fprintf(stderr, "unfold-codegen: %v\n", err)
		return 1
	}
	return 0
}
