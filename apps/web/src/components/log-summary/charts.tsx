// Loaded with React.lazy: @fluentui/react-charts and d3 stay out of the first page's JavaScript.
import {
  DataVizPalette,
  VerticalBarChart,
  VerticalStackedBarChart,
  getColorFromToken,
  type VerticalBarChartDataPoint,
  type VerticalStackedChartProps,
} from '@fluentui/react-charts';
import type { LogSummaryBucket, LogSummaryCycle, ProvisioningResult } from '@provisio/contracts';
import { formatDuration } from '../../lib/format';
import {
  STATUS_LABEL,
  STATUS_ORDER,
  bucketLabel,
  cycleLabel,
  durationUnit,
  finishedCycles,
} from './summary-text';

const STATUS_COLOR: Record<ProvisioningResult, string> = {
  success: getColorFromToken(DataVizPalette.success),
  skipped: getColorFromToken(DataVizPalette.disabled),
  failure: getColorFromToken(DataVizPalette.error),
  warning: getColorFromToken(DataVizPalette.warning),
};

const HEIGHT = 240;

/** Events per hour or day, one stacked bar per bucket, one colour per status. */
export function EventsChart({
  buckets,
  interval,
  title,
}: {
  buckets: readonly LogSummaryBucket[];
  interval: 'PT1H' | 'P1D';
  title: string;
}) {
  const data: VerticalStackedChartProps[] = buckets.map((b) => ({
    xAxisPoint: bucketLabel(b.start, interval),
    chartData: STATUS_ORDER.map((status) => ({
      legend: STATUS_LABEL[status],
      data: b.counts[status],
      color: STATUS_COLOR[status],
    })),
  }));
  return (
    <VerticalStackedBarChart
      data={data}
      chartTitle={title}
      height={HEIGHT}
      barWidth="auto"
      maxBarWidth={28}
      yAxisTitle="Events"
      hideLabels
      wrapXAxisLables={false}
      rotateXAxisLables={buckets.length > 12}
    />
  );
}

/** How long each of the last finished cycles took, oldest on the left; failed ones in red. */
export function CycleDurationsChart({
  cycles,
  title,
}: {
  cycles: readonly LogSummaryCycle[];
  title: string;
}) {
  const finished = finishedCycles(cycles);
  const unit = durationUnit(Math.max(...finished.map((c) => c.durationInMilliseconds)));
  const seen = new Map<string, number>();
  const data: VerticalBarChartDataPoint[] = finished.map((c) => {
    // Two cycles that began in the same minute still get a bar each.
    const label = cycleLabel(c.beganAt);
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    const duration = formatDuration(c.beganAt, c.endedAt);
    return {
      x: n === 1 ? label : `${label} (${n})`,
      y: Math.round((c.durationInMilliseconds / unit.divisor) * 100) / 100,
      legend: c.servicePrincipal.displayName,
      color: getColorFromToken(c.state === 'Failed' ? DataVizPalette.error : DataVizPalette.color1),
      xAxisCalloutData: `${c.kind} cycle of ${c.servicePrincipal.displayName}`,
      yAxisCalloutData: duration,
    };
  });
  return (
    <VerticalBarChart
      data={data}
      chartTitle={title}
      height={HEIGHT}
      barWidth="auto"
      maxBarWidth={28}
      yAxisTitle={`Duration (${unit.label})`}
      hideLegend
      hideLabels
      rotateXAxisLables={data.length > 6}
    />
  );
}
