/** PromQL's own words: functions are recognised by their "(", these are not. */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
]);

/**
 * The metric names a PromQL expression reads (recording rules' names included), for the
 * check that dashboards and alerts name only metrics some service exposes. Strings, label
 * matchers, ranges and the label lists of by/without/on/ignoring/group_* go first; what is
 * left that is neither a function, a keyword nor a number is a metric name.
 */
export function metricNamesOf(expr: string): Set<string> {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = match[0];
    const after = stripped.slice(match.index + word.length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(word.toLowerCase())) continue;
    if (/^\d/.test(word) || /^[0-9.]+(e[0-9]+)?$/i.test(word)) continue;
    names.add(word);
  }
  return names;
}

/**
 * Metric families an exposition (Prometheus text format) declares, by its `# TYPE` lines
 * and samples: a labelled metric nothing has observed yet still declares its family. A
 * histogram's family covers its _bucket, _count and _sum; a counter's its _total.
 */
export function exposedNamesOf(exposition: string): Set<string> {
  const names = new Set<string>();
  const add = (name: string, type?: string) => {
    names.add(name);
    if (type === 'histogram' || type === 'summary')
      for (const suffix of ['_bucket', '_count', '_sum', '_created']) names.add(`${name}${suffix}`);
    if (type === 'counter') {
      names.add(name.endsWith('_total') ? name : `${name}_total`);
      names.add(`${name.replace(/_total$/, '')}_created`);
    }
  };
  for (const line of exposition.split('\n')) {
    const typed = /^# TYPE (\S+) (\S+)/.exec(line);
    if (typed) add(typed[1]!, typed[2]);
    else if (line && !line.startsWith('#')) add(/^[^{\s]+/.exec(line)![0]);
  }
  return names;
}
