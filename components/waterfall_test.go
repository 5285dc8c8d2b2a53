package components

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// waterfallBars decodes a rendered waterfall's series: name → values, nil
// for no bar.
func waterfallBars(t *testing.T, w Waterfall) map[string][][]*float64 {
	t.Helper()
	r, err := w.Render("w")
	require.NoError(t, err)
	var opt struct {
		Series []struct {
			Name string
			Data []struct{ Value *float64 }
		}
	}
	require.NoError(t, json.Unmarshal(r.Option, &opt))
	out := map[string][][]*float64{}
	for _, s := range opt.Series {
		vals := make([]*float64, len(s.Data))
		for i, d := range s.Data {
			vals[i] = d.Value
		}
		out[s.Name] = append(out[s.Name], vals)
	}
	return out
}

func f64(v float64) *float64 { return &v }

func TestWaterfallFloats(t *testing.T) {
	got := waterfallBars(t, Waterfall{Steps: []Step{
		{Name: "Planned", Value: 24, Total: true},
		{Name: "Breakdowns", Value: -3},
		{Name: "Rework", Value: 1},
		{Name: "Speed loss", Value: -2},
		{Name: "Productive", Value: 20, Total: true},
	}})
	require.Equal(t, [][]*float64{{nil, f64(21), f64(21), f64(20), nil}}, got[""], "the invisible base under each floating bar")
	require.Equal(t, [][]*float64{{f64(24), nil, nil, nil, f64(20)}}, got["Total"], "totals stand on zero")
	require.Equal(t, [][]*float64{{nil, f64(3), nil, f64(2), nil}}, got["Decrease"])
	require.Equal(t, [][]*float64{{nil, nil, f64(1), nil, nil}}, got["Increase"])
}

func TestWaterfallCrossesZero(t *testing.T) {
	got := waterfallBars(t, Waterfall{Steps: []Step{{Name: "Start", Value: 2, Total: true}, {Name: "Loss", Value: -5}}})
	require.Equal(t, [][]*float64{{nil, f64(2)}, {nil, f64(-3)}}, got["Decrease"], "a change across zero is drawn on both sides")
	_, err := Waterfall{}.Render("w")
	require.ErrorIs(t, err, ErrInvalid)
}
