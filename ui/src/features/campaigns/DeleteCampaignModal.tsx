import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useState } from "react";
import type { CampaignSummary } from "../../api/campaigns";
import { errorMessage } from "../../api/errors";

/** Asks before a campaign is deleted; `remove` does the deleting. */
export function DeleteCampaignModal({
  campaign,
  onClose,
  remove,
  onDeleted,
}: {
  campaign: Pick<CampaignSummary, "id" | "name" | "status"> | null;
  onClose: () => void;
  remove: (id: string) => Promise<void>;
  onDeleted?: () => void;
}) {
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(campaign);
  // Keep the name while the modal closes; start afresh for another campaign.
  if (campaign && campaign !== shown) {
    setShown(campaign);
    setError(null);
  }

  async function confirm() {
    if (!campaign) return;
    setDeleting(true);
    setError(null);
    try {
      await remove(campaign.id);
      notifications.show({ color: "teal", title: "Campaign deleted", message: campaign.name });
      onClose();
      onDeleted?.();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setDeleting(false);
    }
  }

  const sentSome = shown && shown.status !== "draft" && shown.status !== "scheduled";
  return (
    <Modal opened={campaign !== null} onClose={() => (deleting ? undefined : onClose())} title={`Delete “${shown?.name ?? ""}”?`}>
      <Stack gap="md">
        <Text size="sm">
          {sentSome
            ? "The campaign, its content and its delivery report are deleted. Messages already sent stay in people's inboxes."
            : "The campaign and its content are deleted. Nothing has been sent."}
        </Text>
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="campaign-delete-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={deleting}>
            Keep it
          </Button>
          <Button color="red" loading={deleting} onClick={() => void confirm()} data-testid="campaign-delete-confirm">
            Delete campaign
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
