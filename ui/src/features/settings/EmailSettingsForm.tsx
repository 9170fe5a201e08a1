import { Alert, Box, Button, Code, Group, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCircleCheck, IconPlugConnected, IconPointFilled } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { emailSettingsSave, emailSettingsTest, type EmailSettingsInput, type EmailSettingsView, type SmtpPreset, type SmtpSecurity, type SmtpTestReport } from "../../api/email";
import { errorField, errorMessage } from "../../api/errors";

type Field = keyof EmailSettingsInput;
type Values = Omit<
  EmailSettingsInput,
  "port" | "messagesPerSecond" | "connections" | "username" | "password" | "replyTo" | "unsubscribeMailto" | "dkimDomain" | "dkimSelector" | "dkimPrivateKey"
> & {
  port: number | string;
  messagesPerSecond: number | string;
  connections: number | string;
  username: string;
  password: string;
  replyTo: string;
  unsubscribeMailto: string;
  dkimDomain: string;
  dkimSelector: string;
  dkimPrivateKey: string;
};

const SECURITY: { value: SmtpSecurity; label: string }[] = [
  { value: "starttls", label: "STARTTLS (usually port 587)" },
  { value: "tls", label: "TLS from the start (usually port 465)" },
  { value: "none", label: "None (this computer only)" },
];
const LOCAL = /^(localhost|127\.0\.0\.1|::1|\[::1\])$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function valuesOf(v: EmailSettingsView): Values {
  return {
    host: v.host,
    port: v.port,
    security: v.security,
    username: v.username ?? "",
    password: "",
    fromName: v.fromName,
    fromAddress: v.fromAddress,
    replyTo: v.replyTo ?? "",
    messagesPerSecond: v.messagesPerSecond,
    connections: v.connections,
    unsubscribeMailto: v.unsubscribeMailto ?? "",
    dkimDomain: v.dkimDomain ?? "",
    dkimSelector: v.dkimSelector ?? "",
    dkimPrivateKey: "",
  };
}

/** The input the backend takes: blanks become null, and a blank password keeps the stored one. */
function inputOf(v: Values): EmailSettingsInput {
  const opt = (s: string) => (s.trim() ? s.trim() : null);
  return {
    host: v.host.trim(),
    port: Number(v.port),
    security: v.security,
    username: opt(v.username),
    password: v.password ? v.password : null,
    fromName: v.fromName.trim(),
    fromAddress: v.fromAddress.trim(),
    replyTo: opt(v.replyTo),
    messagesPerSecond: Number(v.messagesPerSecond),
    connections: Number(v.connections),
    unsubscribeMailto: opt(v.unsubscribeMailto),
    // An empty domain turns DKIM off; a blank key keeps the stored one.
    dkimDomain: v.dkimDomain.trim(),
    dkimSelector: opt(v.dkimSelector) ?? undefined,
    dkimPrivateKey: v.dkimPrivateKey.trim() ? v.dkimPrivateKey : undefined,
  };
}

/** What is wrong before asking the server, by field. */
function check(v: Values): Partial<Record<Field, string>> {
  const e: Partial<Record<Field, string>> = {};
  if (!v.host.trim()) e.host = "Enter your SMTP server, e.g. smtp.example.com";
  const port = Number(v.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) e.port = "A port is a whole number from 1 to 65535";
  if (v.security === "none" && v.host.trim() && !LOCAL.test(v.host.trim())) {
    e.security = "Without encryption the password and every email would cross the network readable; only a server on this computer (localhost) may use none";
  }
  if (!v.fromName.trim()) e.fromName = "Who the emails are from, e.g. your company's name";
  if (!EMAIL.test(v.fromAddress.trim())) e.fromAddress = v.fromAddress.trim() ? `“${v.fromAddress.trim()}” is not an email address` : "Enter the address emails are sent from";
  if (v.replyTo.trim() && !EMAIL.test(v.replyTo.trim())) e.replyTo = `“${v.replyTo.trim()}” is not an email address`;
  const rate = Number(v.messagesPerSecond);
  if (!(rate > 0)) e.messagesPerSecond = "At least one message a second";
  const conns = Number(v.connections);
  if (!Number.isInteger(conns) || conns < 1) e.connections = "At least one connection";
  const mailto = v.unsubscribeMailto.trim();
  if (mailto && !EMAIL.test(mailto.replace(/^mailto:/i, ""))) e.unsubscribeMailto = "An address that receives unsubscribe requests, e.g. unsubscribe@example.com";
  return e;
}

/** The SMTP server, sender and sending pace; tested with the values as typed, saved together. */
export function EmailSettingsForm({ view, presets, onSaved }: { view: EmailSettingsView; presets: SmtpPreset[]; onSaved: (v: EmailSettingsView) => void }) {
  const [values, setValues] = useState<Values>(() => valuesOf(view));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [preset, setPreset] = useState<SmtpPreset | null>(null);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [report, setReport] = useState<SmtpTestReport | null>(null);

  const saved = JSON.stringify(valuesOf(view));
  const dirty = JSON.stringify(values) !== saved;

  function change<K extends keyof Values>(f: K, value: Values[K]) {
    setValues((v) => ({ ...v, [f]: value }));
    setErrors((e) => (e[f as Field] ? { ...e, [f]: undefined } : e));
    setFormError(null);
    setReport(null);
  }

  function applyPreset(id: string | null) {
    const p = presets.find((x) => x.id === id) ?? null;
    setPreset(p);
    if (!p) return;
    setValues((v) => ({ ...v, host: p.host, port: p.port, security: p.security }));
    setErrors({});
    setReport(null);
  }

  function failed(e: unknown) {
    const field = errorField(e) as Field | null;
    if (field && field in values) setErrors({ [field]: errorMessage(e) });
    else setFormError(errorMessage(e));
  }

  async function test() {
    const found = check(values);
    setErrors(found);
    if (Object.keys(found).length) return;
    setTesting(true);
    setReport(null);
    setFormError(null);
    try {
      setReport(await emailSettingsTest(inputOf(values)));
    } catch (e) {
      failed(e);
    } finally {
      setTesting(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = check(values);
    setErrors(found);
    if (Object.keys(found).length || saving) return;
    setSaving(true);
    setFormError(null);
    try {
      const next = await emailSettingsSave(inputOf(values));
      setValues(valuesOf(next));
      onSaved(next);
      notifications.show({ color: "teal", title: "Email settings saved", message: next.passwordStored ? "The password is in your system keychain." : `Sending through ${next.host}.` });
    } catch (err) {
      failed(err);
    } finally {
      setSaving(false);
    }
  }

  const common = (f: Field) => ({
    error: errors[f],
    errorProps: { "data-testid": `email-error-${f}` },
    "data-testid": `email-${f}`,
  });
  const usernameHint = preset?.username ?? "you@example.com";

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="email-form">
      <Stack gap="lg" p="lg" pt={0}>
        {formError && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="email-form-error">
            {formError}
          </Alert>
        )}
        <Select
          label="Provider"
          description="Fills in the server, port and security for a known provider."
          placeholder="Choose a provider, or fill in your own server below"
          data={presets.map((p) => ({ value: p.id, label: p.name }))}
          value={preset?.id ?? null}
          onChange={applyPreset}
          clearable
          maw={420}
          data-testid="email-preset"
        />
        {preset?.note && (
          <Text size="sm" c="dimmed" mt={-8} data-testid="email-preset-note">
            {preset.note}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
          <Box style={{ gridColumn: "span 2" }}>
            <TextInput label="SMTP server" withAsterisk placeholder="smtp.example.com" value={values.host} onChange={(e) => change("host", e.currentTarget.value)} autoComplete="off" {...common("host")} />
          </Box>
          <NumberInput label="Port" withAsterisk min={1} max={65535} allowDecimal={false} value={values.port} onChange={(v) => change("port", v)} {...common("port")} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
          <Select
            label="Security"
            data={SECURITY}
            value={values.security}
            onChange={(v) => v && change("security", v as SmtpSecurity)}
            allowDeselect={false}
            description={values.security === "none" ? "Only for a mail server on this computer (localhost)." : undefined}
            {...common("security")}
          />
          <TextInput label="Username" placeholder={usernameHint} value={values.username} onChange={(e) => change("username", e.currentTarget.value)} autoComplete="off" {...common("username")} />
          <PasswordInput
            label="Password"
            description={view.passwordStored ? "Stored in your system keychain. Leave blank to keep it." : "Stored in your system keychain, never in the workspace file."}
            placeholder={view.passwordStored ? "•••••••• (unchanged)" : "App password or SMTP password"}
            value={values.password}
            onChange={(e) => change("password", e.currentTarget.value)}
            autoComplete="new-password"
            inputWrapperOrder={["label", "input", "description", "error"]}
            {...common("password")}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <TextInput label="From name" withAsterisk placeholder="Acme Marketing" value={values.fromName} onChange={(e) => change("fromName", e.currentTarget.value)} {...common("fromName")} />
          <TextInput label="From address" withAsterisk type="email" placeholder="news@example.com" value={values.fromAddress} onChange={(e) => change("fromAddress", e.currentTarget.value)} {...common("fromAddress")} />
          <TextInput label="Reply-to" type="email" placeholder="Replies go to the from address" value={values.replyTo} onChange={(e) => change("replyTo", e.currentTarget.value)} {...common("replyTo")} />
          <TextInput
            label="Unsubscribe by email"
            description="Offered in the List-Unsubscribe header beside the one-click link."
            placeholder="unsubscribe@example.com"
            value={values.unsubscribeMailto}
            onChange={(e) => change("unsubscribeMailto", e.currentTarget.value)}
            {...common("unsubscribeMailto")}
          />
          <NumberInput
            label="Messages per second"
            description="Stay under your provider's limit; Gmail allows far less than SES."
            min={0.1}
            step={1}
            decimalScale={2}
            value={values.messagesPerSecond}
            onChange={(v) => change("messagesPerSecond", v)}
            {...common("messagesPerSecond")}
          />
          <NumberInput
            label="Connections"
            description="How many connections to the server at once."
            min={1}
            max={16}
            allowDecimal={false}
            value={values.connections}
            onChange={(v) => change("connections", v)}
            {...common("connections")}
          />
        </SimpleGrid>

        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <TextInput
            label="DKIM domain"
            description="Sign every message for this domain (optional). Leave empty for no DKIM."
            placeholder="example.com"
            value={values.dkimDomain}
            onChange={(e) => change("dkimDomain", e.currentTarget.value)}
            {...common("dkimDomain")}
          />
          <TextInput
            label="DKIM selector"
            description="The name your DKIM DNS record is published under."
            placeholder="herald"
            value={values.dkimSelector}
            onChange={(e) => change("dkimSelector", e.currentTarget.value)}
            {...common("dkimSelector")}
          />
        </SimpleGrid>
        {values.dkimDomain.trim() && (
          <Textarea
            label="DKIM private key"
            description={
              view.dkimDomain ? "Stored in your system keychain. Leave blank to keep it." : "PEM (RSA or Ed25519). Stored in your system keychain, never in the workspace file."
            }
            placeholder={view.dkimDomain ? "(unchanged)" : "-----BEGIN PRIVATE KEY-----"}
            autosize
            minRows={3}
            maxRows={8}
            styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
            value={values.dkimPrivateKey}
            onChange={(e) => change("dkimPrivateKey", e.currentTarget.value)}
            {...common("dkimPrivateKey")}
          />
        )}

        {report?.ok && (
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title="Connected" data-testid="email-test-ok">
            <Stack gap={4}>
              <Text size="sm">
                {report.tls ? "Encrypted" : "Not encrypted"}; {report.authenticated ? "logged in" : "no login needed"}. The server replied:
              </Text>
              <Code block>{report.reply}</Code>
            </Stack>
          </Alert>
        )}
        {report && !report.ok && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The server refused" data-testid="email-test-failed">
            <Stack gap={4}>
              <Text size="sm">Its exact reply, which usually says what to change:</Text>
              <Code block data-testid="email-test-reply" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>
                {report.reply}
              </Code>
            </Stack>
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
          <Button variant="default" leftSection={<IconPlugConnected size={16} />} onClick={() => void test()} loading={testing} data-testid="email-test">
            Test connection
          </Button>
          <Button type="submit" loading={saving} disabled={!dirty} data-testid="email-save">
            Save
          </Button>
        </Group>
      </Group>
    </form>
  );
}
