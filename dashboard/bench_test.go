package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dashkit/dashkit/dashboard"
)

// BenchmarkPage renders GET / for a 12-panel page (six cards, six heatmaps)
// whose data functions return at once: the cost of the dashboard itself.
func BenchmarkPage(b *testing.B) {
	var rows []dashboard.Row
	for r := range 3 {
		var ps []dashboard.Panel
		for c := range 4 {
			id := fmt.Sprintf("p%d%d", r, c)
			data := dashboard.DataFunc(heat)
			if c%2 == 0 {
				data = card(id, float64(r*c))
			}
			ps = append(ps, dashboard.Panel{ID: id, Title: id, Data: data})
		}
		rows = append(rows, dashboard.Row{Panels: ps})
	}
	d, err := dashboard.New("bench", dashboard.Options{Rows: rows, Assets: fakeECharts})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close(context.Background())
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
