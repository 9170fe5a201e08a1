// How a 30-day total compares with the 30 days before: the arrow and
// percentage the period card shows, and whether that change is good news.

/** Which way a metric should go: more opens is good, more unsubscribes is not. */
export type Better = "up" | "down";

export type Change = {
  /** "▲ 12%", "▼ 8%", "new" (nothing the period before), "no change". */
  label: string;
  /** Good news is green, bad news red, no change neutral. */
  tone: "good" | "bad" | "neutral";
};

function percent(ratio: number): string {
  const p = Math.abs(ratio) * 100;
  // A real change never reads "0%".
  if (p < 1) return "<1%";
  return `${Math.round(p).toLocaleString()}%`;
}

/** `current` against `previous`; `better` says which direction is good news. */
export function change(current: number, previous: number, better: Better): Change {
  if (current === previous) return { label: "no change", tone: "neutral" };
  const rose = current > previous;
  const tone = rose === (better === "up") ? "good" : "bad";
  // A percentage of nothing is meaningless: the metric is new this period.
  if (previous === 0) return { label: "new", tone };
  return { label: `${rose ? "▲" : "▼"} ${percent((current - previous) / previous)}`, tone };
}

/** The Mantine colour of a tone. */
export function toneColor(tone: Change["tone"]): string {
  return tone === "good" ? "teal" : tone === "bad" ? "red" : "dimmed";
}
