// Command testsummary reads `go test -json` from standard input and prints a
// short report: build errors, the output of failing tests, one line per
// skipped test with its reason, one line per package, and last a line
//
//	tests: N passed, N failed, N skipped
//
// It exits 1 when a test or package failed, when no test ran, or when a test
// skipped with a reason matching -forbid-skip (CI uses this so integration
// tests cannot quietly skip there).
//
//	go test -race -json ./... | go run ./internal/tools/cmd/testsummary -forbid-skip 'is not set'
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

type summary struct {
	passed, failed, skipped int
	pkgFailed               bool
	forbidden               []string
}

func main() {
	forbid := flag.String("forbid-skip", "", "fail when a test skips with output matching this regular expression")
	flag.Parse()
	var re *regexp.Regexp
	if *forbid != "" {
		var err error
		if re, err = regexp.Compile(*forbid); err != nil {
			fmt.Fprintln(os.Stderr, "testsummary:", err)
			os.Exit(2)
		}
	}
	s, err := summarize(os.Stdin, os.Stdout, re)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	os.Exit(s.report(os.Stdout))
}

func summarize(r io.Reader, w io.Writer, forbid *regexp.Regexp) (*summary, error) {
	s := &summary{}
	outputs := map[string][]string{} // package/test → its output so far
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var ev event
		if err := json.Unmarshal(line, &ev); err != nil || ev.Action == "" {
			// Not test2json: a build error printed by go itself.
			fmt.Fprintln(w, string(line))
			continue
		}
		key := ev.Package + "/" + ev.Test
		switch ev.Action {
		case "build-output":
			fmt.Fprint(w, ev.Output)
		case "output":
			outputs[key] = append(outputs[key], ev.Output)
		case "pass", "fail", "skip":
			out := outputs[key]
			delete(outputs, key)
			if ev.Test == "" {
				s.pkg(w, ev, out)
				continue
			}
			s.test(w, ev, out, forbid)
		}
	}
	return s, sc.Err()
}

func (s *summary) pkg(w io.Writer, ev event, out []string) {
	switch ev.Action {
	case "fail":
		s.pkgFailed = true
		// Package output holds panics, TestMain failures and the like.
		for _, l := range out {
			if !strings.HasPrefix(l, "=== ") {
				fmt.Fprint(w, l)
			}
		}
		fmt.Fprintf(w, "FAIL\t%s\t%.2fs\n", ev.Package, ev.Elapsed)
	case "skip":
		fmt.Fprintf(w, "?   \t%s\t[no test files]\n", ev.Package)
	default:
		fmt.Fprintf(w, "ok  \t%s\t%.2fs\n", ev.Package, ev.Elapsed)
	}
}

func (s *summary) test(w io.Writer, ev event, out []string, forbid *regexp.Regexp) {
	switch ev.Action {
	case "pass":
		s.passed++
	case "fail":
		s.failed++
		fmt.Fprintf(w, "--- FAIL: %s %s (%.2fs)\n", ev.Package, ev.Test, ev.Elapsed)
		for _, l := range out {
			if !strings.HasPrefix(l, "=== ") && !strings.HasPrefix(l, "--- ") {
				fmt.Fprint(w, l)
			}
		}
	case "skip":
		s.skipped++
		reason := skipReason(out)
		fmt.Fprintf(w, "--- SKIP: %s %s: %s\n", ev.Package, ev.Test, reason)
		if forbid != nil && forbid.MatchString(reason) {
			s.forbidden = append(s.forbidden, ev.Package+" "+ev.Test)
		}
	}
}

// skipReason is the test's own output, without the framework's lines.
func skipReason(out []string) string {
	var parts []string
	for _, l := range out {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- ") {
			continue
		}
		parts = append(parts, l)
	}
	return strings.Join(parts, " ")
}

func (s *summary) report(w io.Writer) int {
	code := 0
	if len(s.forbidden) > 0 {
		slices.Sort(s.forbidden)
		fmt.Fprintf(w, "\n%d test(s) skipped where they must run:\n  %s\n", len(s.forbidden), strings.Join(s.forbidden, "\n  "))
		code = 1
	}
	if s.failed > 0 || s.pkgFailed {
		code = 1
	}
	if s.passed+s.failed == 0 {
		fmt.Fprintln(w, "\nno test ran")
		code = 1
	}
	fmt.Fprintf(w, "\ntests: %d passed, %d failed, %d skipped\n", s.passed, s.failed, s.skipped)
	return code
}
