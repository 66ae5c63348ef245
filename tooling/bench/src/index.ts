export { linearFit, percentile, round, summarize, type LinearFit, type Summary } from './stats.js';
export { escapeXml, renderBarChart, renderLineChart, type BarChart, type BarGroup, type LineChart } from './svg.js';
export { DiscardOutput, PacedInput, PulledOutput, spyMixer, toneGenerator, type FrameGenerator, type PulledOutputOptions } from './components.js';
