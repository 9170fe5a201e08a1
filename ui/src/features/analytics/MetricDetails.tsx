import { Card, SimpleGrid, Table, Text } from "@mantine/core";
import type { CampaignMetricsView } from "../../api/analytics";
import { detailSections, type DetailSection } from "./metrics";

function Section({ section }: { section: DetailSection }) {
  return (
    <>
      <Table.Tr>
        <Table.Th colSpan={2} pt="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.4 }}>
            {section.title}
          </Text>
        </Table.Th>
      </Table.Tr>
      {section.rows.map((r) => (
        <Table.Tr key={r.name} data-testid={`metric-row-${r.name}`}>
          <Table.Td pl={r.indent ? "xl" : undefined}>
            <Text size="sm" c={r.indent ? "dimmed" : undefined}>
              {r.label}
            </Text>
            {r.hint && (
              <Text size="xs" c="dimmed">
                {r.hint}
              </Text>
            )}
          </Table.Td>
          <Table.Td ta="right" className="tabular" w={120}>
            {r.value}
          </Table.Td>
        </Table.Tr>
      ))}
    </>
  );
}

/**
 * Every number of the report, in two columns of sections; each row is
 * named as the CSV export names the metric (`metric-row-opened`).
 */
export function MetricDetails({ metrics }: { metrics: CampaignMetricsView }) {
  const sections = detailSections(metrics);
  const columns = [sections.slice(0, 2), sections.slice(2)];
  return (
    <Card data-testid="metric-details">
      <Text fw={650} mb="xs">
        All numbers
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        {columns.map((col, i) => (
          <Table key={i} verticalSpacing={6} horizontalSpacing="sm">
            <Table.Tbody>
              {col.map((s) => (
                <Section key={s.title} section={s} />
              ))}
            </Table.Tbody>
          </Table>
        ))}
      </SimpleGrid>
    </Card>
  );
}
