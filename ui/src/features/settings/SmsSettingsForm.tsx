import { Accordion, Alert, Box, Button, Group, NumberInput, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCircleCheck, IconMessage2, IconPointFilled, IconShieldCheck } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { errorField, errorMessage } from "../../api/errors";
import { smsSettingsSave, smsVerify, type SmsSenderKind, type SmsSettingsView, type SmsVerifyReport } from "../../api/sms";
import { SmsProviderFields } from "./SmsProviderFields";
import { SmsTestModal } from "./SmsTestModal";
import { check, defaultRate, fieldOf, inputOf, SENDER_KINDS, valuesOf, type SmsErrors, type SmsField, type SmsValues } from "./smsValues";

const PROVIDERS = [
  { value: "twilio", label: "Twilio" },
  { value: "vonage", label: "Vonage" },
];

/** The SMS provider, its credentials and sender, the pace, the hours, and the opt-out and help texts; saved together. */
export function SmsSettingsForm({ view, onSaved }: { view: SmsSettingsView; onSaved: (v: SmsSettingsView) => void }) {
  const [values, setValues] = useState<SmsValues>(() => valuesOf(view));
  const [errors, setErrors] = useState<SmsErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [report, setReport] = useState<SmsVerifyReport | null>(null);
  const [testOpen, setTestOpen] = useState(false);

  const dirty = JSON.stringify(values) !== JSON.stringify(valuesOf(view));
  const rate = defaultRate(view.defaultRates, values.provider, values.senderKind) ?? view.defaultRate;

  function change<K extends SmsField>(f: K, value: SmsValues[K]) {
    setValues((v) => ({ ...v, [f]: value }));
    setErrors((e) => (e[f] ? { ...e, [f]: undefined } : e));
    setFormError(null);
    setReport(null);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = check(values, view);
    setErrors(found);
    if (Object.keys(found).length || saving) return;
    setSaving(true);
    setFormError(null);
    try {
      const next = await smsSettingsSave(inputOf(values));
      setValues(valuesOf(next));
      onSaved(next);
      notifications.show({ color: "teal", title: "SMS settings saved", message: "The credentials are in your system keychain." });
    } catch (err) {
      const field = fieldOf(errorField(err));
      if (field) setErrors({ [field]: errorMessage(err) });
      else setFormError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  async function verify() {
    setVerifying(true);
    setReport(null);
    try {
      setReport(await smsVerify());
    } catch (err) {
      setReport({ ok: false, detail: errorMessage(err) });
    } finally {
      setVerifying(false);
    }
  }

  const common = (f: SmsField) => ({
    error: errors[f],
    errorProps: { "data-testid": `sms-error-${f}` },
    "data-testid": `sms-${f}`,
  });
  // Verifying and testing use what is saved, so they wait for a save.
  const needsSave = !view.configured ? "Save the settings first" : dirty ? "Save your changes first: this uses the saved settings" : null;

  return (
    <>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="sms-form">
        <Stack gap="lg" p="lg" pt={0}>
          {formError && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="sms-form-error">
              {formError}
            </Alert>
          )}
          <Select
            label="Provider"
            data={PROVIDERS}
            value={values.provider}
            onChange={(v) => v && change("provider", v as SmsValues["provider"])}
            allowDeselect={false}
            maw={260}
            {...common("provider")}
          />
          <SmsProviderFields values={values} view={view} errors={errors} change={change} />

          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
            <Select
              label="Sender kind"
              description={`Sets the default pace: ${rate} message${rate === 1 ? "" : "s"} a second.`}
              inputWrapperOrder={["label", "input", "description", "error"]}
              data={SENDER_KINDS}
              value={values.senderKind}
              onChange={(v) => v && change("senderKind", v as SmsSenderKind)}
              allowDeselect={false}
              {...common("senderKind")}
            />
            <NumberInput
              label="Messages per second"
              description="Blank uses the default for the sender kind. Your provider may allow more."
              inputWrapperOrder={["label", "input", "description", "error"]}
              placeholder={`Default: ${rate}`}
              min={0.1}
              step={1}
              decimalScale={2}
              value={values.messagesPerSecond}
              onChange={(v) => change("messagesPerSecond", v)}
              {...common("messagesPerSecond")}
            />
          </SimpleGrid>

          <Stack gap="xs">
            <Switch
              label="Only send during the day"
              description="Messages wait until the window opens in the recipient's time zone (from their country, else the workspace's)."
              checked={values.hoursOn}
              onChange={(e) => change("hoursOn", e.currentTarget.checked)}
              data-testid="sms-hoursOn"
            />
            {values.hoursOn && (
              <Group gap="md" align="flex-start" pl={54}>
                <TextInput type="time" label="From" value={values.hoursFrom} onChange={(e) => change("hoursFrom", e.currentTarget.value)} w={140} {...common("hoursFrom")} />
                <TextInput type="time" label="Until" value={values.hoursUntil} onChange={(e) => change("hoursUntil", e.currentTarget.value)} w={140} {...common("hoursUntil")} />
              </Group>
            )}
          </Stack>

          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
            <TextInput
              label="Opt-out instruction"
              withAsterisk
              description="Appended to every campaign message unless a campaign removes it."
              inputWrapperOrder={["label", "input", "description", "error"]}
              placeholder="Reply STOP to opt out"
              value={values.optOutText}
              onChange={(e) => change("optOutText", e.currentTarget.value)}
              {...common("optOutText")}
            />
            <Textarea
              label="Help reply"
              description="Sent to anyone who texts HELP or INFO. Leave it empty when your provider answers HELP itself."
              inputWrapperOrder={["label", "input", "description", "error"]}
              autosize
              minRows={1}
              maxRows={4}
              value={values.helpText}
              onChange={(e) => change("helpText", e.currentTarget.value)}
              {...common("helpText")}
            />
          </SimpleGrid>

          <Accordion variant="separated" chevronPosition="left">
            <Accordion.Item value="advanced">
              <Accordion.Control data-testid="sms-advanced">Advanced</Accordion.Control>
              <Accordion.Panel>
                <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
                  <TextInput
                    label="Twilio API address"
                    description="Blank: api.twilio.com. For a test stand-in."
                    placeholder="https://api.twilio.com"
                    value={values.twilioBaseUrl}
                    onChange={(e) => change("twilioBaseUrl", e.currentTarget.value)}
                    {...common("twilioBaseUrl")}
                  />
                  <TextInput
                    label="Vonage API address"
                    description="Blank: Vonage's own. For a test stand-in."
                    placeholder="https://api.nexmo.com"
                    value={values.vonageBaseUrl}
                    onChange={(e) => change("vonageBaseUrl", e.currentTarget.value)}
                    {...common("vonageBaseUrl")}
                  />
                  <NumberInput
                    label="Timeout (seconds)"
                    description="How long to wait for the provider's answer."
                    min={1}
                    max={120}
                    allowDecimal={false}
                    value={values.timeoutSeconds}
                    onChange={(v) => change("timeoutSeconds", v)}
                    {...common("timeoutSeconds")}
                  />
                </SimpleGrid>
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>

          {report && (
            <Alert
              color={report.ok ? "teal" : "red"}
              variant="light"
              icon={report.ok ? <IconCircleCheck size={18} /> : <IconAlertTriangle size={18} />}
              title={report.ok ? "The credentials work" : "The provider refused"}
              data-testid={report.ok ? "sms-verify-ok" : "sms-verify-failed"}
            >
              <Text size="sm" data-testid="sms-verify-detail">
                {report.detail}
              </Text>
            </Alert>
          )}
        </Stack>
        <Group
          justify="space-between"
          gap="sm"
          px="lg"
          py="sm"
          bg="var(--herald-page-bg)"
          style={{ borderTop: "1px solid var(--herald-border)", borderRadius: "0 0 var(--mantine-radius-md) var(--mantine-radius-md)" }}
        >
          <Box>
            {dirty && (
              <Group gap={4} wrap="nowrap">
                <IconPointFilled size={14} color="var(--mantine-color-orange-6)" />
                <Text size="sm" c="dimmed">
                  Unsaved changes
                </Text>
              </Group>
            )}
          </Box>
          <Group gap="sm">
            <Tooltip label={needsSave} disabled={!needsSave}>
              <Button variant="default" leftSection={<IconShieldCheck size={16} />} onClick={() => void verify()} loading={verifying} disabled={!!needsSave} data-testid="sms-verify">
                Verify credentials
              </Button>
            </Tooltip>
            <Tooltip label={needsSave} disabled={!needsSave}>
              <Button variant="default" leftSection={<IconMessage2 size={16} />} onClick={() => setTestOpen(true)} disabled={!!needsSave} data-testid="sms-test-open">
                Send test SMS
              </Button>
            </Tooltip>
            <Button type="submit" loading={saving} disabled={!dirty} data-testid="sms-save">
              Save
            </Button>
          </Group>
        </Group>
      </form>
      <SmsTestModal key={String(testOpen)} opened={testOpen} onClose={() => setTestOpen(false)} optOutText={view.optOutText} />
    </>
  );
}
