import type { EmailStatus } from "../bindings/EmailStatus";
import type { SmsStatus } from "../bindings/SmsStatus";

export const EMAIL_STATUSES: readonly EmailStatus[] = ["subscribed", "unsubscribed", "bounced", "complained"];
export const SMS_STATUSES: readonly SmsStatus[] = ["subscribed", "opted_out", "invalid"];

const LABELS: Record<string, string> = {
  subscribed: "Subscribed",
  unsubscribed: "Unsubscribed",
  bounced: "Bounced",
  complained: "Complained",
  opted_out: "Opted out",
  invalid: "Invalid number",
};

const COLORS: Record<string, string> = {
  subscribed: "teal",
  unsubscribed: "gray",
  bounced: "orange",
  complained: "red",
  opted_out: "gray",
  invalid: "orange",
};

export function statusLabel(status: string): string {
  return LABELS[status] ?? status;
}

export function statusColor(status: string): string {
  return COLORS[status] ?? "gray";
}
