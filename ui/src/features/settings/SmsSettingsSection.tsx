import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../../api/errors";
import { smsSettingsGet, type SmsSettingsView } from "../../api/sms";
import { ChannelSettingsCard } from "./ChannelSettingsCard";
import { SmsSettingsForm } from "./SmsSettingsForm";

/** Settings → SMS: the provider SMS campaigns are sent through. */
export function SmsSettingsSection() {
  const [view, setView] = useState<SmsSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    smsSettingsGet().then(
      (v) => {
        setView(v);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);

  useEffect(() => {
    load();
  }, [load]);

  return (
    <ChannelSettingsCard
      title="SMS"
      settingsName="SMS settings"
      description="The provider text messages go out through, who they come from, how fast, and at what hours."
      configured={view ? view.configured : null}
      error={error}
      onRetry={load}
    >
      {view && <SmsSettingsForm view={view} onSaved={setView} />}
    </ChannelSettingsCard>
  );
}
