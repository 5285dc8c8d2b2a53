package dashboard

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
)

// newNonce returns a fresh CSP nonce: 128 random bits, base64url, which
// html/template leaves as it is in attributes.
func newNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// contentSecurityPolicy is the page's policy. Scripts run only with the
// request's nonce: no inline script, no eval, no other origin. Styles allow
// 'unsafe-inline' because ECharts positions its canvases and tooltips with
// inline styles; no script can be injected through a style.
func (d *Dashboard) contentSecurityPolicy(nonce string) string {
	ancestors := "'self'"
	if len(d.opts.FrameAncestors) > 0 {
		ancestors = strings.Join(d.opts.FrameAncestors, " ")
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'nonce-" + nonce + "'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		"connect-src 'self'",
		"font-src 'self'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors " + ancestors,
	}, "; ")
}
