// GHOST health dashboard: plain JavaScript, no build step. Data is always inserted as text, never as HTML.
(() => {
  'use strict';

  const SESSION_KEY = 'ghost.session';
  const FIGURE_NAMES = {
    cpuProcess: 'CPU (process)', heapUsed: 'Heap used', requestRate: 'Requests/s', errorRate: 'Errors/s',
    p99Ms: 'p99 latency', latency: 'Probe latency',
  };
  const PALETTE = ['#4a5cff', '#e8590c', '#2b8a3e', '#ae3ec9', '#1098ad', '#c2255c', '#5c940d', '#6741d9'];
  // an alert's state, coloured like the health statuses: firing is bad news, pending a warning, resolved good
  const ALERT_STATE = { firing: 'DOWN', pending: 'DEGRADED', resolved: 'UP' };
  const STATUS_COLOR = { UP: 'var(--up)', DOWN: 'var(--down)', FLAPPING: 'var(--flap)', DEGRADED: 'var(--warn)', UNKNOWN: 'var(--unknown)' };

  const $ = (id) => document.getElementById(id);
  let session = sessionStorage.getItem(SESSION_KEY);
  let timers = [];
  let lastVersion = -1;
  let summary = null;

  // ---- HTTP

  async function api(path, options = {}) {
    const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
    if (session && !headers.Authorization) headers['X-Auth-Token'] = session;
    const response = await fetch(path, Object.assign({ cache: 'no-store' }, options, { headers }));
    if (response.status === 401) {
      signedOut('Your session has ended. Sign in again.');
      throw new Error('unauthorized');
    }
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
      throw new Error(response.status + ' ' + detail);
    }
    return response.status === 204 ? null : response.json();
  }

  // ---- sign in and out

  async function signIn(event) {
    event.preventDefault();
    const token = $('token').value.trim();
    $('sign-in-error').textContent = '';
    if (!token) return;
    try {
      const response = await fetch('auth/session', { method: 'POST', headers: { Authorization: 'Bearer ' + token } });
      if (response.status === 401) throw new Error('That token is not valid.');
      if (!response.ok) throw new Error('Sign-in failed (' + response.status + ').');
      const opened = await response.json();
      session = opened.token;
      sessionStorage.setItem(SESSION_KEY, session);
      $('token').value = '';
      start(opened.principal);
    } catch (e) {
      $('sign-in-error').textContent = e.message;
    }
  }

  async function signOut() {
    try { await api('auth/session', { method: 'DELETE' }); } catch (e) { /* already gone */ }
    signedOut('');
  }

  function signedOut(message) {
    timers.forEach(clearInterval);
    timers = [];
    session = null;
    sessionStorage.removeItem(SESSION_KEY);
    lastVersion = -1;
    $('dashboard').hidden = true;
    $('system').hidden = true;
    $('who').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = message;
    $('token').focus();
  }

  function start(principal) {
    $('sign-in').hidden = true;
    $('dashboard').hidden = false;
    $('system').hidden = false;
    $('who').hidden = false;
    if (principal) $('principal').textContent = principal;
    else api('auth/me').then((me) => { $('principal').textContent = me.principal; }).catch(() => {});
    refreshSummary().then(() => {
      const every = Math.min(5000, Math.max(1000, (summary ? summary.intervalMs : 10000) / 2));
      timers.push(setInterval(refreshSummary, every));
    });
    refreshSide();
    timers.push(setInterval(refreshSide, 15000));
    timers.push(setInterval(refreshTimeline, 15000));
  }

  // ---- summary: the system, the services and their instances

  async function refreshSummary() {
    try {
      const next = await api('health/summary');
      $('live').classList.remove('stale');
      $('live').title = 'live: updated ' + new Date().toLocaleTimeString();
      summary = next;
      if (next.version === lastVersion) return;
      lastVersion = next.version;
      renderSystem(next);
      renderServices(next);
      renderServiceChoice(next);
    } catch (e) {
      $('live').classList.add('stale');
      $('live').title = 'not updating: ' + e.message;
    }
  }

  function renderSystem(view) {
    const pill = $('system-status');
    pill.dataset.status = view.status;
    pill.textContent = 'System ' + view.status;
    const counts = view.counts || {};
    const parts = ['UP', 'DEGRADED', 'FLAPPING', 'DOWN'].filter((s) => counts[s]).map((s) => counts[s] + ' ' + s.toLowerCase());
    const services = view.services.length;
    $('system-counts').textContent = services + (services === 1 ? ' service' : ' services') + (parts.length ? ' · ' + parts.join(' · ') : '');
    if (view.lastRound) {
      $('round').textContent = 'round ' + view.lastRound.number + ': ' + view.lastRound.polled + ' instances in '
        + view.lastRound.durationMs + ' ms · every ' + seconds(view.intervalMs / 1000);
    }
    document.title = (view.status === 'UP' ? '' : '⚠ ' + view.status + ' · ') + 'GHOST · health';
  }

  function renderServices(view) {
    const body = $('services').tBodies[0];
    const rows = [];
    for (const service of view.services) {
      const row = el('tr', { className: 'service', dataset: { service: service.name, status: service.status } },
        el('td', {}, pill(service.status)),
        el('td', { colSpan: 1 }, service.name + ' ', el('span', { className: 'muted' }, service.up + '/' + service.total + ' up')),
        el('td', { colSpan: 9 }));
      rows.push(row);
      for (const instance of service.instances) rows.push(instanceRow(instance));
    }
    body.replaceChildren(...rows);
    $('services-empty').hidden = view.services.length > 0;
  }

  function instanceRow(instance) {
    const f = instance.figures || {};
    const heap = f.heapUsed != null && f.heapMax ? f.heapUsed / f.heapMax : null;
    const errors = f.errorRate != null
      ? (f.errorRatio != null ? pct(f.errorRatio) + ' · ' : '') + rate(f.errorRate) + '/s' : '–';
    const note = [];
    if (!instance.registered) note.push('left the registry');
    if (instance.reason) note.push(instance.reason);
    if (instance.registryStatus && instance.registryStatus !== 'UP') note.push('registry says ' + instance.registryStatus);
    if (instance.status === 'FLAPPING') note.push(instance.flips + ' flips');
    if (f.queueDepth != null) note.push('queue ' + f.queueDepth);
    if (f.running != null) note.push('running ' + f.running);
    if (f.restarted) note.push('restarted');
    return el('tr', { className: 'instance' + (instance.registered ? '' : ' gone'), dataset: { instance: instance.id, status: instance.status } },
      el('td', {}, pill(instance.status)),
      el('td', { title: instance.host + ':' + instance.port }, instance.id),
      el('td', { className: 'num' }, f.cpuProcess != null ? pct(f.cpuProcess) : '–'),
      el('td', {}, heap == null ? '–' : el('span', { className: 'heap' },
        el('span', { className: 'meter' + (heap > 0.9 ? ' hot' : '') }, el('span', { style: 'width:' + Math.round(heap * 100) + '%' })),
        bytes(f.heapUsed) + ' / ' + bytes(f.heapMax))),
      el('td', { className: 'num' }, f.diskFree != null ? bytes(f.diskFree) : '–'),
      el('td', { className: 'num' }, f.requestRate != null ? rate(f.requestRate) : '–'),
      el('td', { className: 'num' + (f.errorRate > 0 ? ' bad' : '') }, errors),
      el('td', { className: 'num' }, f.p99Ms != null ? ms(f.p99Ms) : '–'),
      el('td', { className: 'num' }, f.uptimeSeconds != null ? seconds(f.uptimeSeconds) : '–'),
      el('td', { className: 'num' }, instance.latencyMs != null ? instance.latencyMs + ' ms' : '–'),
      el('td', { className: 'note' }, note.join(' · ')));
  }

  // ---- timeline: status band and one figure per instance over the last hour

  function renderServiceChoice(view) {
    const select = $('timeline-service');
    const current = select.value;
    const names = view.services.map((s) => s.name);
    if (names.join() === Array.from(select.options).map((o) => o.value).join()) return;
    select.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
    select.value = names.includes(current) ? current : (names.find((n) => n.startsWith('runner')) || names[0] || '');
    refreshTimeline();
  }

  async function refreshTimeline() {
    const service = $('timeline-service').value;
    if (!service || !session) return;
    try {
      const history = await api('health/history?since=1h&service=' + encodeURIComponent(service));
      drawTimeline(history, $('timeline-figure').value);
    } catch (e) {
      $('timeline').replaceChildren(el('p', { className: 'unavailable' }, 'History unavailable: ' + e.message));
    }
  }

  function drawTimeline(history, figure) {
    const box = $('timeline');
    const series = history.series.filter((s) => s.points.length);
    if (!series.length) {
      box.replaceChildren(el('p', { className: 'empty' }, 'No history for this service in the last hour yet.'));
      return;
    }
    const W = 1000, left = 56, right = 12, bandH = 12, gap = 6, top = 8, plotH = 150, bottom = 22;
    const H = top + series.length * (bandH + 2) + gap + plotH + bottom;
    const t0 = Date.parse(history.since), t1 = Date.parse(history.until);
    const x = (t) => left + (W - left - right) * (t - t0) / Math.max(1, t1 - t0);
    const value = (p) => figure === 'latency' ? p.l : (p.f ? p.f[figure] : undefined);
    let max = 0;
    series.forEach((s) => s.points.forEach((p) => { const v = value(p); if (v != null && v > max) max = v; }));
    max = max > 0 ? max * 1.1 : 1;
    const plotTop = top + series.length * (bandH + 2) + gap;
    const y = (v) => plotTop + plotH - plotH * v / max;
    const svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'status and ' + FIGURE_NAMES[figure] + ' over the last hour' });
    series.forEach((s, i) => {
      const rowY = top + i * (bandH + 2);
      const step = history.stepMs;
      s.points.forEach((p) => {
        const x0 = x(p.t), x1 = Math.max(x0 + 1, x(p.t + step));
        const rect = svgEl('rect', { x: x0, y: rowY, width: x1 - x0, height: bandH, fill: STATUS_COLOR[p.s] || STATUS_COLOR.UNKNOWN });
        rect.appendChild(svgEl('title', {}, s.instance + ' ' + p.s + ' at ' + new Date(p.t).toLocaleTimeString()));
        svg.appendChild(rect);
      });
    });
    for (let k = 0; k <= 3; k++) {
      const v = max * k / 3, gy = y(v);
      svg.appendChild(svgEl('line', { x1: left, x2: W - right, y1: gy, y2: gy, class: 'axis' }));
      svg.appendChild(svgEl('text', { x: left - 6, y: gy + 4, 'text-anchor': 'end' }, format(figure, v)));
    }
    for (let k = 0; k <= 4; k++) {
      const t = t0 + (t1 - t0) * k / 4;
      svg.appendChild(svgEl('text', { x: x(t), y: H - 6, 'text-anchor': k === 0 ? 'start' : k === 4 ? 'end' : 'middle' },
        new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
    }
    series.forEach((s, i) => {
      let d = '';
      let pen = false;
      s.points.forEach((p) => {
        const v = value(p);
        if (v == null) { pen = false; return; }
        d += (pen ? 'L' : 'M') + x(p.t + history.stepMs / 2).toFixed(1) + ' ' + y(v).toFixed(1);
        pen = true;
      });
      if (d) svg.appendChild(svgEl('path', { d, fill: 'none', stroke: PALETTE[i % PALETTE.length], 'stroke-width': 1.6 }));
    });
    const legend = el('div', { className: 'legend' },
      ...series.map((s, i) => el('span', {}, el('i', { style: 'background:' + PALETTE[i % PALETTE.length] }), s.instance)),
      ...['UP', 'FLAPPING', 'DOWN'].map((st) => el('span', {}, el('i', { style: 'background:' + STATUS_COLOR[st] }), st)));
    box.replaceChildren(svg, legend);
  }

  // ---- patches, anomalies, alerts (other services; honest when they are not there)

  async function refreshSide() {
    side('dashboard/patches?limit=10', 'patches', 'No patches yet.', (p) => ({ status: p.status }), (p) => [
      pill(p.status || '?'), el('span', { className: 'id', title: p.id }, p.id || '(no id)'),
      el('span', { className: 'when' }, when(p.at))]);
    side('dashboard/anomalies?limit=10', 'anomalies', 'No anomalies detected.', (a) => ({ kind: a.kind }), (a) => [
      el('span', { className: 'pill kind', dataset: { status: a.severity === 'critical' ? 'DOWN' : 'DEGRADED' } }, a.kind),
      el('span', { className: 'what' }, (a.subject ? a.subject + ': ' : '') + (a.summary || '')),
      el('span', { className: 'when' }, when(a.at))]);
    side('dashboard/alerts?limit=10', 'alerts', 'No alerts.', (a) => ({ state: a.state, alertname: a.alertname }), (a) => [
      el('span', { className: 'pill', dataset: { status: ALERT_STATE[a.state] || 'UNKNOWN' } }, a.state),
      el('span', { className: 'what', title: a.severity }, a.summary || a.alertname),
      el('span', { className: 'when', title: a.state === 'resolved' ? 'resolved at' : 'since' }, when(a.at))]);
  }

  async function side(path, id, emptyText, data, render) {
    const box = $(id);
    try {
      const answer = await api(path);
      if (id === 'patches') $('patches-source').textContent = answer.source;
      if (!answer.available) {
        box.replaceChildren(el('p', { className: 'unavailable' }, 'Unavailable: ' + answer.reason + '.'));
        return;
      }
      box.replaceChildren(answer.items.length
        ? el('ul', { className: 'items' }, ...answer.items.map((item) => el('li', { dataset: data(item) }, ...render(item))))
        : el('p', { className: 'empty' }, emptyText));
    } catch (e) {
      box.replaceChildren(el('p', { className: 'unavailable' }, 'Unavailable: ' + e.message));
    }
  }

  // ---- formatting and DOM helpers

  function pill(status) { return el('span', { className: 'pill', dataset: { status } }, status); }
  function pct(v) { return (v * 100).toFixed(v < 0.1 ? 1 : 0) + '%'; }
  function rate(v) { return v < 10 ? v.toFixed(2) : v.toFixed(0); }
  function ms(v) { return v < 10 ? v.toFixed(1) + ' ms' : v < 1000 ? Math.round(v) + ' ms' : (v / 1000).toFixed(2) + ' s'; }
  function bytes(v) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (v < 10 && i > 0 ? v.toFixed(1) : Math.round(v)) + ' ' + units[i];
  }
  function seconds(s) {
    if (s < 60) return Math.round(s) + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm';
    if (s < 86400) return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
    return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
  }
  function format(figure, v) {
    if (figure === 'cpuProcess') return pct(v);
    if (figure === 'heapUsed') return bytes(v);
    if (figure === 'p99Ms' || figure === 'latency') return ms(v);
    return rate(v);
  }
  function when(t) { return t ? new Date(t).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) : ''; }

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key === 'style') node.setAttribute('style', value);
      else node[key] = value;
    }
    for (const child of children) if (child != null) node.append(child instanceof Node ? child : String(child));
    return node;
  }

  function svgEl(tag, attrs, text) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text != null) node.textContent = text;
    return node;
  }

  // ---- wiring

  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('timeline-service').addEventListener('change', refreshTimeline);
  $('timeline-figure').addEventListener('change', refreshTimeline);
  if (session) start(null); else signedOut('');
})();
