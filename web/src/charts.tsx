// Apache ECharts, tree-shaken: only the charts and components the screens use are bundled.
// Tooltips render as rich text on the canvas (no HTML with inline styles: the server's CSP is
// default-src 'self').
import { useEffect, useRef } from 'preact/hooks';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, RadarChart, SankeyChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, RadarComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption, RadarSeriesOption, SankeySeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, MarkLineComponentOption, TooltipComponentOption, RadarComponentOption } from 'echarts/components';

echarts.use([BarChart, LineChart, RadarChart, SankeyChart, GridComponent, LegendComponent, MarkLineComponent, RadarComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | RadarSeriesOption
  | SankeySeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
  | RadarComponentOption
>;

export const COLORS = {
  revenue: '#15803d',
  cost: '#1d4ed8',
  risk: '#b45309',
  costs: '#b91c1c',
  net: '#0f172a',
  plan: '#64748b',
  actual: '#1d4ed8',
  band: 'rgba(100,116,139,0.15)',
  forecast: '#9333ea',
};

export interface ChartClick {
  seriesName?: string;
  name: string;
  dataIndex: number;
  value: unknown;
  data: unknown;
}

/** Options every chart shares: rich-text tooltips, the font.  (The chart's text for screen
 * readers is the aria-label of its container.) */
export function base(): ChartOption {
  return {
    tooltip: { renderMode: 'richText', confine: true },
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    animationDuration: 300,
  };
}

/** An ECharts chart in a div sized by CSS (class chart-sm, chart-md or chart-lg). */
export function Chart({ option, label, size = 'md', onClick, testId }: { option: ChartOption; label: string; size?: 'sm' | 'md' | 'lg' | 'xl'; onClick?: (p: ChartClick) => void; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, null, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => clickRef.current?.(p as unknown as ChartClick));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ ...base(), ...option }, true);
    if (chart.current) chart.current.getZr().setCursorStyle(onClick ? 'pointer' : 'default');
  }, [option]);
  return <div ref={ref} class={`chart chart-${size}${onClick ? ' clickable-chart' : ''}`} role="img" aria-label={label} data-testid={testId} />;
}
