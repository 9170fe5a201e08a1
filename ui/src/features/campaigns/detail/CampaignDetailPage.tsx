import { Alert, Anchor, Button, Card, Group, Loader, SimpleGrid, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCalendarOff, IconCalendarTime, IconChartBar, IconCopy, IconPencil, IconPlayerPause, IconPlayerPlay, IconSend, IconTrash, IconX } from "@tabler/icons-react";
import { useCallback, useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import {
  campaignAudience,
  campaignCancel,
  campaignPause,
  campaignRecipients,
  campaignResendInDoubt,
  campaignResume,
  campaignRetryFailed,
  campaignsDelete,
  campaignsDuplicate,
  campaignsGet,
  campaignUnschedule,
  type AudienceSummary,
  type CampaignDetail,
  type CampaignProgress,
} from "../../../api/campaigns";
import { errorMessage } from "../../../api/errors";
import { ErrorState } from "../../../components/ErrorState";
import { Page } from "../../../components/Page";
import { PageHeader } from "../../../components/PageHeader";
import { formatCount, plural } from "../../../lib/format";
import { useWorkspaceStore } from "../../../stores/workspace";
import { CampaignStatusBadge } from "../CampaignStatusBadge";
import { ConfirmDialog, type Confirmation } from "../ConfirmDialog";
import { DeleteCampaignModal } from "../DeleteCampaignModal";
import { SendConfirmModal, type SendPlan } from "../SendConfirmModal";

/** How late a scheduled campaign may be before a person must confirm it. */
const OVERDUE_MS = 60 * 60 * 1000;
import { formatInstant } from "../time";
import { ProgressCard } from "./ProgressCard";
import { RecipientsTable } from "./RecipientsTable";
import { useProgress } from "./useProgress";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** /campaigns/:id: what the campaign is, where sending stands, and who got it. */
/** What the Tracking fact says: asked for, and possible (a relay is set up). */
function trackingLabel(asked: boolean, audience: AudienceSummary | null): string {
  if (!asked) return "Off";
  if (audience && !audience.trackingOn) return "Not counted: no relay";
  return "Opens and clicks";
}

export function CampaignDetailPage() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const zone = useWorkspaceStore((s) => s.info?.timeZone);
  const [campaign, setCampaign] = useState<CampaignDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ask, setAsk] = useState<Confirmation | null>(null);
  const [plan, setPlan] = useState<SendPlan | null>(null);
  // When the page opened: "overdue" is judged against it, not re-read on
  // every render.
  const [openedAt] = useState(() => Date.now());
  const [deleting, setDeleting] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);

  const load = useCallback(() => {
    campaignsGet(id).then(
      (c) => {
        setCampaign(c);
        setError(null);
        setRefreshKey((k) => k + 1);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [id]);

  useEffect(() => {
    load();
  }, [load]);

  // Whether opens and clicks are really counted: the campaign's switch says
  // what was asked, the backend knows whether a relay makes it possible.
  // Unknown (e.g. no segment yet) falls back to the switch.
  const [audience, setAudience] = useState<AudienceSummary | null>(null);
  const segmentId = campaign?.segmentId ?? null;
  useEffect(() => {
    if (!segmentId) return;
    let current = true;
    campaignAudience(id).then(
      (a) => current && setAudience(a),
      () => current && setAudience(null),
    );
    return () => {
      current = false;
    };
  }, [id, segmentId]);

  const [progress, setProgress] = useProgress(id, campaign?.status ?? null, load);

  /** After an action: the answer's progress now, and the campaign read afresh. */
  const applied = (p: CampaignProgress) => {
    setProgress(p);
    load();
  };

  if (error && !campaign) {
    return (
      <Page>
        <ErrorState title="The campaign could not be opened" message={error} onRetry={load} />
      </Page>
    );
  }
  if (!campaign) {
    return (
      <Page>
        <Group justify="center" py="xl">
          <Loader type="dots" aria-label="Opening the campaign" />
        </Group>
      </Page>
    );
  }

  const c = campaign;
  const s = progress?.status ?? c.status;
  const recipients = progress?.counts.recipients ?? c.counts.recipients;

  async function duplicate() {
    try {
      const copy = await campaignsDuplicate(c.id);
      notifications.show({ color: "teal", title: "Campaign duplicated", message: `${copy.name} is a new draft.` });
      navigate(`/campaigns/${copy.id}/edit`);
    } catch (e) {
      notifications.show({ color: "red", title: "The campaign could not be duplicated", message: errorMessage(e) });
    }
  }

  const pause = () =>
    setAsk({
      title: "Pause sending?",
      body: "Messages already handed to the mail server still arrive. The rest wait until you resume; you can edit the content for them meanwhile.",
      confirm: "Pause",
      run: async () => applied(await campaignPause(c.id)),
    });
  const cancel = () =>
    setAsk({
      title: `Cancel “${c.name}”?`,
      body:
        s === "draft" || s === "scheduled"
          ? "Nothing has been sent. The campaign stays in the list as cancelled and can no longer be sent; duplicate it to start again."
          : `Messages already sent stay sent. The ${plural(progress?.counts.queued ?? c.counts.queued, "recipient")} still waiting will not get it, and this cannot be undone.`,
      confirm: "Cancel the campaign",
      color: "red",
      run: async () => applied(await campaignCancel(c.id)),
    });
  const retryFailed = () => {
    const n = progress?.counts.failed ?? c.counts.failed;
    setAsk({
      title: `Retry ${plural(n, "failed recipient")}?`,
      body: `Herald tries again to send to the ${plural(n, "address", "addresses")} that failed. Addresses the server rejected for good (no such mailbox) will most likely fail again.`,
      confirm: "Retry",
      run: async () => applied(await campaignRetryFailed(c.id)),
    });
  };
  const resendInDoubt = () => {
    const n = progress?.counts.inDoubt ?? c.counts.inDoubt;
    setAsk({
      title: `Resend to ${plural(n, "person", "people")} in doubt?`,
      body: `It is not known whether these ${plural(n, "message")} arrived. Resending makes sure they do, but some people may get the email twice.`,
      confirm: `Resend to ${formatCount(n)}`,
      color: "orange",
      run: async () => {
        const page = await campaignRecipients(c.id, { status: "in_doubt", search: null, offset: 0, limit: Math.max(n, 1) });
        applied(await campaignResendInDoubt(c.id, page.rows.map((r) => r.contactId)));
      },
    });
  };

  async function resume() {
    try {
      applied(await campaignResume(c.id));
    } catch (e) {
      notifications.show({ color: "red", title: "Sending could not resume", message: errorMessage(e) });
    }
  }

  async function unschedule() {
    try {
      setCampaign(await campaignUnschedule(c.id));
      notifications.show({ color: "teal", title: "Unscheduled", message: `${c.name} is a draft again.` });
    } catch (e) {
      notifications.show({ color: "red", title: "The campaign could not be unscheduled", message: errorMessage(e) });
    }
  }

  const editable = ["draft", "scheduled", "paused"].includes(s) && c.editable;
  // The app does not start a campaign more than an hour late on its own
  // (docs/campaigns.md, "Scheduling"): a person confirms.
  const overdue = s === "scheduled" && c.scheduledAt !== null && openedAt - c.scheduledAt > OVERDUE_MS;
  const started = recipients > 0 || ["sending", "paused", "sent", "failed"].includes(s);

  return (
    <Page>
      <Anchor component={Link} to="/campaigns" size="sm" c="dimmed" mb="xs" display="inline-block">
        ← Campaigns
      </Anchor>
      <PageHeader
        title={
          <Group gap="sm" component="span">
            <span>{c.name}</span>
            <CampaignStatusBadge status={s} size="lg" />
          </Group>
        }
        description={c.channel === "sms" ? c.textBody || "No message yet" : c.subject || "No subject yet"}
        actions={
          <>
            {started && (
              <Button variant="default" leftSection={<IconChartBar size={16} />} component={Link} to={`/campaigns/${c.id}/analytics`} data-testid="campaign-view-report">
                View report
              </Button>
            )}
            {editable && (
              <Button variant="default" leftSection={<IconPencil size={16} />} component={Link} to={`/campaigns/${c.id}/edit`} data-testid="campaign-edit">
                Edit
              </Button>
            )}
            <Button variant="default" leftSection={<IconCopy size={16} />} onClick={() => void duplicate()} data-testid="campaign-detail-duplicate">
              Duplicate
            </Button>
            {s === "scheduled" && (
              <Button variant="default" leftSection={<IconCalendarOff size={16} />} onClick={() => void unschedule()} data-testid="campaign-unschedule">
                Unschedule
              </Button>
            )}
            {s === "sending" && (
              <Button variant="default" leftSection={<IconPlayerPause size={16} />} onClick={pause} data-testid="campaign-pause">
                Pause
              </Button>
            )}
            {(s === "paused" || s === "failed") && (
              <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => void resume()} data-testid="campaign-resume">
                Resume
              </Button>
            )}
            {["draft", "scheduled", "sending", "paused"].includes(s) && (
              <Button variant="subtle" color="red" leftSection={<IconX size={16} />} onClick={cancel} data-testid="campaign-cancel">
                Cancel
              </Button>
            )}
            {["draft", "cancelled", "failed", "sent"].includes(s) && (
              <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)} data-testid="campaign-detail-delete">
                Delete
              </Button>
            )}
            {overdue && (
              <Button leftSection={<IconSend size={16} />} onClick={() => setPlan({ kind: "now" })} data-testid="campaign-send-overdue">
                Send now…
              </Button>
            )}
            {s === "draft" && (
              <>
                <Button
                  variant="default"
                  leftSection={<IconCalendarTime size={16} />}
                  onClick={() => navigate(`/campaigns/${c.id}/edit`, { state: { step: 4 } })}
                  data-testid="campaign-schedule"
                >
                  Schedule…
                </Button>
                <Button leftSection={<IconSend size={16} />} onClick={() => setPlan({ kind: "now" })} disabled={!c.segmentId} data-testid="campaign-send-now">
                  Send now…
                </Button>
              </>
            )}
          </>
        }
      />

      <Stack gap="lg">
        {s === "scheduled" && c.startFailure && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="This campaign could not start" data-testid="campaign-start-failure">
            <Stack gap="xs">
              <Text size="sm" data-testid="campaign-start-failure-reason">
                {c.startFailure.message}
              </Text>
              <Text size="sm" c="dimmed" data-testid="campaign-start-failure-when">
                It was due {formatInstant(c.scheduledAt, zone)}; nothing has been sent. Herald met this problem {formatInstant(c.startFailure.failedAt, zone)}.{" "}
                {overdue
                  ? "It is now more than an hour late, so Herald no longer tries on its own: send it now if it should still go out, or unschedule it."
                  : `Herald tries again from ${formatInstant(c.startFailure.retryAt, zone)}, so a fix in Settings is picked up on its own.`}
              </Text>
              <Group gap="xs">
                <Button size="xs" leftSection={<IconSend size={14} />} onClick={() => setPlan({ kind: "now" })} data-testid="campaign-start-failure-send">
                  Send now…
                </Button>
                {editable && (
                  <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} component={Link} to={`/campaigns/${c.id}/edit`} data-testid="campaign-start-failure-edit">
                    Edit
                  </Button>
                )}
                <Button size="xs" variant="default" leftSection={<IconCalendarOff size={14} />} onClick={() => void unschedule()} data-testid="campaign-start-failure-unschedule">
                  Unschedule
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {overdue && !c.startFailure && (
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Its time has passed" data-testid="campaign-overdue">
            This campaign was due {formatInstant(c.scheduledAt, zone)}, while Herald was closed, so it was not sent. Send it now if it should
            still go out, or unschedule it and pick a new time.
          </Alert>
        )}
        {c.lastError && s === "failed" && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Sending stopped" data-testid="campaign-last-error">
            {c.lastError}
          </Alert>
        )}
        <Card>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="lg">
            <Fact label="Segment">{c.segmentName ?? "None chosen"}</Fact>
            {c.channel === "sms" ? (
              <Fact label="From">As in Settings → SMS</Fact>
            ) : (
              <Fact label="From">{c.fromName || c.fromAddress ? `${c.fromName ?? ""} ${c.fromAddress ? `<${c.fromAddress}>` : ""}`.trim() : "As in Settings → Email"}</Fact>
            )}
            <Fact label={s === "scheduled" ? "Scheduled for" : c.finishedAt ? "Finished" : c.startedAt ? "Started" : "Created"}>
              {formatInstant(s === "scheduled" ? c.scheduledAt : (c.finishedAt ?? c.startedAt ?? c.createdAt), zone)}
            </Fact>
            {c.channel === "sms" ? (
              <Fact label="Delivery reports">{audience && audience.trackingNote ? "Not received: no relay" : "Through the relay"}</Fact>
            ) : (
              <Fact label="Tracking">{trackingLabel(c.tracking, audience)}</Fact>
            )}
          </SimpleGrid>
        </Card>
        {started && progress && <ProgressCard progress={progress} channel={c.channel} tracked={c.channel !== "sms" && c.tracking && audience?.trackingOn !== false} onRetryFailed={retryFailed} onResendInDoubt={resendInDoubt} />}
        {started && <RecipientsTable campaignId={c.id} name={c.name} channel={c.channel} refreshKey={refreshKey + (progress?.counts.sent ?? 0)} />}
        {!started && (
          <Card>
            <Text size="sm" c="dimmed" data-testid="campaign-not-started">
              {s === "scheduled" && c.startFailure
                ? "Nothing has been sent: the campaign could not start (see above). The report appears here once it does."
                : s === "scheduled"
                ? `Sending starts ${formatInstant(c.scheduledAt, zone)}. The report appears here once it does.`
                : s === "cancelled"
                  ? "This campaign was cancelled before anything was sent."
                  : "Nothing has been sent yet. When you send it, progress and every recipient's delivery show here."}
            </Text>
          </Card>
        )}
      </Stack>

      <ConfirmDialog ask={ask} onClose={() => setAsk(null)} testId="campaign-confirm" />
      <SendConfirmModal
        campaignId={c.id}
        name={c.name}
        channel={c.channel}
        plan={plan}
        onClose={() => setPlan(null)}
        onDone={() => {
          setPlan(null);
          notifications.show({ color: "teal", title: "Sending started", message: `${c.name} is on its way.` });
          load();
        }}
      />
      <DeleteCampaignModal
        campaign={deleting ? c : null}
        onClose={() => setDeleting(false)}
        remove={campaignsDelete}
        onDeleted={() => navigate("/campaigns")}
      />
    </Page>
  );
}
