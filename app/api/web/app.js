// Commons Ledger explorer: a single page over the node's /api/v1, with hash routes (#/claims/7).
// Every piece of chain data is put in the page as text (textContent), never as HTML, so claim
// summaries, notes and evidence links cannot inject markup.
'use strict';

const API = 'api/v1';
const REFRESH_MS = 4000;
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#8C6D00', '#56B4E9', '#6A3D9A', '#B2182B'];

// ---------- small DOM and formatting helpers ----------

// h builds an element: h('a', {href: '#/'}, 'text', child, ...). Strings become text nodes.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

function fmtTime(iso) {
  if (!iso) return '—';
  return iso.replace('T', ' ').replace('Z', ' UTC');
}

function time(iso) {
  return iso ? h('time', {datetime: iso}, fmtTime(iso)) : '—';
}

function shortAddr(a) {
  return a.length > 20 ? a.slice(0, 12) + '…' + a.slice(-6) : a;
}

function hours(str) {
  return str === '1' ? '1 hour' : str + ' hours';
}

// durationText writes seconds as "2 h 30 min".
function durationText(sec) {
  const hh = Math.floor(sec / 3600), mm = Math.floor((sec % 3600) / 60), ss = sec % 60;
  const parts = [];
  if (hh) parts.push(hh + ' h');
  if (mm) parts.push(mm + ' min');
  if (ss || !parts.length) parts.push(ss + ' s');
  return parts.join(' ');
}

// badge shows a status, verdict or vote. Its class is status-<text>, so the style sheet can colour
// the ones it knows; any other (a status added by a newer node) gets the neutral badge style.
function badge(text) {
  const name = String(text);
  return h('span', {class: 'badge status-' + name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}, name);
}

// who links a {address, handle} ref to the member page (or the account page if not a member).
function who(ref) {
  if (!ref) return '—';
  if (ref.handle) return h('a', {href: '#/members/' + ref.address, title: ref.address}, ref.handle);
  return h('a', {href: '#/accounts/' + ref.address, class: 'mono', title: ref.address}, shortAddr(ref.address));
}

function claimLink(id) {
  return h('a', {href: '#/claims/' + id}, '#' + id);
}

function projectLink(handle) {
  return h('a', {href: '#/projects/' + encodeURIComponent(handle), id: 'claim-project'}, handle);
}

function disputeLink(id, label) {
  return h('a', {href: '#/disputes/' + id}, label || 'Dispute #' + id);
}

function facts(rows) {
  const dl = h('dl', {class: 'facts'});
  for (const [k, v] of rows) {
    if (v === undefined) continue;
    dl.append(h('dt', {}, k), h('dd', {}, v));
  }
  return dl;
}

function table(caption, headers, rows, empty) {
  if (!rows.length) return h('p', {class: 'muted'}, empty || 'Nothing to show.');
  const head = h('tr', {}, headers.map(col => {
    const [label, cls] = Array.isArray(col) ? col : [col, ''];
    return h('th', {scope: 'col', class: cls || null}, label);
  }));
  const body = rows.map(cells => h('tr', {}, cells.map((c, i) => {
    const col = headers[i];
    return h('td', {class: Array.isArray(col) ? col[1] : null}, c);
  })));
  return h('div', {class: 'table-wrap'},
    h('table', {}, h('caption', {class: 'visually-hidden'}, caption), h('thead', {}, head), h('tbody', {}, body)));
}

// safeHref returns uri if it is an http(s) link, so evidence can never be a javascript: URL.
function safeHref(uri) {
  try {
    const u = new URL(uri);
    return (u.protocol === 'https:' || u.protocol === 'http:') ? u.href : null;
  } catch (e) {
    return null;
  }
}

// ---------- API ----------

class APIError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// csvLink is a link to the CSV of an API list (?format=csv), with the same filters and page.
function csvLink(path, params, id) {
  const q = new URLSearchParams({format: 'csv'});
  for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== '') q.set(k, v);
  return h('a', {href: API + path + '?' + q, download: '', id, class: 'csv'}, 'Download CSV');
}

async function api(path, params) {
  let url = API + path;
  if (params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const qs = q.toString();
    if (qs) url += '?' + qs;
  }
  let res;
  try {
    res = await fetch(url, {headers: {Accept: 'application/json'}});
  } catch (e) {
    throw new APIError(0, 'The node cannot be reached. Is it running?');
  }
  let body;
  try {
    body = await res.json();
  } catch (e) {
    throw new APIError(res.status, 'The node answered something that is not JSON (HTTP ' + res.status + ').');
  }
  if (!res.ok) throw new APIError(res.status, body.message || ('HTTP ' + res.status));
  return body;
}

// ---------- pages ----------
// A page is {title, controls?, load(): Promise<data>, render(data): Node}. The router shows the
// controls once and re-runs load/render on every refresh, replacing only the data.

function pager(list, query, base) {
  const from = list.total === 0 ? 0 : list.offset + 1;
  const to = list.offset + list.items.length;
  const link = (offset, label, rel) => {
    const q = new URLSearchParams(query);
    if (offset > 0) q.set('offset', offset); else q.delete('offset');
    const qs = q.toString();
    return h('li', {}, h('a', {href: '#' + base + (qs ? '?' + qs : ''), rel}, label));
  };
  const links = h('ul', {});
  if (list.offset > 0) links.append(link(Math.max(0, list.offset - list.limit), '← Newer', 'prev'));
  if (to < list.total) links.append(link(list.offset + list.limit, 'Older →', 'next'));
  return h('nav', {class: 'pager', 'aria-label': 'Pages'},
    h('p', {class: 'muted'}, 'Showing ' + from + '–' + to + ' of ' + list.total), links);
}

function pageParams(query) {
  return {limit: query.get('limit') || 20, offset: query.get('offset') || 0};
}

function homePage() {
  return {
    title: 'Overview',
    load: async () => {
      const [supply, daily, recent, blocks] = await Promise.all([
        api('/supply'), api('/stats/daily', {days: 30}), api('/claims', {limit: 8}), api('/blocks', {limit: 5}).catch(() => null)]);
      return {supply, daily, recent, blocks};
    },
    render: ({supply, daily, recent, blocks}) => {
      const sp = supply;
      const frag = document.createDocumentFragment();
      frag.append(
        h('h2', {class: 'visually-hidden'}, 'Supply'),
        h('dl', {class: 'cards', id: 'supply'},
          card('Circulating', hours(sp.circulating_hours)),
          card('Minted by verified work', hours(sp.minted_hours)),
          card('Decayed (demurrage)', hours(sp.decayed_hours)),
          card('Members', String(sp.members), [sp.candidates + ' candidate' + (sp.candidates === 1 ? '' : 's'),
            sp.suspended + ' suspended'].join(', ')),
          card('Claims verified', String(sp.claims.verified), sp.claims.pending + ' pending, ' + sp.claims.rejected + ' rejected, ' +
            sp.claims.reversed + ' reversed'),
          card('Reversed by disputes', hours(sp.reversed_hours), hours(sp.burned_hours) + ' burned, ' + hours(sp.outstanding_debt_hours) + ' still owed as debt'),
        ),
        h('h2', {id: 'chart-title'}, 'Hours minted per day, by category'),
        dailyChart(daily),
        h('h2', {}, 'Verified hours by category'),
        table('Verified hours by category', ['Category', ['Verified hours', 'num'], ['Claims', 'num']],
          sp.categories.map(c => [
            h('a', {href: '#/claims?status=verified&category=' + encodeURIComponent(c.category)}, c.category),
            c.verified_hours, String(c.verified_claims)]), 'No categories.'),
        h('h2', {}, 'Recent claims'),
        claimsTable(recent.items, 'Recent claims'),
        h('p', {}, h('a', {href: '#/claims'}, 'All claims →')),
        // A server without a node has no block store: the section is left out.
        blocks ? h('section', {id: 'latest-blocks', 'aria-labelledby': 'latest-blocks-title'}, h('h2', {id: 'latest-blocks-title'}, 'Latest blocks'),
          blocksTable(blocks.items, 'Latest blocks'), h('p', {}, h('a', {href: '#/blocks'}, 'All blocks →'))) : '',
      );
      return frag;
    },
  };
}

function card(label, value, note) {
  return h('div', {class: 'card'}, h('dt', {}, label), h('dd', {}, value, note ? h('br') : null, note ? h('small', {}, note) : null));
}

// dailyChart draws the per-day, per-category series as stacked bars in SVG, with a legend and the
// same numbers in a table for screen readers and copy-paste.
function dailyChart(d) {
  const W = 760, H = 260, L = 48, R = 8, T = 10, B = 30;
  const days = d.days.length;
  const totals = d.days.map((_, i) => d.series.reduce((sum, se) => sum + se.uhours[i], 0));
  const maxU = Math.max(0, ...totals);
  const top = niceCeil(maxU / 1e6);
  const y = v => T + (H - T - B) * (1 - v / top);
  const slot = (W - L - R) / Math.max(days, 1);
  const bw = Math.max(2, slot * 0.7);
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-svg-title chart-svg-desc', id: 'daily-chart'});
  const minted = totals.reduce((a, b) => a + b, 0);
  svg.append(
    s('title', {id: 'chart-svg-title'}, 'Hours minted per day, by category'),
    s('desc', {id: 'chart-svg-desc'}, `${days} days from ${d.days[0] || '—'} to ${d.days[days - 1] || '—'}; ${(minted / 1e6).toLocaleString('en')} hours in all.`));
  const grid = s('g', {class: 'grid'}), axis = s('g', {class: 'axis'});
  for (let i = 0; i <= 4; i++) {
    const v = top * i / 4;
    grid.append(s('line', {x1: L, x2: W - R, y1: y(v), y2: y(v)}));
    axis.append(s('text', {x: L - 6, y: y(v) + 4, 'text-anchor': 'end'}, fmtNum(v)));
  }
  axis.append(s('text', {x: 4, y: T + 4, 'text-anchor': 'start'}, 'h'));
  const every = Math.ceil(days / 8);
  d.days.forEach((day, i) => {
    if ((days - 1 - i) % every === 0) {
      axis.append(s('text', {x: L + slot * i + slot / 2, y: H - 10, 'text-anchor': 'middle'}, day.slice(5)));
    }
  });
  svg.append(grid, axis);
  const bars = s('g', {class: 'bars'});
  d.days.forEach((day, i) => {
    let acc = 0;
    d.series.forEach((se, k) => {
      const u = se.uhours[i];
      if (!u) return;
      const y0 = y(acc / 1e6), y1 = y((acc + u) / 1e6);
      acc += u;
      bars.append(s('rect', {x: L + slot * i + (slot - bw) / 2, y: y1, width: bw, height: Math.max(1, y0 - y1),
        fill: PALETTE[k % PALETTE.length], 'data-category': se.category, 'data-day': day},
      s('title', {}, `${day} · ${se.category}: ${fmtNum(u / 1e6)} h`)));
    });
  });
  svg.append(bars);
  if (maxU === 0) {
    svg.append(s('text', {class: 'empty', x: (W + L) / 2, y: H / 2, 'text-anchor': 'middle'}, 'No hours minted in these days yet'));
  }
  const legend = h('ul', {class: 'legend', 'aria-label': 'Categories'}, d.series.map((se, k) =>
    h('li', {}, h('span', {class: 'swatch', style: null, 'data-color': PALETTE[k % PALETTE.length]}), se.category + ' (' + se.total_hours + ' h)')));
  // Inline style attributes are blocked by the page's CSP; set swatch colours through the CSSOM.
  legend.querySelectorAll('.swatch').forEach(sw => { sw.style.background = sw.dataset.color; });
  const rows = [];
  d.days.forEach((day, i) => {
    if (totals[i] > 0) rows.push([day, ...d.series.map(se => fmtNum(se.uhours[i] / 1e6)), fmtNum(totals[i] / 1e6)]);
  });
  const data = h('details', {}, h('summary', {}, 'Show the numbers'),
    table('Hours minted per day by category', ['Day', ...d.series.map(se => [se.category, 'num']), ['Total', 'num']], rows,
      'No hours minted in these days.'));
  return h('figure', {class: 'chart', 'aria-labelledby': 'chart-title'}, h('div', {class: 'plot'}, svg), legend, data);
}

function niceCeil(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function fmtNum(v) {
  return Number(v.toFixed(v < 10 ? 2 : 1)).toLocaleString('en');
}

function claimsTable(items, caption) {
  return table(caption, ['Claim', 'Claimant', 'Category', ['Hours', 'num'], ['Work', 'nowrap'], 'Status', ['Submitted', 'nowrap']],
    items.map(c => [claimLink(c.id), who(c.claimant), c.category, hours(c.status === 'verified' ? c.minted_hours : fmtNum(c.duration_seconds / 3600)),
      fmtTime(c.start) + ' → ' + fmtTime(c.end).slice(11), badge(c.status), time(c.submitted_at)]), 'No claims match.');
}

function field(label, input) {
  const id = 'f-' + input.name;
  input.id = id;
  return h('div', {class: 'field'}, h('label', {for: id}, label), input);
}

function select(name, value, options) {
  return h('select', {name}, options.map(([v, label]) => h('option', {value: v, selected: v === value}, label)));
}

// filterForm navigates to base with the form's non-empty fields as the hash query.
function filterForm(base, fields, transform) {
  const form = h('form', {class: 'filters', 'aria-label': 'Filters'}, fields,
    h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Apply'), h('a', {class: 'button secondary', href: '#' + base}, 'Reset')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) {
      const val = transform ? transform(k, String(v).trim()) : String(v).trim();
      if (val) q.set(k, val);
    }
    const qs = q.toString();
    location.hash = '#' + base + (qs ? '?' + qs : '');
  });
  return form;
}

function claimsPage(_, query) {
  const dateOf = v => (v && /^\d{4}-\d{2}-\d{2}T/.test(v)) ? v.slice(0, 10) : '';
  const controls = filterForm('/claims', [
    field('Status', select('status', query.get('status') || '', [['', 'Any'], ['pending', 'Pending'], ['verified', 'Verified'], ['rejected', 'Rejected'], ['reversed', 'Reversed']])),
    field('Category', h('input', {name: 'category', value: query.get('category') || '', size: 12, list: 'categories'})),
    field('Claimant address', h('input', {name: 'claimant', value: query.get('claimant') || '', size: 24, spellcheck: 'false'})),
    field('Attested by address', h('input', {name: 'attestor', value: query.get('attestor') || '', size: 24, spellcheck: 'false'})),
    field('Awaiting review by address', h('input', {name: 'awaiting', value: query.get('awaiting') || '', size: 24, spellcheck: 'false'})),
    field('Work from', h('input', {name: 'from', type: 'date', value: dateOf(query.get('from'))})),
    field('Work before', h('input', {name: 'to', type: 'date', value: dateOf(query.get('to'))})),
    h('datalist', {id: 'categories'}),
  ], (k, v) => ((k === 'from' || k === 'to') && /^\d{4}-\d{2}-\d{2}$/.test(v)) ? v + 'T00:00:00Z' : v);
  api('/params').then(p => {
    const dl = controls.querySelector('#categories');
    p.claims.categories.forEach(c => dl.append(h('option', {value: c})));
  }).catch(() => {});
  const filters = {};
  for (const k of ['status', 'category', 'claimant', 'attestor', 'awaiting', 'from', 'to']) filters[k] = query.get(k);
  return {
    title: 'Claims',
    controls,
    load: () => api('/claims', {...filters, ...pageParams(query)}),
    render: list => {
      const frag = document.createDocumentFragment();
      frag.append(claimsTable(list.items, 'Claims'), pager(list, query, '/claims'),
        h('p', {}, csvLink('/claims', {...filters, ...pageParams(query)}, 'claims-csv')));
      return frag;
    },
  };
}

// summaryOf shows a claim's summary, or, for a private summary, that it is private and its hash
// (the text exists only off-chain; attestors check it against the hash).
function summaryOf(c) {
  if (c.private_summary) {
    return h('span', {id: 'private-summary'}, h('em', {}, 'private summary'), ' ', h('small', {class: 'muted'}, 'sha256 '), h('code', {}, c.summary_hash));
  }
  return h('span', {class: 'summary-text'}, c.summary || '—');
}

function claimPage([id]) {
  return {
    title: 'Claim #' + id,
    load: async () => {
      const claim = await api('/claims/' + encodeURIComponent(id));
      const disputes = await api('/disputes', {claim: claim.claim.id, limit: 20});
      return {...claim, disputes};
    },
    render: ({claim: c, attestations, timeline, reviewers, disputes}) => {
      const frag = document.createDocumentFragment();
      frag.append(facts([
        ['Status', badge(c.status)],
        ['Why rejected', c.status === 'rejected' && c.outcome_reason ? h('span', {class: 'summary-text', id: 'outcome-reason'}, c.outcome_reason) : undefined],
        ['Claimant', who(c.claimant)],
        ['Category', h('a', {href: '#/claims?category=' + encodeURIComponent(c.category)}, c.category)],
        ['Project', c.project ? projectLink(c.project) : undefined],
        ['Work', [time(c.start), ' → ', time(c.end), ' (' + durationText(c.duration_seconds) + ')']],
        ['Summary', summaryOf(c)],
        ['Beneficiary', c.countersigned ? h('span', {id: 'beneficiary'}, 'countersigned by ', who({address: c.beneficiary.address}),
          ' ', h('small', {class: 'muted'}, 'key '), h('code', {}, c.beneficiary.pubkey)) : undefined],
        ['Verdicts', c.approvals + ' approve, ' + c.rejections + ' reject'],
        ['Reviewer approvals', c.reviewers.length ? c.reviewer_approvals + ' of ' + c.reviewers.length + ' drawn reviewer' + (c.reviewers.length === 1 ? '' : 's') : undefined],
        ['Submitted', [time(c.submitted_at), ' at height ' + c.submitted_height]],
        [c.status === 'pending' ? 'Open for attestations until' : 'Attestation deadline', time(c.deadline)],
        ['Finalised', c.finalized_at ? [time(c.finalized_at), ' at height ' + c.finalized_height] : 'not yet'],
        ['Minted', c.reversal ? [hours(c.minted_hours), ' (reversed)'] : hours(c.minted_hours)],
      ]));
      if (c.reversal) frag.append(reversalBox(c));
      if (reviewers.length) frag.append(reviewersSection(c, reviewers));
      frag.append(h('h2', {}, 'Evidence'));
      if (!c.evidence.length) frag.append(h('p', {class: 'muted'}, 'No evidence attached.'));
      else {
        frag.append(h('ul', {id: 'evidence'}, c.evidence.map(e => {
          const href = safeHref(e.uri);
          if (!e.uri) return h('li', {}, h('span', {class: 'muted'}, 'private evidence, sha256 '), h('code', {}, e.sha256));
          return h('li', {}, href ? h('a', {href, rel: 'noopener noreferrer nofollow', target: '_blank'}, e.uri) : h('span', {class: 'mono'}, e.uri),
            e.sha256 ? [' ', h('span', {class: 'muted'}, 'sha256 '), h('code', {}, e.sha256)] : null);
        })));
      }
      frag.append(h('div', {class: 'two-col'},
        h('section', {'aria-labelledby': 'att-title'}, h('h2', {id: 'att-title'}, 'Attestations'),
          table('Attestations', ['Attestor', 'Verdict', 'Note', 'When'],
            attestations.map(a => [who(a.attestor), badge(a.verdict), a.note || '—', [time(a.time), h('br'), h('small', {class: 'muted'}, 'height ' + a.height)]]),
            'No attestations yet.')),
        h('section', {'aria-labelledby': 'tl-title'}, h('h2', {id: 'tl-title'}, 'Timeline'),
          h('ol', {class: 'timeline', id: 'timeline'}, timeline.map(e => h('li', {}, timelineText(e), h('span', {class: 'when'}, fmtTime(e.time), e.height ? ' · height ' + e.height : '')))))));
      frag.append(h('section', {'aria-labelledby': 'disputes-title', id: 'claim-disputes'}, h('h2', {id: 'disputes-title'}, 'Disputes'),
        disputesTable(disputes.items, 'Disputes of claim #' + c.id, 'Nobody has disputed this claim.', false),
        disputes.total > disputes.items.length ? h('p', {}, h('a', {href: '#/disputes?claim=' + c.id}, 'All ' + disputes.total + ' disputes of this claim →')) : ''));
      return frag;
    },
  };
}

// reversalBox says how a finally upheld dispute undid a claim: what was burned from the claimant's
// balance and what they owe.
function reversalBox(c) {
  const r = c.reversal;
  return h('section', {class: 'reversal', id: 'reversal', 'aria-labelledby': 'reversal-title'},
    h('h2', {id: 'reversal-title'}, 'Reversed'),
    h('p', {}, 'Reversed by ', disputeLink(r.dispute_id), ', finally upheld, on ', time(r.time), ' at height ' + r.height + '. ',
      'What it minted (' + hours(c.minted_hours) + ') is undone; nothing is deleted: the attestations and the dispute stay on record.'),
    facts([
      ['Burned', [hours(r.burned_hours), ' from ', who(c.claimant), '\u2019s balance']],
      ['Debt', r.debt ? [hours(r.debt_hours), ', paid first out of ', who(c.claimant), '\u2019s next verified claims'] : 'none: the balance covered it'],
    ]));
}

// reviewersSection lists a claim's drawn reviewers and whether and how each attested.
function reviewersSection(c, reviewers) {
  const none = c.status === 'pending' ? 'not yet' : 'did not attest';
  return h('section', {id: 'reviewers', 'aria-labelledby': 'reviewers-title'}, h('h2', {id: 'reviewers-title'}, 'Drawn reviewers'),
    table('Drawn reviewers', ['Reviewer', 'Verdict'], reviewers.map(r => [who(r), r.attested ? badge(r.verdict) : h('span', {class: 'muted'}, none)])));
}

function timelineText(e) {
  switch (e.event) {
    case 'submitted': return ['Submitted by ', who(e.by)];
    case 'attested': return [who(e.by), ' attested: ', badge(e.verdict)];
    case 'finalized': return ['Finalised: ', badge(e.status)];
    case 'reversed': return ['Reversed by ', disputeLink(e.dispute_id), ': ', badge(e.status)];
    case 'deadline': return ['Attestation window closes; the claim is finalised at the first block after this'];
  }
  return e.event;
}

// ---------- disputes ----------

const DISPUTE_STATUSES = [['', 'Any'], ['open', 'Open'], ['voting', 'Voting'], ['upheld', 'Upheld'], ['dismissed', 'Dismissed'], ['appealed', 'Appealed']];

function undecided(d) {
  return d.status === 'open' || d.status === 'voting' || d.status === 'appealed';
}

function votesText(uphold, dismiss) {
  return uphold + ' uphold, ' + dismiss + ' dismiss';
}

// disputeStatus is the status badge with "final" or "appealable" beside a decision.
function disputeStatus(d) {
  if (undecided(d)) return badge(d.status);
  return [badge(d.status), ' ', h('small', {class: 'muted'}, d.final ? 'final' : 'appealable')];
}

function disputesTable(items, caption, empty, withClaim) {
  const headers = ['Dispute', ...(withClaim ? ['Claim', 'Claimant'] : []), 'Disputant', 'Status', 'Votes', ['Opened', 'nowrap']];
  return table(caption, headers, items.map(d => [disputeLink(d.id), ...(withClaim ? [claimLink(d.claim_id), who(d.claimant)] : []),
    who(d.disputant), disputeStatus(d), d.jurors.length || !undecided(d) ? votesText(d.uphold, d.dismiss) : '—', time(d.opened_at)]), empty);
}

function disputesPage(_, query) {
  const controls = filterForm('/disputes', [
    field('Status', select('status', query.get('status') || '', DISPUTE_STATUSES)),
    field('Claim id', h('input', {name: 'claim', value: query.get('claim') || '', size: 6, inputmode: 'numeric'})),
    field('Juror address', h('input', {name: 'juror', value: query.get('juror') || '', size: 24, spellcheck: 'false'})),
  ]);
  const filters = {};
  for (const k of ['status', 'claim', 'juror']) filters[k] = query.get(k);
  return {
    title: 'Disputes',
    controls,
    load: () => api('/disputes', {...filters, ...pageParams(query)}),
    render: list => {
      const frag = document.createDocumentFragment();
      frag.append(disputesTable(list.items, 'Disputes', 'No disputes match.', true), pager(list, query, '/disputes'));
      return frag;
    },
  };
}

function roundName(r) {
  return {1: 'first jury', 2: 'redrawn jury', 3: 'appeal jury'}[r] || 'round ' + r;
}

// appellantRef is the {address, handle} of whoever appealed: always the claimant or the disputant.
function appellantRef(d) {
  if (!d.appellant) return null;
  for (const r of [d.claimant, d.disputant]) if (r.address === d.appellant) return r;
  return {address: d.appellant};
}

// juries lists each jury the dispute had, oldest first, as [name, round, refs].
function juries(d) {
  const out = [];
  if (d.previous_jurors.length) out.push(['First jury, no quorum', 1, d.previous_jurors]);
  const decidedFirst = d.appellant ? d.first_jurors : d.jurors;
  if (decidedFirst.length) out.push(d.previous_jurors.length ? ['Redrawn jury', 2, decidedFirst] : ['Jury', 1, decidedFirst]);
  if (d.appellant && d.jurors.length) out.push(['Appeal jury', 3, d.jurors]);
  return out;
}

// disputeTimeline is the story of a dispute, from its fields.
function disputeTimeline(d) {
  const ev = [];
  const at = (iso, height) => [fmtTime(iso), height ? ' · height ' + height : ''];
  ev.push([['Opened by ', who(d.disputant)], at(d.opened_at, d.opened_height)]);
  const js = juries(d);
  if (d.status === 'open') ev.push([['A jury of the eligible members is drawn'], 'at the end of the block after opening']);
  js.forEach(([name, round, refs]) => {
    if (round === 3) return;
    ev.push([[(round === 2 ? 'No quorum: a new jury' : 'Jury') + ' of ' + refs.length + ' drawn (round ' + round + ')'],
      round === 1 ? 'at the end of the block after opening' : 'when the first jury\'s deadline passed']);
  });
  if (!d.appellant && d.deadline) ev.push([['Voting ' + (d.status === 'voting' ? 'closes' : 'closed')], at(d.deadline)]);
  if (d.appellant) {
    ev.push([['Decided: ', badge(d.first_outcome), ' (' + d.first_reason + '; ' + votesText(d.first_uphold, d.first_dismiss) + ')'], at(d.first_decided_at)]);
  } else if (d.decided_at) {
    ev.push([['Decided: ', badge(d.status), ' (' + d.outcome_reason + '; ' + votesText(d.uphold, d.dismiss) + ')'], at(d.decided_at, d.decided_height)]);
  }
  if (d.appeal_deadline && !d.appellant) {
    const open = !d.final;
    ev.push([['Appeal window ' + (open ? 'closes' : 'closed') + '; only the losing side may appeal, once'], at(d.appeal_deadline)]);
  }
  if (d.appellant) {
    ev.push([['Appealed by ', who(appellantRef(d)), d.first_outcome === 'upheld' ? ' (the claimant)' : ' (the disputant)'],
      [at(d.appealed_at), d.appeal_deadline ? ' · the appeal window was open until ' + fmtTime(d.appeal_deadline) : '']]);
    if (d.jurors.length) {
      ev.push([['Appeal jury of ' + d.jurors.length + ' drawn, excluding the first jury'], 'at the end of the block after the appeal']);
      ev.push([['Appeal voting ' + (d.status === 'appealed' ? 'closes' : 'closed')], at(d.deadline)]);
    } else if (d.status === 'appealed') {
      ev.push([['The appeal jury is drawn'], 'at the end of the block after the appeal']);
    }
    if (d.status !== 'appealed') {
      ev.push([['Appeal decided: ', badge(d.status), ' (' + d.appeal_reason + (d.jurors.length ? '; ' + votesText(d.uphold, d.dismiss) : '') + ')'], at(d.decided_at, d.decided_height)]);
    }
  }
  if (d.final) {
    const note = d.appellant ? 'the appeal\'s decision' : (d.appeal_deadline ? 'not appealed' : 'not appealable');
    ev.push([['Final: ', badge(d.status), ' (' + note + ')'], d.appellant || !d.appeal_deadline ? at(d.decided_at, d.decided_height) : at(d.appeal_deadline)]);
  }
  if (d.reversed) {
    ev.push([['Claim ', claimLink(d.claim_id), ' reversed; ' + strikesText(d.strikes) + ' given'], 'at the end of the block it became final']);
  }
  return h('ol', {class: 'timeline', id: 'dispute-timeline'}, ev.map(([text, when]) => h('li', {}, text, h('span', {class: 'when'}, when))));
}

// outcomeFacts says where the dispute stands, and for an appealed one the first decision beside
// the appeal's.
function outcomeFacts(d) {
  if (d.status === 'open') return 'Not decided; the jury is drawn at the end of the next block';
  if (d.status === 'voting') return ['Not decided; voting closes ', time(d.deadline)];
  if (d.status === 'appealed') return ['Appealed; the first decision (', badge(d.first_outcome), ') is suspended until the appeal jury decides',
    d.deadline ? [' (voting closes ', time(d.deadline), ')'] : ''];
  return [badge(d.status), ' ', d.outcome_reason, ' · ', votesText(d.uphold, d.dismiss), ' · ',
    d.final ? 'final' : ['appealable until ', time(d.appeal_deadline)]];
}

function strikesText(n) {
  return n + ' strike' + (n === 1 ? '' : 's');
}

// reversalFacts says what a dispute did to its claim.
function reversalFacts(d) {
  if (d.reversed) return ['claim ', claimLink(d.claim_id), ' reversed; ' + strikesText(d.strikes) + ' to the claimant, its approvers and the claimant\u2019s vouchers'];
  if (d.status === 'upheld' && d.final) return 'none: the claim had already been reversed, or is reversed in the next blocks';
  if (d.status === 'upheld') return 'if the decision becomes final, the claim is reversed';
  return 'none';
}

function decisionsTable(d) {
  const appeal = d.status === 'appealed'
    ? ['Appeal jury (round 3)', 'pending', '—', d.jurors.length ? votesText(d.uphold, d.dismiss) + ' so far' : '—', '—']
    : ['Appeal jury (round 3)', badge(d.status), d.appeal_reason, d.jurors.length ? votesText(d.uphold, d.dismiss) : '—', time(d.decided_at)];
  return table('First decision and appeal', ['Decision by', 'Outcome', 'Reason', 'Votes', ['Decided', 'nowrap']], [
    [d.previous_jurors.length ? 'Redrawn jury (round 2)' : 'Jury (round 1)', badge(d.first_outcome), d.first_reason, votesText(d.first_uphold, d.first_dismiss), time(d.first_decided_at)],
    appeal,
  ]);
}

function disputePage([id]) {
  return {
    title: 'Dispute #' + id,
    load: () => api('/disputes/' + encodeURIComponent(id)),
    render: ({dispute: d, votes}) => {
      const frag = document.createDocumentFragment();
      frag.append(facts([
        ['Status', disputeStatus(d)],
        ['Claim', claimLink(d.claim_id)],
        ['Claimant', who(d.claimant)],
        ['Disputant', who(d.disputant)],
        ['Reason', h('span', {class: 'summary-text', id: 'dispute-reason'}, d.reason)],
        ['Opened', [time(d.opened_at), ' at height ' + d.opened_height]],
        ['Outcome', h('span', {id: 'dispute-outcome'}, outcomeFacts(d))],
        ['Appeal', d.appellant ? ['by ', who(appellantRef(d)), ' at ', time(d.appealed_at)]
          : (d.appeal_deadline && !d.final ? ['none yet; the losing side may appeal until ', time(d.appeal_deadline)] : 'none')],
        ['Reversal', h('span', {id: 'dispute-reversal'}, reversalFacts(d))],
      ]));
      if (d.appellant) frag.append(h('h2', {}, 'First decision and appeal'), h('div', {id: 'decisions'}, decisionsTable(d)));
      const js = juries(d);
      frag.append(h('h2', {}, 'Jury'), js.length
        ? h('dl', {class: 'facts', id: 'jury'}, js.flatMap(([name, round, refs]) => [h('dt', {}, name + ' (round ' + round + ')'), h('dd', {}, listOf(refs.map(who)))]))
        : h('p', {class: 'muted', id: 'jury'}, 'No jury yet; it is drawn at the end of the block after the dispute opened.'));
      frag.append(h('div', {class: 'two-col'},
        h('section', {'aria-labelledby': 'votes-title'}, h('h2', {id: 'votes-title'}, 'Votes'),
          h('div', {id: 'votes'}, table('Jury votes', ['Juror', 'Jury', 'Vote', 'Note', 'When'],
            [...votes].sort((a, b) => a.round - b.round || a.height - b.height).map(v => [who(v.juror), roundName(v.round), badge(v.vote), v.note || '—', [time(v.time), h('br'), h('small', {class: 'muted'}, 'height ' + v.height)]]),
            'No votes yet.'))),
        h('section', {'aria-labelledby': 'dtl-title'}, h('h2', {id: 'dtl-title'}, 'Timeline'), disputeTimeline(d))));
      return frag;
    },
  };
}

// ---------- governance ----------

const PROPOSAL_STATUSES = [['', 'Any'], ['voting', 'Voting'], ['passed', 'Passed'], ['rejected', 'Rejected'], ['failed', 'Failed']];

function proposalLink(id, label) {
  return h('a', {href: '#/proposals/' + id}, label || 'Proposal #' + id);
}

// shortKey shortens a base64 consensus key for tables; the whole key is in the title.
function shortKey(k) {
  return h('span', {class: 'mono', title: k}, k.length > 16 ? k.slice(0, 10) + '…' + k.slice(-4) : k);
}

function clip(text, n) {
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}

function validatorName(v) {
  return v.moniker || 'validator ' + v.address.slice(0, 8);
}

// kindText says what kind of change a proposal is.
function kindText(p) {
  if (p.kind === 'params' && p.params) return 'Parameters of ' + p.params.module;
  if (p.kind === 'validator' && p.validator) return (p.validator.power === 0 ? 'Remove validator ' : 'Validator ') + validatorName(p.validator);
  if (p.kind === 'text') return 'Text (no effect)';
  if ((p.kind === 'expel' || p.kind === 'reinstate') && p.member) return (p.kind === 'expel' ? 'Expel ' : 'Reinstate ') + (p.member.member.handle || p.member.member.address);
  if (p.kind === 'upgrade' && p.upgrade) return 'Upgrade to ' + p.upgrade.name + ' at height ' + p.upgrade.height;
  return p.kind;
}

function tallyText(t) {
  return t.yes + ' yes, ' + t.no + ' no, ' + t.abstain + ' abstain';
}

function thresholdText(p) {
  return p.threshold === 'two_thirds' ? 'more than two thirds of the yes and no votes' : 'more than half of the yes and no votes';
}

function proposalsTable(items, caption, empty) {
  return table(caption, [['Proposal', 'nowrap'], 'Kind', 'Summary', 'Proposer', 'Status', ['Votes', 'nowrap'], ['Voting ends', 'nowrap']],
    items.map(p => [proposalLink(p.id), kindText(p), h('span', {class: 'summary-text'}, clip(p.summary, 120)), who(p.proposer),
      badge(p.status), tallyText(p.tally), time(p.voting_end)]), empty);
}

function proposalsPage(_, query) {
  const controls = filterForm('/proposals', [field('Status', select('status', query.get('status') || '', PROPOSAL_STATUSES))]);
  return {
    title: 'Proposals',
    controls,
    load: () => api('/proposals', {status: query.get('status'), ...pageParams(query)}),
    render: list => {
      const frag = document.createDocumentFragment();
      frag.append(h('p', {class: 'muted'}, 'Active members propose changes of the rules and vote on them: one member, one vote. ' +
        'A proposal passes with a quorum of the active members and more than half of the yes and no votes (two thirds for governance\u2019s own parameters and for validators).'),
      proposalsTable(list.items, 'Proposals', 'No proposals match.'), pager(list, query, '/proposals'));
      return frag;
    },
  };
}

// tallySection shows the votes so far as counts and a bar, and what they amount to: the quorum
// (at today's membership and parameters while voting; as counted at the close after) and the
// share of yes among the yes and no votes against the threshold.
function tallySection(p, gov, active) {
  const t = p.tally, cast = t.yes + t.no + t.abstain, decided = t.yes + t.no;
  const pct = n => cast ? Math.round(100 * n / cast) + '%' : '—';
  const bar = h('div', {class: 'tally-bar', role: 'img', 'aria-label': tallyText(t)});
  for (const [k, n] of [['yes', t.yes], ['no', t.no], ['abstain', t.abstain]]) {
    if (!n) continue;
    const seg = h('span', {class: 'seg ' + k, title: n + ' ' + k});
    seg.style.width = (100 * n / cast) + '%'; // through the CSSOM: the CSP blocks style attributes
    bar.append(seg);
  }
  const lines = [];
  if (p.status === 'voting') {
    const need = Math.max(1, Math.ceil(gov.quorum_permille * active / 1000));
    lines.push(cast + ' of ' + active + ' active member' + (active === 1 ? '' : 's') + ' have voted; the quorum is ' + gov.quorum_permille +
      '\u2030 of the members active when the vote closes: ' + need + ' vote' + (need === 1 ? '' : 's') + ' at today\u2019s membership (abstaining counts).');
  } else {
    lines.push(cast + ' of ' + p.eligible + ' eligible member' + (p.eligible === 1 ? '' : 's') + ' voted by the close.');
  }
  lines.push('It needs ' + thresholdText(p) + (decided ? '; yes has ' + t.yes + ' of ' + decided + '.' : '; there are none yet.'));
  return h('section', {id: 'tally', 'aria-labelledby': 'tally-title'},
    h('h2', {id: 'tally-title'}, p.status === 'voting' ? 'Tally so far' : 'Tally'),
    h('dl', {class: 'cards tally-cards'}, card('Yes', String(t.yes), pct(t.yes)), card('No', String(t.no), pct(t.no)),
      card('Abstain', String(t.abstain), pct(t.abstain))),
    cast ? bar : h('div', {class: 'tally-bar empty'}, h('span', {class: 'muted'}, 'No votes yet')),
    lines.map(l => h('p', {class: 'muted'}, l)));
}

// paramLabel and paramValue write a /params field for people: durations in days or hours,
// amounts in hours, lists joined.
function paramLabel(key) {
  return key.replace(/_seconds$/, '').replace(/_amount$/, '').replace(/_/g, ' ');
}

function paramValue(obj, key) {
  const v = obj[key];
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'none';
  if (key.endsWith('_seconds')) {
    return (v >= 86400 && v % 86400 === 0) ? v / 86400 + (v === 86400 ? ' day' : ' days') : durationText(v);
  }
  if (key.endsWith('_amount') && obj[key.replace(/_amount$/, '_hours')] !== undefined) return hours(obj[key.replace(/_amount$/, '_hours')]);
  return String(v);
}

// changesSection says what a proposal would change: every parameter of its module beside the
// value in force now, a validator's power now and proposed, or nothing for a text proposal.
function changesSection(p, now, currentPower) {
  const body = [];
  if (p.kind === 'params' && p.params) {
    const pc = p.params;
    if (pc.decode_error) {
      body.push(h('p', {class: 'error'}, pc.decode_error));
    } else {
      const keys = Object.keys(pc.params).filter(k => !k.endsWith('_hours'));
      const differ = k => JSON.stringify(pc.params[k]) !== JSON.stringify(now[k]);
      const changed = keys.filter(differ).length;
      body.push(h('p', {}, 'Sets every parameter of the ', h('strong', {}, pc.module), ' module. ',
        p.status === 'passed' ? 'It applied from the block after height ' + p.closed_height + '; ' : '',
        changed ? changed + ' of ' + keys.length + (changed === 1 ? ' differs' : ' differ') + ' from the parameters in force now.' : 'All ' + keys.length + ' are the parameters in force now.'));
      const t = table('Proposed ' + pc.module + ' parameters', ['Parameter', 'Proposed', 'In force now'], keys.map(k => [
        paramLabel(k), differ(k) ? [h('strong', {}, paramValue(pc.params, k)), ' ', badge('differs')] : paramValue(pc.params, k), paramValue(now, k)]));
      t.querySelectorAll('tbody tr').forEach((tr, i) => { if (differ(keys[i])) tr.className = 'changed'; });
      body.push(t);
    }
  } else if (p.kind === 'validator' && p.validator) {
    const v = p.validator;
    const what = v.power === 0 ? 'leaves the validator set' : (currentPower ? 'changes power' : 'joins the validator set');
    body.push(facts([
      ['Validator', [validatorName(v), ' ', what]],
      ['Power', [String(currentPower) + ' now \u2192 ' + v.power + ' proposed']],
      ['Public key', h('span', {class: 'mono'}, v.pub_key)],
      ['Address', h('span', {class: 'mono'}, v.address)],
    ]), h('p', {class: 'muted'}, 'When the vote passes the change is checked again and sent to CometBFT; no change may move a third or more of the voting power at once. ',
      h('a', {href: '#/validators'}, 'The validator set →')));
  } else if ((p.kind === 'expel' || p.kind === 'reinstate') && p.member) {
    const m = p.member.member;
    body.push(facts([['Member', h('a', {href: '#/members/' + m.address}, m.handle || m.address)],
      ['Action', p.kind === 'expel' ? 'expelled: every member action of theirs is refused until a proposal reinstates them' : 'reinstated: a member again']]));
  } else if (p.kind === 'upgrade' && p.upgrade) {
    body.push(facts([['Release', h('span', {class: 'mono'}, p.upgrade.name)], ['Height', String(p.upgrade.height)], ['Info', p.upgrade.info || undefined]]),
      h('p', {class: 'muted'}, 'If it passes, every node stops at the start of that block until its operator runs a release that knows this upgrade; that release migrates the state once and the chain continues.'));
  } else if (p.kind === 'text') {
    body.push(h('p', {}, 'A text proposal is a signal with no effect: passing it changes nothing on the chain; it records what the members decided.'));
  }
  return h('section', {id: 'changes', 'aria-labelledby': 'changes-title'}, h('h2', {id: 'changes-title'}, 'What it changes'), body);
}

function proposalPage([id]) {
  return {
    title: 'Proposal #' + id,
    load: async () => {
      const [d, params, supply, vals] = await Promise.all([api('/proposals/' + encodeURIComponent(id)), api('/params'), api('/supply'), api('/validators')]);
      // Keep only what the page shows, so that a refresh redraws it only when that changed.
      const p = d.proposal;
      const cur = p.validator ? vals.validators.find(v => v.pub_key === p.validator.pub_key) : null;
      return {d, gov: params.gov, now: p.params ? params[p.params.module] || {} : null, active: supply.members, currentPower: cur ? cur.power : 0};
    },
    render: ({d, gov, now, active, currentPower}) => {
      const p = d.proposal;
      const frag = document.createDocumentFragment();
      frag.append(facts([
        ['Status', badge(p.status)],
        ['Kind', kindText(p)],
        ['Summary', h('span', {class: 'summary-text', id: 'proposal-summary'}, p.summary)],
        ['Proposer', who(p.proposer)],
        ['Submitted', [time(p.submitted_at), ' at height ' + p.submitted_height]],
        [p.status === 'voting' ? 'Votes accepted until' : 'Voting ended', time(p.voting_end)],
        ['Closed', p.closed_at ? [time(p.closed_at), ' at height ' + p.closed_height] : 'not yet; at the first block after the vote ends'],
        ['Result', p.result ? h('span', {class: 'summary-text', id: 'proposal-result'}, p.result) : undefined],
      ]));
      frag.append(tallySection(p, gov, active), changesSection(p, now, currentPower));
      frag.append(h('section', {'aria-labelledby': 'pvotes-title'}, h('h2', {id: 'pvotes-title'}, 'Votes'),
        h('div', {id: 'proposal-votes'}, table('Votes', ['Voter', 'Vote', 'When'],
          d.votes.map(v => [who(v.voter), badge(v.option), [time(v.time), h('br'), h('small', {class: 'muted'}, 'height ' + v.height)]]),
          p.status === 'voting' ? 'No votes yet.' : 'Nobody voted.'))));
      return frag;
    },
  };
}

// validatorChange says what one history entry did to the set.
function validatorChange(e) {
  if (!e.proposal_id) return 'in the genesis set with power ' + e.power;
  if (!e.previous_power) return 'joined with power ' + e.power;
  if (!e.power) return 'left (power ' + e.previous_power + ' \u2192 0)';
  return 'power ' + e.previous_power + ' \u2192 ' + e.power;
}

function validatorsPage() {
  return {
    title: 'Validators',
    load: () => api('/validators'),
    render: v => {
      const share = p => v.total_power ? (100 * p / v.total_power).toFixed(1) + '%' : '—';
      const byProposal = id => id ? proposalLink(id) : 'genesis';
      const frag = document.createDocumentFragment();
      frag.append(
        h('p', {class: 'muted'}, 'The nodes that sign blocks, as the chain keeps them. The set changes only by validator proposals, which need more than two thirds of the yes and no votes; ' +
          'a change reaches CometBFT at the end of the block that closes the vote and signs from two blocks later.'),
        h('dl', {class: 'cards', id: 'validator-summary'}, card('Validators', String(v.validators.length)), card('Total voting power', String(v.total_power))),
        h('h2', {}, 'Validator set'),
        h('div', {id: 'validator-set'}, table('Validator set', ['Validator', 'Address', 'Public key', ['Power', 'num'], ['Share', 'num'], 'Since', 'Changed by'],
          [...v.validators].sort((a, b) => b.power - a.power || a.address.localeCompare(b.address)).map(x => [validatorName(x),
            h('span', {class: 'mono', title: x.address}, x.address.slice(0, 12) + '…'), shortKey(x.pub_key), String(x.power), share(x.power),
            x.since_height ? 'height ' + x.since_height : 'genesis', byProposal(x.proposal_id)]),
          'No validators are recorded (a chain started without any).')),
        h('h2', {}, 'Changes'),
        h('div', {id: 'validator-history'}, table('Changes of the validator set, newest first', ['When', 'Validator', 'Change', 'By'],
          v.history.map(e => [[time(e.time), h('br'), h('small', {class: 'muted'}, e.height ? 'height ' + e.height : 'genesis')],
            [validatorName(e), ' ', shortKey(e.pub_key)], validatorChange(e), byProposal(e.proposal_id)]),
          'No changes yet.')));
      return frag;
    },
  };
}

function membersPage(_, query) {
  const controls = filterForm('/members', [
    field('Handle starts with', h('input', {name: 'handle', value: query.get('handle') || '', size: 16, spellcheck: 'false'})),
    field('Status', select('status', query.get('status') || '', [['', 'Any'], ['active', 'Active'], ['candidate', 'Candidate'], ['suspended', 'Suspended']])),
  ]);
  return {
    title: 'Members',
    controls,
    load: () => api('/members', {handle: query.get('handle'), status: query.get('status'), ...pageParams(query)}),
    render: list => {
      const frag = document.createDocumentFragment();
      frag.append(table('Members', ['Handle', 'Status', 'Joined', ['Vouchers', 'num'], 'Address'],
        list.items.map(m => [h('a', {href: '#/members/' + m.address}, m.handle), badge(m.status),
          m.founder ? 'founder' : time(m.joined_at), String(m.vouchers.length), h('span', {class: 'mono', title: m.address}, shortAddr(m.address))]),
        'No members match.'), pager(list, query, '/members'));
      return frag;
    },
  };
}

function memberPage([addr]) {
  return {
    title: 'Member',
    load: async () => {
      const [m, claims, awaiting, history] = await Promise.all([api('/members/' + encodeURIComponent(addr)), api('/claims', {claimant: addr, limit: 10}),
        api('/claims', {awaiting: addr, limit: 10}), api('/accounts/' + encodeURIComponent(addr) + '/history', {limit: 10})]);
      return {m, claims, awaiting, history};
    },
    render: ({m, claims, awaiting, history}) => {
      document.querySelector('main h1').textContent = m.handle;
      const frag = document.createDocumentFragment();
      frag.append(facts([
        ['Status', [badge(m.status), m.founder ? ' founding member' : '']],
        ['Address', h('a', {href: '#/accounts/' + m.address, class: 'mono'}, m.address)],
        ['Balance', hours(m.balance_hours)],
        ['Debt', m.record.debt ? [hours(m.record.debt_hours), ' from reversed claims; paid first out of the next verified claims'] : undefined],
        ['Suspended', m.status === 'suspended' ? ['until ', time(m.record.suspended_until), ': no claims, attestations, vouches, disputes, appeals or jury service until then'] : undefined],
        ['Joined', m.founder ? 'at genesis' : (m.joined_at ? [time(m.joined_at), ' at height ' + m.joined_height] : 'not yet (candidate)')],
        ['First vouched for', m.first_vouched_at ? time(m.first_vouched_at) : undefined],
        ['Vouchers', m.vouchers.length ? listOf(m.vouchers.map(who)) : 'nobody (founding member)'],
        ['Vouched for', m.vouched_for.length ? listOf(m.vouched_for.map(v => [who(v), ' ', badge(v.status)])) : 'nobody yet'],
      ]));
      if (awaiting.total) frag.append(awaitingSection(m, awaiting));
      const c = m.claims;
      frag.append(h('h2', {}, 'Claims'),
        h('dl', {class: 'cards', id: 'claim-summary'},
          card('Verified hours', hours(c.verified_hours)),
          card('Verified', String(c.verified)), card('Pending', String(c.pending)), card('Rejected', String(c.rejected)),
          c.reversed ? card('Reversed', String(c.reversed)) : null),
        recordSection(m),
        h('h2', {}, 'Latest claims by ' + m.handle),
        claimsTable(claims.items, 'Latest claims by ' + m.handle),
        claims.total > claims.items.length ? h('p', {}, h('a', {href: '#/claims?claimant=' + m.address}, 'All ' + claims.total + ' claims by ' + m.handle + ' →')) : '',
        h('h2', {}, 'Account history'),
        historyTable(history.items, 'Account history of ' + m.handle),
        history.total > history.items.length ? h('p', {}, h('a', {href: '#/accounts/' + m.address}, 'All ' + history.total + ' entries →')) : '');
      return frag;
    },
  };
}

// awaitingSection lists the pending claims a member was drawn to review and has not attested yet.
function awaitingSection(m, awaiting) {
  return h('section', {id: 'awaiting', 'aria-labelledby': 'awaiting-title'}, h('h2', {id: 'awaiting-title'}, 'Awaiting review'),
    h('p', {class: 'muted'}, m.handle + ' was drawn to review ' + (awaiting.total === 1 ? 'this claim' : 'these claims') + ' and has not attested yet.'),
    claimsTable(awaiting.items, 'Claims awaiting review by ' + m.handle),
    awaiting.total > awaiting.items.length ? h('p', {}, h('a', {href: '#/claims?awaiting=' + m.address}, 'All ' + awaiting.total + ' claims awaiting ' + m.handle + ' →')) : '');
}

// recordSection is a member's public record (design §8): what their claims and verdicts came to,
// the disputes they opened, their jury service, and their strikes.
function recordSection(m) {
  const r = m.record;
  const strikes = r.strikes.slice().reverse(); // newest first
  return h('section', {id: 'record', 'aria-labelledby': 'record-title'}, h('h2', {id: 'record-title'}, 'Record'),
    h('dl', {class: 'cards'},
      card('Claims verified', String(r.claims_verified), hours(r.verified_hours) + '; ' + r.claims_reversed + ' reversed (' + hours(r.reversed_hours) + ')'),
      card('Approvals given', String(r.approvals_given), r.approvals_reversed + ' on claims later reversed; ' + r.rejections_given + ' rejections'),
      card('Disputes opened', String(r.disputes_opened), r.disputes_upheld + ' upheld, ' + r.disputes_dismissed + ' dismissed'),
      card('Jury seats', String(r.jury_seats), r.jury_votes + ' voted, ' + r.jury_no_shows + ' no-show' + (r.jury_no_shows === 1 ? '' : 's')),
      card('Active strikes', r.active_strikes + ' of ' + r.strikes_to_suspend, r.strikes_ever + ' ever; suspended ' + r.suspensions + ' time' + (r.suspensions === 1 ? '' : 's')),
      card('Debt', hours(r.debt_hours))),
    h('h3', {}, 'Strikes'),
    h('div', {id: 'strikes'}, table('Strikes', ['When', 'Role', 'Claim', 'Dispute', 'Counts'],
      strikes.map(st => [time(st.time), badge(st.role), claimLink(st.claim_id), disputeLink(st.dispute_id), st.active ? 'active' : 'expired']),
      'No strikes: no claim ' + m.handle + ' made, approved or vouched for has been reversed.')));
}

const KIND_TEXT = {mint: 'Minted', burn: 'Burned', debt: 'Became debt', debt_paid: 'Debt paid', transfer_in: 'Received', transfer_out: 'Sent', decay: 'Demurrage'};

// historyTable lists account history entries: what moved the balance or debt, and why.
function historyTable(items, caption) {
  return h('div', {id: 'history'}, table(caption, ['What', ['Amount', 'num'], 'Why', ['Balance after', 'num'], ['When', 'nowrap']],
    items.map(e => {
      const parts = [];
      if (e.claim_id) parts.push(['claim ', claimLink(e.claim_id)]);
      if (e.counterparty) parts.push([e.kind === 'transfer_in' ? 'from ' : 'to ', who(e.counterparty)]);
      if (e.tx_hash) parts.push(h('a', {href: '#/txs/' + e.tx_hash, class: 'mono', title: e.tx_hash}, 'tx ' + e.tx_hash.slice(0, 8) + '…'));
      const why = parts.length ? parts.flatMap((p, i) => i ? [' · ', p] : [p]) : (e.kind === 'decay' ? 'realised when the account was touched' : '—');
      return [[badge(e.kind), ' ', KIND_TEXT[e.kind] || e.kind], (e.kind === 'transfer_in' || e.kind === 'mint' ? '+' : '−') + hours(e.amount_hours),
        why, [hours(e.balance_hours), e.debt ? [h('br'), h('small', {class: 'muted'}, 'debt ' + hours(e.debt_hours))] : ''],
        [time(e.time), h('br'), h('small', {}, blockLink(e.height, 'height ' + e.height))]];
    }), 'Nothing has moved this account yet.'));
}

function listOf(items) {
  const ul = h('ul', {class: 'inline-list'});
  items.forEach(i => ul.append(h('li', {}, i)));
  return ul;
}

function accountPage([addr], query) {
  return {
    title: 'Account',
    load: async () => {
      const [a, history] = await Promise.all([api('/accounts/' + encodeURIComponent(addr)),
        api('/accounts/' + encodeURIComponent(addr) + '/history', pageParams(query))]);
      return {a, history};
    },
    render: ({a, history}) => {
      const frag = document.createDocumentFragment();
      frag.append(facts([
        ['Address', h('span', {class: 'mono'}, a.address)],
        ['Balance', [hours(a.balance_hours), h('br'), h('small', {class: 'muted'}, a.balance + ' uhour, demurrage applied to ' + fmtTime(a.block_time))]],
        ['Debt', a.debt ? [hours(a.debt_hours), h('br'), h('small', {class: 'muted'}, 'from reversed claims; paid first out of the next verified claims')] : 'none'],
        ['Sequence', String(a.sequence) + ' txs sent'],
        ['Member', a.member ? [h('a', {href: '#/members/' + a.address}, a.member.handle), ' ', badge(a.member.status)] : 'not a member'],
        ['As of height', String(a.height)],
      ]), h('h2', {}, 'History'), historyTable(history.items, 'Account history'), pager(history, query, '/accounts/' + addr),
        h('p', {}, csvLink('/accounts/' + encodeURIComponent(addr) + '/history', pageParams(query), 'history-csv')));
      return frag;
    },
  };
}

function txPage([hash]) {
  return {
    title: 'Transaction',
    load: () => api('/txs/' + encodeURIComponent(hash)),
    render: t => {
      const frag = document.createDocumentFragment();
      frag.append(facts([
        ['Hash', h('span', {class: 'mono'}, t.hash)],
        ['Result', t.code === 0 ? badge('success') : [badge('failed'), ' code ' + t.code + ' (' + t.codespace + ')']],
        ['Log', t.log ? h('span', {class: 'summary-text'}, t.log) : undefined],
        ['Block', [blockLink(t.height), ', tx ' + (t.index + 1)]],
        ['Signer', t.signer ? who(t.signer) : '—'],
        ['Sequence', String(t.sequence)],
        ['Memo', t.memo || undefined],
      ]));
      frag.append(h('h2', {}, 'Messages'), h('ol', {id: 'messages'}, t.messages.map(m => h('li', {}, h('h3', {}, m.type.replace('_', ' ')), msgFacts(m)))));
      frag.append(h('h2', {}, 'Events'), eventsTable(t.events, 'Events', 'No events.'));
      return frag;
    },
  };
}

function msgFacts(m) {
  const v = m.value;
  switch (m.type) {
    case 'transfer': return facts([['To', who(v.to)], ['Amount', hours(v.amount_hours)]]);
    case 'vouch': return facts([['Candidate', who(v.candidate)], ['Handle', v.handle || '—']]);
    case 'submit_claim': return facts([['Work', [time(v.start), ' → ', time(v.end)]], ['Category', v.category], ['Summary', v.summary_hash ? summaryOf({private_summary: true, summary_hash: v.summary_hash}) : v.summary],
      ['Beneficiary', v.beneficiary ? ['countersigned by ', who({address: v.beneficiary.address})] : undefined],
      ['Evidence', v.evidence.length ? listOf(v.evidence.map(e => e.uri || 'private, sha256 ' + e.sha256)) : 'none']]);
    case 'attest': return facts([['Claim', claimLink(v.claim_id)], ['Verdict', badge(v.verdict)], ['Note', v.note || '—']]);
    case 'open_dispute': return facts([['Claim', claimLink(v.claim_id)], ['Reason', h('span', {class: 'summary-text'}, v.reason)]]);
    case 'jury_vote': return facts([['Dispute', disputeLink(v.dispute_id, '#' + v.dispute_id)], ['Vote', badge(v.vote)], ['Note', v.note || '—']]);
    case 'appeal': return facts([['Dispute', disputeLink(v.dispute_id, '#' + v.dispute_id)]]);
    case 'propose': return facts([['Kind', kindText(v)], ['Summary', h('span', {class: 'summary-text'}, v.summary)],
      ['Parameters', v.params && v.params.params ? h('pre', {}, JSON.stringify(v.params.params, null, 2)) : undefined],
      ['Public key', v.validator ? h('span', {class: 'mono'}, v.validator.pub_key) : undefined],
      ['Power', v.validator ? String(v.validator.power) : undefined]]);
    case 'vote': return facts([['Proposal', proposalLink(v.proposal_id, '#' + v.proposal_id)], ['Vote', badge(v.option)]]);
  }
  return h('pre', {}, JSON.stringify(v, null, 2));
}

// ---------- blocks ----------

function blockLink(height, label) {
  return h('a', {href: '#/blocks/' + height}, label || 'Block ' + height);
}

// shortHash shortens a hex hash for tables; the whole hash is in the title.
function shortHash(x) {
  return x ? h('span', {class: 'mono', title: x}, x.slice(0, 10) + '…') : '—';
}

function proposerText(p) {
  return p.moniker ? h('span', {title: p.address}, p.moniker) : shortHash(p.address);
}

function eventsTable(events, caption, empty) {
  return table(caption, ['Type', 'Attributes'],
    events.map(e => [e.type, h('dl', {class: 'facts'}, (e.attributes || []).map(a => [h('dt', {}, a.key), h('dd', {class: 'mono'}, a.value)]))]), empty);
}

const BLOCK_HEADERS = [['Height', 'num'], ['Time', 'nowrap'], 'Hash', 'Proposer', ['Txs', 'num'], 'App hash'];

// blocksTable lists block summaries, one line each (the rows have a fixed height, so that the
// skeleton shown while loading takes the same room).
function blocksTable(items, caption) {
  return h('div', {class: 'blocks-table', id: 'blocks'}, table(caption, BLOCK_HEADERS,
    items.map(b => [blockLink(b.height, String(b.height)), time(b.time), shortHash(b.hash), proposerText(b.proposer),
      String(b.num_txs), shortHash(b.app_hash)]), 'No blocks.'));
}

// skeletonTable is a table of n empty rows under the given headers, the room a table will take.
function skeletonTable(headers, n, cls) {
  const blank = () => '\u00a0';
  return h('div', {class: cls, 'aria-hidden': 'true'}, h('div', {class: 'table-wrap'}, h('table', {},
    h('thead', {}, h('tr', {}, headers.map(col => h('th', {scope: 'col'}, Array.isArray(col) ? col[0] : col)))),
    h('tbody', {}, Array.from({length: n}, () => h('tr', {}, headers.map(blank).map(c => h('td', {}, c))))))));
}

function blocksLimit(query) {
  const n = parseInt(query.get('limit') || '20', 10);
  return n >= 1 && n <= 100 ? n : 20;
}

// blocksPage lists the latest blocks. The first page follows the chain; its pager pins the list
// with before= (the block above the first shown), so that older pages stay put as blocks come.
function blocksPage(_, query) {
  const before = query.get('before');
  return {
    title: 'Blocks',
    skeleton: () => [skeletonTable(BLOCK_HEADERS, blocksLimit(query), 'blocks-table'), h('nav', {class: 'pager', 'aria-hidden': 'true'}, h('p', {}, '\u00a0'))],
    load: () => api('/blocks', {before, ...pageParams(query)}),
    render: list => {
      const pinned = new URLSearchParams(query);
      if (!before && list.items.length) pinned.set('before', list.items[0].height + list.offset + 1);
      const frag = document.createDocumentFragment();
      frag.append(blocksTable(list.items, 'Blocks, newest first'), pager(list, pinned, '/blocks'));
      if (before) frag.append(h('p', {}, h('a', {href: '#/blocks'}, 'Latest blocks →')));
      return frag;
    },
  };
}

const BLOCK_FACTS = ['Time', 'Hash', 'Previous block', 'Proposer', 'Transactions', 'App hash', 'App hash after this block', 'Chain'];

// appHashNote says what a header's app hash commits to; it is shown while loading too.
function appHashNote() {
  return h('p', {class: 'muted', id: 'app-hash-note'}, 'The app hash in a block\u2019s header commits to the ledger\u2019s state after the previous block: ' +
    'a hash of every stored key and value (accounts, members, claims, disputes, proposals, parameters). ' +
    'The state after this block\u2019s own transactions and end-of-block work is in the next block\u2019s header.');
}

function blockSkeleton() {
  return [h('dl', {class: 'facts', 'aria-hidden': 'true'}, BLOCK_FACTS.flatMap(k => [h('dt', {}, k), h('dd', {}, '\u00a0')])), appHashNote()];
}

// msgSummary says what one message of a tx does, in a line.
function msgSummary(m) {
  const v = m.value || {};
  switch (m.type) {
    case 'transfer': return ['transfer ', hours(v.amount_hours), ' to ', who(v.to)];
    case 'vouch': return ['vouch for ', who(v.candidate), v.handle ? ' as ' + v.handle : ''];
    case 'submit_claim': return ['claim ', v.category, ': ', clip(v.summary || '', 60)];
    case 'attest': return ['attest ', badge(v.verdict), ' on claim ', claimLink(v.claim_id)];
    case 'open_dispute': return ['dispute claim ', claimLink(v.claim_id)];
    case 'jury_vote': return ['jury vote ', badge(v.vote), ' on ', disputeLink(v.dispute_id)];
    case 'appeal': return ['appeal ', disputeLink(v.dispute_id)];
    case 'withdraw_claim': return ['withdraw claim ', claimLink(v.claim_id)];
    case 'propose': return ['propose: ', kindText(v)];
    case 'vote': return ['vote ', badge(v.option), ' on ', proposalLink(v.proposal_id)];
  }
  return m.type;
}

function blockPage([height]) {
  const n = parseInt(height, 10);
  const controls = /^\d+$/.test(height) && n >= 1 ? h('nav', {class: 'pager block-nav', 'aria-label': 'Neighbouring blocks'}, h('ul', {},
    n > 1 ? h('li', {}, h('a', {href: '#/blocks/' + (n - 1), rel: 'prev'}, '← Block ' + (n - 1))) : null,
    h('li', {}, h('a', {href: '#/blocks/' + (n + 1), rel: 'next'}, 'Block ' + (n + 1) + ' →')),
    h('li', {}, h('a', {href: '#/blocks'}, 'All blocks')))) : null;
  return {
    title: 'Block ' + height,
    controls,
    skeleton: blockSkeleton,
    load: () => api('/blocks/' + encodeURIComponent(height)),
    render: b => {
      const frag = document.createDocumentFragment();
      const pending = 'not stored yet (the block is being executed)';
      frag.append(h('dl', {class: 'facts', id: 'block-facts'}, [
        ['Time', time(b.time)],
        ['Hash', h('span', {class: 'mono'}, b.hash)],
        ['Previous block', b.height > 1 ? [blockLink(b.height - 1), ' ', h('span', {class: 'mono muted', title: b.previous_hash}, b.previous_hash.slice(0, 10) + '…')] : 'none (the first block)'],
        ['Proposer', [b.proposer.moniker ? b.proposer.moniker + ' ' : '', h('span', {class: 'mono'}, b.proposer.address)]],
        ['Transactions', String(b.num_txs)],
        ['App hash', h('span', {class: 'mono', id: 'app-hash'}, b.app_hash)],
        ['App hash after this block', b.results_stored ? h('span', {class: 'mono'}, b.result_app_hash) : pending],
        ['Chain', b.chain_id],
      ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])), appHashNote());
      frag.append(h('section', {id: 'block-txs', 'aria-labelledby': 'block-txs-title'}, h('h2', {id: 'block-txs-title'}, 'Transactions'),
        table('Transactions of block ' + b.height, [['#', 'num'], 'Tx', 'Signer', 'Messages', 'Result', 'Log'],
          b.txs.map(t => [String(t.index + 1), h('a', {href: '#/txs/' + t.hash, class: 'mono', title: t.hash}, t.hash.slice(0, 12) + '…'),
            t.signer ? who(t.signer) : '—',
            t.decode_error ? h('span', {class: 'error'}, t.decode_error)
              : (t.messages.length === 1 ? msgSummary(t.messages[0]) : h('ol', {class: 'msgs'}, t.messages.map(m => h('li', {}, msgSummary(m))))),
            !b.results_stored ? h('span', {class: 'muted'}, 'pending') : (t.code === 0 ? badge('success') : [badge('failed'), ' code ' + t.code + (t.codespace ? ' (' + t.codespace + ')' : '')]),
            t.log ? h('span', {class: 'summary-text'}, t.log) : '—']), 'No transactions in this block.')));
      frag.append(h('section', {id: 'block-events', 'aria-labelledby': 'block-events-title'}, h('h2', {id: 'block-events-title'}, 'Block events'),
        h('p', {class: 'muted'}, 'What the start and end of the block did (claims finalised, juries drawn, proposals closed). A transaction\u2019s own events are on its page.'),
        eventsTable(b.events, 'Events of block ' + b.height, 'No block events.')));
      return frag;
    },
  };
}

function notFoundPage(path) {
  return {
    title: 'Page not found',
    load: async () => null,
    render: () => h('p', {}, 'There is no page at ' + path + '. ', h('a', {href: '#/'}, 'Go to the overview.')),
  };
}

// ---------- router and live refresh ----------

// ---------- projects ----------

function projectsPage(_, query) {
  return {
    title: 'Projects',
    load: () => api('/projects', pageParams(query)),
    render: list => {
      const frag = document.createDocumentFragment();
      frag.append(table('Projects', ['Project', 'Name', 'Stewards', ['Paid out', 'num'], 'Created'],
        list.items.map(p => [projectLink(p.handle), p.name, p.stewards.map((s, i) => [i ? ', ' : '', who(s)]),
          hours(p.distributed_hours), time(p.created_at)]), 'No projects yet.'), pager(list, query, '/projects'));
      return frag;
    },
  };
}

function sharesTable(caption, shares, empty) {
  return table(caption, ['Contributor', ['Verified hours', 'num'], ['Share (ppm)', 'num']],
    shares.map(s => [who(s.contributor), s.hours, String(s.ppm)]), empty);
}

function projectPage([handle], query) {
  return {
    title: 'Project ' + handle,
    load: () => api('/projects/' + encodeURIComponent(handle), pageParams(query)),
    render: ({project: p, balance_hours, contributors, contributors_truncated, distributions}) => {
      const frag = document.createDocumentFragment();
      frag.append(facts([
        ['Name', h('span', {id: 'project-name'}, p.name)],
        ['Balance', h('span', {id: 'project-balance'}, hours(balance_hours))],
        ['Account', [h('a', {href: '#/accounts/' + p.account, class: 'mono'}, p.account), h('br'),
          h('small', {class: 'muted'}, 'Anyone may transfer hours here; it pays out only by distributions.')]],
        ['Stewards', p.stewards.map((s, i) => [i ? ', ' : '', who(s)])],
        ['Created', [time(p.created_at), ' by ', who(p.creator)]],
        ['Paid out', hours(p.distributed_hours) + ' in ' + p.distributions + ' distribution' + (p.distributions === 1 ? '' : 's')],
      ]));
      frag.append(h('section', {'aria-labelledby': 'contrib-title', id: 'project-contributors'}, h('h2', {id: 'contrib-title'}, 'Contributors'),
        sharesTable('Contributors of all time', contributors, 'No verified claims are tagged with this project yet.'),
        contributors_truncated ? h('p', {class: 'muted'}, 'More claims than one distribution may count: the list is partial.') : ''));
      frag.append(h('section', {'aria-labelledby': 'dist-title', id: 'project-distributions'}, h('h2', {id: 'dist-title'}, 'Distributions'),
        table('Distributions', ['#', 'Period (verified in)', ['Total', 'num'], 'Payouts', 'By', 'When'],
          distributions.items.map(d => ['#' + d.id, [time(d.from), ' → ', time(d.to)], hours(d.total_hours),
            d.payouts.map((x, i) => [i ? h('br') : '', who(x.contributor), ': ' + x.amount_hours + ' h']), who(d.steward), time(d.time)]),
          'Nothing distributed yet.'), pager(distributions, query, '/projects/' + encodeURIComponent(p.handle))));
      return frag;
    },
  };
}

const ROUTES = [
  [/^\/$/, homePage],
  [/^\/members$/, membersPage],
  [/^\/members\/([^/]+)$/, memberPage],
  [/^\/claims$/, claimsPage],
  [/^\/claims\/([^/]+)$/, claimPage],
  [/^\/projects$/, projectsPage],
  [/^\/projects\/([^/]+)$/, projectPage],
  [/^\/disputes$/, disputesPage],
  [/^\/disputes\/([^/]+)$/, disputePage],
  [/^\/proposals$/, proposalsPage],
  [/^\/proposals\/([^/]+)$/, proposalPage],
  [/^\/validators$/, validatorsPage],
  [/^\/accounts\/([^/]+)$/, accountPage],
  [/^\/txs\/([^/]+)$/, txPage],
  [/^\/blocks$/, blocksPage],
  [/^\/blocks\/([^/]+)$/, blockPage],
];

let current = null; // {page, data, lastJSON, busy, token}

function parseHash() {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  const [path, qs] = raw.split('?');
  return {path: decodeURIComponent(path) || '/', query: new URLSearchParams(qs || '')};
}

async function route() {
  if (location.hash && !location.hash.startsWith('#/')) return; // in-page anchors (skip link)
  const {path, query} = parseHash();
  let page = null;
  for (const [re, make] of ROUTES) {
    const m = path.match(re);
    if (m) { page = make(m.slice(1).map(decodeURIComponent), query); break; }
  }
  page = page || notFoundPage(path);
  document.querySelectorAll('nav [data-nav]').forEach(a => {
    const nav = a.dataset.nav;
    const on = nav === '/' ? path === '/' : (path === nav || path.startsWith(nav + '/'));
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  document.getElementById('search-error').hidden = true; // it belonged to the page the search was made on
  const main = document.getElementById('main');
  // A page with a skeleton shows it while loading, so that the data takes the room already kept
  // for it and nothing above or beside it moves (no layout shift).
  const data = h('div', {id: 'content', 'aria-busy': 'true'},
    page.skeleton ? [h('p', {class: 'visually-hidden'}, 'Loading…'), page.skeleton()] : h('p', {class: 'muted'}, 'Loading…'));
  main.replaceChildren(h('h1', {}, page.title), page.controls || '', data);
  document.title = page.title + ' · Commons Ledger explorer';
  const token = {};
  current = {page, data, lastJSON: null, busy: false, token};
  await refresh(true);
  if (current && current.token === token && document.activeElement !== document.getElementById('q')) main.focus({preventScroll: true});
}

// refresh reloads the current page's data and replaces it only when it changed.
async function refresh(first) {
  const c = current;
  if (!c || c.busy) return;
  c.busy = true;
  try {
    const d = await c.page.load();
    if (current !== c) return;
    const json = JSON.stringify(d);
    if (json !== c.lastJSON) {
      // Keep keyboard focus: do not replace the region the user is in, except on first load.
      if (!first && c.data.contains(document.activeElement)) return;
      c.lastJSON = json;
      c.data.replaceChildren(c.page.render(d));
    }
  } catch (e) {
    if (current !== c) return;
    if (first || e.status) {
      c.lastJSON = null;
      c.data.replaceChildren(h('p', {class: 'error', role: 'alert'}, e.status === 404 ? 'Not found: ' + e.message : e.message));
    }
  } finally {
    c.busy = false;
    c.data.removeAttribute('aria-busy');
  }
}

async function refreshStatus() {
  const bar = document.getElementById('chainbar');
  const text = document.getElementById('chainbar-text');
  try {
    const st = await api('/status');
    bar.className = 'chainbar live';
    // The height links to its block. The link and the text around it are updated in place, so
    // that the link keeps keyboard focus.
    let link = document.getElementById('chainbar-height');
    if (!link) {
      link = h('a', {id: 'chainbar-height'});
      text.replaceChildren('', link, '');
    }
    link.href = '#/blocks/' + st.height;
    link.textContent = 'height ' + st.height;
    link.previousSibling.textContent = 'Live · chain ' + st.chain_id + ' · ';
    link.nextSibling.textContent = ' · block time ' + fmtTime(st.block_time) + (st.catching_up ? ' · catching up' : '');
    bar.dataset.height = st.height;
  } catch (e) {
    bar.className = 'chainbar down';
    text.textContent = 'Offline: ' + e.message + ' Retrying…';
  }
}

async function search(ev) {
  ev.preventDefault();
  const input = document.getElementById('q');
  const err = document.getElementById('search-error');
  const q = input.value.trim();
  err.hidden = true;
  input.removeAttribute('aria-invalid');
  if (!q) return;
  try {
    const r = await api('/search', {q});
    const base = {member: '/members/', account: '/accounts/', claim: '/claims/', dispute: '/disputes/', tx: '/txs/'}[r.kind];
    input.value = '';
    location.hash = '#' + base + r.id;
  } catch (e) {
    err.textContent = e.message;
    err.hidden = false;
    input.setAttribute('aria-invalid', 'true');
  }
}

function tick() {
  if (document.hidden) return;
  refreshStatus();
  refresh(false);
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('search').addEventListener('submit', search);
  document.getElementById('skip').addEventListener('click', ev => {
    ev.preventDefault();
    document.getElementById('main').focus();
  });
  window.addEventListener('hashchange', route);
  refreshStatus();
  route();
  setInterval(tick, REFRESH_MS);
});
