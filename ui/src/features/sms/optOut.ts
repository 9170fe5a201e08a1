// The opt-out instruction every marketing SMS carries, and how it joins the
// message (as the backend appends it: on its own line, unless the message
// already says it).

export const DEFAULT_OPT_OUT = "Reply STOP to opt out";

/** The message as it is sent: `body`, then the opt-out text on its own line when on and not already there. */
export function withOptOut(body: string, optOutText: string, on: boolean): string {
  const footer = optOutText.trim();
  if (!on || !footer || body.toLowerCase().includes(footer.toLowerCase())) return body;
  return body.trim() ? `${body.trimEnd()}\n${footer}` : footer;
}

/** How many characters (Unicode scalar values, as the counter counts) `text` has. */
export const charCount = (text: string): number => Array.from(text).length;

/** The UTF-16 offset of character `index` (the counter's index) in `text`, for selecting it in a textarea. */
export function utf16Offset(text: string, index: number): number {
  return Array.from(text).slice(0, index).join("").length;
}
