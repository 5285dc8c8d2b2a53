// dashkit runtime: mounts charts from their JSON options and keeps panels
// up to date. It runs under a strict Content-Security-Policy: no eval, no
// inline script, and every URL it requests is relative to the page.
(function () {
  'use strict';

  var theme = document.documentElement.getAttribute('data-theme') === 'dark' ? 'dark' : null;

  function mountChart(el) {
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, theme);
    chart.setOption(JSON.parse(el.getAttribute('data-option')), { notMerge: true });
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
        chart.setOption(u.option, { notMerge: true });
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
