import { ActionIcon, Card, Group, Menu, Skeleton, Text, useComputedColorScheme } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDownload } from "@tabler/icons-react";
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from "react";
import {
  analyticsChart,
  analyticsChartExport,
  downloadChartFile,
  type ChartFormat,
  type ChartRequest,
  type ChartSpec,
  type ChartView,
} from "../../api/charts";
import { errorMessage } from "../../api/errors";
import { ErrorState } from "../../components/ErrorState";
import classes from "./AnalyticsChart.module.css";

export type { ChartSpec };

/** The sizes the backend accepts (it answers `validation` outside them). */
const WIDTH = { min: 200, max: 4000 };
const HEIGHT = { min: 120, max: 3000 };
/** Before the box is measured (and in tests without layout). */
const FALLBACK_WIDTH = 640;
/** Waits for the box to settle before asking for a chart of its new width. */
const RESIZE_DEBOUNCE_MS = 200;
/** Exports are at least this wide, so a report gets a legible picture. */
const EXPORT_MIN_WIDTH = 800;

const clamp = (v: number, { min, max }: { min: number; max: number }) => Math.round(Math.min(max, Math.max(min, v)));

const EMPTY_TEXT: Record<ChartSpec["kind"], string> = {
  engagement: "No opens or clicks in this range yet.",
  funnel: "Nothing sent yet: the funnel fills in as the campaign goes out.",
  comparison: "No opens yet for these campaigns.",
  growth: "No one subscribed or unsubscribed in the last 12 weeks.",
};

/** The width of `ref`'s element (null until measured), followed through resizes (debounced). */
function useBoxWidth(ref: React.RefObject<HTMLDivElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.getBoundingClientRect().width || el.clientWidth || FALLBACK_WIDTH);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (!w) return;
      clearTimeout(timer);
      timer = setTimeout(() => setWidth(w), RESIZE_DEBOUNCE_MS);
    });
    observer.observe(el);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [ref]);
  return width;
}

/** The last answer, for the request it answered (`key`). */
type Answer = { key: string; error: string | null };

/**
 * A chart drawn by the backend (herald-charts) in the current colour scheme,
 * at the card's width: the SVG, with hover targets over its points showing
 * "label — value", and an optional PNG / SVG export.
 */
export function AnalyticsChart({
  spec,
  title,
  height = 260,
  exportName,
  refreshKey,
  testId,
}: {
  spec: ChartSpec;
  title: string;
  height?: number;
  exportName?: string;
  refreshKey?: unknown;
  testId?: string;
}) {
  const id = testId ?? `chart-${spec.kind}`;
  const scheme = useComputedColorScheme("light");
  const boxRef = useRef<HTMLDivElement>(null);
  const measured = useBoxWidth(boxRef);
  const boxWidth = measured ?? FALLBACK_WIDTH;
  const boxHeight = clamp(height, HEIGHT);
  const specKey = JSON.stringify(spec);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [shown, setShown] = useState<ChartView | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [active, setActive] = useState<number | null>(null);
  const [exporting, setExporting] = useState(false);

  const request = useCallback(
    (width: number): ChartRequest => ({
      spec: JSON.parse(specKey) as ChartSpec,
      theme: scheme,
      width: clamp(width, WIDTH),
      height: clamp(boxHeight * (width / boxWidth), HEIGHT),
    }),
    [specKey, scheme, boxHeight, boxWidth],
  );

  const key = `${JSON.stringify(request(boxWidth))}#${attempt}`;
  useEffect(() => {
    // The first request waits for the box's width: no chart drawn twice.
    if (measured === null) return;
    let current = true;
    analyticsChart(request(boxWidth))
      .then((view) => {
        if (!current) return;
        setAnswer({ key, error: null });
        setShown(view);
        setActive(null);
      })
      .catch((e: unknown) => current && setAnswer({ key, error: errorMessage(e) }));
    return () => {
      current = false;
    };
    // refreshKey only triggers a new request (the chart shown stays until it answers).
  }, [request, measured, boxWidth, refreshKey, key]);
  const error = answer?.key === key ? answer.error : null;

  async function save(format: ChartFormat) {
    if (!exportName) return;
    setExporting(true);
    try {
      const file = await analyticsChartExport(request(Math.max(boxWidth, EXPORT_MIN_WIDTH)), format);
      downloadChartFile(file, `${exportName}.${format}`);
    } catch (e) {
      notifications.show({ color: "red", title: "The chart could not be exported", message: errorMessage(e) });
    } finally {
      setExporting(false);
    }
  }

  // The SVG keeps its aspect ratio inside the box (xMidYMid meet): points
  // scale by the smaller ratio and shift by the letterbox.
  const view = shown;
  const scale = view ? Math.min(boxWidth / view.width, boxHeight / view.height) : 1;
  const dx = view ? (boxWidth - view.width * scale) / 2 : 0;
  const dy = view ? (boxHeight - view.height * scale) / 2 : 0;
  const bucket = view?.bucket === "hour" ? "per hour" : view?.bucket === "day" ? "per day" : null;
  const activePoint = view && active !== null ? view.points[active] : undefined;

  return (
    <Card data-testid={id}>
      <Group justify="space-between" align="center" mb="sm" wrap="nowrap">
        <Group gap="xs" align="baseline">
          <Text fw={650}>{title}</Text>
          {bucket && (
            <Text size="sm" c="dimmed" data-testid={`${id}-bucket`}>
              {bucket}
            </Text>
          )}
        </Group>
        {exportName && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={`Export ${title}`} loading={exporting} data-testid={`${id}-export`}>
                <IconDownload size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => void save("png")} data-testid={`${id}-export-png`}>
                PNG image
              </Menu.Item>
              <Menu.Item onClick={() => void save("svg")} data-testid={`${id}-export-svg`}>
                SVG image
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
      <div ref={boxRef} className={classes.box} style={{ height: boxHeight }}>
        {error !== null ? (
          <ErrorState
            title="The chart could not be drawn"
            message={error}
            onRetry={() => setAttempt((a) => a + 1)}
            testId={`${id}-error`}
          />
        ) : !view ? (
          <Skeleton height={boxHeight} data-testid={`${id}-loading`} />
        ) : (
          <>
            <div
              className={`${classes.svg} ${view.empty ? classes.faded : ""}`}
              data-testid={`${id}-svg`}
              aria-hidden
              // The backend's own SVG: its text is XML-escaped there (herald-charts).
              dangerouslySetInnerHTML={{ __html: view.svg }}
            />
            {view.empty ? (
              <div className={classes.empty}>
                <Text c="dimmed" size="sm" data-testid={`${id}-empty`}>
                  {EMPTY_TEXT[spec.kind]}
                </Text>
              </div>
            ) : (
              view.points.map((p, i) => (
                <button
                  key={i}
                  type="button"
                  className={classes.target}
                  style={{ left: p.x * scale + dx, top: p.y * scale + dy, "--target-color": p.color } as CSSProperties}
                  aria-label={`${p.series}: ${p.label} — ${p.value}`}
                  data-testid={`${id}-point`}
                  onMouseEnter={() => setActive(i)}
                  onMouseLeave={() => setActive((a) => (a === i ? null : a))}
                  onFocus={() => setActive(i)}
                  onBlur={() => setActive((a) => (a === i ? null : a))}
                />
              ))
            )}
            {activePoint && (
              <div
                role="tooltip"
                className={classes.tooltip}
                style={{ left: activePoint.x * scale + dx, top: activePoint.y * scale + dy }}
                data-testid={`${id}-tooltip`}
              >
                {activePoint.label} — <b style={{ color: activePoint.color }}>{activePoint.value}</b>
              </div>
            )}
          </>
        )}
      </div>
    </Card>
  );
}
