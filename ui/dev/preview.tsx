// Dev-only: the app in a plain browser, against the in-memory fake backend,
// for looking at screens outside Tauri (`npm run dev`, then open
// /dev/preview.html#/contacts). Never part of the production build.
//
// Query parameters (before the #):
//   empty=1            start with an empty workspace (onboarding)
//   contacts=N         how many demo contacts (default 500)
//   scheme=dark|light  force a colour scheme
//   latency=MS         delay every command (default 120)
//   import=mapping|review|done   drive the import wizard to that step
//   nosegments=1       start without saved segments
//   relay=none|set|failing|nokeychain|keys   Settings → Relay unconfigured (default), synced, failing,
//                      without a keychain, or with freshly generated keys on show
//   nocampaigns=1      start without campaigns (and with email not set up)
//   sms=none           SMS not set up (default: Twilio set up); an SMS draft is at
//                      #/campaigns/cmp-sms-draft/edit?step=2 (its composer) or step=3 (review)
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "../src/App";
import { useImportStore } from "../src/stores/import";
import { useRelayStore } from "../src/stores/relay";
import { FakeBackend, seedDemo } from "../test/fakeBackend";
import { FakeCampaigns, seedCampaigns } from "../test/fakeCampaigns";
import { FakeRelay } from "../test/fakeRelay";
import { FakeSms } from "../test/fakeSms";
import { EXAMPLE_FILTER, FakeSegments } from "../test/fakeSegments";

const params = new URLSearchParams(location.search);
const fake = new FakeBackend({ latencyMs: Number(params.get("latency") ?? 120) }).install();
if (!params.has("empty")) seedDemo(fake, Number(params.get("contacts") ?? 500));
(window as unknown as { fake: FakeBackend }).fake = fake;
const segments = new FakeSegments(fake).install();
segments.now = Date.now();
if (!params.has("empty") && !params.has("nosegments")) {
  const customers = segments.add({
    name: "Customers",
    description: "Everyone tagged customer",
    filter: { all: [{ field: "tag", op: "has_any", value: ["customer"] }] },
    updatedAt: new Date(Date.now() - 26 * 3600_000).toISOString(),
  });
  segments.add({ name: "Engaged VIPs", description: "The brief's example filter", filter: EXAMPLE_FILTER, countFresh: false });
  segments.add({
    name: "Lapsed customers",
    description: null,
    filter: { all: [{ field: "segment", op: "in", value: customers.id }, { field: "last_interaction", op: "more_than_ago", value: { amount: 6, unit: "months" } }] },
    updatedAt: new Date(Date.now() - 9 * 24 * 3600_000).toISOString(),
  });
}

const campaigns = new FakeCampaigns(fake).install();
if (!params.has("empty") && !params.has("nocampaigns")) {
  const { sending } = seedCampaigns(campaigns, segments.segments[0] ?? null);
  // The sending campaign moves on while it is looked at.
  setInterval(() => campaigns.tick(sending.id), 1000);
  campaigns.perTick = 7;
}

const sms = new FakeSms(fake).install().withCampaigns(campaigns);
if (params.get("sms") !== "none") sms.configured();
if (!params.has("empty") && !params.has("nocampaigns")) {
  const segment = segments.segments[0];
  campaigns.add({
    id: "cmp-sms-draft",
    channel: "sms",
    name: "Spring sale text",
    subject: "",
    html: "",
    textBody: "Hi {{ contact.first_name }}, our spring sale starts today – 20% off everything until Sunday 🎉",
    smsOptOut: true,
    ...(segment ? { segmentId: segment.id, segmentName: segment.name } : {}),
  });
}

const relay = new FakeRelay(fake).install();
if (params.get("relay") === "set") {
  relay.configured();
  relay.waiting = [{ kind: "open" }, { kind: "open" }, { kind: "unsubscribe", unsubscribes: true }];
}
if (params.get("relay") === "failing") {
  relay.configured(240);
  relay.lastError = {
    at: new Date(Date.now() - 60_000).toISOString(),
    message: "The relay at https://relay.example.com cannot be reached: Connection refused (os error 111)",
  };
}
if (params.get("relay") === "nokeychain") relay.keychain = "unavailable";

const scheme = params.get("scheme");
if (scheme) localStorage.setItem("mantine-color-scheme-value", scheme);
else localStorage.removeItem("mantine-color-scheme-value");

const SAMPLE_CSV = [
  "Email Address,First Name,Last Name,Company,Phone Number,Country,Favourite Colour",
  "ada@example.com,Ada,Lovelace,Analytical Engines,+44 20 7946 0958,United Kingdom,green",
  "grace@example.com,Grace,Hopper,US Navy,+1 415 555 2671,US,blue",
  "not-an-email,Alan,Turing,Bletchley Park,,GB,red",
  "linus@example.com,Linus,Torvalds,Linux Foundation,12345,Finland,orange",
  "ada@example.com,Ada,King,Analytical Engines,,GB,green",
  "margaret@example.com,Margaret,Hamilton,MIT,+1 617 555 0100,US,purple",
  ",Katherine,Johnson,NASA,,US,yellow",
  "tim@example.com,Tim,Berners-Lee,W3C,+44 20 7946 0001,GB,teal",
].join("\n");

async function driveImport(target: string) {
  const s = useImportStore.getState;
  location.hash = "#/import";
  await new Promise((r) => setTimeout(r, 600));
  await s().uploadFile(new File([SAMPLE_CSV], "spring-event-leads.csv", { type: "text/csv" }));
  if (target === "mapping") return;
  await s().check();
  if (target === "review") return;
  await s().run();
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

const importTarget = params.get("import");
if (importTarget) setTimeout(() => void driveImport(importTarget), 300);
if (params.get("relay") === "keys") setTimeout(() => void useRelayStore.getState().generateKeys(), 300);
