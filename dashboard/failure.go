package dashboard

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dashkit/dashkit/internal/httpx"
)

var errorTemplate = template.Must(template.ParseFS(webFS, "web/error.html"))

// errorPage is what a browser is shown when a dashboard route fails.
type errorPage struct {
	Title   string // the dashboard's
	Theme   Theme
	Status  int
	Heading string
	Message string
	Root    string // relative URL of the dashboard's default view
}

// headings name each status a dashboard answers with in plain words.
var headings = map[int]string{
	http.StatusBadRequest:          "This link is not valid",
	http.StatusForbidden:           "You may not open this",
	http.StatusNotFound:            "Nothing here",
	http.StatusTooManyRequests:     "Too many requests",
	http.StatusInternalServerError: "Something went wrong",
	http.StatusServiceUnavailable:  "Unavailable right now",
}

// fail answers a failed request: a browser navigating (Accept: text/html)
// gets a small page in the dashboard's theme with the status, msg and a link
// to the default view; an API or stream request gets {"error": msg}. msg is
// shown to users: a plain sentence, never an error's text.
func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if !wantsHTML(r) {
		httpx.WriteJSON(w, status, map[string]string{"error": msg})
		return
	}
	heading := headings[status]
	if heading == "" {
		heading = http.StatusText(status)
	}
	var buf bytes.Buffer
	err := errorTemplate.Execute(&buf, errorPage{
		Title: d.title, Theme: d.opts.Theme, Status: status, Heading: heading,
		Message: msg, Root: rootFrom(r.URL.Path),
	})
	if err != nil {
		d.log.Error("dashboard: render error page", "error", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// wantsHTML reports whether the request is a browser's page navigation, which
// should be answered with HTML rather than JSON.
func wantsHTML(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		strings.Contains(r.Header.Get("Accept"), "text/html")
}

// rootFrom is the relative URL of the dashboard's root seen from path (the
// request's path under the dashboard's mount point): "./" for "/x", "../"
// for "/x/y". It stays right under any prefix.
func rootFrom(path string) string {
	depth := strings.Count(path, "/") - 1
	if depth <= 0 {
		return "./"
	}
	return strings.Repeat("../", depth)
}

// notFound answers any path the dashboard does not serve.
func (d *Dashboard) notFound(w http.ResponseWriter, r *http.Request) {
	d.fail(w, r, http.StatusNotFound, "This dashboard has no page at this address.")
}

// maxEcho bounds how much of a request's own value an error message repeats.
const maxEcho = 40

// clip shortens a value a user sent before it is quoted back: a message
// never echoes a huge bad value.
func clip(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	cut := maxEcho
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// publicMessage is what a user is told of a bad view: the validation's own
// sentence, without the package's prefix.
// maxPublicMessage is the longest message a user is shown, in bytes.
const maxPublicMessage = 300

func publicMessage(err error) string {
	msg := err.Error()
	for _, prefix := range []string{ErrBadFilter.Error() + ": ", "dashboard: "} {
		msg = strings.TrimPrefix(msg, prefix)
	}
	if msg == "" {
		return "This request could not be served."
	}
	if len(msg) > maxPublicMessage {
		// Whatever wrapped it, a message never echoes a long value back.
		msg = strings.ToValidUTF8(msg[:maxPublicMessage], "") + "…"
	}
	return strings.ToUpper(msg[:1]) + msg[1:] + "."
}
