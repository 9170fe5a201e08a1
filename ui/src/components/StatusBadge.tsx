import { Badge } from "@mantine/core";
import { statusColor, statusLabel } from "../lib/status";

export function StatusBadge({ status, channel }: { status: string; channel?: "email" | "sms" }) {
  const prefix = channel === "email" ? "Email: " : channel === "sms" ? "SMS: " : "";
  return (
    <Badge color={statusColor(status)} variant="light" size="sm" tt="none" fw={600}>
      {prefix}
      {statusLabel(status)}
    </Badge>
  );
}
