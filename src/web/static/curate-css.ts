/** Styles of the curation pages (login, add documents, jobs, remove, re-label), served as /static/curate.css. */
export const CURATE_CSS = `
.curate-form { display: grid; gap: 0.9rem; max-width: 46rem; margin: 0 0 2rem; padding: 1rem 1.25rem; border: 1px solid var(--line); border-radius: 8px; }
.curate-form h2 { margin: 0; font-size: 1.2rem; }
.curate-form label { display: grid; gap: 0.25rem; font-size: 0.95rem; }
.curate-form .row { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; }
.curate-form .row > label { flex: 1 1 12rem; }
.curate-form input[type="text"], .curate-form input[type="url"], .curate-form input[type="password"], .curate-form input[type="number"], .curate-form textarea, .curate-form input[type="file"] {
  font: inherit; color: var(--ink); background: var(--paper); border: 1px solid #6b7280; border-radius: 6px; padding: 0.4rem 0.6rem; min-height: 2.4rem; width: 100%;
}
.curate-form textarea { min-height: 4rem; font-family: var(--mono); font-size: 0.9rem; }
.curate-form fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.9rem; margin: 0; display: grid; gap: 0.6rem; }
.curate-form legend { padding: 0 0.3rem; color: var(--muted); }
.curate-form .check { display: flex; align-items: center; gap: 0.45rem; }
.curate-form details > summary { cursor: pointer; color: var(--accent); }
.curate-form details[open] > summary { margin-bottom: 0.6rem; }
.danger-button { background: var(--danger); border-color: var(--danger); }
.danger-button:hover { background: #7f1d1d; }
.link-button { background: none; border: 0; color: var(--accent); padding: 0; min-height: 0; text-decoration: underline; }
.link-button:hover { background: none; }
.job-panel { border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 0 0 1.5rem; max-width: 46rem; }
.job-panel progress { width: 100%; height: 1.1rem; }
.job-panel dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.75rem 0 0; }
.job-panel dt { color: var(--muted); }
.job-panel dd { margin: 0; overflow-wrap: anywhere; }
.status { display: inline-block; padding: 0 0.5rem; border-radius: 999px; background: var(--soft); font-size: 0.9rem; }
[data-status="failed"] .status, .status.failed { background: var(--danger-soft); color: var(--danger); }
[data-status="done"] .status, .status.done { background: #ecfdf5; color: #065f46; }
table.items tr.failed td { color: var(--danger); }
table.items td { vertical-align: top; overflow-wrap: anywhere; }
.manage-actions { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
.manage-actions form { display: inline; }
.session-bar { display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap; margin: 0 0 1rem; }
`;
