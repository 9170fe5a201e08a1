import { Button, Grid, Skeleton, Stack } from "@mantine/core";
import { IconFileImport, IconFilter, IconPlus, IconUserPlus } from "@tabler/icons-react";
import { useEffect } from "react";
import { Link } from "react-router";
import type { DashboardView } from "../../api/dashboard";
import { ErrorState } from "../../components/ErrorState";
import { Page } from "../../components/Page";
import { PageHeader } from "../../components/PageHeader";
import { firstScreenShown } from "../../lib/firstScreen";
import { useWorkspaceStore } from "../../stores/workspace";
import { CampaignsCard } from "./CampaignsCard";
import { ContactStats, RecentContacts, TopTags } from "./ContactWidgets";
import { FirstCampaign, GetStarted } from "./FirstRun";
import { GrowthCard } from "./GrowthCard";
import { PeriodCard } from "./PeriodCard";
import { useCampaignOverview } from "./useCampaignOverview";
import { useDashboard, type DashboardData } from "./useDashboard";

function Shortcuts() {
  return (
    <>
      <Button component={Link} to="/import" variant="default" leftSection={<IconFileImport size={16} />} data-testid="dashboard-import">
        Import CSV
      </Button>
      <Button component={Link} to="/contacts/new" variant="default" leftSection={<IconUserPlus size={16} />} data-testid="dashboard-add-contact">
        Add contact
      </Button>
      <Button component={Link} to="/segments/new" variant="default" leftSection={<IconFilter size={16} />} data-testid="dashboard-shortcut-segment">
        New segment
      </Button>
      <Button component={Link} to="/campaigns/new" leftSection={<IconPlus size={16} />} data-testid="dashboard-shortcut-campaign">
        New campaign
      </Button>
    </>
  );
}

/**
 * The campaign widgets: the summary beside the 30-day totals, then the
 * growth chart; before any campaign went out, the summary's empty state
 * beside the guidance instead of zeros.
 */
function CampaignWidgets({ overview, contacts, attempt }: { overview: DashboardView | null; contacts: DashboardData | null; attempt: number }) {
  const started = overview !== null && (overview.sending !== null || overview.recent.length > 0);
  if (overview && !started) {
    return (
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <CampaignsCard data={overview} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <FirstCampaign contacts={contacts?.total ?? null} />
        </Grid.Col>
      </Grid>
    );
  }
  return (
    <>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <CampaignsCard data={overview} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <PeriodCard data={overview} />
        </Grid.Col>
      </Grid>
      {overview ? <GrowthCard weeks={overview.growth} refreshKey={attempt} /> : <Skeleton h={300} radius="md" />}
    </>
  );
}

export function DashboardPage() {
  const info = useWorkspaceStore((s) => s.info);
  const { data, error, reload } = useDashboard();
  const campaigns = useCampaignOverview();
  const shown = (data !== null || error !== null) && (campaigns.data !== null || campaigns.error !== null);
  useEffect(() => {
    if (shown) firstScreenShown();
  }, [shown]);

  let body;
  if (error) {
    body = <ErrorState title="The overview could not be loaded" message={error} onRetry={() => void reload()} testId="dashboard-error" />;
  } else if (campaigns.data?.empty) {
    // No contacts and no campaigns: the steps, not a page of zeros.
    body = <GetStarted />;
  } else {
    body = (
      <Stack gap="lg">
        <ContactStats data={data} />
        {campaigns.error ? (
          <ErrorState title="The campaign overview could not be loaded" message={campaigns.error} onRetry={campaigns.reload} testId="dashboard-campaigns-error" />
        ) : (
          <CampaignWidgets overview={campaigns.data} contacts={data} attempt={campaigns.attempt} />
        )}
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <RecentContacts data={data} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <TopTags data={data} />
          </Grid.Col>
        </Grid>
      </Stack>
    );
  }

  return (
    <Page>
      <PageHeader title="Dashboard" description={info ? `An overview of ${info.name}` : undefined} actions={<Shortcuts />} />
      {body}
    </Page>
  );
}
