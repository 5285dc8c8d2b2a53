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
        return function (x) {
          var v = x;
          if (x && typeof x === 'object') { v = Array.isArray(x.value) ? x.value[x.value.length - 1] : x.value; }
          return formatNumber(v, spec);
        };
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
    chart.off('brushEnd');
    chart.getZr().off('mousedown');
    chart.getZr().off('click');
    // A click is a press and a release in one place. Under the brush,
    // ECharts' own click events do not reach the items (the brush's layer
    // takes the pointer), so the item clicked is the one whose drawn
    // element contains the press (zrender's contain, ECharts' elements); a
    // press on no item is a click on empty space.
    var press = null;
    chart.getZr().on('mousedown', function (e) { press = { x: e.offsetX, y: e.offsetY }; });
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

  function prepare(el, option) {
    chartOptions.set(el, decorate(el, option));
    return option;
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
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, theme);
    chart.setOption(prepare(el, revive(JSON.parse(el.getAttribute('data-option')))), { notMerge: true });
    el.removeAttribute('data-option');
    if (window.ResizeObserver && !observed.has(el)) {
      observed.add(el);
      new ResizeObserver(function () {
        var c = echarts.getInstanceByDom(el);
        if (c) { c.resize(); }
      }).observe(el);
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
      document.querySelectorAll('.dk-chart').forEach(function (el) {
        var c = echarts.getInstanceByDom(el);
        if (c) { c.resize(); }
      });
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
