import { useCallback, useEffect, useState } from "react";
import { emailPresets, emailSettingsGet, type EmailSettingsView, type SmtpPreset } from "../../api/email";
import { errorMessage } from "../../api/errors";
import { ChannelSettingsCard } from "./ChannelSettingsCard";
import { EmailSettingsForm } from "./EmailSettingsForm";

/** Settings → Email: the SMTP server campaigns are sent through. */
export function EmailSettingsSection() {
  const [view, setView] = useState<EmailSettingsView | null>(null);
  const [presets, setPresets] = useState<SmtpPreset[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    emailSettingsGet().then(
      (v) => {
        setView(v);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
    emailPresets().then(setPresets, () => undefined);
  }, []);

  useEffect(() => {
    load();
  }, [load]);

  return (
    <ChannelSettingsCard
      title="Email"
      settingsName="email settings"
      description="The mail server campaigns go out through, who they are from, and how fast Herald sends."
      configured={view ? view.configured : null}
      error={error}
      onRetry={load}
    >
      {view && <EmailSettingsForm view={view} presets={presets} onSaved={setView} />}
    </ChannelSettingsCard>
  );
}
