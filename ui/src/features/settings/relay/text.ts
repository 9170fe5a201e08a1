// How Settings → Relay words the relay's state and what a sync did.
import type { RelayStatus } from "../../../bindings/RelayStatus";
import type { SyncSummary } from "../../../bindings/SyncSummary";
import { plural } from "../../../lib/format";

const KIND_NAMES: Record<string, [string, string]> = {
  open: ["open", "opens"],
  click: ["click", "clicks"],
  unsubscribe: ["unsubscribe", "unsubscribes"],
  resubscribe: ["resubscribe", "resubscribes"],
  delivered: ["delivery report", "delivery reports"],
  bounce: ["bounce", "bounces"],
  complaint: ["complaint", "complaints"],
  sms_status: ["SMS status report", "SMS status reports"],
  sms_inbound: ["SMS reply", "SMS replies"],
};

function kindCount(kind: string, n: number): string {
  const [one, many] = KIND_NAMES[kind] ?? [kind.replace(/_/g, " "), `${kind.replace(/_/g, " ")} events`];
  return plural(n, one, many);
}

/** "1 contact unsubscribed, 2 hard bounces": the status changes a sync made. */
function changes(s: SyncSummary): string[] {
  const out: string[] = [];
  if (s.unsubscribed) out.push(`${plural(s.unsubscribed, "contact")} unsubscribed`);
  if (s.resubscribed) out.push(`${plural(s.resubscribed, "contact")} resubscribed`);
  if (s.bounced) out.push(`${plural(s.bounced, "address", "addresses")} bounced`);
  if (s.complained) out.push(plural(s.complained, "spam complaint"));
  if (s.smsOptedOut) out.push(`${plural(s.smsOptedOut, "phone number")} opted out of SMS`);
  if (s.smsOptedIn) out.push(`${plural(s.smsOptedIn, "phone number")} opted back in to SMS`);
  return out;
}

/** What a sync brought, in one sentence. */
export function syncSummaryText(s: SyncSummary): string {
  if (s.recorded === 0) return "Up to date: the relay had no new events.";
  const kinds = Object.entries(s.byKind)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => kindCount(kind, n));
  const parts = [`${plural(s.recorded, "new event")} (${kinds.join(", ")})`];
  const changed = changes(s);
  if (changed.length) parts.push(changed.join(", "));
  if (s.unmatched) parts.push(`${plural(s.unmatched, "event")} for contacts not in this workspace`);
  return `${parts.join(". ")}.`;
}

/** "every minute", "every 5 minutes", "every 30 seconds". */
export function intervalText(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? "every hour" : `every ${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? "every minute" : `every ${seconds / 60} minutes`;
  return `every ${plural(seconds, "second")}`;
}

export type Health = "unconfigured" | "keychain" | "waiting" | "ok" | "failing";

/** The one word the section's badge gives the relay's state. */
export function healthOf(status: RelayStatus): Health {
  if (status.keychain.state !== "ready") return "keychain";
  if (!status.url || !status.keychain.apiToken) return "unconfigured";
  const error = status.lastError;
  if (error && (!status.lastSyncAt || Date.parse(error.at) >= Date.parse(status.lastSyncAt))) return "failing";
  return status.lastSyncAt ? "ok" : "waiting";
}

export const HEALTH_BADGE: Record<Health, { label: string; color: string }> = {
  unconfigured: { label: "Not set up", color: "gray" },
  keychain: { label: "Keychain unavailable", color: "orange" },
  waiting: { label: "Not synced yet", color: "blue" },
  ok: { label: "Connected", color: "teal" },
  failing: { label: "Sync failing", color: "red" },
};

/** The backend's messages read as clauses ("… never in a file"); shown alone they end with a full stop. */
export function sentence(message: string): string {
  const m = message.trim();
  return /[.!?]$/.test(m) ? m : `${m}.`;
}
