// dashkit theme: runs in the page's head, before the first paint, so a theme
// chosen with the header's toggle (kept in local storage) shows at once. A
// page whose theme the host pinned (light or dark) is left alone.
(function () {
  'use strict';
  var root = document.documentElement;
  if (root.getAttribute('data-theme') !== 'auto') { return; }
  try {
    var chosen = window.localStorage.getItem('dashkit-theme');
    if (chosen === 'light' || chosen === 'dark') { root.setAttribute('data-theme', chosen); }
  } catch (e) { /* storage disabled: follow the browser */ }
})();
