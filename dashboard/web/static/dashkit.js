// dashkit runtime: mounts charts from their JSON options, keeps panels up to
// date over Server-Sent Events (polling when streams fail), and wires filters
// and cross-filtering. It runs under a strict Content-Security-Policy: no
// eval, no inline script, and every URL it requests is relative to the page.
(function () {
  'use strict';

  var root = document.documentElement;
  var theme = root.getAttribute('data-theme') === 'dark' ? 'dark' : null;
  var statusEl = document.querySelector('.dk-status');
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

  // Cross-filtering: a click on a chart sets a filter.
  function crossFilter(panel, chart) {
    var spec = panel.getAttribute('data-crossfilter');
    if (!spec) { return; }
    spec = JSON.parse(spec);
    chart.off('click');
    chart.on('click', function (params) {
      var value = params.name;
      if (spec.from === 'x' || spec.from === 'y') {
        var axis = chart.getOption()[spec.from + 'Axis'][0];
        var idx = Array.isArray(params.value) ? params.value[spec.from === 'x' ? 0 : 1] : -1;
        value = axis && axis.data ? axis.data[idx] : undefined;
      }
      if (typeof value === 'string') { setFilter(spec.filter, [value]); }
    });
  }

  function mountChart(el) {
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, theme);
    chart.setOption(revive(JSON.parse(el.getAttribute('data-option'))), { notMerge: true });
    el.removeAttribute('data-option');
    if (window.ResizeObserver) {
      new ResizeObserver(function () { chart.resize(); }).observe(el);
    }
    var panel = el.closest('.dk-panel');
    if (panel) { crossFilter(panel, chart); }
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
        chart.setOption(revive(u.option), { notMerge: true });
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

  // The view is the page's query string: filters live in the URL, so a view
  // can be shared by its link.
  function query() { return location.search; }

  function fetchPanel(id) {
    return fetch('panels/' + encodeURIComponent(id) + query(), { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (res) { return res.json().then(function (u) { u.panel = id; return u; }); })
      .then(apply)
      .catch(function () { showError(panels[id].querySelector('.dk-panel-body')); });
  }

  // Live updates: one event stream for the page, with reconnection and
  // backoff; after repeated failures, polling every panel on its interval.
  var es = null, backoff = 1000, failures = 0, pollers = [];
  var lastID = document.body.getAttribute('data-last') || '0';

  function connect() {
    if (!window.EventSource) { startPolling(); return; }
    var sep = query() ? '&' : '?';
    es = new EventSource('events' + query() + sep + '_last=' + encodeURIComponent(lastID));
    es.addEventListener('open', function () { backoff = 1000; failures = 0; setStatus('live'); });
    es.addEventListener('update', function (e) {
      lastID = e.lastEventId || lastID;
      apply(JSON.parse(e.data));
    });
    es.addEventListener('error', function () {
      es.close();
      es = null;
      failures++;
      if (failures >= 5) { startPolling(); return; }
      setStatus('reconnecting');
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 30000);
    });
  }

  function startPolling() {
    setStatus('polling');
    stopPolling();
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

  function reconnect() {
    if (pollers.length) { startPolling(); return; }
    if (es) { es.close(); es = null; }
    connect();
  }

  // setFilter changes one filter: the URL, its control, and then only the
  // panels that depend on it are fetched at once; the stream reconnects for
  // the new view.
  function setFilter(name, values) {
    var params = new URLSearchParams(location.search);
    params.delete(name);
    values.forEach(function (v) { params.append(name, v); });
    var qs = params.toString();
    history.replaceState(null, '', qs ? '?' + qs : location.pathname);
    var control = document.querySelector('[data-filter="' + CSS.escape(name) + '"]');
    if (control && control.tagName === 'SELECT') {
      Array.prototype.forEach.call(control.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
    } else if (control) {
      control.value = values[0] || '';
    }
    var base = name.replace(/_(from|to)$/, '');
    Object.keys(panels).forEach(function (id) {
      var deps = (panels[id].getAttribute('data-filters') || '').split(' ');
      if (deps.indexOf(base) >= 0) { fetchPanel(id); }
    });
    reconnect();
  }

  function wireFilters() {
    document.querySelectorAll('[data-filter]').forEach(function (el) {
      el.addEventListener('change', function () {
        var values;
        if (el.tagName === 'SELECT') {
          values = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
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
      fetchPanel(id);
      reconnect();
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
    connect();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
