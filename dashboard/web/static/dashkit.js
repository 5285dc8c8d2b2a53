// dashkit runtime: mounts charts from their JSON options and keeps panels
// up to date. It runs under a strict Content-Security-Policy: no eval, no
// inline script, and every URL it requests is relative to the page.
(function () {
  'use strict';

  var theme = document.documentElement.getAttribute('data-theme') === 'dark' ? 'dark' : null;

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

  // formatterFor turns a {"$dkFormat": {...}} spec into an ECharts formatter:
  // options arrive as pure JSON and no code travels with them.
  function formatterFor(spec) {
    return function (x) {
      var v = x;
      if (x && typeof x === 'object') {
        v = Array.isArray(x.value) ? x.value[x.value.length - 1] : x.value;
      }
      return formatNumber(v, spec);
    };
  }

  function revive(o) {
    if (Array.isArray(o)) {
      for (var i = 0; i < o.length; i++) { o[i] = revive(o[i]); }
      return o;
    }
    if (o && typeof o === 'object') {
      if (Object.prototype.hasOwnProperty.call(o, '$dkFormat')) { return formatterFor(o.$dkFormat); }
      for (var k in o) {
        if (Object.prototype.hasOwnProperty.call(o, k)) { o[k] = revive(o[k]); }
      }
    }
    return o;
  }

  function mountChart(el) {
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, theme);
    chart.setOption(revive(JSON.parse(el.getAttribute('data-option'))), { notMerge: true });
    if (window.ResizeObserver) {
      new ResizeObserver(function () { chart.resize(); }).observe(el);
    }
  }

  function mountAll(root) {
    root.querySelectorAll('.dk-chart[data-option]').forEach(mountChart);
  }

  function disposeAll(root) {
    root.querySelectorAll('.dk-chart').forEach(function (el) {
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

  // apply puts one update into a panel. Chart updates reuse the panel's
  // ECharts instance; HTML updates replace the body with the server's
  // escaped fragment.
  function apply(panel, u) {
    var body = panel.querySelector('.dk-panel-body');
    panel.setAttribute('data-updated', String(Date.now()));
    if (u.kind === 'chart') {
      var el = body.querySelector('.dk-chart');
      if (!el) {
        disposeAll(body);
        el = document.createElement('div');
        el.className = 'dk-chart';
        el.id = panel.getAttribute('data-panel');
        el.setAttribute('role', 'img');
        body.replaceChildren(el);
      }
      el.setAttribute('aria-label', u.label || '');
      var chart = echarts.getInstanceByDom(el);
      if (!chart) {
        el.setAttribute('data-option', JSON.stringify(u.option));
        mountChart(el);
      } else {
        chart.setOption(revive(u.option), { notMerge: true });
      }
    } else if (u.kind === 'html') {
      disposeAll(body);
      body.innerHTML = u.html;
      mountAll(body);
    } else {
      showError(body, u.message);
    }
  }

  function refresh(panel) {
    if (document.hidden) { return; }
    var id = panel.getAttribute('data-panel');
    fetch('panels/' + encodeURIComponent(id), { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (res) { return res.json(); })
      .then(function (u) { apply(panel, u); })
      .catch(function () { showError(panel.querySelector('.dk-panel-body')); });
  }

  function start() {
    mountAll(document);
    document.querySelectorAll('.dk-panel[data-panel]').forEach(function (panel) {
      var every = parseInt(panel.getAttribute('data-refresh-ms'), 10);
      if (every > 0) {
        setInterval(function () { refresh(panel); }, every);
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
