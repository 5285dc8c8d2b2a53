// dashkit runtime: mounts charts from their JSON options, keeps panels up to
// date over Server-Sent Events (polling when streams fail), and wires filters
// and cross-filtering. It runs under a strict Content-Security-Policy: no
// eval, no inline script, and every URL it requests is relative to the page.
//
// Failures stay where they happen: a panel that fails shows its own error
// state; a view the server refuses restores the previous one with a notice;
// a lost session (401 anywhere, or the stream's "session" event) reloads the
// page, which the host's login sends to sign in and back to the same view.
(function () {
  'use strict';

  var root = document.documentElement;
  var statusEl = document.querySelector('.dk-status');
  var noticeEl = document.querySelector('.dk-notice');
  var leaving = false;
  // The options each chart was last given, so a theme change can redraw it.
  var chartOptions = new WeakMap();
  var observed = new WeakSet();
  var panels = {};
  document.querySelectorAll('.dk-panel[data-panel]').forEach(function (el) {
    panels[el.getAttribute('data-panel')] = el;
  });

  function setStatus(text) {
    if (statusEl) { statusEl.textContent = text; }
    root.setAttribute('data-dk-status', text);
  }

  // formatNumber mirrors components.NumberFormat.Format in Go.
  function formatNumber(v, f) {
    if (typeof v !== 'number') { return v === '-' || v == null ? '' : String(v); }
    if (isNaN(v)) { return 'n/a'; }
    if (!isFinite(v)) { return v > 0 ? '∞' : '-∞'; }
    var dec = f.decimals || 0, neg = v < 0, a = Math.abs(v), body;
    function group(x) {
      var parts = x.toFixed(dec).split('.');
      parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      return parts.join('.');
    }
    if (f.style === 'percent') {
      body = group(a * 100) + '%';
    } else if (f.compact) {
      body = a.toFixed(dec);
      var steps = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
      for (var i = 0; i < steps.length; i++) {
        if (a >= steps[i][0]) {
          var s = (a / steps[i][0]).toFixed(dec);
          if (parseFloat(s) >= 1000 && i > 0) { s = (a / steps[i - 1][0]).toFixed(dec) + steps[i - 1][1]; } else { s += steps[i][1]; }
          body = s;
          break;
        }
      }
    } else {
      body = group(a);
    }
    if (f.style === 'currency') { body = f.currency + body; }
    if (neg && /[1-9]/.test(body)) { body = '-' + body; }
    if (f.unit) { body += ' ' + f.unit; }
    return body;
  }

  // formatTick mirrors components.NumberFormat.Tick: an axis tick with as
  // few decimals as it needs, never more than the axis' step needs.
  function stepDecimals(x) {
    for (var d = 0; d < 12; d++) {
      var y = x * Math.pow(10, d);
      if (Math.abs(y - Math.round(y)) < 1e-6 * Math.max(1, y)) { return d; }
    }
    return 12;
  }
  function formatTick(v, f, step) {
    if (typeof v !== 'number' || !isFinite(v) || !(step > 0)) { return formatNumber(v, f); }
    var unit = 1, a = Math.abs(v);
    if (f.style === 'percent') {
      unit = 0.01;
    } else if (f.compact) {
      var steps = [1e12, 1e9, 1e6, 1e3];
      for (var i = 0; i < steps.length; i++) { if (a >= steps[i] * (1 - 1e-12)) { unit = steps[i]; break; } }
    }
    var most = stepDecimals(step / unit), x = a / unit, d = 0;
    for (; d < most; d++) {
      var p = Math.pow(10, d);
      if (Math.abs(x * p - Math.round(x * p)) < 1e-6 * Math.max(1, x * p)) { break; }
    }
    var g = {};
    for (var k in f) { g[k] = f[k]; }
    g.decimals = d;
    return formatNumber(v, g);
  }

  // revive turns {"$dkFormat": {...}} specs into formatter functions:
  // options arrive as pure JSON and no code travels with them.
  function revive(o) {
    if (Array.isArray(o)) {
      for (var i = 0; i < o.length; i++) { o[i] = revive(o[i]); }
      return o;
    }
    if (o && typeof o === 'object') {
      if (Object.prototype.hasOwnProperty.call(o, '$dkFormat')) {
        var spec = o.$dkFormat;
        var fn = function (x) {
          var v = x;
          if (x && typeof x === 'object') { v = Array.isArray(x.value) ? x.value[x.value.length - 1] : x.value; }
          return spec.tick ? formatTick(v, spec, fn.step) : formatNumber(v, spec);
        };
        fn.dkSpec = spec;
        return fn;
      }
      for (var k in o) {
        if (Object.prototype.hasOwnProperty.call(o, k)) { o[k] = revive(o[k]); }
      }
    }
    return o;
  }

  // Themes: "auto" follows prefers-color-scheme; the header's toggle pins
  // light or dark and the browser remembers it (theme.js applies it before
  // the first paint).
  var darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  function isDark() {
    var t = root.getAttribute('data-theme');
    return t === 'dark' || (t === 'auto' && !!darkQuery && darkQuery.matches);
  }
  var theme = isDark() ? 'dark' : null;

  function retheme() {
    var next = isDark() ? 'dark' : null;
    var toggle = document.querySelector('.dk-theme-toggle');
    if (toggle) {
      toggle.setAttribute('aria-pressed', next ? 'true' : 'false');
      toggle.textContent = next ? 'Light theme' : 'Dark theme';
    }
    if (next === theme) { return; }
    theme = next;
    document.querySelectorAll('.dk-chart').forEach(function (el) {
      var old = echarts.getInstanceByDom(el);
      var opt = chartOptions.get(el);
      if (!old || !opt) { return; }
      old.dispose();
      var chart = echarts.init(el, theme);
      chart.setOption(opt, { notMerge: true });
      var panel = el.closest('.dk-panel');
      if (panel) { crossFilter(panel, chart); }
      arm(el, chart);
    });
  }

  function wireTheme() {
    var toggle = document.querySelector('.dk-theme-toggle');
    if (!toggle) { return; }
    toggle.addEventListener('click', function () {
      var next = isDark() ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try { window.localStorage.setItem('dashkit-theme', next); } catch (e) { /* not remembered */ }
      retheme();
    });
    if (darkQuery && darkQuery.addEventListener) { darkQuery.addEventListener('change', retheme); }
    retheme();
  }

  function notice(text) {
    if (!noticeEl) { return; }
    noticeEl.querySelector('.dk-notice-text').textContent = text;
    noticeEl.hidden = false;
  }

  function wireNotice() {
    if (!noticeEl) { return; }
    noticeEl.querySelector('.dk-notice-close').addEventListener('click', function () { noticeEl.hidden = true; });
  }

  // sessionLost reloads the page once: the host's middleware answers it
  // with its login page, which returns to this very view.
  function sessionLost() {
    if (leaving) { return; }
    leaving = true;
    setStatus('signed out');
    if (es) { es.close(); es = null; }
    stopPolling();
    location.reload();
  }


  // Layout by the space a chart has. Go sets what depends on the data
  // (nice 1-2-5 ticks, formats, the rows of title, legend and plot); fit
  // sets what depends on the size, at every mount, update and resize: the
  // title's and the legend's widths (the legend scrolls when long), the
  // category labels (level, then upright, then every k-th, then truncated;
  // the tooltip keeps the full name), a coarser value step when tick labels
  // would touch, heatmap cell labels only where they fit, and a gauge's type
  // sizes.
  var measureCtx = null;
  function textWidth(s, size) {
    if (!measureCtx) { measureCtx = document.createElement('canvas').getContext('2d'); }
    measureCtx.font = (size || 12) + 'px sans-serif';
    return measureCtx.measureText(String(s)).width;
  }
  function widest(list, size) {
    var w = 0;
    list.forEach(function (x) { w = Math.max(w, textWidth(x, size)); });
    return w;
  }
  function list(x) { return Array.isArray(x) ? x : (x ? [x] : []); }
  function nextStep(step) {
    var mag = Math.pow(10, Math.floor(Math.log10(step) + 1e-9)), m = step / mag;
    return (m < 1.5 ? 2 : m < 3.5 ? 5 : 10) * mag;
  }
  function roundTo(v, step) {
    var r = parseFloat(v.toFixed(Math.min(stepDecimals(step), 20)));
    return r === 0 ? 0 : r;
  }
  function valueLabels(ax) {
    var f = ax.axisLabel && ax.axisLabel.formatter, out = [];
    for (var i = 0; i < 100; i++) {
      var v = roundTo(ax.min + i * ax.interval, ax.interval);
      if (v > ax.max + ax.interval / 2) { break; }
      out.push(typeof f === 'function' ? f(v) : typeof f === 'string' ? f.replace('{value}', v) : String(v));
    }
    return out;
  }
  // fitValue coarsens a value axis' step (1-2-5) until its labels have
  // room: across the axis for a horizontal one, 20 px apart for a vertical.
  function fitValue(ax, horizontal, space) {
    if (ax.type !== 'value' || ax.min == null || ax.max == null || !ax.interval) { return 48; }
    if (!ax.dkBase) { ax.dkBase = { min: ax.min, max: ax.max, interval: ax.interval }; }
    var b = ax.dkBase, step = b.interval, labels = [];
    var f = ax.axisLabel && ax.axisLabel.formatter;
    for (var k = 0; k < 8; k++) {
      ax.interval = step;
      ax.min = roundTo(Math.floor(b.min / step + 1e-9) * step, step);
      ax.max = roundTo(Math.ceil(b.max / step - 1e-9) * step, step);
      if (f && f.dkSpec) { f.step = step; }
      labels = valueLabels(ax);
      var need = horizontal ? widest(labels) + 12 : 22;
      if (space / Math.max(labels.length - 1, 1) >= need) { break; }
      step = nextStep(step);
    }
    return widest(labels);
  }
  function names(data) {
    return data.map(function (d) { return d && typeof d === 'object' ? d.value : d; });
  }
  // fitCategory fits a category axis' labels into space along the axis,
  // with room across it.
  // A sequence (the categories of a line: days, months) keeps its labels
  // level and shows every k-th; named categories (bars, heatmap columns)
  // stand upright so that each keeps its label.
  function fitCategory(ax, horizontal, space, room, sequence) {
    if (ax.type !== 'category' || !Array.isArray(ax.data) || !ax.data.length) { return 0; }
    var lab = ax.axisLabel = ax.axisLabel || {};
    var all = names(ax.data), wide = widest(all), slot = space / all.length;
    // Every field is set, never deleted: updates merge into the chart's
    // option, where a deleted field would keep its last value.
    lab.hideOverlap = true;
    lab.rotate = 0;
    lab.interval = 0;
    lab.overflow = 'none';
    lab.width = null;
    lab.showMinLabel = null;
    if (horizontal) {
      if (wide + 10 <= slot) { return 16; }
      if (sequence) {
        lab.interval = Math.max(1, Math.ceil((Math.min(wide, room) + 12) / slot)) - 1;
        if (wide > room) { lab.width = Math.floor(room); lab.overflow = 'truncate'; }
        // The first label, centred on a narrow band, would reach into the
        // value axis' labels: the sequence starts at its next shown label.
        lab.showMinLabel = Math.min(wide, room) / 2 > slot / 2 + 4 ? false : null;
        return 16;
      }
      lab.rotate = 90;
      lab.interval = Math.max(1, Math.ceil(18 / slot)) - 1;
    } else {
      lab.interval = Math.max(1, Math.ceil(18 / slot)) - 1;
    }
    if (wide > room) {
      lab.width = Math.floor(room);
      lab.overflow = 'truncate';
      wide = room;
    }
    return horizontal ? wide : wide;
  }
  function fit(el, opt) {
    var W = el.clientWidth, H = el.clientHeight;
    if (!W || !H || !opt) { return opt; }
    list(opt.title).forEach(function (t) {
      t.textStyle = t.textStyle || {};
      t.textStyle.width = W - 16;
      t.textStyle.overflow = 'truncate';
    });
    list(opt.legend).forEach(function (l) {
      l.width = W - 16;
      l.left = 8;
    });
    var grid = list(opt.grid)[0];
    var top = grid ? parseFloat(grid.top) || 0 : 0, bottom = grid ? parseFloat(grid.bottom) || 0 : 0;
    var plotW = W - 24, plotH = H - top - bottom;
    var xs = list(opt.xAxis), ys = list(opt.yAxis);
    // Side labels first (they take width), then the bottom ones.
    var side = 0;
    ys.forEach(function (ax) {
      side = Math.max(side, ax.type === 'category' ? fitCategory(ax, false, plotH - 24, Math.max(56, W * 0.35)) : fitValue(ax, false, plotH - 24));
    });
    var across = 0, overhang = 0;
    xs.forEach(function (ax) {
      if (ax.type === 'category') {
        var lines = list(opt.series).length > 0 && list(opt.series).every(function (s) { return s.type === 'line'; });
        across = Math.max(across, fitCategory(ax, true, plotW - side, Math.max(40, plotH * 0.4), lines));
      } else {
        // The last tick's label is centred on the plot's right edge: the
        // grid keeps half of it inside the chart.
        overhang = Math.max(overhang, fitValue(ax, true, plotW - side) / 2);
      }
    });
    if (grid && overhang) {
      if (grid.dkRight === undefined) { grid.dkRight = parseFloat(grid.right) || 0; }
      grid.right = Math.max(grid.dkRight, Math.ceil(overhang) + 4);
    }
    list(opt.series).forEach(function (s) {
      if (s.type === 'heatmap' && s.label && xs[0] && ys[0] && xs[0].data && ys[0].data) {
        var cw = (plotW - side) / xs[0].data.length, ch = (plotH - 24 - across) / ys[0].data.length;
        if (s.dkLabel === undefined) { s.dkLabel = s.label.show; }
        var f = s.label.formatter, texts = (s.data || []).map(function (d) {
          return d.label && typeof d.label.formatter === 'string' ? d.label.formatter : typeof f === 'function' ? f(d) : '';
        });
        s.label.show = !!s.dkLabel && ch >= 16 && widest(texts) + 6 <= cw;
      }
      if (s.type === 'gauge') {
        var r = Math.min(W, H) / 2 * (parseFloat(s.radius) / 100 || 0.75);
        s.detail = s.detail || {};
        s.detail.fontSize = Math.max(12, Math.min(22, Math.round(r / 5)));
        s.axisLabel = s.axisLabel || {};
        s.axisLabel.fontSize = r < 80 ? 9 : 10;
        s.axisLabel.distance = r < 80 ? 16 : 20;
      }
    });
    return opt;
  }

  // Accessibility: every chart is focusable and described by a visually
  // hidden table of its data (categories by series, or a heatmap's rows by
  // columns), which screen readers reach through aria-describedby.
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }
  function cellText(v, f) {
    if (v && typeof v === 'object' && !Array.isArray(v)) { v = v.value; }
    if (Array.isArray(v)) { v = v[v.length - 1]; }
    if (v == null || v === '-') { return 'no data'; }
    return typeof f === 'function' ? f(v) : String(v);
  }
  function summaryHTML(opt) {
    var series = list(opt.series), xs = list(opt.xAxis), ys = list(opt.yAxis);
    var tipFormat = opt.tooltip && opt.tooltip.valueFormatter;
    var heat = series[0] && series[0].type === 'heatmap';
    var rows = [], head = [];
    if (heat) {
      var cols = names(xs[0].data || []), rowNames = names(ys[0].data || []);
      var f = series[0].label && series[0].label.formatter;
      head = ['Row'].concat(cols);
      var grid = rowNames.map(function () { return cols.map(function () { return 'no data'; }); });
      (series[0].data || []).forEach(function (d) {
        var v = d.value;
        grid[v[1]][v[0]] = d.label && typeof d.label.formatter === 'string' ? d.label.formatter : cellText(v[v.length - 1], f);
      });
      rows = rowNames.map(function (n, i) { return [n].concat(grid[i]); });
    } else if (series[0] && series[0].type === 'gauge') {
      var g = series[0], gf = g.detail && g.detail.formatter;
      head = ['Measure', 'Value'];
      rows = [[g.name || 'Value', cellText(g.data[0].value, gf)]];
    } else {
      var cat = xs[0] && xs[0].type === 'category' ? xs[0] : ys[0] && ys[0].type === 'category' ? ys[0] : null;
      var valueAxis = xs[0] && xs[0].type === 'value' ? xs[0] : ys[0];
      var n = 0;
      series.forEach(function (s) { n = Math.max(n, (s.data || []).length); });
      n = Math.min(n, 400);
      head = [cat ? 'Category' : 'Time'].concat(series.map(function (s) { return s.name || 'Value'; }));
      for (var i = 0; i < n; i++) {
        var label = cat && cat.data ? names(cat.data)[i] : '';
        var first = series[0].data[i];
        if (!label && first && Array.isArray(first.value)) {
          label = typeof first.value[0] === 'number' ? new Date(first.value[0]).toISOString().slice(0, 10) : first.value[0];
        }
        rows.push([label].concat(series.map(function (s) {
          var f = (s.tooltip && s.tooltip.valueFormatter) || tipFormat;
          return cellText((s.data || [])[i], f);
        })));
      }
      void valueAxis;
    }
    var caption = (opt.aria && opt.aria.label && opt.aria.label.description) || (opt.title && opt.title.text) || 'Chart data';
    return '<table><caption>' + esc(caption) + '</caption><thead><tr>' + head.map(function (h) { return '<th scope="col">' + esc(h) + '</th>'; }).join('') +
      '</tr></thead><tbody>' + rows.map(function (r) {
        return '<tr>' + r.map(function (c, j) { return j === 0 ? '<th scope="row">' + esc(c) + '</th>' : '<td>' + esc(c) + '</td>'; }).join('') + '</tr>';
      }).join('') + '</tbody></table>';
  }
  function describeChart(el, opt) {
    if (!el.id) { return; }
    var id = el.id + '-data';
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement('div');
      box.className = 'dk-sr dk-chart-data';
      box.id = id;
      el.insertAdjacentElement('afterend', box);
    }
    try { box.innerHTML = summaryHTML(opt); } catch (e) { box.textContent = el.getAttribute('aria-label') || ''; }
    el.setAttribute('tabindex', '0');
    el.setAttribute('aria-describedby', id);
  }

  // Cross-filtering: selections on a chart set a filter. Only charts of
  // users who may change that filter carry data-crossfilter (the server
  // decides, and validates every value and range it is sent); the others
  // get no handlers, and the stylesheet takes their pointer cursor away.
  // The spec says which filter, where a category comes from (the item's
  // name, or a heatmap cell's x or y label) and the kind of selection:
  // "one" (a click chooses one category), "set" (besides, shift/ctrl-click
  // adds or removes one, a drag selects every category a rectangle spans),
  // "date" or "number" (a drag along the X axis selects a range). The
  // gestures are ECharts' own: its brush, taken as the chart's cursor so a
  // drag selects with no toolbar click, and its click events.
  function specOf(el) {
    var panel = el && el.closest('.dk-panel');
    var s = panel && panel.getAttribute('data-crossfilter');
    return s ? JSON.parse(s) : null;
  }
  function isRange(spec) { return spec.kind === 'date' || spec.kind === 'number'; }
  function first(x) { return Array.isArray(x) ? x[0] : x; }

  // selectedOf is the filter's selection in the URL: its values, or a
  // range's [from, to] (each '' when open); [] when nothing is selected.
  function selectedOf(spec) {
    var params = new URLSearchParams(location.search);
    if (isRange(spec)) {
      var from = params.get(spec.filter + '_from') || '', to = params.get(spec.filter + '_to') || '';
      return from || to ? [from, to] : [];
    }
    return params.getAll(spec.filter);
  }

  // categoryAxis is the chart's category axis ('x' or 'y') for items whose
  // category is their place on it.
  function categoryAxis(option) {
    var x = first(option.xAxis), y = first(option.yAxis);
    if (x && x.type === 'category') { return 'x'; }
    if (y && y.type === 'category') { return 'y'; }
    return '';
  }

  // categoryOf is the category of item j of a series, as the filter reads it.
  function categoryOf(option, spec, item, j) {
    var v = item && typeof item === 'object' ? item.value : item;
    if (spec.from === 'x' || spec.from === 'y') {
      var ax = first(option[spec.from + 'Axis']);
      return ax && ax.data && Array.isArray(v) ? ax.data[v[spec.from === 'x' ? 0 : 1]] : undefined;
    }
    var c = categoryAxis(option), axis = c && first(option[c + 'Axis']);
    if (axis && axis.data) { return axis.data[j]; }
    return Array.isArray(v) ? v[0] : undefined;
  }

  // valueOf is the filter value of a category: a chart may show an
  // option's label ("North") where the filter takes its value ("north");
  // a category that is no option has none (undefined), and is refused.
  function valueOf(spec, cat) {
    if (typeof cat !== 'string') { return undefined; }
    if (!spec.values) { return cat; }
    return Object.prototype.hasOwnProperty.call(spec.values, cat) ? spec.values[cat] : undefined;
  }

  // decorate marks what a cross-filtering chart's selection holds, in the
  // option itself, so it survives every live update: selected items take
  // the series' select style (the component's), the others are dimmed;
  // with nothing selected every item is drawn as usual. A drag-selecting
  // chart gets ECharts' brush component.
  function decorate(el, option) {
    var spec = specOf(el);
    if (!spec || !option || !option.series) { return option; }
    if (spec.kind === 'set' || isRange(spec)) {
      // ECharts adds its brush buttons to a toolbox, making one when the
      // option has none: a hidden one keeps the chart clean.
      option.toolbox = { show: false };
      option.brush = {
        toolbox: [], xAxisIndex: 0, brushMode: 'single', transformable: false, removeOnClick: true,
        brushType: isRange(spec) ? 'lineX' : 'rect', throttleType: 'debounce', throttleDelay: 0,
        brushStyle: { borderWidth: 1, color: 'rgba(31,95,191,0.12)', borderColor: 'rgba(31,95,191,0.8)' }
      };
    }
    if (isRange(spec)) { return option; } // the brushed range is the highlight
    var sel = selectedOf(spec);
    [].concat(option.series).forEach(function (series) {
      if (!series || !Array.isArray(series.data)) { return; }
      var chosen = (series.select && series.select.itemStyle) || { borderColor: '#f59e0b', borderWidth: 2 };
      series.data = series.data.map(function (item, j) {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) { item = { value: item }; }
        var style = {};
        Object.keys(item.itemStyle || {}).forEach(function (k) {
          if (k !== 'opacity' && k !== 'borderColor' && k !== 'borderWidth' && k !== 'borderType') { style[k] = item.itemStyle[k]; }
        });
        if (sel.length) {
          var on = sel.indexOf(valueOf(spec, categoryOf(option, spec, item, j))) >= 0;
          if (on) { Object.keys(chosen).forEach(function (k) { style[k] = chosen[k]; }); } else { style.opacity = 0.3; }
        }
        style.opacity = style.opacity == null ? 1 : style.opacity;
        style.borderWidth = style.borderWidth || 0;
        item.itemStyle = style;
        item.label = Object.assign({}, item.label, { opacity: style.opacity }); // a dimmed cell's label too
        return item;
      });
    });
    return option;
  }

  // armed charts: a drag selects (ECharts' brush as the chart's cursor),
  // and a range selection is drawn as the brushed area. Called after every
  // setOption, which may recreate the brush component.
  function arm(el, chart) {
    var spec = specOf(el);
    if (!spec || (spec.kind !== 'set' && !isRange(spec))) { return; }
    var option = chartOptions.get(el) || {};
    chart.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: isRange(spec) ? 'lineX' : 'rect', brushMode: 'single' } });
    var areas = [];
    var sel = isRange(spec) ? selectedOf(spec) : [];
    if (sel.length) {
      var axis = first(option.xAxis) || {};
      var ends = sel.map(function (v, i) {
        if (v === '') { return i === 0 ? -Infinity : Infinity; }
        return spec.kind === 'date' ? Date.parse(v + 'T00:00:00Z') + (i === 1 ? 86400000 - 1 : 0) : parseFloat(v);
      });
      var extent = chart.getModel().getComponent('xAxis', 0).axis.scale.getExtent();
      if (axis.type !== 'category') {
        areas.push({ brushType: 'lineX', xAxisIndex: 0, coordRange: [Math.max(ends[0], extent[0]), Math.min(ends[1], extent[1])] });
      }
    }
    chart.dispatchAction({ type: 'brush', areas: areas });
  }

  // redecorate draws every cross-filtering chart's selection anew after
  // the URL's selection changed: the chart that was clicked does not
  // depend on its own filter, so no update comes to it.
  function redecorate() {
    document.querySelectorAll('.dk-panel[data-crossfilter] .dk-chart').forEach(function (el) {
      var chart = echarts.getInstanceByDom(el), option = chartOptions.get(el);
      if (!chart || !option) { return; }
      chart.setOption(decorate(el, option));
      arm(el, chart);
    });
    renderSelection();
  }

  var brushed = 0; // when a drag last ended: the click that ends it is not a click
  function crossFilter(panel, chart) {
    var spec = panel.getAttribute('data-crossfilter');
    if (!spec) { return; }
    spec = JSON.parse(spec);
    var el = chart.getDom();
    if (!isRange(spec)) { keyboard(panel, chart, spec); }
    chart.off('brushEnd');
    chart.getZr().off('mousedown');
    chart.getZr().off('click');
    // A click is a press and a release in one place. Under the brush,
    // ECharts' own click events do not reach the items (the brush's layer
    // takes the pointer), so the item clicked is the one whose drawn
    // element contains the press (zrender's contain, ECharts' elements); a
    // press on no item is a click on empty space.
    var press = null;
    chart.getZr().on('mousedown', function (e) { press = { x: e.offsetX, y: e.offsetY }; el.dkDown = true; });
    chart.getZr().on('click', function (e) {
      if (Date.now() - brushed < 300 || !press || Math.abs(e.offsetX - press.x) > 4 || Math.abs(e.offsetY - press.y) > 4) { return; }
      var item = itemAt(chart, press.x, press.y);
      if (!item || isRange(spec)) {
        if (!item && selectedOf(spec).length) { setFilters(clearing([spec])); }
        return;
      }
      var option = chartOptions.get(el) || chart.getOption();
      var series = [].concat(option.series || [])[item.seriesIndex || 0] || {};
      var cat = categoryOf(option, spec, (series.data || [])[item.dataIndex], item.dataIndex);
      if (cat === undefined && spec.from === 'name') { cat = item.name; }
      var value = valueOf(spec, cat);
      if (typeof value !== 'string') { return; }
      var sel = selectedOf(spec), ev = e.event;
      var adding = spec.kind === 'set' && ev && (ev.shiftKey || ev.ctrlKey || ev.metaKey);
      var next;
      if (adding) {
        next = sel.indexOf(value) >= 0 ? sel.filter(function (v) { return v !== value; }) : sel.concat([value]);
      } else {
        next = sel.length === 1 && sel[0] === value ? [] : [value]; // a click on the one chosen clears it
      }
      var change = {};
      change[spec.filter] = inAxisOrder(option, spec, next);
      setFilters(change);
    });
    if (spec.kind !== 'set' && !isRange(spec)) { return; }
    chart.on('brushEnd', function (params) {
      var area = (params.areas || [])[0];
      if (!area || !area.coordRange) { return; }
      brushed = Date.now();
      var option = chartOptions.get(el) || {};
      var change = {};
      if (isRange(spec)) {
        var r = area.coordRange, from, to;
        if (spec.kind === 'date') {
          from = new Date(r[0]).toISOString().slice(0, 10);
          to = new Date(r[1]).toISOString().slice(0, 10);
          if (spec.min && from < spec.min) { from = spec.min; }
          if (spec.max && to > spec.max) { to = spec.max; }
        } else {
          var lo = parseFloat(spec.min), hi = parseFloat(spec.max);
          var digits = function (x) { return String(Number(x.toPrecision(4))); };
          from = digits(Math.max(lo, Math.min(r[0], r[1])));
          to = digits(Math.min(hi, Math.max(r[0], r[1])));
        }
        change[spec.filter + '_from'] = [from];
        change[spec.filter + '_to'] = [to];
      } else {
        // The categories the rectangle spans on the category axis.
        var axisName = spec.from === 'x' || spec.from === 'y' ? spec.from : categoryAxis(option);
        var axis = axisName && first(option[axisName + 'Axis']);
        var span = axisName && area.coordRange[axisName === 'x' ? 0 : 1];
        if (!span || !axis || !axis.data) { chart.dispatchAction({ type: 'brush', areas: [] }); return; }
        var a = Math.max(0, Math.round(Math.min(span[0], span[1]))), b = Math.min(axis.data.length - 1, Math.round(Math.max(span[0], span[1])));
        var picked = axis.data.slice(a, b + 1).map(function (c) { return valueOf(spec, c); }).filter(function (v) { return typeof v === 'string'; });
        var e = params.event || window.event;
        var adding = e && (e.shiftKey || e.ctrlKey || e.metaKey) || lastModifier;
        var sel = adding ? selectedOf(spec) : [];
        picked.forEach(function (v) { if (sel.indexOf(v) < 0) { sel.push(v); } });
        change[spec.filter] = inAxisOrder(option, spec, sel);
        chart.dispatchAction({ type: 'brush', areas: [] }); // the highlight shows it
      }
      setFilters(change);
    });
  }

  // itemAt is the data item drawn under the point (x, y) of the chart:
  // {seriesIndex, dataIndex, name}, or null.
  function itemAt(chart, x, y) {
    var found = null;
    chart.getModel().eachSeries(function (s) {
      if (found) { return; }
      var data = s.getData(), n = Math.min(data.count(), 5000);
      for (var k = 0; k < n; k++) {
        var g = data.getItemGraphicEl(k);
        if (g && !g.invisible && g.contain && g.contain(x, y)) {
          found = { seriesIndex: s.seriesIndex, dataIndex: k, name: data.getName(k) };
          return;
        }
      }
    });
    return found;
  }

  // inAxisOrder sorts values as the chart's category axis lists them, so
  // one selection has one URL however it was made.
  function inAxisOrder(option, spec, values) {
    var name = spec.from === 'x' || spec.from === 'y' ? spec.from : categoryAxis(option);
    var axis = name && first(option[name + 'Axis']);
    if (!axis || !axis.data) { return values; }
    var order = axis.data.map(function (c) { return valueOf(spec, c); });
    return values.slice().sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
  }

  // lastModifier: whether shift, ctrl or meta was held when the pointer
  // last went down (ECharts' brushEnd event carries no key state).
  var lastModifier = false;
  document.addEventListener('pointerdown', function (e) { lastModifier = e.shiftKey || e.ctrlKey || e.metaKey; }, true);
  // Released: updates held back during a drag are applied.
  function release() {
    document.querySelectorAll('.dk-chart').forEach(function (el) {
      if (!el.dkDown) { return; }
      el.dkDown = false;
      var u = el.dkPending;
      el.dkPending = null;
      if (u) { setTimeout(function () { apply(u); }, 0); }
    });
  }
  document.addEventListener('pointerup', release, true);
  document.addEventListener('pointercancel', release, true);

  // clearing is the change that clears the filters of specs.
  function clearing(specs) {
    var change = {};
    specs.forEach(function (spec) {
      if (isRange(spec)) { change[spec.filter + '_from'] = []; change[spec.filter + '_to'] = []; } else { change[spec.filter] = []; }
    });
    return change;
  }

  // The selection bar lists each selected filter as a chip: its label,
  // its values or range, and (for a user who may change filters) a ×
  // that clears it; "Clear all" and Escape clear every one.
  var selectionEl = document.querySelector('.dk-selection');
  var selectionSpecs = selectionEl ? JSON.parse(selectionEl.getAttribute('data-selection') || '[]').map(function (c) {
    return { filter: c.name, label: c.label, kind: c.kind, labels: c.labels || {} };
  }) : [];

  function renderSelection() {
    if (!selectionEl) { return; }
    var editable = selectionEl.hasAttribute('data-editable');
    var chips = selectionEl.querySelector('.dk-chips');
    var active = selectionSpecs.filter(function (spec) { return selectedOf(spec).length > 0; });
    chips.replaceChildren.apply(chips, active.map(function (spec) {
      var sel = selectedOf(spec);
      var text = !isRange(spec) ? sel.map(function (v) { return spec.labels[v] || v; }).join(', ')
        : sel[0] && sel[1] ? sel[0] + ' – ' + sel[1] : sel[0] ? 'from ' + sel[0] : 'until ' + sel[1];
      var chip = document.createElement('span');
      chip.className = 'dk-chip';
      chip.setAttribute('data-chip', spec.filter);
      var name = document.createElement('span');
      name.className = 'dk-chip-label';
      name.textContent = spec.label + ':';
      var val = document.createElement('span');
      val.className = 'dk-chip-values';
      val.textContent = text;
      chip.append(name, ' ', val);
      if (editable) {
        var x = document.createElement('button');
        x.type = 'button';
        x.className = 'dk-chip-clear';
        x.setAttribute('aria-label', 'Clear ' + spec.label);
        x.textContent = '×';
        x.addEventListener('click', function () { setFilters(clearing([spec])); });
        chip.append(x);
      }
      return chip;
    }));
    var all = selectionEl.querySelector('.dk-clear-all');
    if (all) { all.hidden = active.length < 2; }
    selectionEl.hidden = active.length === 0;
    // A panel that a selection filters says so.
    Object.keys(panels).forEach(function (id) {
      var deps = (panels[id].getAttribute('data-filters') || '').split(' ');
      var by = active.filter(function (spec) { return deps.indexOf(spec.filter) >= 0; }).map(function (spec) { return spec.label; });
      var head = panels[id].querySelector('.dk-panel-head');
      var badge = head && head.querySelector('.dk-filtered');
      if (!by.length) { if (badge) { badge.remove(); } return; }
      if (!badge && head) {
        badge = document.createElement('span');
        badge.className = 'dk-filtered';
        head.querySelector('.dk-panel-title').after(badge);
      }
      if (badge) { badge.textContent = 'Filtered by ' + by.join(', '); }
    });
  }

  function wireSelection() {
    renderSelection();
    var all = selectionEl && selectionEl.querySelector('.dk-clear-all');
    if (all) { all.addEventListener('click', function () { setFilters(clearing(selectionSpecs)); }); }
    document.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape' || e.defaultPrevented) { return; }
      var t = e.target && e.target.tagName;
      if (t === 'INPUT' || t === 'SELECT' || t === 'TEXTAREA') { return; }
      if (!document.querySelector('.dk-panel[data-crossfilter]')) { return; }
      var active = selectionSpecs.filter(function (spec) { return selectedOf(spec).length > 0; });
      if (active.length) { setFilters(clearing(active)); }
    });
  }

  // keyboard makes a cross-filtering chart operable without a mouse: the
  // arrow keys move through its categories (the tooltip shows where, and a
  // live region says it), Enter filters by the category, Escape clears the
  // filter.
  function keyboard(panel, chart, spec) {
    var el = chart.getDom();
    if (el.dkKeys) { el.dkKeys.chart = chart; return; }
    var state = { chart: chart, index: -1 };
    el.dkKeys = state;
    var live = document.createElement('span');
    live.className = 'dk-sr';
    live.setAttribute('aria-live', 'polite');
    el.insertAdjacentElement('afterend', live);
    el.addEventListener('keydown', function (e) {
      var c = state.chart, opt = c.getOption();
      var axes = spec.from === 'y' ? opt.yAxis : spec.from === 'x' ? opt.xAxis : list(opt.xAxis).concat(list(opt.yAxis));
      var cat = list(axes).filter(function (a) { return a.type === 'category' && Array.isArray(a.data); })[0];
      if (!cat) { return; }
      var all = names(cat.data), n = all.length;
      var key = e.key;
      if (key === 'ArrowRight' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowUp') {
        var back = key === 'ArrowLeft' || key === 'ArrowUp';
        if (cat.inverse || (spec.from === 'y' && !cat.inverse && (key === 'ArrowUp' || key === 'ArrowDown'))) { back = !back; }
        state.index = state.index < 0 ? (back ? n - 1 : 0) : (state.index + (back ? n - 1 : 1)) % n;
        var series = list(opt.series)[0] || {};
        var cols = series.type === 'heatmap' && opt.xAxis[0].data ? opt.xAxis[0].data.length : 1;
        var dataIndex = series.type === 'heatmap' ? state.index * cols : state.index;
        c.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: dataIndex });
        live.textContent = all[state.index] + ' (' + (state.index + 1) + ' of ' + n + '): Enter filters by it, Escape clears the filter.';
        e.preventDefault();
      } else if (key === 'Enter' && state.index >= 0) {
        // A chart may show an option's label; the filter takes its value.
        var value = valueOf(spec, all[state.index]);
        if (typeof value !== 'string') { return; }
        setFilter(spec.filter, [value]);
        live.textContent = 'Filtered by ' + all[state.index] + '.';
        e.preventDefault();
      } else if (key === 'Escape') {
        c.dispatchAction({ type: 'hideTip' });
        state.index = -1;
        setFilter(spec.filter, []);
        live.textContent = 'Filter cleared.';
        e.preventDefault();
      }
    });
  }

  function prepare(el, option) {
    fit(el, option);
    describeChart(el, option);
    chartOptions.set(el, decorate(el, option));
    return option;
  }

  // relayout fits a chart's last option to its new size.
  function relayout(el) {
    var c = echarts.getInstanceByDom(el), opt = chartOptions.get(el);
    if (!c) { return; }
    if (opt) { c.setOption(fit(el, opt), { lazyUpdate: false }); }
    c.resize();
  }

  // refresh gives a live chart its next option. When the option has the
  // same parts as the last one, they are replaced in place, the tooltip
  // component is kept (throwing it away under a hovering pointer leaves
  // ECharts' pending tooltip timer writing into a removed element), and the
  // same number of series are merged one by one, so lines and bars move to
  // their new values instead of being drawn again from nothing.
  function count(x) { return Array.isArray(x) ? x.length : (x ? 1 : 0); }
  function refresh(el, chart, option) {
    var before = chartOptions.get(el);
    var own = function (o) { return Object.keys(o).filter(function (k) { return k !== 'brush' && k !== 'toolbox'; }).sort(); };
    var keys = own(option);
    if (before && keys.join() === own(before).join()) {
      var sameSeries = count(option.series) === count(before.series);
      chart.setOption(prepare(el, option), {
        replaceMerge: keys.filter(function (k) { return k !== 'tooltip' && !(sameSeries && k === 'series'); })
      });
    } else {
      chart.dispatchAction({ type: 'hideTip' });
      chart.setOption(prepare(el, option), { notMerge: true });
    }
    arm(el, chart);
  }

  function mountChart(el) {
    var option = revive(JSON.parse(el.getAttribute('data-option')));
    // A gauge is shorter than other charts (the class the server gives
    // it, which a live update's new container gets here).
    if (list(option.series).some(function (s) { return s.type === 'gauge'; })) { el.classList.add('dk-chart-gauge'); }
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, theme);
    chart.setOption(prepare(el, option), { notMerge: true });
    el.removeAttribute('data-option');
    if (window.ResizeObserver && !observed.has(el)) {
      observed.add(el);
      new ResizeObserver(function () { relayout(el); }).observe(el);
    }
    var panel = el.closest('.dk-panel');
    if (panel) { crossFilter(panel, chart); }
    arm(el, chart);
  }

  function mountAll(rootEl) {
    rootEl.querySelectorAll('.dk-chart[data-option]').forEach(mountChart);
  }

  function disposeAll(rootEl) {
    rootEl.querySelectorAll('.dk-chart').forEach(function (el) {
      var c = echarts.getInstanceByDom(el);
      if (c) { c.dispose(); }
    });
  }

  function showError(body, message) {
    disposeAll(body);
    var div = document.createElement('div');
    div.className = 'dk-error';
    div.setAttribute('role', 'alert');
    div.textContent = message || 'This panel is unavailable right now.';
    body.replaceChildren(div);
  }

  // apply puts one update into its panel, unless it changes nothing. Chart
  // updates reuse the panel's ECharts instance; HTML updates replace the
  // body with the server's escaped fragment.
  function apply(u) {
    var panel = panels[u.panel];
    if (!panel || panel.getAttribute('data-hash') === u.hash) { return; }
    // A chart under a pressed pointer (a drag selecting) takes its update
    // when the pointer is released: redrawing mid-drag would drop the
    // brush.
    var held = panel.querySelector('.dk-chart');
    if (u.kind === 'chart' && held && held.dkDown) { held.dkPending = u; return; }
    panel.setAttribute('data-hash', u.hash);
    var body = panel.querySelector('.dk-panel-body');
    if (u.kind === 'chart') {
      var el = body.querySelector(':scope > .dk-chart');
      var chart = el && echarts.getInstanceByDom(el);
      if (!chart) {
        disposeAll(body);
        el = document.createElement('div');
        el.className = 'dk-chart';
        el.id = u.panel;
        el.setAttribute('role', 'img');
        body.replaceChildren(el);
        el.setAttribute('data-option', JSON.stringify(u.option));
        mountChart(el);
      } else {
        refresh(el, chart, revive(u.option));
      }
      el.setAttribute('aria-label', u.label || '');
    } else if (u.kind === 'html') {
      disposeAll(body);
      body.innerHTML = u.html;
      mountAll(body);
    } else {
      showError(body, u.message);
    }
  }

  // panelError shows a failure in one panel only, and forgets its hash so
  // the next good update is applied.
  function panelError(id, message) {
    var panel = panels[id];
    if (!panel) { return; }
    panel.setAttribute('data-hash', '');
    showError(panel.querySelector('.dk-panel-body'), message);
  }

  // The view is the page's query string: filters live in the URL, so a view
  // can be shared by its link.
  function query() { return location.search; }

  // getPanel fetches one panel in the view qs: {status, body}, status 0
  // when the network failed or the request timed out.
  // A superseded request (a later filter change won) is aborted with
  // `cancel`; its answer is {status: -1}, which nobody applies.
  function getPanel(id, qs, cancel) {
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = ctl ? setTimeout(function () { ctl.abort(); }, 30000) : 0;
    var cancelled = false;
    if (cancel && ctl) { cancel.push(function () { cancelled = true; ctl.abort(); }); }
    return fetch('panels/' + encodeURIComponent(id) + qs, {
      headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin', signal: ctl ? ctl.signal : undefined
    }).then(function (res) {
      clearTimeout(timer);
      return res.json().catch(function () { return {}; }).then(function (body) { return { status: res.status, body: body }; });
    }, function () {
      clearTimeout(timer);
      return { status: cancelled ? -1 : 0, body: {} };
    });
  }

  // settle applies one panel's answer: an update (including a panel's own
  // error state), a lost session, or a failure confined to that panel.
  function settle(id, r) {
    if (r.status === 401) { sessionLost(); return; }
    if (r.body && r.body.kind) { r.body.panel = id; apply(r.body); return; }
    if (r.status === 0) { setStatus('offline'); return; } // keep what is shown
    panelError(id, r.body && r.body.error);
  }

  function fetchPanel(id) {
    return getPanel(id, query()).then(function (r) { settle(id, r); });
  }

  // Live updates: one event stream for the page, with reconnection and
  // backoff; after repeated failures, polling every panel on its interval
  // while the stream keeps being retried.
  // fromStart is set when the view changed: the next stream asks for every
  // panel's latest state in the new view (_last=0), not only for events
  // after the last one seen, which belonged to the old view.
  var es = null, backoff = 1000, failures = 0, pollers = [], fromStart = false;
  var lastID = document.body.getAttribute('data-last') || '0';

  function connect() {
    if (leaving) { return; }
    if (!window.EventSource) { startPolling(); return; }
    var sep = query() ? '&' : '?';
    var stream = new EventSource('events' + query() + sep + '_last=' + encodeURIComponent(fromStart ? '0' : lastID));
    es = stream;
    stream.addEventListener('open', function () {
      backoff = 1000; failures = 0; stopPolling(); setStatus('live');
      accept();
    });
    stream.addEventListener('update', function (e) {
      fromStart = false;
      lastID = e.lastEventId || lastID;
      apply(JSON.parse(e.data));
    });
    stream.addEventListener('session', sessionLost);
    stream.addEventListener('error', function () {
      stream.close();
      if (es !== stream) { return; } // replaced by a reconnect already
      es = null;
      probe();
    });
  }

  // probe asks why the stream failed: a lost session reloads, a refused
  // view says so (and a view just changed to goes back to the last one the
  // server accepted), anything else is retried with backoff.
  // A view change while the probe is out has opened a new stream (es):
  // the answer is then about a view no longer asked for.
  function probe() {
    fetch('session' + query(), { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' }).then(function (res) {
      if (es) { return; }
      if (res.status === 401) { sessionLost(); return; }
      if (res.status === 400 || res.status === 403) {
        res.json().then(function (b) { return b.error; }, function () { return ''; }).then(function (message) {
          if (!es) { refuse(message); }
        });
        return;
      }
      retry();
    }, function () { if (!es) { retry(); } });
  }

  function retry() {
    if (leaving) { return; }
    failures++;
    if (failures >= 5 && !pollers.length) { startPolling(); }
    setStatus(pollers.length ? 'polling' : 'reconnecting');
    setTimeout(function () { if (!es) { connect(); } }, backoff);
    backoff = Math.min(backoff * 2, 30000);
  }

  function startPolling() {
    stopPolling();
    setStatus('polling');
    Object.keys(panels).forEach(function (id) {
      var every = parseInt(panels[id].getAttribute('data-refresh-ms'), 10);
      if (every > 0) {
        pollers.push(setInterval(function () { if (!document.hidden) { fetchPanel(id); } }, every));
      }
    });
  }

  function stopPolling() {
    pollers.forEach(clearInterval);
    pollers = [];
  }

  // reconnect replaces the stream with one for the view in the URL, which
  // starts with every panel's latest state in that view.
  function reconnect() {
    if (es) { es.close(); es = null; }
    fromStart = true;
    connect();
  }

  function controls() {
    return Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  }

  function controlState() {
    return controls().map(function (el) {
      return el.tagName === 'SELECT' ? Array.prototype.map.call(el.options, function (o) { return o.selected; }) : el.value;
    });
  }

  function restoreControls(state) {
    controls().forEach(function (el, i) {
      if (el.tagName === 'SELECT') {
        Array.prototype.forEach.call(el.options, function (o, j) { o.selected = state[i][j]; });
      } else {
        el.value = state[i];
      }
    });
  }

  // A view change (a filter, a cross-filter click, a table's sort or
  // page) takes one path to the panels. While the stream is up, it is
  // replaced by one for the new view, which delivers each panel's state in
  // that view once: no panel is also fetched. The server's answer decides:
  // the stream opening accepts the view; a refusal (400, 403, found by
  // probe) brings back the last accepted URL and controls, says why, and
  // streams that view again. While the stream is down and panels are
  // polled, the panels the change concerns are fetched instead, and the
  // stream's next retry follows the new view.
  // shown and shownSearch are the controls and the query of the view on
  // screen, the last the server accepted: the control a user just changed
  // already holds its new value when setFilter runs, and changes may
  // overlap. changing is true while a change waits for the stream's answer.
  var change = 0, shown = null, shownSearch = location.search, inflight = [], changing = false;

  function viewChanged(deps) {
    var mine = ++change;
    inflight.forEach(function (abort) { abort(); });
    inflight = [];
    if (!pollers.length && window.EventSource) {
      changing = true;
      reconnect();
      return;
    }
    fromStart = true; // the stream, once back, starts from the new view's state
    var view = query();
    Promise.all(deps.map(function (id) { return getPanel(id, view, inflight); })).then(function (results) {
      if (mine !== change) { return; } // a later change won
      if (results.some(function (r) { return r.status === 401; })) { sessionLost(); return; }
      var refused = results.filter(function (r) { return r.status === 400 || r.status === 403; })[0];
      if (refused) {
        restore();
        notice((refused.body && refused.body.error) || 'That view cannot be opened.');
        return;
      }
      results.forEach(function (r, i) { settle(deps[i], r); });
      shown = controlState();
      shownSearch = location.search;
    });
  }

  // accept makes the view in the URL the one on screen, once its stream
  // opened.
  function accept() {
    if (!changing) { return; }
    changing = false;
    shown = controlState();
    shownSearch = location.search;
  }

  // refuse answers a stream the server refused, and says why: after a
  // view change, the last accepted view comes back and streams again; on a
  // page opened in a refused view, the stream is retried.
  function refuse(message) {
    notice(message || 'That view cannot be opened.');
    if (!changing) { retry(); return; }
    changing = false;
    restore();
    reconnect();
  }

  // restore brings back the URL and the controls of the last accepted view.
  function restore() {
    history.replaceState(null, '', shownSearch || location.pathname);
    if (shown) { restoreControls(shown); }
    redecorate();
  }

  // setFilters changes filters at once, each name (a filter, or one end
  // of a range: name_from, name_to) to its values: the URL and the
  // controls, the charts' highlights and the selection bar, then the
  // view, in one change however many filters it touches.
  function setFilters(change) {
    var params = new URLSearchParams(location.search);
    var names = Object.keys(change);
    names.forEach(function (name) {
      params.delete(name);
      change[name].forEach(function (v) { params.append(name, v); });
    });
    var qs = params.toString();
    if ('?' + qs === location.search || (!qs && !location.search)) { return; } // nothing changes
    history.replaceState(null, '', qs ? '?' + qs : location.pathname);
    names.forEach(function (name) {
      var values = change[name];
      var control = document.querySelector('[data-filter="' + CSS.escape(name) + '"]');
      if (control && control.tagName === 'SELECT') {
        Array.prototype.forEach.call(control.options, function (o) {
          o.selected = values.indexOf(o.value) >= 0 || (!values.length && o.value === ''); // an "All" choice
        });
      } else if (control) {
        control.value = values[0] || '';
      }
    });
    redecorate();
    var bases = names.map(function (name) { return name.replace(/_(from|to)$/, ''); });
    viewChanged(Object.keys(panels).filter(function (id) {
      var deps = (panels[id].getAttribute('data-filters') || '').split(' ');
      return bases.some(function (b) { return deps.indexOf(b) >= 0; });
    }));
  }

  function setFilter(name, values) {
    var change = {};
    change[name] = values;
    setFilters(change);
  }

  function wireFilters() {
    shown = controlState();
    document.querySelectorAll('[data-filter]').forEach(function (el) {
      el.addEventListener('change', function () {
        var values;
        if (el.tagName === 'SELECT') {
          // The All choice (an empty value) is the filter's absence.
          values = Array.prototype.filter.call(el.options, function (o) { return o.selected && o.value !== ''; }).map(function (o) { return o.value; });
        } else {
          values = el.value ? [el.value] : [];
        }
        setFilter(el.getAttribute('data-filter'), values);
      });
    });
    // Table headers sort and pager buttons page, per panel, in the URL
    // (<panel>.sort, <panel>.desc, <panel>.page); only that panel updates.
    document.addEventListener('click', function (e) {
      var sortBtn = e.target.closest('.dk-panel button[data-sort-key]');
      var pageBtn = e.target.closest('.dk-panel .dk-pager button[data-page]');
      var btn = sortBtn || pageBtn;
      if (!btn || btn.disabled) { return; }
      var id = btn.closest('.dk-panel').getAttribute('data-panel');
      var params = new URLSearchParams(location.search);
      if (sortBtn) {
        var key = sortBtn.getAttribute('data-sort-key');
        var again = params.get(id + '.sort') === key && params.get(id + '.desc') !== '1';
        params.set(id + '.sort', key);
        if (again) { params.set(id + '.desc', '1'); } else { params.delete(id + '.desc'); }
        params.delete(id + '.page');
      } else {
        params.set(id + '.page', pageBtn.getAttribute('data-page'));
      }
      history.replaceState(null, '', '?' + params.toString());
      viewChanged([id]);
    });
    var form = document.querySelector('.dk-filters');
    if (form) { form.addEventListener('submit', function (e) { e.preventDefault(); }); }
    // Export links follow the current view.
    document.querySelectorAll('a.dk-export').forEach(function (a) {
      a.addEventListener('click', function () {
        a.href = a.getAttribute('href').split('?')[0] + query();
      });
    });
  }

  function start() {
    mountAll(document);
    window.addEventListener('resize', function () {
      document.querySelectorAll('.dk-chart').forEach(relayout);
    });
    wireFilters();
    wireSelection();
    wireTheme();
    wireNotice();
    connect();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
