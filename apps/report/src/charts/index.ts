// The chart library: pure functions from typed options to SVG strings.
export { barChart, groupedBarChart } from './bar.js';
export type { Bar, BarChartOptions, BarSeries, GroupedBarChartOptions } from './bar.js';
export { lineChart } from './line.js';
export type { LineChartOptions, LineSeries, VerticalMarker } from './line.js';
export { stackedAreaChart } from './area.js';
export type { AreaLayer, StackedAreaOptions } from './area.js';
export { forestPlot } from './forest.js';
export type { Estimate, ForestPlotOptions, ForestRow, ForestSeries } from './forest.js';
export { heatmap } from './heatmap.js';
export type { HeatmapOptions } from './heatmap.js';
export { scatterChart } from './scatter.js';
export type { ScatterOptions, ScatterPoint, ScatterSeries } from './scatter.js';
export { distributionChart, histogram, kernelDensity, quantileOf } from './distribution.js';
export type { DistributionGroup, DistributionOptions, HistogramOptions } from './distribution.js';
export { rankHistogram, rankPlot } from './rank.js';
export type { RankPlotOptions } from './rank.js';
export { bandScale, dateTicks, extent, linearScale, niceDomain, niceTicks, tickStep } from './scale.js';
export type { BandScale, DateTick, LinearScale } from './scale.js';
export {
  channelLabel,
  dayToIso,
  escapeHtml,
  escapeXml,
  formatDate,
  formatEuro,
  formatFixed,
  formatNumber,
  formatPercent,
  formatRoas,
  isoToDay,
} from './format.js';
export { CHANNEL_COLORS, MODEL_COLORS, TIER_COLORS, channelColor, modelColor, sequentialColor } from './palette.js';
export { emptyChart, legend, textWidth } from './svg.js';
export type { LegendItem } from './svg.js';
