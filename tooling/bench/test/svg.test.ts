import { describe, expect, it } from 'vitest';
import { escapeXml, renderBarChart, renderLineChart } from '../src/svg.js';

/** A minimal well-formedness check: every element opened is closed in order. */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '').replace(/<title>[^<]*<\/title>/g, '');
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
    const [, close, name, , selfClose] = m;
    if (selfClose) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name ?? '');
  }
  return stack.length === 0 && !/&(?!amp;|lt;|gt;|quot;|apos;)/.test(body);
}

describe('renderBarChart', () => {
  it('draws one bar per value with escaped labels and a target line', () => {
    const svg = renderBarChart({
      title: 'CPU <per> N & more',
      yLabel: '% of a core',
      series: ['listener', 'host'],
      groups: [
        { label: 'N=1', values: [1, 2] },
        { label: 'N=10', values: [5, Number.NaN] },
        { label: 'N=50', values: [20, 9] },
      ],
      target: { value: 30, label: 'target 30 %' },
    });
    expect(wellFormed(svg)).toBe(true);
    expect(svg.match(/class="bar"/g)).toHaveLength(6);
    expect(svg).toContain('CPU &lt;per&gt; N &amp; more');
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('n/a');
  });
});

describe('renderLineChart', () => {
  it('draws one polyline per series', () => {
    const svg = renderLineChart({
      title: 'RSS',
      xLabel: 'min',
      yLabel: 'MB',
      series: [
        { name: 'rss', points: [[0, 80], [1, 81], [2, 82]] },
        { name: 'buffered', points: [[0, 30], [2, 31]] },
      ],
    });
    expect(wellFormed(svg)).toBe(true);
    expect(svg.match(/class="line"/g)).toHaveLength(2);
    expect(escapeXml(`a"b'c`)).toBe('a&quot;b&apos;c');
  });
});
