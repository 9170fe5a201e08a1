import type { NotificationPrefs } from "../../bindings/NotificationPrefs";

/** The kinds in the order Settings lists them, with what each is. */
export const KINDS: { key: keyof NotificationPrefs; label: string; description: string }[] = [
  { key: "campaignCompleted", label: "Campaign sent", description: "A campaign has gone out to everyone." },
  {
    key: "campaignFailed",
    label: "Campaign stopped by an error",
    description: "A campaign stopped, e.g. the mail server refused the login. It resumes where it stopped.",
  },
  { key: "inDoubt", label: "Messages in doubt", description: "Herald stopped mid-send: some messages may or may not have arrived." },
  {
    key: "complaintRate",
    label: "Complaint or bounce rate",
    description: "A campaign's complaint or bounce rate is above the lines below.",
  },
  { key: "relayUnreachable", label: "Relay unreachable", description: "Syncing with the relay has failed for longer than the delay below." },
  { key: "importFinished", label: "Import finished", description: "A CSV import is done." },
];
