// The live page: one box per worker, redrawn from each snapshot the primary
// sends on /events (Server-Sent Events; EventSource reconnects by itself).
const main = document.getElementById('workers');
const summary = document.getElementById('summary');

const fmt = (value, digits, unit) => (value === null || value === undefined ? '–' : `${value.toFixed(digits)}${unit}`);

function box(row, busiest) {
  const el = document.createElement('article');
  // A worker asked for its numbers that did not answer in time: outlined.
  el.className = row.answered === false && row.state !== 'exited' ? 'worker silent' : 'worker';
  el.dataset.pid = String(row.pid);
  el.dataset.state = row.state;
  el.dataset.answered = String(row.answered);
  const share = busiest > 0 && row.rps ? Math.round((100 * row.rps) / busiest) : 0;
  const why =
    row.state === 'exited' ? `exited (${row.exit})` : row.answered === false ? 'no answer to the last gather' : row.why;
  el.innerHTML = `
    <div class="title"><h2>worker ${row.id}</h2><span class="badge">${row.state}</span></div>
    <p class="why"></p>
    <dl>
      <dt>pid</dt><dd class="pid">${row.pid}</dd>
      <dt>requests/s</dt><dd>${fmt(row.rps, 1, '')}</dd>
      <div class="bar"><span style="width:${share}%"></span></div>
      <dt>p99 latency</dt><dd>${row.p99Ms === null ? '–' : `≤ ${row.p99Ms} ms`}</dd>
      <dt>event-loop p99</dt><dd>${fmt(row.loopP99Ms, 1, ' ms')}</dd>
      <dt>RSS</dt><dd>${fmt(row.rssMb, 0, ' MB')}</dd>
      <dt>heap used</dt><dd>${fmt(row.heapMb, 0, ' MB')}</dd>
    </dl>`;
  el.querySelector('.why').textContent = why;
  return el;
}

const events = new EventSource('/events');
events.onmessage = (event) => {
  const { primary, rows } = JSON.parse(event.data);
  const busiest = Math.max(0, ...rows.map((row) => row.rps ?? 0));
  const total = rows.reduce((sum, row) => sum + (row.rps ?? 0), 0);
  const serving = rows.filter((row) => row.state === 'serving').length;
  summary.textContent = `primary ${primary} · ${serving} serving · ${total.toFixed(1)} requests/s · ${new Date().toLocaleTimeString()}`;
  // Keep a box that is already there (no re-run of its arrival animation).
  const seen = new Set();
  for (const row of rows) {
    const key = String(row.pid);
    seen.add(key);
    const fresh = box(row, busiest);
    const old = main.querySelector(`[data-pid="${key}"]`);
    if (old) {
      fresh.style.animation = 'none';
      old.replaceWith(fresh);
    } else main.append(fresh);
  }
  for (const el of main.querySelectorAll('.worker')) if (!seen.has(el.dataset.pid)) el.remove();
};
events.onerror = () => {
  summary.textContent = 'disconnected: is the lesson running? (reconnecting)';
};
