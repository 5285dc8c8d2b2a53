package dashboard_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// A dashboard with a filter, mounted under /ops/ in a host's mux.
func ExampleNew() {
	d, err := dashboard.New("Operations", dashboard.Options{
		Filters: []dashboard.Filter{{Name: "site", Label: "Site", Options: []components.Option{{Value: "lyon"}, {Value: "porto"}}}},
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{{
			ID:      "orders",
			Title:   "Orders today",
			Filters: []string{"site"},
			Data: func(ctx context.Context, p dashboard.Params) (components.Component, error) {
				orders := map[string]float64{"lyon": 1234, "porto": 987}
				return components.MetricCard{Title: "Orders in " + p.Value("site"), Value: orders[p.Value("site")]}, nil
			},
		}}}},
	})
	if err != nil {
		panic(err)
	}
	defer d.Close(context.Background())

	mux := http.NewServeMux()
	mux.Handle("/ops/", http.StripPrefix("/ops", d))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, q := range []string{"site=porto", "site=paris"} {
		res, err := http.Get(srv.URL + "/ops/panels/orders?" + q)
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Println(res.StatusCode, len(b) > 0)
	}
	// Output:
	// 200 true
	// 400 true
}
