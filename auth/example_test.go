package auth_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/dashkit/dashkit/auth"
)

// Issue a token and use it as a Bearer token on a protected handler.
func ExampleAuth_Require() {
	tokens, err := auth.NewTokens(auth.TokenOptions{
		Secret:   []byte("a-secret-of-at-least-32-bytes!!!"),
		Issuer:   "dashkit",
		Audience: "dashboards",
	})
	if err != nil {
		panic(err)
	}
	a, err := auth.New(auth.Options{Tokens: tokens})
	if err != nil {
		panic(err)
	}
	h := a.Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := auth.FromContext(r.Context())
		fmt.Fprintf(w, "%s may export: %v", claims.Name, a.Allowed(r, auth.ExportData))
	}))

	token, _, err := tokens.Issue("u-1", "Ana", []auth.Role{auth.Analyst})
	if err != nil {
		panic(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body.String())

	anon := httptest.NewRecorder()
	h.ServeHTTP(anon, httptest.NewRequest(http.MethodGet, "/", nil))
	fmt.Println(anon.Code)
	// Output:
	// 200 Ana may export: true
	// 401
}

func ExamplePolicy_Can() {
	p := auth.DefaultPolicy()
	fmt.Println(p.Can([]auth.Role{auth.Viewer}, auth.ExportData), p.Can([]auth.Role{auth.Manager}, auth.ModifyFilters))
	// Output: false true
}

// Who gets a dashboard's controls under the default policy, with
// FilterPermission: auth.ModifyFilters and ExportPermission:
// auth.ExportData, as the package's example sets them.
func ExampleDefaultPolicy_controls() {
	p := auth.DefaultPolicy()
	for _, r := range []auth.Role{auth.Viewer, auth.Analyst, auth.Manager, auth.Admin} {
		fmt.Printf("%-8s filters: %-5v export: %v\n", r, p.Can([]auth.Role{r}, auth.ModifyFilters), p.Can([]auth.Role{r}, auth.ExportData))
	}
	// Output:
	// viewer   filters: false export: false
	// analyst  filters: false export: true
	// manager  filters: true  export: true
	// admin    filters: true  export: true
}
