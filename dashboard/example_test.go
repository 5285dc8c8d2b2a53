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

// A chart selects several sectors (a box across its bars) and a score
// range (a brush along an axis); the panel that depends on them reads them
// typed, in their canonical form. More values than MaxFilterValues is 400.
func ExampleParams_NumberRange() {
	sectors := []components.Option{{Value: "energy"}, {Value: "tech"}, {Value: "utilities"}}
	d, err := dashboard.New("Risk", dashboard.Options{
		MaxFilterValues: 2,
		Filters: []dashboard.Filter{
			{Name: "sector", Label: "Sector", Options: sectors, Multiple: true},
			{Name: "score", Label: "Score", NumberRange: true, Bounds: [2]float64{0, 100}},
		},
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "map", Title: "Risk map", CrossFilter: &dashboard.CrossFilter{Filter: "sector"},
				Data: func(context.Context, dashboard.Params) (components.Component, error) {
					return components.Bar{Categories: []string{"energy", "tech", "utilities"}, Series: []components.Series{{Name: "Risk", Values: []float64{3, 1, 2}}}}, nil
				}},
			{ID: "scores", Title: "Scores", CrossFilter: &dashboard.CrossFilter{Filter: "score"},
				Data: func(context.Context, dashboard.Params) (components.Component, error) {
					return components.Bar{Categories: []string{"0–50", "50–100"}, Series: []components.Series{{Name: "Count", Values: []float64{5, 7}}}}, nil
				}},
			{ID: "detail", Title: "Detail", Filters: []string{"sector", "score"},
				Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
					from, to, _ := p.NumberRange("score")
					fmt.Println("sectors", p.Values("sector"), "scores", from, "to", to)
					return components.MetricCard{Title: "Detail"}, nil
				}},
		}}},
	})
	if err != nil {
		panic(err)
	}
	defer d.Close(context.Background())
	srv := httptest.NewServer(d)
	defer srv.Close()

	for _, q := range []string{"sector=utilities&sector=energy&score_from=12.50", "sector=energy&sector=tech&sector=utilities"} {
		res, err := http.Get(srv.URL + "/panels/detail?" + q)
		if err != nil {
			panic(err)
		}
		res.Body.Close()
		fmt.Println(res.StatusCode)
	}
	// Output:
	// sectors [energy utilities] scores 12.5 to 100
	// 200
	// 400
}
