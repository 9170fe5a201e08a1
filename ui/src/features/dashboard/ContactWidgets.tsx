// The contact widgets: the counts, the newest contacts and the top tags.
import { Anchor, Avatar, Card, Group, Progress, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, UnstyledButton } from "@mantine/core";
import { IconMail, IconMailOff, IconMessage, IconTags, IconUsers } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Link, useNavigate } from "react-router";
import { EmptyHint } from "../../components/EmptyHint";
import { formatCount, formatDate, initials } from "../../lib/format";
import classes from "./DashboardPage.module.css";
import type { DashboardData } from "./useDashboard";

function percent(part: number, whole: number): string {
  return whole === 0 ? "" : `${Math.round((part / whole) * 100)}% of contacts`;
}

function Stat({ label, value, hint, icon, color, testId }: {
  label: string;
  value: number | null;
  hint?: string;
  icon: ReactNode;
  color: string;
  testId: string;
}) {
  return (
    <Card>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Text size="sm" c="dimmed" fw={500}>
            {label}
          </Text>
          {value === null ? (
            <Skeleton h={30} w={80} mt={2} />
          ) : (
            <Text fz={28} fw={700} lh={1.1} className="tabular" data-testid={testId}>
              {formatCount(value)}
            </Text>
          )}
          <Text size="xs" c="dimmed" h={18}>
            {hint}
          </Text>
        </Stack>
        <ThemeIcon variant="light" color={color} size={40} radius="md">
          {icon}
        </ThemeIcon>
      </Group>
    </Card>
  );
}

export function RecentContacts({ data }: { data: DashboardData | null }) {
  const navigate = useNavigate();
  return (
    <Card h="100%">
      <Group justify="space-between" mb="md">
        <Text fw={650}>Recently added</Text>
        <Anchor component={Link} to="/contacts" size="sm">
          View all
        </Anchor>
      </Group>
      {!data ? (
        <Stack gap="sm">
          {[0, 1, 2, 3, 4].map((i) => (
            <Skeleton key={i} h={40} />
          ))}
        </Stack>
      ) : data.recent.length === 0 ? (
        <EmptyHint icon={<IconUsers size={20} />} text="Contacts you add or import appear here." />
      ) : (
        <Stack gap={2}>
          {data.recent.map((c) => (
            <UnstyledButton key={c.id} className={classes.recentRow} onClick={() => navigate(`/contacts/${c.id}`)}>
              <Group wrap="nowrap" gap="sm">
                <Avatar name={c.displayName} color="initials" radius="xl" size={34}>
                  {initials(c.displayName)}
                </Avatar>
                <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
                  <Text size="sm" fw={600} truncate>
                    {c.displayName}
                  </Text>
                  <Text size="xs" c="dimmed" truncate>
                    {c.email ?? c.phone}
                  </Text>
                </Stack>
                <Text size="xs" c="dimmed" className="tabular">
                  {formatDate(c.createdAt)}
                </Text>
              </Group>
            </UnstyledButton>
          ))}
        </Stack>
      )}
    </Card>
  );
}

export function TopTags({ data }: { data: DashboardData | null }) {
  return (
    <Card h="100%">
      <Text fw={650} mb="md">
        Top tags
      </Text>
      {!data ? (
        <Stack gap="md">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h={28} />
          ))}
        </Stack>
      ) : data.topTags.length === 0 ? (
        <EmptyHint icon={<IconTags size={20} />} text="No tags yet. Add tags on a contact, or to every row of an import." />
      ) : (
        <Stack gap="md" data-testid="top-tags">
          {data.topTags.map((t) => (
            <div key={t.id}>
              <Group justify="space-between" mb={6}>
                <Text size="sm" fw={500}>
                  {t.name}
                </Text>
                <Text size="sm" c="dimmed" className="tabular">
                  {formatCount(t.contacts)}
                </Text>
              </Group>
              <Progress value={data.total ? (t.contacts / data.total) * 100 : 0} size="sm" radius="xl" />
            </div>
          ))}
        </Stack>
      )}
    </Card>
  );
}

/** The four counts across the top. */
export function ContactStats({ data }: { data: DashboardData | null }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="lg">
      <Stat label="Contacts" value={data?.total ?? null} hint={data ? "in this workspace" : undefined} icon={<IconUsers size={20} />} color="indigo" testId="stat-contacts" />
      <Stat
        label="Email subscribers"
        value={data?.emailSubscribed ?? null}
        hint={data ? percent(data.emailSubscribed, data.total) : undefined}
        icon={<IconMail size={20} />}
        color="teal"
        testId="stat-email-subscribed"
      />
      <Stat
        label="Unsubscribed"
        value={data?.emailUnsubscribed ?? null}
        hint={data ? percent(data.emailUnsubscribed, data.total) : undefined}
        icon={<IconMailOff size={20} />}
        color="gray"
        testId="stat-email-unsubscribed"
      />
      <Stat
        label="SMS subscribers"
        value={data?.smsSubscribed ?? null}
        hint={data ? percent(data.smsSubscribed, data.total) : undefined}
        icon={<IconMessage size={20} />}
        color="grape"
        testId="stat-sms-subscribed"
      />
    </SimpleGrid>
  );
}
