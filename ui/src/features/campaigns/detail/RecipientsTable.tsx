import { Alert, Button, Card, CloseButton, Group, Pagination, Select, Table, Text, TextInput, Tooltip } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconDownload, IconSearch } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { campaignRecipients, campaignRecipientsExport, type RecipientPage, type RecipientStatus } from "../../../api/campaigns";
import { errorMessage } from "../../../api/errors";
import { formatCount } from "../../../lib/format";
import { useWorkspaceStore } from "../../../stores/workspace";
import { DeliveryBadge } from "../../sms/DeliveryBadge";
import { CampaignStatusBadge } from "../CampaignStatusBadge";
import { RECIPIENT_STATUSES, campaignStatusLabel } from "../status";
import { formatInstant } from "../time";
import { downloadText } from "../../../lib/download";

export const PAGE_SIZE = 50;


const safeName = (name: string) => name.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "").toLowerCase() || "campaign";

/** The send ledger, one row per recipient: filter, search, pages, and a CSV of it. */
export function RecipientsTable({ campaignId, name, refreshKey, channel = "email" }: { campaignId: string; name: string; refreshKey: number; channel?: "email" | "sms" }) {
  const sms = channel === "sms";
  const [status, setStatus] = useState<RecipientStatus | null>(null);
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<RecipientPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const zone = useWorkspaceStore((s) => s.info?.timeZone);

  useEffect(() => {
    let live = true;
    campaignRecipients(campaignId, { status, search: debounced.trim() || null, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }).then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [campaignId, status, debounced, page, refreshKey]);

  async function exportCsv() {
    setExporting(true);
    try {
      const csv = await campaignRecipientsExport(campaignId, status);
      downloadText(csv, `${safeName(name)}-recipients${status ? `-${status}` : ""}.csv`);
    } catch (e) {
      notifications.show({ color: "red", title: "The export failed", message: errorMessage(e) });
    } finally {
      setExporting(false);
    }
  }

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <Card padding={0} data-testid="recipients">
      <Group justify="space-between" p="md" gap="sm" wrap="wrap" style={{ borderBottom: "1px solid var(--herald-border)" }}>
        <Group gap="sm" wrap="wrap">
          <Text fw={650} mr="xs">
            Recipients{data ? ` · ${formatCount(data.total)}` : ""}
          </Text>
          <TextInput
            placeholder={sms ? "Search number or name" : "Search address or name"}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            rightSection={search ? <CloseButton size="sm" aria-label="Clear search" onClick={() => setSearch("")} /> : null}
            aria-label="Search recipients"
            w={260}
            data-testid="recipients-search"
          />
          <Select
            placeholder="Any status"
            data={RECIPIENT_STATUSES.map((s) => ({ value: s, label: campaignStatusLabel(s) }))}
            value={status}
            onChange={(v) => {
              setStatus(v as RecipientStatus | null);
              setPage(1);
            }}
            clearable
            aria-label="Filter recipients by status"
            w={160}
            data-testid="recipients-status"
          />
        </Group>
        <Button variant="default" size="sm" leftSection={<IconDownload size={16} />} onClick={() => void exportCsv()} loading={exporting} data-testid="recipients-export">
          Export CSV
        </Button>
      </Group>
      {error && (
        <Alert color="red" variant="light" m="md" icon={<IconAlertTriangle size={18} />}>
          {error}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={760} type="native">
        <Table verticalSpacing="xs" horizontalSpacing="lg" data-testid="recipients-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Recipient</Table.Th>
              <Table.Th w={110}>Status</Table.Th>
              <Table.Th w={200}>Sent</Table.Th>
              {/* Texts have delivery reports where emails have opens and clicks. */}
              <Table.Th w={170}>{sms ? "Delivery" : "Opened / clicked"}</Table.Th>
              <Table.Th>Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.rows.map((r) => (
              <Table.Tr key={r.contactId} data-testid="recipient-row">
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {r.name || r.address}
                  </Text>
                  {r.name && (
                    <Text size="xs" c="dimmed">
                      {r.address}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <CampaignStatusBadge status={r.status} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={r.sentAt ? undefined : "dimmed"} style={{ whiteSpace: "nowrap" }}>
                    {formatInstant(r.sentAt, zone)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {sms ? (
                    r.status === "sent" ? <DeliveryBadge status={r.deliveryStatus} /> : <Text size="sm" c="dimmed">—</Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {r.openedAt ? "Opened" : "—"}
                      {r.clickedAt ? " · clicked" : ""}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {(r.deliveryError ?? r.error) ? (
                    <Tooltip label={r.deliveryError ?? r.error} multiline maw={360}>
                      <Text size="sm" c="red" lineClamp={1} data-testid="recipient-error">
                        {r.deliveryError ?? r.error}
                      </Text>
                    </Tooltip>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {r.attempts > 1 ? `${r.attempts} attempts` : ""}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {data && data.rows.length === 0 && (
        <Text size="sm" c="dimmed" ta="center" py="xl" data-testid="recipients-empty">
          {data.total === 0 && !status && !debounced.trim()
            ? "Nobody yet: the recipients are fixed when sending starts."
            : "No recipient matches this search or status."}
        </Text>
      )}
      {pages > 1 && (
        <Group justify="flex-end" p="md">
          <Pagination total={pages} value={page} onChange={setPage} size="sm" data-testid="recipients-pages" />
        </Group>
      )}
    </Card>
  );
}
