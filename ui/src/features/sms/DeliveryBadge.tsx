import { Badge } from "@mantine/core";

/** What the carrier reported for a text after the provider took it. */
export type DeliveryStatus = "queued" | "sent" | "delivered" | "undelivered" | "failed";

const LOOK: Record<string, { label: string; color: string } | undefined> = {
  queued: { label: "Queued at provider", color: "gray" },
  sent: { label: "Sent to carrier", color: "blue" },
  delivered: { label: "Delivered", color: "teal" },
  undelivered: { label: "Undelivered", color: "orange" },
  failed: { label: "Failed", color: "red" },
};

/** The delivery report as a badge; "No report yet" until one arrives. */
export function DeliveryBadge({ status }: { status: DeliveryStatus | string | null }) {
  if (!status) {
    return (
      <Badge color="gray" variant="outline" tt="none" fw={500} data-testid="delivery-status">
        No report yet
      </Badge>
    );
  }
  // A status this build does not know is shown as the provider worded it.
  const look = LOOK[status] ?? { label: status, color: "gray" };
  return (
    <Badge color={look.color} tt="none" fw={600} data-testid="delivery-status">
      {look.label}
    </Badge>
  );
}
