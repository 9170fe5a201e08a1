import { ActionIcon, Alert, Anchor, Button, Card, EmptyState, Group, Loader, Modal, Skeleton, Stack, Table, Text, Tooltip, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCopy, IconFilter, IconPencil, IconPlus, IconTrash } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";
import { errorMessage } from "../../api/errors";
import type { SegmentSummary } from "../../bindings/SegmentSummary";
import { ErrorState } from "../../components/ErrorState";
import { Page } from "../../components/Page";
import { PageHeader } from "../../components/PageHeader";
import { formatCount, formatDateTime } from "../../lib/format";
import { formatRelative } from "../../lib/relative";
import { useSegmentsStore } from "../../stores/segments";

function NewSegmentButton({ testId }: { testId: string }) {
  return (
    <Button component={Link} to="/segments/new" leftSection={<IconPlus size={16} />} data-testid={testId}>
      New segment
    </Button>
  );
}

function Empty() {
  return (
    <Card padding="xl">
      <EmptyState
        icon={<IconFilter size={28} stroke={1.5} />}
        variant="light"
        title="No segments yet"
        description="A segment is a saved filter, such as “subscribed customers in Germany who bought in the last year”. Its members update by themselves as your contacts change, so it is always ready to send a campaign to."
        data-testid="segments-empty"
      >
        <EmptyState.Actions>
          <NewSegmentButton testId="segments-empty-new" />
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}

function CountCell({ segment }: { segment: SegmentSummary }) {
  const failed = useSegmentsStore((s) => s.list.countErrors[segment.id]);
  const number = segment.count === null ? "—" : formatCount(segment.count);
  if (segment.countFresh) {
    return (
      <Text size="sm" className="tabular" data-testid="segment-count">
        {number}
      </Text>
    );
  }
  if (failed) {
    return (
      <Tooltip label={`The count could not be updated: ${failed}`} multiline maw={280}>
        <Group gap={6} justify="flex-end" wrap="nowrap">
          <IconAlertTriangle size={14} color="var(--mantine-color-orange-6)" aria-label="Count not updated" />
          <Text size="sm" c="dimmed" className="tabular" data-testid="segment-count">
            {number}
          </Text>
        </Group>
      </Tooltip>
    );
  }
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      <Loader size={12} aria-label="Updating the count" />
      <Text size="sm" c="dimmed" className="tabular" data-testid="segment-count" data-stale>
        {number}
      </Text>
    </Group>
  );
}

function SkeletonRows() {
  return (
    <>
      {[0, 1, 2].map((i) => (
        <Table.Tr key={i} data-testid="segment-row-skeleton">
          <Table.Td>
            <Skeleton h={12} w="60%" />
          </Table.Td>
          <Table.Td>
            <Skeleton h={10} w="80%" />
          </Table.Td>
          <Table.Td>
            <Skeleton h={10} w={50} ml="auto" />
          </Table.Td>
          <Table.Td>
            <Skeleton h={10} w={90} />
          </Table.Td>
          <Table.Td />
        </Table.Tr>
      ))}
    </>
  );
}

function DeleteModal({ segment, onClose }: { segment: SegmentSummary | null; onClose: () => void }) {
  const remove = useSegmentsStore((s) => s.remove);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(segment);
  // Keep the last segment's name while the modal closes; start afresh for another one.
  if (segment && segment !== shown) {
    setShown(segment);
    setError(null);
  }

  async function confirm() {
    if (!segment) return;
    setDeleting(true);
    setError(null);
    try {
      await remove(segment.id);
      notifications.show({ color: "teal", title: "Segment deleted", message: segment.name });
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setDeleting(false);
    }
  }

  return (
    <Modal opened={segment !== null} onClose={() => (deleting ? undefined : onClose())} title={`Delete “${shown?.name ?? ""}”?`} size="md">
      <Stack gap="md">
        <Text size="sm">The segment's filter is deleted. Contacts are not affected, and nothing is sent.</Text>
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="segment-delete-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={deleting}>
            Cancel
          </Button>
          <Button color="red" loading={deleting} onClick={() => void confirm()} data-testid="segment-delete-confirm">
            Delete segment
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function SegmentsPage() {
  const navigate = useNavigate();
  const items = useSegmentsStore((s) => s.list.items);
  const status = useSegmentsStore((s) => s.list.status);
  const error = useSegmentsStore((s) => s.list.error);
  const loadList = useSegmentsStore((s) => s.loadList);
  const duplicate = useSegmentsStore((s) => s.duplicate);
  const [deleting, setDeleting] = useState<SegmentSummary | null>(null);
  const [copying, setCopying] = useState<string | null>(null);

  // Counts change with the contacts: the list is fetched afresh whenever it is shown.
  useEffect(() => {
    void loadList();
  }, [loadList]);

  async function copy(s: SegmentSummary) {
    setCopying(s.id);
    try {
      const copy = await duplicate(s.id);
      notifications.show({ color: "teal", title: "Segment duplicated", message: copy.name });
    } catch (e) {
      notifications.show({ color: "red", title: "The segment could not be duplicated", message: errorMessage(e) });
    } finally {
      setCopying(null);
    }
  }

  const firstLoad = items.length === 0 && (status === "loading" || status === "idle");
  let body;
  if (status === "error" && items.length === 0) {
    body = <ErrorState title="Segments could not be loaded" message={error ?? ""} onRetry={() => void loadList()} testId="segments-error" />;
  } else if (!firstLoad && items.length === 0) {
    body = <Empty />;
  } else {
    body = (
      <Card padding={0}>
        <Table.ScrollContainer minWidth={720} type="native">
          <Table verticalSpacing="sm" horizontalSpacing="lg" highlightOnHover data-testid="segments-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="26%">Name</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th ta="right" w={120}>
                  Contacts
                </Table.Th>
                <Table.Th w={150}>Last edited</Table.Th>
                <Table.Th w={128}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {firstLoad ? (
                <SkeletonRows />
              ) : (
                items.map((s) => (
                  <Table.Tr key={s.id} data-testid="segment-row" data-segment-id={s.id}>
                    <Table.Td fw={600}>
                      <Anchor component={Link} to={`/segments/${s.id}`} c="inherit" fw={600} size="sm" data-testid="segment-name-link">
                        {s.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td maw={360}>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {s.description || "—"}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <CountCell segment={s} />
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={formatDateTime(s.updatedAt)}>
                        <Text size="sm" c="dimmed" span>
                          {formatRelative(s.updatedAt)}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={2} justify="flex-end" wrap="nowrap">
                        <Tooltip label="Edit">
                          <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${s.name}`} onClick={() => navigate(`/segments/${s.id}`)} data-testid="segment-edit">
                            <IconPencil size={16} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label="Duplicate">
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label={`Duplicate ${s.name}`}
                            onClick={() => void copy(s)}
                            loading={copying === s.id}
                            data-testid="segment-duplicate"
                          >
                            <IconCopy size={16} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label="Delete">
                          <ActionIcon variant="subtle" color="red" aria-label={`Delete ${s.name}`} onClick={() => setDeleting(s)} data-testid="segment-delete">
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {status === "error" && items.length > 0 && (
          <Text size="sm" c="red" px="lg" py="sm" data-testid="segments-reload-error">
            {error}
          </Text>
        )}
      </Card>
    );
  }

  return (
    <Page>
      <PageHeader
        title="Segments"
        description="Saved filters that group your contacts. Their counts follow your contacts as they change."
        actions={status === "ready" && items.length === 0 ? undefined : <NewSegmentButton testId="segments-new" />}
      />
      {body}
      <DeleteModal segment={deleting} onClose={() => setDeleting(null)} />
    </Page>
  );
}
