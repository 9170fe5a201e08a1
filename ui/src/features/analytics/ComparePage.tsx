import { Alert, Anchor, Card, Group, MultiSelect, Skeleton, Stack, Table, Text } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { analyticsCompare, type ComparisonView } from "../../api/analytics";
import { campaignsList, type CampaignSummary } from "../../api/campaigns";
import { errorMessage } from "../../api/errors";
import { ErrorState } from "../../components/ErrorState";
import { Page } from "../../components/Page";
import { PageHeader } from "../../components/PageHeader";
import { formatCount } from "../../lib/format";
import { useWorkspaceStore } from "../../stores/workspace";
import { formatInstant } from "../campaigns/time";
import { AnalyticsChart } from "./AnalyticsChart";
import { bestOf, COMPARE_ROWS } from "./metrics";
import { useLiveRefresh } from "./useLiveRefresh";

export const MIN_COMPARED = 2;
export const MAX_COMPARED = 5;

/** The ids in `?ids=a,b`, in order, each once. */
export function idsFrom(params: URLSearchParams): string[] {
  const raw = (params.get("ids") ?? "").split(",").map((s) => s.trim());
  return raw.filter((id, i) => id !== "" && raw.indexOf(id) === i);
}

/** What is wrong with the choice, in a sentence; null when it can be compared. */
function choiceProblem(n: number): string | null {
  if (n === 0) return "Pick two to five sent campaigns to compare them side by side.";
  if (n < MIN_COMPARED) return "Add at least one more campaign to compare.";
  if (n > MAX_COMPARED) return `Compare at most five campaigns at a time: remove ${n - MAX_COMPARED}.`;
  return null;
}

function ComparisonTable({ view }: { view: ComparisonView }) {
  const zone = useWorkspaceStore((s) => s.info?.timeZone);
  const cs = view.campaigns;
  return (
    <Card padding={0}>
      <Table.ScrollContainer minWidth={240 + cs.length * 160} type="native">
        <Table verticalSpacing="sm" horizontalSpacing="lg" data-testid="compare-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={200}>Metric</Table.Th>
              {cs.map((c) => (
                <Table.Th key={c.id} ta="right" data-testid="compare-column">
                  <Anchor component={Link} to={`/campaigns/${c.id}/analytics`} fw={650} size="sm" c="inherit">
                    {c.name}
                  </Anchor>
                  <Text size="xs" c="dimmed" fw={400}>
                    {c.channel === "sms" ? "SMS" : "Email"} · {c.startedAt ? formatInstant(Date.parse(c.startedAt), zone) : "not sent"}
                  </Text>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {COMPARE_ROWS.map((row) => {
              const values = cs.map(row.value);
              const best = bestOf(values, row.better);
              return (
                <Table.Tr key={row.name} data-testid={`compare-row-${row.name}`}>
                  <Table.Td>
                    <Text size="sm">{row.label}</Text>
                  </Table.Td>
                  {values.map((v, i) => (
                    <Table.Td
                      key={cs[i]!.id}
                      ta="right"
                      className="tabular"
                      fw={best.has(i) ? 700 : undefined}
                      bg={best.has(i) ? "var(--mantine-primary-color-light)" : undefined}
                      data-best={best.has(i) ? "true" : undefined}
                    >
                      {row.format(v)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
            <Table.Tr data-testid="compare-row-basis">
              <Table.Td>
                <Text size="sm" c="dimmed">
                  Rates on
                </Text>
              </Table.Td>
              {cs.map((c) => (
                <Table.Td key={c.id} ta="right" className="tabular" c="dimmed">
                  {c.basis} ({formatCount(c.basisCount)})
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

/** /campaigns/compare?ids=a,b: two to five campaigns' numbers side by side and their opens overlaid. */
export function ComparePage() {
  const [params, setParams] = useSearchParams();
  const ids = useMemo(() => idsFrom(params), [params]);
  const key = ids.join(",");
  const [options, setOptions] = useState<CampaignSummary[]>([]);
  // The last answer, for the choice it answers: a quick edit of the choice
  // can overtake a reading, and an old answer is never shown for a new one.
  const [answer, setAnswer] = useState<{ key: string; view: ComparisonView | null; error: string | null } | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  // Bumped when the choice changes: answers to an older choice are dropped.
  const generation = useRef(0);
  const problem = choiceProblem(ids.length);

  useEffect(() => {
    let live = true;
    campaignsList({}).then(
      (all) => live && setOptions(all.filter((c) => c.startedAt !== null)),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);

  const load = useCallback(() => {
    if (choiceProblem(key ? key.split(",").length : 0)) return;
    const asked = generation.current;
    analyticsCompare(key.split(",")).then(
      (view) => {
        if (asked !== generation.current) return;
        setAnswer({ key, view, error: null });
        setRefreshKey((k) => k + 1);
      },
      (e: unknown) => {
        if (asked !== generation.current) return;
        setAnswer((a) => ({ key, view: a?.key === key ? a.view : null, error: errorMessage(e) }));
      },
    );
  }, [key]);

  useEffect(() => {
    generation.current += 1;
    load();
  }, [load]);
  const current = answer?.key === key ? answer : null;
  const view = current?.view ?? null;
  const error = current?.error ?? null;
  useLiveRefresh(load);

  // The picker lists sent campaigns; one named in the address but not
  // among them (a draft, or not loaded yet) still shows by its name or id.
  const data = useMemo(() => {
    const known = new Map(options.map((c) => [c.id, c.name]));
    for (const c of view?.campaigns ?? []) if (!known.has(c.id)) known.set(c.id, c.name);
    for (const id of ids) if (!known.has(id)) known.set(id, id);
    return [...known].map(([value, label]) => ({ value, label }));
  }, [options, view, ids]);

  const choose = (next: string[]) => setParams(next.length ? { ids: next.join(",") } : {}, { replace: true });

  let body;
  if (problem) {
    body = (
      <Alert variant="light" color={ids.length > MAX_COMPARED ? "yellow" : "indigo"} icon={<IconInfoCircle size={18} />} data-testid="compare-choice">
        {problem}
      </Alert>
    );
  } else if (error) {
    body = <ErrorState title="The comparison could not be loaded" message={error} onRetry={load} testId="compare-error" />;
  } else if (!view) {
    body = (
      <Card data-testid="compare-loading">
        <Stack gap="sm">
          {[0, 1, 2, 3, 4].map((i) => (
            <Skeleton key={i} h={14} />
          ))}
        </Stack>
      </Card>
    );
  } else {
    body = (
      <Stack gap="lg">
        <ComparisonTable view={view} />
        <AnalyticsChart spec={{ kind: "comparison", campaignIds: ids }} title="Opens per hour since send" refreshKey={refreshKey} />
      </Stack>
    );
  }

  return (
    <Page>
      <Stack gap="lg" data-testid="compare-page">
        <div>
          <Anchor component={Link} to="/campaigns" size="sm" c="dimmed" mb="xs" display="inline-block">
            ← Campaigns
          </Anchor>
          <PageHeader title="Compare campaigns" description="Rates side by side, the best in each row marked, and opens aligned on the hours since each send." />
          <Group>
            <MultiSelect
              label="Campaigns"
              placeholder={ids.length >= MAX_COMPARED ? undefined : "Add a campaign"}
              data={data}
              value={ids}
              onChange={choose}
              searchable
              clearable
              maxValues={Math.max(MAX_COMPARED, ids.length)}
              nothingFoundMessage="No sent campaign matches"
              w="100%"
              maw={720}
              data-testid="compare-picker"
            />
          </Group>
        </div>
        {body}
      </Stack>
    </Page>
  );
}
