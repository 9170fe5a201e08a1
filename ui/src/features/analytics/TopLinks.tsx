import { Card, Table, Text } from "@mantine/core";
import { IconLink } from "@tabler/icons-react";
import type { TopLinkView } from "../../api/analytics";
import { EmptyHint } from "../../components/EmptyHint";
import { formatCount } from "../../lib/format";

/** The campaign's tracked links by the people who clicked them (scanner clicks left out). */
export function TopLinks({ links }: { links: TopLinkView[] }) {
  return (
    <Card padding={0} data-testid="top-links">
      <Text fw={650} p="md" pb="xs">
        Top links
      </Text>
      {links.length === 0 ? (
        <Text component="div" px="md" pb="xs">
          <EmptyHint icon={<IconLink size={18} />} text="No link has been clicked yet." />
        </Text>
      ) : (
        <Table verticalSpacing="xs" horizontalSpacing="md" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Link</Table.Th>
              <Table.Th ta="right" w={90}>
                People
              </Table.Th>
              <Table.Th ta="right" w={90}>
                Clicks
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {links.map((l) => (
              <Table.Tr key={l.url} data-testid="top-link-row">
                <Table.Td maw={0} style={{ overflow: "hidden" }}>
                  <Text size="sm" truncate="end" title={l.url}>
                    {l.url}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" className="tabular">
                  {formatCount(l.unique)}
                </Table.Td>
                <Table.Td ta="right" className="tabular">
                  {formatCount(l.total)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
