import { Button, Group, Radio, Stack, Text, TextInput } from "@mantine/core";
import { IconCalendarTime, IconSend } from "@tabler/icons-react";
import { useState } from "react";
import { timeZoneLabel } from "../../settings/labels";
import type { SendPlan } from "../SendConfirmModal";
import { epochToZoned, zonedToEpoch } from "../time";

/** Step 5: send now, or a date and time on the workspace's clocks; both ask before anything happens. */
export function ScheduleStep({ zone, scheduledAt, onPlan }: { zone: string; scheduledAt: number | null; onPlan: (plan: SendPlan) => void }) {
  const [mode, setMode] = useState<"now" | "later">(scheduledAt ? "later" : "now");
  const [when, setWhen] = useState(() => (scheduledAt ? epochToZoned(scheduledAt, zone) : epochToZoned(Date.now() + 3600_000, zone)));
  const [error, setError] = useState<string | null>(null);
  const [earliest] = useState(() => epochToZoned(Date.now(), zone));

  function go() {
    if (mode === "now") return onPlan({ kind: "now" });
    const at = zonedToEpoch(when, zone);
    if (at === null) return setError("Pick a date and a time");
    if (at <= Date.now()) return setError("Pick a time in the future");
    onPlan({ kind: "schedule", at, zone });
  }

  return (
    <Stack gap="lg" maw={560}>
      <Radio.Group value={mode} onChange={(v) => setMode(v as "now" | "later")} label="When should it go out?">
        <Stack gap="sm" mt="xs">
          <Radio value="now" label="Send now" description="Sending starts as soon as you confirm." data-testid="send-mode-now" />
          <Radio value="later" label="Schedule for later" description="Sending starts at that time. You can unschedule it until then." data-testid="send-mode-later" />
        </Stack>
      </Radio.Group>
      {mode === "later" && (
        <TextInput
          type="datetime-local"
          label="Date and time"
          description={`In the workspace's time zone, ${timeZoneLabel(zone)}.`}
          value={when}
          min={earliest}
          onChange={(e) => {
            setWhen(e.currentTarget.value);
            setError(null);
          }}
          error={error}
          errorProps={{ "data-testid": "schedule-error" }}
          leftSection={<IconCalendarTime size={16} />}
          maw={320}
          data-testid="schedule-at"
        />
      )}
      <Group>
        <Button leftSection={mode === "now" ? <IconSend size={16} /> : <IconCalendarTime size={16} />} onClick={go} data-testid="send-go">
          {mode === "now" ? "Send now…" : "Schedule…"}
        </Button>
        <Text size="xs" c="dimmed">
          You will see exactly how many people receive it before anything is sent.
        </Text>
      </Group>
    </Stack>
  );
}
