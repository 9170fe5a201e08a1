import { ActionIcon, Alert, Button, FileButton, Group, Stack, Text, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconPaperclip, IconX } from "@tabler/icons-react";
import { useState } from "react";
import { campaignAttachmentsAdd, campaignAttachmentsRemove, type AttachmentInfo } from "../../../api/campaigns";
import { errorMessage } from "../../../api/errors";
import { importUpload } from "../../../api/import";
import { formatBytes } from "../time";

export const MAX_FILE = 5 * 1024 * 1024;
export const MAX_TOTAL = 10 * 1024 * 1024;
/** Upload chunk size: the same raw-body command the CSV import uses. */
const CHUNK = 1024 * 1024;

async function upload(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let id = "";
  for (let at = 0; at < bytes.length || at === 0; at += CHUNK) {
    id = await importUpload(bytes.subarray(at, at + CHUNK), id, file.name);
    if (bytes.length === 0) break;
  }
  return id;
}

/** The campaign's attached files: added through the chunked upload, removed one by one. */
export function Attachments({
  campaignId,
  attachments,
  onChange,
}: {
  campaignId: string;
  attachments: AttachmentInfo[];
  onChange: (next: AttachmentInfo[]) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const total = attachments.reduce((n, a) => n + a.size, 0);

  async function add(file: File | null) {
    if (!file) return;
    setError(null);
    if (file.size > MAX_FILE) return setError(`${file.name} is ${formatBytes(file.size)}: attachments can be at most 5 MB each.`);
    if (total + file.size > MAX_TOTAL) {
      return setError(`${file.name} would bring the attachments to ${formatBytes(total + file.size)}: at most 10 MB in all.`);
    }
    setBusy(true);
    try {
      const info = await campaignAttachmentsAdd(campaignId, await upload(file));
      onChange([...attachments, info]);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function remove(a: AttachmentInfo) {
    setError(null);
    try {
      await campaignAttachmentsRemove(campaignId, a.id);
      onChange(attachments.filter((x) => x.id !== a.id));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Stack gap={0}>
          <Text size="sm" fw={500}>
            Attachments
          </Text>
          <Text size="xs" c="dimmed">
            Up to 5 MB each, 10 MB in all{attachments.length ? ` · ${formatBytes(total)} used` : ""}.
          </Text>
        </Stack>
        <FileButton onChange={(f) => void add(f)}>
          {(props) => (
            <Button {...props} size="xs" variant="default" leftSection={<IconPaperclip size={14} />} loading={busy} data-testid="attachment-add">
              Attach a file
            </Button>
          )}
        </FileButton>
      </Group>
      {attachments.map((a) => (
        <Group key={a.id} gap="xs" justify="space-between" wrap="nowrap" data-testid="attachment-row">
          <Group gap={6} wrap="nowrap" miw={0}>
            <IconPaperclip size={14} color="var(--mantine-color-dimmed)" />
            <Text size="sm" truncate>
              {a.filename}
            </Text>
            <Text size="xs" c="dimmed" className="tabular">
              {formatBytes(a.size)}
            </Text>
          </Group>
          <Tooltip label="Remove">
            <ActionIcon variant="subtle" color="gray" aria-label={`Remove ${a.filename}`} onClick={() => void remove(a)}>
              <IconX size={14} />
            </ActionIcon>
          </Tooltip>
        </Group>
      ))}
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} data-testid="attachment-error">
          {error}
        </Alert>
      )}
    </Stack>
  );
}
