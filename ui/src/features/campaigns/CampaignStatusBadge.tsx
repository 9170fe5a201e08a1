import { Badge } from "@mantine/core";
import type { CampaignStatus, RecipientStatus } from "../../api/campaigns";
import { campaignStatusColor, campaignStatusLabel } from "./status";

export function CampaignStatusBadge({ status, size = "sm" }: { status: CampaignStatus | RecipientStatus; size?: "sm" | "md" | "lg" }) {
  return (
    <Badge color={campaignStatusColor(status)} variant="light" size={size} tt="none" fw={600} data-testid="campaign-status">
      {campaignStatusLabel(status)}
    </Badge>
  );
}
