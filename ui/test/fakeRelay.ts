// The relay_* commands of docs/ipc.md over a FakeBackend, for component and
// store tests and the dev preview page: a relay URL, keys in a pretend
// keychain, and a relay whose events can be queued up for "Sync now".
import type { ConnectionTest } from "../src/bindings/ConnectionTest";
import type { GeneratedKeys } from "../src/bindings/GeneratedKeys";
import type { KeychainStatus } from "../src/bindings/KeychainStatus";
import type { RelayStatus } from "../src/bindings/RelayStatus";
import type { SyncSummary } from "../src/bindings/SyncSummary";
import { commandError, type FakeBackend } from "./fakeBackend";

export const NO_KEYCHAIN =
  "No keychain is reachable: Herald needs a Secret Service on the session bus. Install and unlock GNOME Keyring, then try again. Herald keeps relay keys only in the system keychain, never in a file";

/** A queued relay event, as it changes a contact. */
export type FakeEvent = { kind: string; unsubscribes?: boolean };

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** `n` random base64url characters, like the real keys. */
const randomish = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => ALPHABET[b % 64]).join("");

export class FakeRelay {
  url: string | null = null;
  keychain: "ready" | "unavailable" = "ready";
  signingKeyId: number | null = null;
  previousSigningKeyId: number | null = null;
  apiToken = false;
  lastSyncAt: string | null = null;
  lastError: { at: string; message: string } | null = null;
  lastSync: SyncSummary | null = null;
  eventsApplied = 0;
  /** Events waiting on the relay. */
  waiting: FakeEvent[] = [];
  /** When set, the relay refuses (or cannot be reached) with this message. */
  failure: string | null = null;

  constructor(private fake: FakeBackend) {}

  install(): this {
    const f = this.fake;
    f.on("relay_status", () => this.status());
    f.on("relay_set_url", (a) => this.setUrl(a.url as string));
    f.on("relay_generate_keys", () => this.generate());
    f.on("relay_rotate_keys", () => this.rotate());
    f.on("relay_test_connection", () => this.test());
    f.on("relay_sync_now", () => this.sync());
    return this;
  }

  /** A relay set up and synced `minutesAgo` minutes ago. */
  configured(minutesAgo = 3): this {
    this.url = "https://relay.example.com";
    this.signingKeyId = 1;
    this.apiToken = true;
    this.lastSyncAt = new Date(Date.now() - minutesAgo * 60_000).toISOString();
    this.eventsApplied = 42;
    return this;
  }

  private keychainStatus(): KeychainStatus {
    if (this.keychain === "unavailable") return { state: "unavailable", message: NO_KEYCHAIN };
    return { state: "ready", signingKeyId: this.signingKeyId, previousSigningKeyId: this.previousSigningKeyId, apiToken: this.apiToken };
  }

  status(): RelayStatus {
    return {
      url: this.url,
      lastSyncAt: this.lastSyncAt,
      lastError: this.lastError,
      lastSync: this.lastSync,
      eventsApplied: this.eventsApplied,
      keychain: this.keychainStatus(),
      intervalSeconds: 60,
    };
  }

  private setUrl(raw: string): RelayStatus {
    const url = raw.trim().replace(/\/+$/, "");
    if (!url) throw commandError("validation", "Enter the relay's address, e.g. https://relay.example.com", "url");
    if (/^http:\/\//.test(url) && !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])([:/]|$)/.test(url)) {
      throw commandError(
        "validation",
        `"${url}" uses plain HTTP: the API token would cross the internet unencrypted; use https://`,
        "url",
      );
    }
    if (!/^https?:\/\/[^/\s]+/.test(url)) throw commandError("validation", `"${url}" is not a URL; write it as https://relay.example.com`, "url");
    if (url !== this.url) {
      this.url = url;
      this.lastError = null;
      this.lastSync = null;
    }
    return this.status();
  }

  private requireKeychain() {
    if (this.keychain === "unavailable") throw commandError("keychain_unavailable", NO_KEYCHAIN);
  }

  private keys(): GeneratedKeys {
    const signingKey = `${this.signingKeyId}:${randomish(43)}`;
    const apiToken = randomish(43);
    const previous = this.previousSigningKeyId ? `${this.previousSigningKeyId}:${randomish(43)}` : null;
    const env = [`HERALD_RELAY_SIGNING_KEY=${signingKey}`, previous && `HERALD_RELAY_PREVIOUS_SIGNING_KEY=${previous}`, `HERALD_RELAY_API_TOKEN=${apiToken}`];
    const toml = [`signing_key = "${signingKey}"`, previous && `previous_signing_key = "${previous}"`, `api_token = "${apiToken}"`];
    return {
      signingKeyId: this.signingKeyId!,
      previousSigningKeyId: this.previousSigningKeyId,
      signingKey,
      apiToken,
      envLines: `${env.filter(Boolean).join("\n")}\n`,
      tomlLines: `${toml.filter(Boolean).join("\n")}\n`,
    };
  }

  private generate(): GeneratedKeys {
    this.requireKeychain();
    if (this.signingKeyId !== null) {
      throw commandError("conflict", `This workspace already has relay keys (signing key ${this.signingKeyId}); rotate the signing key instead`);
    }
    this.signingKeyId = 1;
    this.apiToken = true;
    return this.keys();
  }

  private rotate(): GeneratedKeys {
    this.requireKeychain();
    if (this.signingKeyId === null) throw commandError("conflict", "This workspace has no relay keys to rotate yet; generate them first");
    this.previousSigningKeyId = this.signingKeyId;
    this.signingKeyId = this.signingKeyId === 255 ? 1 : this.signingKeyId + 1;
    return this.keys();
  }

  private connectable() {
    if (!this.url) throw commandError("conflict", "The relay is not set up: no relay URL yet");
    this.requireKeychain();
    if (!this.apiToken) throw commandError("conflict", "The relay is not set up: no API token in this computer's keychain; generate the relay keys first");
  }

  private test(): ConnectionTest {
    this.connectable();
    if (this.failure) throw commandError("relay", this.failure);
    return { url: this.url!, eventsWaiting: this.waiting.length > 0 };
  }

  private sync(): SyncSummary {
    this.connectable();
    const at = new Date().toISOString();
    if (this.failure) {
      this.lastError = { at, message: this.failure };
      throw commandError("relay", this.failure);
    }
    const events = this.waiting.splice(0);
    const byKind: Record<string, number> = {};
    for (const e of events) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    const summary: SyncSummary = {
      finishedAt: at,
      received: events.length,
      recorded: events.length,
      byKind,
      unsubscribed: events.filter((e) => e.unsubscribes).length,
      resubscribed: 0,
      bounced: 0,
      complained: 0,
      smsOptedOut: 0,
      smsOptedIn: 0,
      unmatched: 0,
    };
    this.eventsApplied += events.length;
    this.lastSyncAt = at;
    this.lastError = null;
    this.lastSync = summary;
    return summary;
  }
}
