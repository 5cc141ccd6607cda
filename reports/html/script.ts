import { uncertaintyPluginSource } from '../chart-plugins.js';

/**
 * The page's script: registers the error-bar plugin, draws each chart when its section is
 * first shown (a canvas in a closed `<details>` has no layout), opens a section when a
 * contents link points into it, filters the rows of `table[data-filterable]` by the
 * filter box, and makes `table.sortable` headers sort on click.
 */
export function pageScript(): string {
  return `
(function () {
  ${uncertaintyPluginSource()}
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  var drawn = {};
  function drawIn(root) {
    specs.forEach(function (spec) {
      var canvas = document.getElementById(spec.id);
      if (!canvas || drawn[spec.id] || !window.Chart || !root.contains(canvas)) return;
      var closed = canvas.closest('details:not([open])');
      if (closed) return;
      drawn[spec.id] = true;
      canvas.setAttribute('data-drawn', '');
      new window.Chart(canvas.getContext('2d'), spec.config);
    });
  }
  document.querySelectorAll('details').forEach(function (d) {
    d.addEventListener('toggle', function () { if (d.open) drawIn(d); });
  });
  drawIn(document.body);
  function openFor(id) {
    var target = id && document.getElementById(id);
    if (!target) return;
    var d = target.querySelector('details') || target.closest('details');
    if (d) d.open = true;
  }
  document.querySelectorAll('nav a[href^="#"]').forEach(function (a) {
    a.addEventListener('click', function () { openFor(a.getAttribute('href').slice(1)); });
  });
  if (location.hash) openFor(decodeURIComponent(location.hash.slice(1)));
  var filter = document.getElementById('report-filter');
  var count = document.getElementById('report-filter-count');
  if (filter) filter.addEventListener('input', function () {
    var q = filter.value.trim().toLowerCase();
    var shown = 0, total = 0;
    document.querySelectorAll('table[data-filterable]').forEach(function (table) {
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var hit = q === '' || row.textContent.toLowerCase().indexOf(q) >= 0;
        row.hidden = !hit;
        total++;
        if (hit) shown++;
      });
      var d = table.closest('details');
      if (d && q !== '') d.open = true;
    });
    if (count) count.textContent = q === '' ? '' : shown + ' of ' + total + ' rows match';
  });
  function key(row, col) {
    var cell = row.children[col];
    if (!cell) return '';
    var s = cell.getAttribute('data-sort');
    if (s !== null && s !== '' && !isNaN(Number(s))) return Number(s);
    return s !== null ? s : cell.textContent;
  }
  document.querySelectorAll('table.sortable th').forEach(function (th) {
    th.addEventListener('click', function () {
      var table = th.closest('table');
      var body = table.tBodies[0];
      var col = Number(th.getAttribute('data-col'));
      var dir = th.getAttribute('data-dir') === 'asc' ? 'desc' : 'asc';
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-dir'); });
      th.setAttribute('data-dir', dir);
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, col), y = key(b, col);
        var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return dir === 'asc' ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
`.replace(/<\/script/giu, '<\\/script');
}
