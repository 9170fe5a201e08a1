import { Alert, Anchor, Button, Card, Group, Loader, Stack, Stepper, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconArrowLeft, IconArrowRight } from "@tabler/icons-react";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate, useParams, useSearchParams } from "react-router";
import {
  campaignAudience,
  campaignsCreate,
  campaignsGet,
  campaignsUpdate,
  type AttachmentInfo,
  type AudienceSummary,
  type CampaignDetail,
  type CampaignInput,
} from "../../../api/campaigns";
import { emailSettingsGet } from "../../../api/email";
import { errorField, errorMessage } from "../../../api/errors";
import { ErrorState } from "../../../components/ErrorState";
import { Page } from "../../../components/Page";
import { PageHeader } from "../../../components/PageHeader";
import { useWorkspaceStore } from "../../../stores/workspace";
import { CampaignStatusBadge } from "../CampaignStatusBadge";
import { SendConfirmModal, type SendPlan } from "../SendConfirmModal";
import { AudienceStep } from "./AudienceStep";
import { ChannelChoice } from "./ChannelChoice";
import { ContentStep } from "./ContentStep";
import { DetailsStep } from "./DetailsStep";
import { checkStep, emptyDraft, inputOf, normalized, stepOfField, STEPS, type DraftField, type FieldErrors } from "./draft";
import { ReviewStep } from "./ReviewStep";
import { ScheduleStep } from "./ScheduleStep";
import { SmsContentStep, SmsDetailsStep } from "./SmsSteps";
import { SmsReviewStep } from "./SmsReviewStep";

type Sender = { fromName: string; fromAddress: string; replyTo: string | null };

/** The email settings' sender, for placeholders and the review (blank when email is not set up). */
function useSender(): Sender {
  const [sender, setSender] = useState<Sender>({ fromName: "", fromAddress: "", replyTo: null });
  useEffect(() => {
    let live = true;
    emailSettingsGet().then(
      (s) => live && setSender({ fromName: s.fromName, fromAddress: s.fromAddress, replyTo: s.replyTo }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return sender;
}

/** /campaigns/new and /campaigns/:id/edit: five steps, each saved as the person moves on. */
export function CampaignWizardPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const zone = useWorkspaceStore((s) => s.info?.timeZone ?? "UTC");
  const sender = useSender();
  const [campaign, setCampaign] = useState<CampaignDetail | null>(null);
  const [draft, setDraft] = useState<CampaignInput | null>(id ? null : emptyDraft(params.get("channel") === "sms" ? "sms" : "email"));
  const [loadError, setLoadError] = useState<string | null>(null);
  // A step to open at: from "Schedule…" on the detail page (state) or a link (?step=).
  const [step, setStep] = useState<number>(() => {
    const asked = (location.state as { step?: number } | null)?.step ?? Number(params.get("step") ?? 0);
    return id && Number.isInteger(asked) && asked >= 0 && asked < STEPS.length ? asked : 0;
  });
  const [reached, setReached] = useState(step);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [audience, setAudience] = useState<AudienceSummary | null>(null);
  const [audienceError, setAudienceError] = useState<string | null>(null);
  const [audienceLoading, setAudienceLoading] = useState(false);
  const [plan, setPlan] = useState<SendPlan | null>(null);
  const savedRef = useRef<string>("");
  const loadedId = useRef<string | null>(null);

  const refreshAudience = useCallback((campaignId: string) => {
    setAudienceLoading(true);
    campaignAudience(campaignId)
      .then(
        (a) => {
          setAudience(a);
          setAudienceError(null);
        },
        (e: unknown) => setAudienceError(errorMessage(e)),
      )
      .finally(() => setAudienceLoading(false));
  }, []);

  const load = useCallback((campaignId: string) => {
    campaignsGet(campaignId).then(
      (c) => {
        loadedId.current = c.id;
        setCampaign(c);
        setDraft(inputOf(c));
        savedRef.current = JSON.stringify(normalized(inputOf(c)));
        setLoadError(null);
        // Opened at a later step (e.g. "Schedule…"): stop at the first earlier step that is incomplete.
        setStep((cur) => {
          for (let s = 0; s < cur; s++) if (Object.keys(checkStep(s, inputOf(c))).length > 0) return s;
          return cur;
        });
        if (c.segmentId) refreshAudience(c.id);
      },
      (e: unknown) => setLoadError(errorMessage(e)),
    );
  }, [refreshAudience]);

  useEffect(() => {
    // After "Next" created the campaign, the URL moves to its edit address; it is loaded already.
    if (id && loadedId.current !== id) load(id);
  }, [id, load]);

  const change = useCallback(<K extends DraftField>(field: K, value: CampaignInput[K]) => {
    setDraft((d) => (d ? { ...d, [field]: value } : d));
    setErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));
    setFormError(null);
  }, []);

  /** Creates or updates the campaign; null when it could not be saved (the errors are then shown). */
  async function save(d: CampaignInput, then = step): Promise<CampaignDetail | null> {
    const input = normalized(d);
    const key = JSON.stringify(input);
    if (campaign && key === savedRef.current) return campaign;
    setSaving(true);
    try {
      const saved = campaign ? await campaignsUpdate(campaign.id, input) : await campaignsCreate(input);
      savedRef.current = key;
      loadedId.current = saved.id;
      setCampaign(saved);
      if (!campaign) navigate(`/campaigns/${saved.id}/edit`, { replace: true, state: { step: then } });
      return saved;
    } catch (e) {
      const field = errorField(e);
      if (field && field in d) {
        setErrors({ [field]: errorMessage(e) });
        setStep(stepOfField(field));
      } else {
        setFormError(errorMessage(e));
      }
      return null;
    } finally {
      setSaving(false);
    }
  }

  async function goTo(target: number) {
    if (!draft || saving || target === step) return;
    if (target > step) {
      for (let s = step; s < target; s++) {
        const found = checkStep(s, draft);
        if (Object.keys(found).length > 0) {
          setErrors(found);
          setStep(s);
          return;
        }
      }
    }
    const saved = await save(draft, target);
    if (!saved) return;
    if (target >= 1) refreshAudience(saved.id);
    setStep(target);
    setReached((r) => Math.max(r, target));
  }

  async function pickSegment(segmentId: string | null) {
    if (!draft) return;
    change("segmentId", segmentId);
    setAudience(null);
    if (!segmentId) return;
    const saved = await save({ ...draft, segmentId });
    if (saved) refreshAudience(saved.id);
  }

  if (loadError) {
    return (
      <Page>
        <ErrorState title="The campaign could not be opened" message={loadError} onRetry={() => id && load(id)} />
      </Page>
    );
  }
  if (!draft) {
    return (
      <Page>
        <Group justify="center" py="xl">
          <Loader type="dots" aria-label="Opening the campaign" />
        </Group>
      </Page>
    );
  }
  if (campaign && !campaign.editable) {
    return (
      <Page>
        <Alert color="blue" variant="light" title={`“${campaign.name}” can no longer be edited`} data-testid="campaign-not-editable">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">Only drafts, scheduled and paused campaigns can be changed. Duplicate it to send a new version.</Text>
            <Anchor component={Link} to={`/campaigns/${campaign.id}`} size="sm">
              Open the campaign's report
            </Anchor>
          </Stack>
        </Alert>
      </Page>
    );
  }

  const last = STEPS.length - 1;
  return (
    <Page>
      <PageHeader
        title={campaign ? campaign.name || "Untitled campaign" : "New campaign"}
        description={campaign ? "Changes are saved each time you move to another step." : "Five short steps. Nothing is sent until you confirm at the end."}
        actions={
          <>
            {campaign && <CampaignStatusBadge status={campaign.status} size="lg" />}
            <Button variant="default" component={Link} to={campaign ? `/campaigns/${campaign.id}` : "/campaigns"} data-testid="wizard-close">
              {campaign ? "Close" : "Cancel"}
            </Button>
          </>
        }
      />
      <Card padding="xl" component="form" noValidate onSubmit={(e: FormEvent) => {
        // Enter in a field moves on, like Next (the last step has its own buttons).
        e.preventDefault();
        if (step < last) void goTo(step + 1);
      }}>
        <Stepper active={step} onStepClick={(s) => void goTo(s)} allowNextStepsSelect={false} size="sm" mb="xl">
          {STEPS.map((label, i) => (
            <Stepper.Step key={label} label={label} allowStepSelect={i <= reached} data-testid={`wizard-step-${i}`} />
          ))}
        </Stepper>

        {formError && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} mb="lg" data-testid="wizard-error">
            {formError}
          </Alert>
        )}

        {step === 0 && !campaign && (
          <Stack mb="lg">
            <ChannelChoice value={draft.channel} onChange={(c) => change("channel", c)} />
          </Stack>
        )}
        {step === 0 && draft.channel === "sms" && <SmsDetailsStep draft={draft} errors={errors} change={change} />}
        {step === 0 && draft.channel !== "sms" && <DetailsStep draft={draft} errors={errors} change={change} defaults={sender} />}
        {step === 1 && (
          <AudienceStep
            segmentId={draft.segmentId}
            error={errors.segmentId}
            onChange={(v) => void pickSegment(v)}
            audience={audience}
            audienceError={audienceError}
            audienceLoading={audienceLoading}
            channel={draft.channel}
          />
        )}
        {step === 2 && campaign && draft.channel === "sms" && <SmsContentStep draft={draft} errors={errors} change={change} />}
        {step === 2 && campaign && draft.channel !== "sms" && (
          <ContentStep
            campaignId={campaign.id}
            draft={draft}
            errors={errors}
            change={change}
            attachments={campaign.attachments}
            onAttachments={(attachments: AttachmentInfo[]) => setCampaign((c) => (c ? { ...c, attachments } : c))}
          />
        )}
        {step === 3 && campaign && draft.channel === "sms" && <SmsReviewStep campaignId={campaign.id} draft={draft} audience={audience} />}
        {step === 3 && campaign && draft.channel !== "sms" && (
          <ReviewStep campaignId={campaign.id} draft={draft} sender={sender} attachments={campaign.attachments} audience={audience} />
        )}
        {step === 4 && campaign && <ScheduleStep zone={zone} scheduledAt={campaign.scheduledAt} onPlan={setPlan} />}

        <Group justify="space-between" mt="xl" pt="lg" style={{ borderTop: "1px solid var(--herald-border)" }}>
          <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={() => void goTo(step - 1)} disabled={step === 0 || saving} data-testid="wizard-back">
            Back
          </Button>
          {step < last && (
            <Button type="submit" rightSection={<IconArrowRight size={16} />} loading={saving} data-testid="wizard-next">
              {step === 0 && !campaign ? "Save and continue" : "Next"}
            </Button>
          )}
        </Group>
      </Card>

      {campaign && (
        <SendConfirmModal
          campaignId={campaign.id}
          name={campaign.name}
          channel={campaign.channel}
          plan={plan}
          onClose={() => setPlan(null)}
          onDone={() => {
            const scheduled = plan?.kind === "schedule";
            setPlan(null);
            notifications.show({
              color: "teal",
              title: scheduled ? "Campaign scheduled" : "Sending started",
              message: scheduled ? `${campaign.name} will go out as planned.` : `${campaign.name} is on its way.`,
            });
            navigate(`/campaigns/${campaign.id}`);
          }}
        />
      )}
    </Page>
  );
}
