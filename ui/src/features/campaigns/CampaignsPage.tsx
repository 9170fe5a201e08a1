import { ActionIcon, Badge, Button, Card, Checkbox, CloseButton, EmptyState, Group, Menu, MultiSelect, Skeleton, Table, Text, TextInput, Tooltip, VisuallyHidden } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconArrowsDiff, IconCopy, IconDots, IconMail, IconPlus, IconSearch, IconTrash } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";
import type { CampaignStatus, CampaignSummary } from "../../api/campaigns";
import { errorMessage } from "../../api/errors";
import { ErrorState } from "../../components/ErrorState";
import { Page } from "../../components/Page";
import { PageHeader } from "../../components/PageHeader";
import { formatCount } from "../../lib/format";
import { useCampaignsStore } from "../../stores/campaigns";
import { useWorkspaceStore } from "../../stores/workspace";
import { CampaignStatusBadge } from "./CampaignStatusBadge";
import { DeleteCampaignModal } from "./DeleteCampaignModal";
import { CAMPAIGN_STATUSES, campaignStatusLabel } from "./status";
import { formatInstant } from "./time";

/** How long typing pauses before the search runs. */
export const SEARCH_DEBOUNCE_MS = 250;

function NewCampaignButton({ testId, label = "New campaign" }: { testId: string; label?: string }) {
  return (
    <Button component={Link} to="/campaigns/new" leftSection={<IconPlus size={16} />} data-testid={testId}>
      {label}
    </Button>
  );
}

function Empty() {
  return (
    <Card padding="xl">
      <EmptyState
        icon={<IconMail size={28} stroke={1.5} />}
        variant="light"
        title="Create your first campaign"
        description="A campaign is one email sent to one segment of your contacts. Write it, preview it as a real contact would see it, send yourself a test, then send it now or schedule it."
        data-testid="campaigns-empty"
      >
        <EmptyState.Actions>
          <NewCampaignButton testId="campaigns-empty-new" label="Create a campaign" />
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}

function pct(part: number, whole: number): string {
  return whole > 0 ? ` (${Math.round((part / whole) * 100)}%)` : "";
}

/** When it was or will be sent, on the workspace's clocks (as scheduling uses them). */
function WhenCell({ c }: { c: CampaignSummary }) {
  const zone = useWorkspaceStore((s) => s.info?.timeZone);
  if (c.status === "scheduled") return <Text size="sm">Scheduled {formatInstant(c.scheduledAt, zone)}</Text>;
  if (c.finishedAt) return <Text size="sm">{formatInstant(c.finishedAt, zone)}</Text>;
  if (c.startedAt) return <Text size="sm">Started {formatInstant(c.startedAt, zone)}</Text>;
  return (
    <Text size="sm" c="dimmed">
      Edited {formatInstant(c.updatedAt, zone)}
    </Text>
  );
}

function SkeletonRows() {
  return (
    <>
      {[0, 1, 2].map((i) => (
        <Table.Tr key={i} data-testid="campaign-row-skeleton">
          {[0, 50, 30, 40, 30, 40, 50, 0].map((w, j) => (
            <Table.Td key={j}>{w > 0 && <Skeleton h={10} w={`${w + 30}%`} />}</Table.Td>
          ))}
        </Table.Tr>
      ))}
    </>
  );
}

export function CampaignsPage() {
  const navigate = useNavigate();
  const items = useCampaignsStore((s) => s.items);
  const status = useCampaignsStore((s) => s.status);
  const error = useCampaignsStore((s) => s.error);
  const any = useCampaignsStore((s) => s.any);
  const setQuery = useCampaignsStore((s) => s.setQuery);
  const load = useCampaignsStore((s) => s.load);
  const duplicate = useCampaignsStore((s) => s.duplicate);
  const remove = useCampaignsStore((s) => s.remove);
  const [search, setSearch] = useState(() => useCampaignsStore.getState().search);
  const [statuses, setStatuses] = useState<CampaignStatus[]>(() => useCampaignsStore.getState().statuses);
  const [debounced] = useDebouncedValue(search, SEARCH_DEBOUNCE_MS);
  const [deleting, setDeleting] = useState<CampaignSummary | null>(null);
  // Sent campaigns ticked for the comparison (2 to 5).
  const [compared, setCompared] = useState<string[]>([]);
  const toggleCompared = (id: string) => setCompared((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));

  useEffect(() => {
    void setQuery(debounced, statuses);
  }, [debounced, statuses, setQuery]);

  async function copy(c: CampaignSummary) {
    try {
      const made = await duplicate(c.id);
      notifications.show({ color: "teal", title: "Campaign duplicated", message: `${made.name} is a new draft.` });
    } catch (e) {
      notifications.show({ color: "red", title: "The campaign could not be duplicated", message: errorMessage(e) });
    }
  }

  const filtered = debounced.trim() !== "" || statuses.length > 0;
  const firstLoad = items.length === 0 && (status === "idle" || (status === "loading" && !any));
  let body;
  if (status === "error" && items.length === 0) {
    body = <ErrorState title="Campaigns could not be loaded" message={error ?? ""} onRetry={() => void load()} testId="campaigns-error" />;
  } else if (status === "ready" && items.length === 0 && !filtered && !any) {
    body = <Empty />;
  } else {
    body = (
      <Card padding={0}>
        <Group gap="sm" p="md" wrap="wrap" style={{ borderBottom: "1px solid var(--herald-border)" }}>
          <TextInput
            placeholder="Search name, subject or content"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            rightSection={search ? <CloseButton size="sm" aria-label="Clear search" onClick={() => setSearch("")} /> : null}
            aria-label="Search campaigns"
            w={320}
            data-testid="campaigns-search"
          />
          <MultiSelect
            placeholder={statuses.length ? undefined : "Any status"}
            data={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: campaignStatusLabel(s) }))}
            value={statuses}
            onChange={(v) => setStatuses(v as CampaignStatus[])}
            clearable
            aria-label="Filter by status"
            miw={200}
            maw={420}
            data-testid="campaigns-status-filter"
          />
          <Button
            ml="auto"
            variant="default"
            leftSection={<IconArrowsDiff size={16} />}
            disabled={compared.length < 2 || compared.length > 5}
            onClick={() => navigate(`/campaigns/compare?ids=${compared.join(",")}`)}
            title="Tick two to five sent campaigns to compare them"
            data-testid="campaigns-compare"
          >
            Compare{compared.length ? ` (${compared.length})` : ""}
          </Button>
        </Group>
        <Table.ScrollContainer minWidth={920} type="native">
          <Table verticalSpacing="sm" horizontalSpacing="lg" highlightOnHover data-testid="campaigns-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  <VisuallyHidden>Compare</VisuallyHidden>
                </Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th w={128}>Status</Table.Th>
                <Table.Th w={150}>Segment</Table.Th>
                <Table.Th ta="right" w={80}>
                  Sent
                </Table.Th>
                <Table.Th ta="right" w={100}>
                  Opens
                </Table.Th>
                <Table.Th ta="right" w={100}>
                  Clicks
                </Table.Th>
                <Table.Th w={200}>When</Table.Th>
                <Table.Th w={56}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {firstLoad ? (
                <SkeletonRows />
              ) : (
                items.map((c) => (
                  <Table.Tr
                    key={c.id}
                    data-testid="campaign-row"
                    style={{ cursor: "pointer" }}
                    onClick={() => navigate(`/campaigns/${c.id}`)}
                  >
                    <Table.Td onClick={(e) => e.stopPropagation()} pr={0}>
                      <Checkbox
                        size="xs"
                        checked={compared.includes(c.id)}
                        disabled={c.startedAt === null}
                        onChange={() => toggleCompared(c.id)}
                        aria-label={`Compare ${c.name}`}
                        data-testid="campaign-compare-check"
                      />
                    </Table.Td>
                    <Table.Td>
                      <Text
                        component={Link}
                        to={`/campaigns/${c.id}`}
                        size="sm"
                        fw={600}
                        onClick={(e) => e.stopPropagation()}
                        data-testid="campaign-name-link"
                        style={{ color: "inherit", textDecoration: "none" }}
                      >
                        {c.name}
                      </Text>
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {c.channel === "email" ? `Email · ${c.subject || "No subject yet"}` : "SMS"}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {c.status === "scheduled" && c.startFailure ? (
                        // Due, and it could not start: why, on hover; the
                        // campaign's page says what to do.
                        <Tooltip label={c.startFailure.message} multiline w={320} withArrow>
                          <Badge color="red" variant="light" size="sm" tt="none" fw={600} data-testid="campaign-start-failed">
                            Scheduled · couldn't start
                          </Badge>
                        </Tooltip>
                      ) : (
                        <CampaignStatusBadge status={c.status} />
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={c.segmentName ? undefined : "dimmed"} lineClamp={1}>
                        {c.segmentName ?? "No segment"}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      <Text size="sm">{c.counts.sent > 0 ? formatCount(c.counts.sent) : "—"}</Text>
                    </Table.Td>
                    {/* A text has no open pixel and no tracked links: nothing to count there. */}
                    <Table.Td ta="right" className="tabular" data-testid="campaign-opens">
                      <Text size="sm">{c.channel === "email" && c.counts.sent > 0 ? `${formatCount(c.counts.opened)}${pct(c.counts.opened, c.counts.sent)}` : "—"}</Text>
                    </Table.Td>
                    <Table.Td ta="right" className="tabular" data-testid="campaign-clicks">
                      <Text size="sm">{c.channel === "email" && c.counts.sent > 0 ? `${formatCount(c.counts.clicked)}${pct(c.counts.clicked, c.counts.sent)}` : "—"}</Text>
                    </Table.Td>
                    <Table.Td>
                      <WhenCell c={c} />
                    </Table.Td>
                    <Table.Td onClick={(e) => e.stopPropagation()}>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${c.name}`} data-testid="campaign-menu">
                            <IconDots size={16} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<IconCopy size={14} />} onClick={() => void copy(c)} data-testid="campaign-duplicate">
                            Duplicate
                          </Menu.Item>
                          <Menu.Item
                            color="red"
                            leftSection={<IconTrash size={14} />}
                            disabled={c.status === "sending"}
                            onClick={() => setDeleting(c)}
                            data-testid="campaign-delete"
                          >
                            Delete…
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {!firstLoad && items.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="xl" data-testid="campaigns-no-match">
            No campaign matches{debounced.trim() ? ` “${debounced.trim()}”` : ""}
            {statuses.length ? ` with status ${statuses.map(campaignStatusLabel).join(" or ")}` : ""}. Try another search or clear the filter.
          </Text>
        )}
        {status === "error" && items.length > 0 && (
          <Text size="sm" c="red" px="lg" py="sm">
            {error}
          </Text>
        )}
      </Card>
    );
  }

  return (
    <Page>
      <PageHeader
        title="Campaigns"
        description="Emails and texts to your segments: drafts, scheduled sends and how the sent ones did."
        actions={status === "ready" && !any ? undefined : <NewCampaignButton testId="campaigns-new" />}
      />
      {body}
      <DeleteCampaignModal campaign={deleting} onClose={() => setDeleting(null)} remove={remove} />
    </Page>
  );
}
