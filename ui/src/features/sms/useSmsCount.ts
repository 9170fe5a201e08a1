import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useState } from "react";
import { errorMessage } from "../../api/errors";
import { smsCount, type SmsCount } from "../../api/sms";

/** How many ms of quiet typing before the text is counted again. */
export const COUNT_DEBOUNCE_MS = 150;

/**
 * The segment count of `text`, asked of the backend once typing pauses.
 * The last count stays shown while a new one is on its way; an answer for
 * older text never replaces a newer one.
 */
export function useSmsCount(text: string): { count: SmsCount | null; counted: string | null; error: string | null } {
  const [debounced] = useDebouncedValue(text, COUNT_DEBOUNCE_MS);
  const [state, setState] = useState<{ count: SmsCount | null; counted: string | null; error: string | null }>({ count: null, counted: null, error: null });
  useEffect(() => {
    let live = true;
    smsCount(debounced).then(
      (count) => live && setState({ count, counted: debounced, error: null }),
      (e: unknown) => live && setState((s) => ({ ...s, error: errorMessage(e) })),
    );
    return () => {
      live = false;
    };
  }, [debounced]);
  return state;
}
