// What the analytics page and the comparison show of a campaign's numbers:
// rates as percentages with one decimal, the basis in words, the details
// table's rows (named as the CSV export names them) and the comparison's
// "best value" rule. Pure, so both pages and their tests share it.
import type { CampaignMetricsView } from "../../api/analytics";
import { formatCount, humanize } from "../../lib/format";

const percentFormat = new Intl.NumberFormat(undefined, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** "42.9%"; "—" when there is no rate (nothing to divide by). */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined || Number.isNaN(rate) ? "—" : percentFormat.format(rate);
}

/** A share of a whole, or null when the whole is zero. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** "rates on delivered (2)" / "rates on sent (3)". */
export function basisLabel(m: CampaignMetricsView): string {
  return `rates on ${m.basis} (${formatCount(m.basisCount)})`;
}

/** Whether anything the relay reports has arrived for this campaign. */
export function hasEvents(m: CampaignMetricsView): boolean {
  return (
    m.delivered +
      m.opensHuman.total +
      m.opensMachine.total +
      m.clicksHuman.total +
      m.clicksScanner.total +
      m.bouncedHard +
      m.bouncedSoft +
      m.complained +
      m.unsubscribed +
      m.sms.undelivered +
      m.sms.failed +
      m.sms.optOuts >
    0
  );
}

/** One row of the details table: `name` is the CSV export's metric name. */
export type DetailRow = { name: string; label: string; value: string; hint?: string; indent?: boolean };
export type DetailSection = { title: string; rows: DetailRow[] };

const n = formatCount;

/** Every number of the report, grouped as the details table shows them. */
export function detailSections(m: CampaignMetricsView): DetailSection[] {
  const sms = m.channel === "sms";
  const audience: DetailRow[] = [
    { name: "recipients", label: "Recipients", value: n(m.recipients), hint: "who the audience resolved to" },
    { name: "excluded", label: "Excluded", value: n(m.excludedTotal), hint: "left out when the audience was resolved" },
    ...m.excluded.map((e) => ({ name: `excluded_${e.reason}`, label: humanize(e.reason), value: n(e.count), indent: true })),
    { name: "queued", label: "Queued", value: n(m.queued), hint: "still to be sent" },
    { name: "sent", label: "Sent", value: n(m.sent) },
    { name: "failed", label: "Failed", value: n(m.failed), hint: "the provider refused them" },
    { name: "in_doubt", label: "In doubt", value: n(m.inDoubt), hint: "not known whether they left" },
    { name: "suppressed", label: "Suppressed", value: n(m.suppressed), hint: "opted out or bounced before their turn" },
  ];
  const delivery: DetailRow[] = sms
    ? [
        { name: "sms_delivered", label: "Delivered", value: n(m.sms.delivered), hint: "carrier reports" },
        { name: "sms_undelivered", label: "Undelivered", value: n(m.sms.undelivered) },
        { name: "sms_failed", label: "Failed at the carrier", value: n(m.sms.failed) },
        { name: "sms_opt_outs", label: "Opt-outs", value: n(m.sms.optOuts), hint: "STOP replies and unsubscribes" },
      ]
    : [
        { name: "delivered", label: "Delivered", value: n(m.delivered), hint: "the provider's reports" },
        { name: "bounced_hard", label: "Hard bounces", value: n(m.bouncedHard) },
        { name: "bounced_soft", label: "Soft bounces", value: n(m.bouncedSoft) },
        { name: "complained", label: "Complaints", value: n(m.complained), hint: "marked as spam" },
        { name: "unsubscribed", label: "Unsubscribes", value: n(m.unsubscribed) },
      ];
  const engagement: DetailRow[] = [
    ...(sms
      ? []
      : [
          { name: "opened", label: "Opened", value: n(m.opened), hint: "people with a human open or click" },
          { name: "opens_human_unique", label: "Human opens, people", value: n(m.opensHuman.unique), indent: true },
          { name: "opens_human_total", label: "Human opens, total", value: n(m.opensHuman.total), indent: true },
          { name: "opens_machine_unique", label: "Machine opens, people", value: n(m.opensMachine.unique), hint: "privacy proxies, prefetchers", indent: true },
          { name: "opens_machine_total", label: "Machine opens, total", value: n(m.opensMachine.total), indent: true },
        ]),
    { name: "clicks_human_unique", label: "Clicks, people", value: n(m.clicksHuman.unique) },
    { name: "clicks_human_total", label: "Clicks, total", value: n(m.clicksHuman.total) },
    { name: "clicks_scanner_unique", label: "Scanner clicks, people", value: n(m.clicksScanner.unique), hint: "link scanners, not counted", indent: true },
    { name: "clicks_scanner_total", label: "Scanner clicks, total", value: n(m.clicksScanner.total), indent: true },
  ];
  const rates: DetailRow[] = [
    { name: "rate_basis_count", label: m.basis === "delivered" ? "Delivered (the basis)" : "Sent (the basis)", value: n(m.basisCount) },
    ...(sms ? [] : [{ name: "open_rate", label: "Open rate", value: formatRate(m.rates.open) }]),
    { name: "click_rate", label: "Click rate", value: formatRate(m.rates.click) },
    ...(sms
      ? []
      : [
          { name: "click_to_open_rate", label: "Click-to-open", value: formatRate(m.rates.clickToOpen), hint: "clickers over openers" },
          { name: "bounce_rate", label: "Bounce rate", value: formatRate(m.rates.bounce) },
          { name: "complaint_rate", label: "Complaint rate", value: formatRate(m.rates.complaint) },
        ]),
    { name: "unsubscribe_rate", label: sms ? "Opt-out rate" : "Unsubscribe rate", value: formatRate(m.rates.unsubscribe) },
  ];
  return [
    { title: "Audience and sending", rows: audience },
    { title: sms ? "Carrier reports" : "Delivery", rows: delivery },
    { title: "Engagement", rows: engagement },
    { title: `Rates on ${m.basis}`, rows: rates },
  ];
}

/** One row of the comparison: its value per campaign, and which way is better. */
export type CompareRow = {
  name: string;
  label: string;
  value: (m: CampaignMetricsView) => number | null;
  format: (v: number | null) => string;
  /** Which value is best; none for counts, which depend on the audience's size. */
  better?: "higher" | "lower";
};

const count = (v: number | null) => (v === null ? "—" : formatCount(v));

export const COMPARE_ROWS: CompareRow[] = [
  { name: "sent", label: "Sent", value: (m) => m.sent, format: count },
  { name: "delivered", label: "Delivered", value: (m) => m.delivered, format: count },
  { name: "opened", label: "Opened", value: (m) => (m.channel === "sms" ? null : m.opened), format: count },
  { name: "open_rate", label: "Open rate", value: (m) => (m.channel === "sms" ? null : m.rates.open), format: formatRate, better: "higher" },
  { name: "click_rate", label: "Click rate", value: (m) => m.rates.click, format: formatRate, better: "higher" },
  { name: "click_to_open_rate", label: "Click-to-open", value: (m) => m.rates.clickToOpen, format: formatRate, better: "higher" },
  { name: "bounce_rate", label: "Bounce rate", value: (m) => (m.channel === "sms" ? null : m.rates.bounce), format: formatRate, better: "lower" },
  { name: "complaint_rate", label: "Complaint rate", value: (m) => (m.channel === "sms" ? null : m.rates.complaint), format: formatRate, better: "lower" },
  { name: "unsubscribe_rate", label: "Unsubscribe / opt-out rate", value: (m) => m.rates.unsubscribe, format: formatRate, better: "lower" },
];

/**
 * The indexes holding a row's best value: none when fewer than two
 * campaigns have one, or when they are all equal (nothing stands out).
 */
export function bestOf(values: (number | null)[], better: "higher" | "lower" | undefined): Set<number> {
  const known = values.filter((v): v is number => v !== null);
  if (!better || known.length < 2) return new Set();
  const best = better === "higher" ? Math.max(...known) : Math.min(...known);
  if (known.every((v) => v === best)) return new Set();
  return new Set(values.flatMap((v, i) => (v === best ? [i] : [])));
}
