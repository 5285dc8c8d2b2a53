package auth

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"

	"github.com/dashkit/dashkit/internal/httpx"
)

// User is who a credential check found.
type User struct {
	ID, Name string
	Roles    []Role
}

// CheckFunc checks a user name and password. It returns ErrBadCredentials
// (or any error) when they do not match; the login handler answers an
// unknown user and a wrong password alike.
type CheckFunc func(ctx context.Context, user, password string) (User, error)

// ErrBadCredentials is what a CheckFunc returns for a wrong user or
// password.
var ErrBadCredentials = errors.New("auth: bad credentials")

// Options configure [Auth].
type Options struct {
	Tokens *Tokens // required
	Policy *Policy // nil means DefaultPolicy()
	// Check verifies credentials at login; required for the login handler.
	Check CheckFunc
	// Denylist holds revoked tokens; nil means an in-memory one.
	Denylist Denylist
	// CookieName is the session cookie; zero means "__Host-dashkit_session"
	// when Secure is set, else "dashkit_session". A name with the __Host-
	// or __Secure- prefix needs Secure: browsers refuse such a cookie
	// without it.
	CookieName string
	// Secure marks the cookie Secure and, with the default name, gives it
	// the __Host- prefix, so that the browser holds it only from this host
	// over HTTPS with Path=/ and no Domain: no subdomain or plain-HTTP
	// page can set or shadow it. Set it in production (HTTPS); leave it
	// unset in development over plain http.
	Secure bool
	// LoginPath is where HTML requests without a session are sent, with
	// ?return=<path>; zero means "/login".
	LoginPath string
	// Title names what the user signs in to on the login page ("Sign in
	// to Portfolio Risk"); zero shows "Sign in" alone.
	Title string
	// LoginRate and LoginBurst limit failed sign-in attempts per user name
	// from one client address: zero means 5 a minute (one more every 12
	// s), with a burst of 5. The limit is the pair's, so attempts from
	// another address cannot lock a user out. A successful sign-in does
	// not count.
	LoginRate  rate.Limit
	LoginBurst int
	// LoginAddrRate and LoginAddrBurst limit failed sign-in attempts from
	// one client address whatever the user name, against password
	// spraying: zero means 20 a minute (one more every 3 s), with a burst
	// of 20.
	LoginAddrRate  rate.Limit
	LoginAddrBurst int
	// LoginLimiter, when set, keeps those limits in a store the replicas
	// share (package auth/redislimiter), so an attacker gains nothing by
	// spreading attempts over them. While it fails, the limits are kept
	// in process. Nil keeps them in process, timed by TokenOptions.Now.
	LoginLimiter LoginLimiter
	// TrustedProxies are the proxies (load balancers) in front of the
	// service, as CIDR prefixes. When a request comes from one of them,
	// login limits apply to the rightmost X-Forwarded-For hop that is not
	// one of them: the address a trusted proxy saw, not one the client
	// wrote. Empty means the connection's address, and X-Forwarded-For is
	// ignored.
	TrustedProxies []netip.Prefix
	// Logger receives failed logins and refused tokens; nil discards.
	Logger *slog.Logger
}

// Auth authenticates requests with JWTs from an Authorization: Bearer
// header or a session cookie, and authorises them with a [Policy].
type Auth struct {
	opts Options
	log  *slog.Logger
	cop  *http.CrossOriginProtection

	byPair  *httpx.Limiter
	byAddr  *httpx.Limiter
	formTpl *template.Template
}

type ctxKey struct{}

// New checks the options and returns an Auth.
func New(opts Options) (*Auth, error) {
	if opts.Tokens == nil {
		return nil, fmt.Errorf("%w: no Tokens", ErrConfig)
	}
	if opts.Policy == nil {
		opts.Policy = DefaultPolicy()
	}
	if opts.Denylist == nil {
		opts.Denylist = NewMemoryDenylist(opts.Tokens.opts.Now)
	}
	if opts.CookieName == "" {
		opts.CookieName = "dashkit_session"
		if opts.Secure {
			opts.CookieName = "__Host-dashkit_session"
		}
	}
	if !opts.Secure && (strings.HasPrefix(opts.CookieName, "__Host-") || strings.HasPrefix(opts.CookieName, "__Secure-")) {
		return nil, fmt.Errorf("%w: CookieName %q needs Secure", ErrConfig, opts.CookieName)
	}
	opts.LoginPath = cmp.Or(opts.LoginPath, "/login")
	if !strings.HasPrefix(opts.LoginPath, "/") {
		return nil, fmt.Errorf("%w: LoginPath %q must be a local path", ErrConfig, opts.LoginPath)
	}
	if opts.LoginRate < 0 || opts.LoginBurst < 0 || opts.LoginAddrRate < 0 || opts.LoginAddrBurst < 0 {
		return nil, fmt.Errorf("%w: negative LoginRate, LoginBurst, LoginAddrRate or LoginAddrBurst", ErrConfig)
	}
	opts.LoginRate = cmp.Or(opts.LoginRate, rate.Every(12*time.Second))
	opts.LoginBurst = cmp.Or(opts.LoginBurst, 5)
	opts.LoginAddrRate = cmp.Or(opts.LoginAddrRate, rate.Every(3*time.Second))
	opts.LoginAddrBurst = cmp.Or(opts.LoginAddrBurst, 20)
	a := &Auth{
		opts: opts, log: opts.Logger, cop: http.NewCrossOriginProtection(),
		byPair: httpx.NewLimiter(opts.LoginRate, opts.LoginBurst),
		byAddr: httpx.NewLimiter(opts.LoginAddrRate, opts.LoginAddrBurst),
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.formTpl = loginTemplate
	return a, nil
}

// FromContext returns the claims of the request's user, set by
// [Auth.Require].
func FromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(ctxKey{}).(*Claims)
	return c, ok
}

// authenticate finds and verifies the request's token.
func (a *Auth) authenticate(r *http.Request) (*Claims, bool, error) {
	fromCookie := false
	token := ""
	if h := r.Header.Get("Authorization"); h != "" {
		var ok bool
		token, ok = strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, false, fmt.Errorf("%w: Authorization is not a Bearer token", ErrToken)
		}
	} else if c, err := r.Cookie(a.opts.CookieName); err == nil {
		token, fromCookie = c.Value, true
	} else {
		return nil, false, nil
	}
	claims, err := a.opts.Tokens.Verify(token)
	if err != nil {
		return nil, fromCookie, err
	}
	// A session ends at its token's expiry, with no leeway: the browser
	// drops the cookie then, and an open stream ends then (CheckSession),
	// so every part of a page agrees that it is over.
	if claims.ExpiresAt != nil && !a.now().Before(claims.ExpiresAt.Time) {
		return nil, fromCookie, fmt.Errorf("%w: %w", ErrToken, jwt.ErrTokenExpired)
	}
	revoked, err := a.opts.Denylist.Revoked(r.Context(), claims.ID)
	switch {
	case err != nil:
		return nil, fromCookie, fmt.Errorf("%w: denylist unavailable: %w", ErrToken, err)
	case revoked:
		return nil, fromCookie, fmt.Errorf("%w: %w", ErrToken, ErrRevoked)
	}
	return claims, fromCookie, nil
}

// Require is middleware that lets only authenticated requests through, with
// their claims in the context. Without a valid session an HTML request is
// redirected to the login page with its path to return to; any other
// request (API, event stream) gets 401 with a JSON body. A state-changing
// request authenticated by cookie must be same-origin
// (http.CrossOriginProtection), or it gets 403.
func (a *Auth) Require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, fromCookie, err := a.authenticate(r)
		if err != nil {
			a.log.Info("auth: token refused", "path", r.URL.Path, "error", err)
		}
		if claims == nil {
			a.unauthenticated(w, r)
			return
		}
		if fromCookie {
			if err := a.cop.Check(r); err != nil {
				httpx.WriteJSON(w, http.StatusForbidden, map[string]string{"error": "cross-origin request refused"})
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, claims)))
	})
}

func wantsHTML(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) && strings.Contains(r.Header.Get("Accept"), "text/html")
}

func (a *Auth) unauthenticated(w http.ResponseWriter, r *http.Request) {
	if wantsHTML(r) {
		// The return path is the request's own path: local by
		// construction (a full URL or //host cannot come from r.URL.Path
		// behind a mux, and is checked again on login).
		ret := r.URL.EscapedPath()
		if r.URL.RawQuery != "" {
			ret += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, a.opts.LoginPath+"?return="+url.QueryEscape(localPath(ret)), http.StatusSeeOther)
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="dashkit"`)
	httpx.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "authentication required"})
}

// localPath returns p when it is a path on this site, else "/": no scheme,
// no host, no protocol-relative "//", no backslash tricks.
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\\\r\n") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return p
}

// Allowed reports whether the request's user holds permission. It makes an
// Auth a dashboard.Authorizer.
func (a *Auth) Allowed(r *http.Request, permission string) bool {
	c, ok := FromContext(r.Context())
	return ok && a.opts.Policy.Can(c.Roles, permission)
}

// Can reports whether claims hold permission.
func (a *Auth) Can(c *Claims, permission Permission) bool {
	return c != nil && a.opts.Policy.Can(c.Roles, permission)
}

// clientAddr is the address login limits apply to.
func (a *Auth) clientAddr(r *http.Request) string {
	return httpx.ClientAddr(r, a.opts.TrustedProxies)
}

// LoginLimit is one limit a sign-in attempt counts against: a token
// bucket named Key that holds at most Burst attempts and refills Rate
// attempts a second, as golang.org/x/time/rate's Limiter does.
type LoginLimit struct {
	Key   string
	Rate  rate.Limit
	Burst int
}

// LoginLimiter counts sign-in attempts where several replicas see the same
// counts. [Auth] passes two limits per attempt: the pair
// "addr:<escaped client address>|user:<lower-case name>" (LoginRate,
// LoginBurst) and "addr:<client address>" (LoginAddrRate, LoginAddrBurst).
//
// Take takes one attempt from every limit, or none when any has none left:
// then wait is how long until every limit would allow one (it is sent as
// Retry-After), else zero. refund gives the attempt back, as a successful
// sign-in does. An error means the limiter could not say: the in-process
// limits apply.
type LoginLimiter interface {
	Take(ctx context.Context, limits ...LoginLimit) (wait time.Duration, refund func(), err error)
}

// loginLimits are the limits an attempt by user from addr counts against.
// The address is escaped in the pair's key so that no user name can make
// one pair's key equal another's.
func (a *Auth) loginLimits(user, addr string) [2]LoginLimit {
	return [2]LoginLimit{
		{Key: "addr:" + url.PathEscape(addr) + "|user:" + strings.ToLower(user), Rate: a.opts.LoginRate, Burst: a.opts.LoginBurst},
		{Key: "addr:" + addr, Rate: a.opts.LoginAddrRate, Burst: a.opts.LoginAddrBurst},
	}
}

// takeLogin applies the login limits to user and addr: the shared
// limiter's when there is one and it answers, else the process's. wait is
// zero when the attempt may go ahead, else how long until it may.
func (a *Auth) takeLogin(ctx context.Context, user, addr string) (wait time.Duration, refund func()) {
	limits := a.loginLimits(user, addr)
	if l := a.opts.LoginLimiter; l != nil {
		wait, refund, err := l.Take(ctx, limits[:]...)
		if err == nil {
			if refund == nil {
				refund = func() {}
			}
			return wait, refund
		}
		a.log.Warn("auth: shared login limiter failing; limiting in process", "error", err)
	}
	return a.allowLogin(limits)
}

// allowLogin takes a token from the pair's and the address's buckets, or
// from neither when either is empty; wait is then how long until both
// have one. refund gives both tokens back: a successful sign-in does not
// count against the limits, so people signing in from one address (an
// office behind NAT) are limited by their failures only.
func (a *Auth) allowLogin(limits [2]LoginLimit) (wait time.Duration, refund func()) {
	now := a.now()
	// Both buckets pay, so neither a pair's nor an address's attempts can
	// be spread over the other.
	rp, ra := a.byPair.Reserve(limits[0].Key, now), a.byAddr.Reserve(limits[1].Key, now)
	for _, r := range []*rate.Reservation{rp, ra} {
		if !r.OK() {
			wait = max(wait, time.Minute) // a bucket that can never fill: never happens with positive bursts
		} else {
			wait = max(wait, r.DelayFrom(now))
		}
	}
	if wait > 0 {
		rp.CancelAt(now)
		ra.CancelAt(now)
		return wait, nil
	}
	return 0, func() {
		// Cancelled as of the instant they were taken, the tokens come
		// back (less what later attempts took meanwhile).
		rp.CancelAt(now)
		ra.CancelAt(now)
	}
}

// retryAfter is wait in whole seconds, rounded up, for a Retry-After
// header: a client that waits that long finds the limits ready.
func retryAfter(wait time.Duration) string {
	return strconv.FormatInt(int64(max(1, (wait+time.Second-1)/time.Second)), 10)
}

// LoginHandler serves GET (a login form) and POST (user, password, return):
// on success it sets the session cookie and redirects to the return path
// (local paths only) or, for a JSON client, answers the token. Failures
// answer 401 with one message for unknown users and wrong passwords; too
// many failures for a user from one address, or from one address in all,
// answer 429 with a Retry-After that says when the next attempt will be
// counted. A form over 16 kB answers 413. POST must be same-origin.
func (a *Auth) LoginHandler() http.Handler {
	return a.cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			a.serveForm(w, r, "", http.StatusOK)
		case http.MethodPost:
			a.login(w, r)
		default:
			w.Header().Set("Allow", "GET, HEAD, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	}))
}

// maxLoginBody bounds a login form: a user name, a password and a return
// path fit in far less; a larger body answers 413.
const maxLoginBody = 16 << 10

func (a *Auth) login(w http.ResponseWriter, r *http.Request) {
	if a.opts.Check == nil {
		http.Error(w, "login is not configured", http.StatusNotImplemented)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	user, password := r.PostForm.Get("user"), r.PostForm.Get("password")
	ret := localPath(r.PostForm.Get("return"))
	wait, refund := a.takeLogin(r.Context(), user, a.clientAddr(r))
	if wait > 0 {
		secs := retryAfter(wait)
		w.Header().Set("Retry-After", secs)
		unit := " seconds."
		if secs == "1" {
			unit = " second."
		}
		a.fail(w, r, ret, http.StatusTooManyRequests, "Too many attempts. Try again in "+secs+unit)
		return
	}
	u, err := a.opts.Check(r.Context(), user, password)
	if err != nil {
		a.log.Info("auth: failed login", "user", user, "addr", a.clientAddr(r))
		a.fail(w, r, ret, http.StatusUnauthorized, "Wrong user name or password.")
		return
	}
	refund()
	token, claims, err := a.opts.Tokens.Issue(u.ID, u.Name, u.Roles)
	if err != nil {
		a.log.Error("auth: issue token", "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	c := a.sessionCookie(token)
	c.Expires = claims.ExpiresAt.Time
	http.SetCookie(w, c)
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"token": token, "expires": claims.ExpiresAt.Time})
		return
	}
	http.Redirect(w, r, ret, http.StatusSeeOther)
}

// sessionCookie is the session cookie holding value, as login sets it and
// logout clears it: the same name, path and flags, so that the browser
// replaces one with the other. Path=/ and no Domain (a host-only cookie)
// are what the __Host- prefix requires.
func (a *Auth) sessionCookie(value string) *http.Cookie {
	return &http.Cookie{
		Name: a.opts.CookieName, Value: value, Path: "/",
		HttpOnly: true, Secure: a.opts.Secure, SameSite: http.SameSiteLaxMode,
	}
}

func (a *Auth) fail(w http.ResponseWriter, r *http.Request, ret string, status int, msg string) {
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		httpx.WriteJSON(w, status, map[string]string{"error": msg})
		return
	}
	a.serveForm(w, r, msg, status)
}

// LogoutHandler revokes the session's token (POST, same-origin) and clears
// the cookie. A token used after logout is refused.
func (a *Auth) LogoutHandler() http.Handler {
	return a.cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		claims, _, err := a.authenticate(r)
		if err == nil && claims != nil {
			if err := a.opts.Denylist.Revoke(r.Context(), claims.ID, claims.ExpiresAt.Time); err != nil {
				a.log.Error("auth: revoke", "error", err)
				http.Error(w, "could not log out", http.StatusServiceUnavailable)
				return
			}
		}
		c := a.sessionCookie("")
		c.MaxAge = -1
		http.SetCookie(w, c)
		if wantsHTML(r) || strings.Contains(r.Header.Get("Accept"), "text/html") {
			http.Redirect(w, r, a.opts.LoginPath, http.StatusSeeOther)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
}

func (a *Auth) serveForm(w http.ResponseWriter, r *http.Request, msg string, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	ret, user := localPath(r.URL.Query().Get("return")), ""
	if r.Method == http.MethodPost {
		// After a failed attempt the user name stays; the password never
		// comes back.
		ret, user = localPath(r.PostForm.Get("return")), r.PostForm.Get("user")
		if len(user) > 256 {
			user = ""
		}
	}
	_ = a.formTpl.Execute(w, map[string]string{"Error": msg, "Return": ret, "User": user, "Title": a.opts.Title})
}

//go:embed login.html
var loginHTML string

var loginTemplate = template.Must(template.New("login").Parse(loginHTML))
