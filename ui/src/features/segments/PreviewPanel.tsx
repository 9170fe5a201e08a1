import { ActionIcon, Alert, Badge, Button, Card, Group, Loader, ScrollArea, Select, Skeleton, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconInfoCircle, IconSortAscending, IconSortDescending, IconUsers } from "@tabler/icons-react";
import { EmptyHint } from "../../components/EmptyHint";
import { countryName, formatCount } from "../../lib/format";
import { useSegmentsStore, type PreviewSort } from "../../stores/segments";
import classes from "./SegmentEditor.module.css";

const SORTS: { value: PreviewSort; label: string }[] = [
  { value: "name", label: "Name" },
  { value: "createdAt", label: "Created" },
  { value: "lastInteractionAt", label: "Last interaction" },
  { value: "revenue", label: "Revenue" },
];

const MAX_TAGS = 2;

/** The live count and the first matching contacts, for the filter as it stands. */
export function PreviewPanel() {
  const p = useSegmentsStore((s) => s.editor.preview);
  const setSort = useSegmentsStore((s) => s.setPreviewSort);
  const setDirection = useSegmentsStore((s) => s.setPreviewDirection);
  const loadMore = useSegmentsStore((s) => s.loadMorePreview);
  const counting = p.status === "loading" || p.status === "idle";

  return (
    <Card className={classes.previewCard} padding={0} data-testid="segment-preview">
      <Stack gap="xs" p="lg" pb="md">
        <Group justify="space-between" align="center">
          <Text fw={650}>Preview</Text>
          {counting && <Loader size="xs" aria-label="Counting contacts" data-testid="segment-preview-loading" />}
        </Group>
        <div aria-live="polite" aria-busy={counting}>
          {p.count === null ? (
            <Skeleton h={38} w={160} />
          ) : (
            <Group gap={8} align="baseline" opacity={counting ? 0.55 : 1} style={{ transition: "opacity 120ms" }}>
              <Text className={`${classes.previewCount} tabular`} data-testid="segment-preview-count">
                {formatCount(p.count)}
              </Text>
              <Text c="dimmed">{p.count === 1 ? "contact" : "contacts"}</Text>
            </Group>
          )}
          <Text size="xs" c="dimmed" h={18} className="tabular" data-testid="segment-preview-elapsed">
            {p.elapsedMs !== null && p.count !== null ? `counted in ${formatCount(p.elapsedMs)} ms` : ""}
          </Text>
        </div>
        {p.skipped > 0 && (
          <Group gap={6} wrap="nowrap" data-testid="segment-preview-skipped">
            <IconInfoCircle size={15} color="var(--mantine-color-dimmed)" />
            <Text size="xs" c="dimmed">
              {p.skipped === 1 ? "1 rule has no value yet and is left out." : `${p.skipped} rules have no value yet and are left out.`}
            </Text>
          </Group>
        )}
        {p.status === "error" && p.error && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} data-testid="segment-preview-error" p="xs">
            <Text size="sm">{p.error}</Text>
          </Alert>
        )}
      </Stack>

      <Group justify="space-between" px="lg" py="xs" gap="xs" style={{ borderTop: "1px solid var(--herald-border)" }}>
        <Text size="sm" fw={600}>
          Matching contacts
        </Text>
        <Group gap={4} wrap="nowrap">
          <Select
            aria-label="Sort preview by"
            data={SORTS}
            value={p.sort}
            onChange={(v) => v && setSort(v as PreviewSort)}
            allowDeselect={false}
            size="xs"
            w={150}
          />
          <Tooltip label={p.direction === "asc" ? "Ascending" : "Descending"}>
            <ActionIcon
              variant="default"
              size="md"
              aria-label={p.direction === "asc" ? "Sort descending" : "Sort ascending"}
              onClick={() => setDirection(p.direction === "asc" ? "desc" : "asc")}
              data-testid="segment-preview-direction"
            >
              {p.direction === "asc" ? <IconSortAscending size={16} /> : <IconSortDescending size={16} />}
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>

      {p.items.length === 0 ? (
        <Stack px="lg" pb="md">
          {p.count === 0 && p.status === "ready" ? (
            <EmptyHint icon={<IconUsers size={18} />} text="No contacts match this filter yet." />
          ) : counting && p.count === null ? (
            <Stack gap={8} py="sm">
              {[0, 1, 2, 3].map((i) => (
                <Skeleton key={i} h={14} />
              ))}
            </Stack>
          ) : null}
        </Stack>
      ) : (
        <>
          <ScrollArea.Autosize mah={460} type="auto">
            <Table fz="sm" verticalSpacing={6} horizontalSpacing="md" stickyHeader layout="fixed" data-testid="segment-preview-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name and email</Table.Th>
                  <Table.Th w={80}>Country</Table.Th>
                  <Table.Th w="32%">Tags</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.items.map((c) => (
                  <Table.Tr key={c.id} data-testid="segment-preview-row">
                    <Table.Td>
                      <Text size="sm" fw={500} truncate>
                        {c.displayName}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        {c.email ?? c.phone ?? "—"}
                      </Text>
                    </Table.Td>
                    <Table.Td c={c.country ? undefined : "dimmed"} title={c.country ? countryName(c.country) : undefined}>
                      {c.country ?? "—"}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="wrap">
                        {c.tags.slice(0, MAX_TAGS).map((t) => (
                          <Badge key={t} size="xs" variant="default" tt="none" maw="100%">
                            {t}
                          </Badge>
                        ))}
                        {c.tags.length > MAX_TAGS && (
                          <Text size="xs" c="dimmed" title={c.tags.slice(MAX_TAGS).join(", ")}>
                            +{c.tags.length - MAX_TAGS}
                          </Text>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          <Group justify="space-between" px="lg" py="sm" style={{ borderTop: "1px solid var(--herald-border)" }}>
            <Text size="xs" c="dimmed" className="tabular">
              Showing {formatCount(p.items.length)} of {formatCount(p.count ?? p.items.length)}
            </Text>
            {p.nextCursor && (
              <Button size="xs" variant="default" onClick={() => void loadMore()} loading={p.loadingMore} disabled={counting} data-testid="segment-preview-more">
                Load more
              </Button>
            )}
          </Group>
        </>
      )}
    </Card>
  );
}
