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

  // Cross-filtering: a click on a chart sets a filter. Only charts of
  // users who may change that filter carry data-crossfilter (the server
  // decides); the others get no click handler, and the stylesheet takes
  // their pointer cursor away.
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
      // A chart may show an option's label ("North"); the filter takes
      // its value ("north"). A category that is no option is refused.
      if (typeof value === 'string' && spec.values && Object.prototype.hasOwnProperty.call(spec.values, value)) {
        setFilter(spec.filter, [spec.values[value]]);
      }
    });
  }

  function prepare(el, option) {
    chartOptions.set(el, option);
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
    var keys = Object.keys(option).sort();
    if (before && keys.join() === Object.keys(before).sort().join()) {
      var sameSeries = count(option.series) === count(before.series);
      chart.setOption(prepare(el, option), {
        replaceMerge: keys.filter(function (k) { return k !== 'tooltip' && !(sameSeries && k === 'series'); })
      });
    } else {
      chart.dispatchAction({ type: 'hideTip' });
      chart.setOption(prepare(el, option), { notMerge: true });
    }
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
  }

  // setFilter changes one filter: the URL and its control, then the view.
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
    viewChanged(Object.keys(panels).filter(function (id) {
      return (panels[id].getAttribute('data-filters') || '').split(' ').indexOf(base) >= 0;
    }));
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
