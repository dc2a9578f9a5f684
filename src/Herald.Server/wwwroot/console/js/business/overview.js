import { api } from '../api.js';
import { h, svg, card, table } from '../dom.js';
import { senderHeader } from '../preview.js';

const SERIES = [
  ['accepted', 'Accepted'],
  ['delivered', 'Delivered'],
  ['seen', 'Seen'],
  ['expired', 'Expired'],
  ['failed', 'Failed'],
];

export async function render(main, [range = '14']) {
  const days = Number(range) || 14;
  const [profile, stats] = await Promise.all([api('GET', '/v1/profile'), api('GET', `/v1/stats/daily?days=${days}`)]);
  const totals = Object.fromEntries(SERIES.map(([key]) => [key, stats.days.reduce((sum, d) => sum + d[key], 0)]));
  const rate = (n, of) => (of ? `${Math.round((100 * n) / of)}%` : '—');
  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Overview'), h('p', { class: 'muted' }, 'Your sender profile and what became of your messages.')),
    h('div', { class: 'columns' },
      card('Profile as consumers see it',
        h('div', { class: 'profile-preview' }, senderHeader(profile)),
        profile.description ? h('p', {}, profile.description) : h('p', { class: 'muted' }, 'No description.'),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Business id'), h('dd', { class: 'mono' }, profile.business_id),
          h('dt', {}, 'Verified'), h('dd', {}, profile.verified ? 'Yes' : 'Not yet — the operator verifies businesses'),
          h('dt', {}, 'Replies'), h('dd', {}, profile.two_way ? 'Two-way: consumers can reply' : 'One-way'),
          h('dt', {}, 'Learn more'), h('dd', {}, profile.learn_more_url ?? '—')),
        h('p', { class: 'muted small' }, 'The operator edits the profile.')),
      card('Last ' + days + ' days',
        h('div', { class: 'kpis' }, SERIES.map(([key, label]) => h('div', { class: `kpi kpi-${key}` },
          h('div', { class: 'kpi-value', 'data-kpi': key }, totals[key]), h('div', { class: 'kpi-label' }, label)))),
        h('p', { class: 'muted small' }, `Delivery rate ${rate(totals.delivered, totals.accepted)} · seen rate ${rate(totals.seen, totals.delivered)}`))),
    card('Delivery funnel per day',
      h('nav', { class: 'tabs', 'aria-label': 'Range' }, ['7', '14', '30'].map(r => h('a', { href: `#/overview/${r}`, 'aria-current': String(days) === r ? 'page' : null }, `${r} days`))),
      chart(stats.days),
      numbers(stats.days)));
}

/**
 * The chart's numbers as a table. Screen readers always read it (the chart itself is one image to them); sighted
 * people show it with the checkbox.
 */
function numbers(days) {
  const wrap = h('div', { class: 'visually-hidden', id: 'chart-numbers' },
    table(['Day', ...SERIES.map(s => s[1])], days.map(d => h('tr', { 'data-day': d.date }, h('th', { scope: 'row' }, d.date), SERIES.map(([key]) => h('td', {}, d[key]))))));
  wrap.querySelector('table')?.prepend(h('caption', { class: 'muted small' }, 'Delivery funnel per day'));
  const show = h('input', { type: 'checkbox', id: 'show-numbers', 'aria-controls': wrap.id });
  show.onchange = () => wrap.classList.toggle('visually-hidden', !show.checked);
  return h('div', {}, h('div', { class: 'field check' }, show, h('label', { for: show.id }, 'Show the numbers as a table')), wrap);
}

/** Grouped bars, one group per UTC day; each bar carries its numbers as a tooltip. To assistive technology the chart is one image: the table after it has the numbers. */
function chart(days) {
  const width = 760, height = 240, left = 36, bottom = 28, top = 10;
  const max = Math.max(1, ...days.flatMap(d => SERIES.map(([k]) => d[k])));
  const step = (width - left) / days.length;
  const bar = Math.max(2, Math.min(14, (step - 6) / SERIES.length));
  const y = n => top + (height - top - bottom) * (1 - n / max);
  const ticks = [0, Math.ceil(max / 2), max];
  return h('figure', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Delivery funnel per day, chart; the numbers are in the table that follows' },
      ticks.map(t => svg('g', {},
        svg('line', { x1: left, x2: width, y1: y(t), y2: y(t), class: 'grid' }),
        svg('text', { x: left - 6, y: y(t) + 4, class: 'axis', 'text-anchor': 'end' }, t))),
      days.map((d, i) => svg('g', { class: 'day' },
        SERIES.map(([key, label], j) => svg('rect', {
          class: `bar bar-${key}`,
          x: left + i * step + (step - bar * SERIES.length) / 2 + j * bar,
          y: y(d[key]), width: bar - 1, height: Math.max(0, y(0) - y(d[key])),
        }, svg('title', {}, `${d.date}: ${d[key]} ${label.toLowerCase()}`))),
        (days.length <= 14 || i % Math.ceil(days.length / 10) === 0)
          ? svg('text', { x: left + i * step + step / 2, y: height - 8, class: 'axis', 'text-anchor': 'middle' }, d.date.slice(5)) : null))),
    h('figcaption', { class: 'legend' }, SERIES.map(([key, label]) => h('span', {}, h('i', { class: `swatch bar-${key}` }), label))));
}
