// Package auth is JWT sessions and role-based access control that the
// server enforces on every endpoint.
//
// # Tokens
//
// [Tokens] issues and verifies JWTs with golang-jwt/jwt/v5: HS256 with a
// secret of at least 32 bytes by default, or EdDSA or RS256 with keys. Only
// the configured algorithm is accepted (no "none", no HS512 for HS256, no
// key confusion); exp is required; nbf and iat are honoured with a small
// leeway (30 s); issuer and audience are checked; tokens carry an ID so
// logout can revoke them; tokens over 4 kB are refused before parsing.
//
// # Requests
//
// [Auth.Require] is middleware: the token comes from an Authorization:
// Bearer header or a session cookie (HttpOnly, SameSite=Lax, host-only;
// in production Secure and named with the __Host- prefix). Without a valid session an HTML request is
// redirected to the login page with a local return path (never an open
// redirect); API and event-stream requests get 401 with a JSON body. The
// claims travel in the request context ([FromContext]). State-changing
// requests authenticated by cookie must be same-origin
// (http.CrossOriginProtection). Roles claimed anywhere but in a signed token
// are ignored.
//
// # Login and logout
//
// [Auth.LoginHandler] checks credentials with the caller's [CheckFunc],
// answers unknown users and wrong passwords alike, and rate-limits failed
// attempts per user from one client address (the sixth in a minute gets
// 429, with a Retry-After that is the real wait), and more loosely per
// address whatever the user, so that nobody can lock a user out from
// another address.
// [Auth.LogoutHandler] revokes the token in a [Denylist] (in memory, or in
// Redis through package redisdenylist for several replicas) until it would
// have expired.
//
// # Roles
//
// A [Policy] maps roles to permissions: viewer reads dashboards; analyst
// also exports data; manager also modifies filters; admin may do
// everything. Custom roles and permissions are allowed. An [Auth] is a
// dashboard.Authorizer: panels, filters and export that a user may not use
// are absent from the page and their endpoints answer 403.
//
// With the default policy, a dashboard that asks for these permissions
// offers the filter bar and the charts' cross-filter clicks to managers and
// admins only, and CSV export to analysts, managers and admins; viewers and
// analysts read the default view or a view shared by its link, without
// controls. Leave FilterPermission empty to let every reader filter:
//
//	a, _ := auth.New(auth.Options{Tokens: tokens, Check: checkPassword, Secure: cfg.Env == config.Production})
//	d, _ := dashboard.New("Ops", dashboard.Options{
//		Authorizer:       a,
//		FilterPermission: auth.ModifyFilters, // managers and admins: the dropdowns and chart clicks
//		ExportPermission: auth.ExportData,    // analysts, managers and admins: the CSV links
//		…
//	})
//	mux.Handle("/login", a.LoginHandler())
//	mux.Handle("/logout", a.LogoutHandler())
//	mux.Handle("/", a.Require(d))
package auth
