/**
 * The curation pages' script, served as /static/curate.js (the CSP forbids inline script). It makes
 * a job's page live: it follows the job's server-sent events and updates the figures and the item
 * table in place. Without it the page refreshes itself every few seconds instead.
 */
export const CURATE_JS = `'use strict';
(function () {
  var panel = document.querySelector('[data-job-events]');
  if (!panel || !window.EventSource) return;
  var table = document.querySelector('[data-job-items] tbody');
  var lastSeq = 0;
  if (table) {
    Array.prototype.forEach.call(table.querySelectorAll('tr[data-seq]'), function (row) {
      lastSeq = Math.max(lastSeq, Number(row.getAttribute('data-seq')));
    });
  }
  function set(name, value) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-field="' + name + '"]'), function (el) {
      el.textContent = value;
    });
  }
  function show(job) {
    var p = job.progress;
    panel.setAttribute('data-status', job.status);
    set('status', job.status);
    set('items', p.items_total === null ? String(p.items_done) : p.items_done + ' of ' + p.items_total);
    set('outcomes', Object.keys(p.outcomes).map(function (status) { return p.outcomes[status] + ' ' + status; }).join(', ') || '—');
    set('pages', String(p.pages));
    set('chunks', String(p.chunks));
    set('embedded', p.embedded_total ? p.embedded_done + ' of ' + p.embedded_total : '0');
    set('rate', p.pages_per_second === undefined ? '…' : p.pages_per_second + ' pages/s, ' + p.items_per_second + ' items/s');
    set('eta', p.eta_seconds === undefined ? '…' : p.eta_seconds + ' s');
    set('current', p.current || '');
    if (job.summary) set('summary', job.summary);
    if (job.error) set('error', job.error);
    var bar = panel.querySelector('progress');
    if (bar) {
      if (p.items_total) {
        bar.max = p.items_total;
        bar.value = p.items_done;
      } else {
        bar.removeAttribute('value');
      }
    }
  }
  function addRow(item) {
    if (!table || item.seq <= lastSeq) return;
    lastSeq = item.seq;
    var row = document.createElement('tr');
    row.setAttribute('data-seq', String(item.seq));
    if (item.status === 'failed') row.className = 'failed';
    [item.status, item.item, item.doc_id || '', item.error || item.warnings.join('; ')].forEach(function (text, i) {
      var cell = document.createElement('td');
      if (i === 2 && text) {
        var code = document.createElement('code');
        code.textContent = text;
        cell.appendChild(code);
      } else {
        cell.textContent = text;
      }
      row.appendChild(cell);
    });
    table.appendChild(row);
    var empty = document.querySelector('[data-job-items-empty]');
    if (empty) empty.remove();
  }
  var source = new EventSource(panel.getAttribute('data-job-events'));
  source.addEventListener('progress', function (event) { show(JSON.parse(event.data)); });
  source.addEventListener('item', function (event) { addRow(JSON.parse(event.data)); });
  source.addEventListener('end', function (event) {
    show(JSON.parse(event.data));
    source.close();
    var cancel = document.querySelector('form.cancel-job');
    if (cancel) cancel.remove();
  });
})();
`;
