import { invoke } from "@tauri-apps/api/core";
import type { ChartFile } from "../bindings/ChartFile";
import type { ChartFormat } from "../bindings/ChartFormat";
import type { ChartRequest } from "../bindings/ChartRequest";
import type { ChartView } from "../bindings/ChartView";
import { downloadBlob } from "../lib/download";

export type { ChartFile, ChartFormat, ChartRequest, ChartView };
export type { ChartSpec } from "../bindings/ChartSpec";
export type { ChartTheme } from "../bindings/ChartTheme";
export type { HoverPointView } from "../bindings/HoverPointView";

/** The chart as SVG plus the points to show on hover (`validation` names `width`, `height` or `spec.…`). */
export function analyticsChart(request: ChartRequest): Promise<ChartView> {
  return invoke<ChartView>("analytics_chart", { request });
}

/** The chart as a PNG (at the asked size) or SVG file, base64-encoded, to download. */
export function analyticsChartExport(request: ChartRequest, format: ChartFormat): Promise<ChartFile> {
  return invoke<ChartFile>("analytics_chart_export", { request, format });
}

/** Hands a chart file to the browser as a download named `fileName`. */
export function downloadChartFile(file: ChartFile, fileName = file.fileName) {
  const binary = atob(file.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  downloadBlob(new Blob([bytes], { type: file.mime }), fileName);
}
