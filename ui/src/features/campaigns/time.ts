// Wall-clock times in the workspace's time zone: campaigns are scheduled in
// it, whatever zone this computer is set to.

function partsIn(zone: string, ms: number): Record<string, number> {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const out: Record<string, number> = {};
  for (const p of parts) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

/** How far `zone` is ahead of UTC at the instant `ms`, in ms. */
function offsetAt(zone: string, ms: number): number {
  const p = partsIn(zone, ms);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a `datetime-local` value ("2025-03-01T09:05") names in `zone`,
 * or null when it is not such a value. A time skipped by a clock change
 * lands just after the change.
 */
export function zonedToEpoch(value: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let guess = wall - offsetAt(zone, wall);
  // A second pass settles times near a change of offset.
  guess = wall - offsetAt(zone, guess);
  return guess;
}

/** The `datetime-local` value for the instant `ms` on the clocks of `zone`. */
export function epochToZoned(ms: number, zone: string): string {
  const p = partsIn(zone, ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${pad(p.month!)}-${pad(p.day!)}T${pad(p.hour!)}:${pad(p.minute!)}`;
}

/** "12 Mar 2026, 09:00" on the clocks of `zone` (the user's own zone when none). */
export function formatInstant(ms: number | null, zone?: string): string {
  if (ms === null) return "—";
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", ...(zone ? { timeZone: zone } : {}) }).format(new Date(ms));
}

/** "about 3 min", "1 h 20 min", "under a minute". */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return "under a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `about ${h} h ${rest} min` : `about ${h} h`;
}

/** "1.2 MB", "340 KB". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
