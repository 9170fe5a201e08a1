// What the dashboard shows before there is anything to measure: the steps
// to a first campaign instead of widgets full of zeros.
import { Anchor, Button, Card, Group, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconCheck, IconFileImport, IconUserPlus } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { plural } from "../../lib/format";
import classes from "./DashboardPage.module.css";

function Step({ n, done, title, children }: { n: number; done?: boolean; title: string; children: ReactNode }) {
  return (
    <Group align="flex-start" wrap="nowrap" gap="md" className={classes.step}>
      <ThemeIcon radius="xl" size={30} variant={done ? "filled" : "light"} color={done ? "teal" : "indigo"}>
        {done ? <IconCheck size={16} /> : <Text fw={700} size="sm">{n}</Text>}
      </ThemeIcon>
      <Stack gap={6} style={{ flex: 1 }}>
        <Text fw={600}>{title}</Text>
        {children}
      </Stack>
    </Group>
  );
}

function SegmentStep({ n }: { n: number }) {
  return (
    <Step n={n} title="Choose who hears from you">
      <Text size="sm" c="dimmed">
        A segment picks contacts by tags, status or fields, and stays up to date as contacts change.{" "}
        <Anchor component={Link} to="/segments/new" size="sm">
          Create a segment
        </Anchor>
      </Text>
    </Step>
  );
}

/** A workspace with nothing in it yet: the three steps. */
export function GetStarted() {
  return (
    <Card data-testid="dashboard-first-run" maw={760}>
      <Title order={3} fz={20}>
        Get started with Herald
      </Title>
      <Text c="dimmed" size="sm" mt={4} mb="sm">
        Three steps to your first campaign. Its opens, clicks and your audience&apos;s growth will show here.
      </Text>
      <Step n={1} title="Bring in your contacts">
        <Group gap="sm">
          <Button component={Link} to="/import" size="xs" leftSection={<IconFileImport size={14} />}>
            Import CSV
          </Button>
          <Button component={Link} to="/contacts/new" size="xs" variant="default" leftSection={<IconUserPlus size={14} />}>
            Add contact
          </Button>
        </Group>
      </Step>
      <SegmentStep n={2} />
      <Step n={3} title="Send your first campaign">
        <Text size="sm" c="dimmed">
          Write an email or a text, check the preview, and send it now or schedule it.
        </Text>
      </Step>
    </Card>
  );
}

/** Contacts but no campaign sent yet: what is left to do, and what will show here. */
export function FirstCampaign({ contacts }: { contacts: number | null }) {
  return (
    <Card h="100%" data-testid="dashboard-first-run">
      <Title order={3} fz={18}>
        Send your first campaign
      </Title>
      <Text c="dimmed" size="sm" mt={4} mb="sm">
        Once a campaign goes out, the last 30 days&apos; opens, clicks and unsubscribes, and how your audience grows, appear here.
      </Text>
      <Step n={1} done title="Bring in your contacts">
        <Text size="sm" c="dimmed">
          {contacts === null ? "Your contacts are in." : `${plural(contacts, "contact")} in this workspace.`}
        </Text>
      </Step>
      <SegmentStep n={2} />
      <Step n={3} title="Write and send">
        <Text size="sm" c="dimmed">
          Write an email or a text, check the preview, and send it now or schedule it.
        </Text>
      </Step>
    </Card>
  );
}
