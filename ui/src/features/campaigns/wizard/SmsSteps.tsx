import { Stack, TextInput } from "@mantine/core";
import type { CampaignInput } from "../../../api/campaigns";
import { SmsComposer } from "../../sms/SmsComposer";
import { optOutTextOf, useSmsSettings } from "../../sms/useSmsSettings";
import type { DraftField, FieldErrors } from "./draft";

type StepProps = {
  draft: CampaignInput;
  errors: FieldErrors;
  change: <K extends DraftField>(field: K, value: CampaignInput[K]) => void;
};

/** Step 1 of an SMS campaign: only its name (a text has no subject or sender name). */
export function SmsDetailsStep({ draft, errors, change }: StepProps) {
  return (
    <Stack gap="lg">
      <TextInput
        label="Campaign name"
        description="For you: recipients never see it."
        placeholder="Spring sale text"
        value={draft.name}
        onChange={(e) => change("name", e.currentTarget.value)}
        required
        data-autofocus
        error={errors.name}
        errorProps={{ "data-testid": "campaign-error-name" }}
        data-testid="campaign-name"
      />
    </Stack>
  );
}

/** Step 3 of an SMS campaign: the text, with its live cost and the opt-out line. */
export function SmsContentStep({ draft, errors, change }: StepProps) {
  const settings = useSmsSettings();
  return (
    <SmsComposer
      value={draft.textBody ?? ""}
      onChange={(v) => change("textBody", v)}
      optOut={draft.smsOptOut ?? true}
      onOptOutChange={(on) => change("smsOptOut", on)}
      optOutText={optOutTextOf(settings)}
      error={errors.textBody}
    />
  );
}
