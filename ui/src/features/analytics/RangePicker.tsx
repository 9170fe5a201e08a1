import { Button, Group, SegmentedControl, Stack, TextInput } from "@mantine/core";
import { useState } from "react";
import { epochToZoned, zonedToEpoch } from "../campaigns/time";

export type RangePreset = "since" | "first_day" | "first_week" | "last_30" | "custom";

/** The engagement chart's range: RFC 3339 instants, null meaning "the send" / "now". */
export type Range = { preset: RangePreset; from: string | null; to: string | null };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const SINCE_SEND: Range = { preset: "since", from: null, to: null };

/**
 * The range a preset names for a campaign sent at `startedAt` (RFC 3339),
 * seen at `now` (ms); null when it needs a send the campaign has not had.
 */
export function presetRange(preset: Exclude<RangePreset, "custom">, startedAt: string | null, now: number): Range | null {
  const start = startedAt ? Date.parse(startedAt) : NaN;
  const after = (ms: number): Range | null =>
    Number.isNaN(start) ? null : { preset, from: new Date(start).toISOString(), to: new Date(start + ms).toISOString() };
  switch (preset) {
    case "since":
      return SINCE_SEND;
    case "first_day":
      return after(DAY_MS);
    case "first_week":
      return after(7 * DAY_MS);
    case "last_30":
      return { preset, from: new Date(now - 30 * DAY_MS).toISOString(), to: null };
  }
}

const PRESETS: { value: RangePreset; label: string }[] = [
  { value: "since", label: "Since send" },
  { value: "first_day", label: "First 24 h" },
  { value: "first_week", label: "First 7 days" },
  { value: "last_30", label: "Last 30 days" },
  { value: "custom", label: "Custom" },
];

/**
 * The presets, and a from–to pair on the workspace's clocks for a custom
 * range (applied when both are valid and in order).
 */
export function RangePicker({ value, onChange, startedAt, zone }: { value: Range; onChange: (r: Range) => void; startedAt: string | null; zone: string }) {
  const [custom, setCustom] = useState(value.preset === "custom");
  const initial = (iso: string | null, fallback: number) => epochToZoned(iso ? Date.parse(iso) : fallback, zone);
  const [from, setFrom] = useState(() => initial(value.from ?? startedAt, Date.now() - 7 * DAY_MS));
  const [to, setTo] = useState(() => initial(value.to, Date.now()));
  const [errors, setErrors] = useState<{ from?: string; to?: string }>({});

  function pick(preset: RangePreset) {
    if (preset === "custom") {
      setCustom(true);
      return;
    }
    setCustom(false);
    const r = presetRange(preset, startedAt, Date.now());
    if (r) onChange(r);
  }

  function apply() {
    const f = zonedToEpoch(from, zone);
    const t = zonedToEpoch(to, zone);
    const next: { from?: string; to?: string } = {};
    if (f === null) next.from = "Pick a start";
    if (t === null) next.to = "Pick an end";
    else if (f !== null && t <= f) next.to = "The end must be after the start";
    setErrors(next);
    if (f === null || t === null || t <= f) return;
    onChange({ preset: "custom", from: new Date(f).toISOString(), to: new Date(t).toISOString() });
  }

  return (
    <Stack gap="xs">
      <SegmentedControl
        size="xs"
        value={custom ? "custom" : value.preset}
        onChange={(v) => pick(v as RangePreset)}
        data={PRESETS.map((p) => ({ ...p, disabled: !startedAt && (p.value === "first_day" || p.value === "first_week") }))}
        aria-label="Range"
        data-testid="range-picker"
      />
      {custom && (
        <Group gap="sm" align="flex-start" wrap="wrap">
          <TextInput type="datetime-local" size="xs" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={errors.from} data-testid="range-from" />
          <TextInput type="datetime-local" size="xs" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} error={errors.to} data-testid="range-to" />
          <Button size="xs" variant="default" mt={22} onClick={apply} data-testid="range-apply">
            Apply
          </Button>
        </Group>
      )}
    </Stack>
  );
}
