import { Alert, Button, Card, Group, Loader, NumberInput, SegmentedControl, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useState } from "react";
import { errorField, errorMessage } from "../../api/errors";
import {
  notificationSettingsGet,
  notificationSettingsSave,
  type NotificationPreference,
  type NotificationSettingsView,
} from "../../api/notifications";
import { KINDS } from "./labels";

const CHOICES: { value: NotificationPreference; label: string }[] = [
  { value: "os", label: "OS notification" },
  { value: "in_app", label: "In app" },
  { value: "none", label: "None" },
];

/** Settings → Notifications: per event, OS notification, in-app or none; the warning lines. */
export function NotificationSettingsSection() {
  const [form, setForm] = useState<NotificationSettingsView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    notificationSettingsGet().then(setForm, (e: unknown) => setLoadError(errorMessage(e)));
  }, []);

  const save = async () => {
    if (!form) return;
    setSaving(true);
    setErrors({});
    try {
      setForm(await notificationSettingsSave(form));
      notifications.show({ color: "teal", message: "Notification settings saved" });
    } catch (e) {
      const field = errorField(e);
      if (field) setErrors({ [field]: errorMessage(e) });
      else notifications.show({ color: "red", title: "The settings were not saved", message: errorMessage(e) });
    } finally {
      setSaving(false);
    }
  };

  const number = (key: "complaintRatePercent" | "bounceRatePercent" | "relayDownMinutes") => (v: string | number) =>
    form && setForm({ ...form, [key]: typeof v === "number" ? v : Number.parseFloat(v) || 0 });

  return (
    <Card data-testid="notifications-section">
      <Stack gap="md">
        <Stack gap={2}>
          <Text fw={650}>Notifications</Text>
          <Text size="sm" c="dimmed">
            How Herald tells you what happened: an OS notification (also in the bell), only in the bell, or not at all.
          </Text>
        </Stack>
        {!form && !loadError && <Loader size="sm" />}
        {loadError && (
          <Alert color="red" variant="light" title="The notification settings could not be read">
            {loadError}
          </Alert>
        )}
        {form && (
          <>
            {KINDS.map((kind) => (
              <Group key={kind.key} justify="space-between" wrap="wrap" gap="sm">
                <Stack gap={0} maw={380}>
                  <Text size="sm" fw={600}>
                    {kind.label}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {kind.description}
                  </Text>
                </Stack>
                <SegmentedControl
                  size="xs"
                  value={form.prefs[kind.key]}
                  onChange={(v) => setForm({ ...form, prefs: { ...form.prefs, [kind.key]: v as NotificationPreference } })}
                  data={CHOICES}
                  aria-label={kind.label}
                  data-testid={`notification-pref-${kind.key}`}
                />
              </Group>
            ))}
            <Group grow align="flex-start">
              <NumberInput
                label="Complaint rate line (%)"
                description="Gmail and Yahoo filter senders above 0.3 %"
                value={form.complaintRatePercent}
                onChange={number("complaintRatePercent")}
                min={0}
                max={100}
                step={0.1}
                decimalScale={4}
                error={errors.complaintRatePercent}
                data-testid="notification-complaint-rate"
              />
              <NumberInput
                label="Bounce rate line (%)"
                description="Above 2 % usually means an outdated list"
                value={form.bounceRatePercent}
                onChange={number("bounceRatePercent")}
                min={0}
                max={100}
                step={0.5}
                decimalScale={4}
                error={errors.bounceRatePercent}
                data-testid="notification-bounce-rate"
              />
              <NumberInput
                label="Relay unreachable after (minutes)"
                description="How long syncs may fail before you are told"
                value={form.relayDownMinutes}
                onChange={number("relayDownMinutes")}
                min={1}
                max={10080}
                allowDecimal={false}
                error={errors.relayDownMinutes}
                data-testid="notification-relay-minutes"
              />
            </Group>
            <Group justify="flex-end">
              <Button onClick={() => void save()} loading={saving} data-testid="notification-settings-save">
                Save
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
