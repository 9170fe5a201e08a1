import { useEffect, useState } from "react";
import { smsSettingsGet, type SmsSettingsView } from "../../api/sms";
import { DEFAULT_OPT_OUT } from "./optOut";

/** Settings → SMS, read once per mount; null until read (or when it cannot be). */
export function useSmsSettings(): SmsSettingsView | null {
  const [view, setView] = useState<SmsSettingsView | null>(null);
  useEffect(() => {
    let live = true;
    smsSettingsGet().then(
      (v) => live && setView(v),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return view;
}

/** Who a text appears to come from, as a phone shows it. */
export function senderLabel(view: SmsSettingsView | null): string {
  if (!view?.configured) return "Your sender";
  if (view.provider === "vonage") return view.vonageFrom || "Your sender";
  return view.twilioFrom || "Your Messaging Service";
}

/** The opt-out instruction campaigns append. */
export const optOutTextOf = (view: SmsSettingsView | null): string => view?.optOutText || DEFAULT_OPT_OUT;
