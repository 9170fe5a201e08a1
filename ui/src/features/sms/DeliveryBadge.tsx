import { Badge } from "@mantine/core";
import type { DeliveryStatus } from "../../bindings/DeliveryStatus";

const LOOK: Record<DeliveryStatus, { label: string; color: string }> = {
  queued: { label: "Queued at provider", color: "gray" },
  sent: { label: "Sent to carrier", color: "blue" },
  delivered: { label: "Delivered", color: "teal" },
  undelivered: { label: "Undelivered", color: "orange" },
  failed: { label: "Failed", color: "red" },
};

/** What the carrier reported for a text after the provider took it, as a badge; "No report yet" until one arrives. */
export function DeliveryBadge({ status }: { status: DeliveryStatus | null }) {
  if (!status) {
    return (
      <Badge color="gray" variant="outline" tt="none" fw={500} data-testid="delivery-status">
        No report yet
      </Badge>
    );
  }
  const look = LOOK[status];
  return (
    <Badge color={look.color} tt="none" fw={600} data-testid="delivery-status">
      {look.label}
    </Badge>
  );
}
