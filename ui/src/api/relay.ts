import { invoke } from "@tauri-apps/api/core";
import type { ConnectionTest } from "../bindings/ConnectionTest";
import type { GeneratedKeys } from "../bindings/GeneratedKeys";
import type { RelayStatus } from "../bindings/RelayStatus";
import type { SyncSummary } from "../bindings/SyncSummary";

/** The relay URL, the last sync and its error, and which keys the keychain holds (never their values). */
export function relayStatus(): Promise<RelayStatus> {
  return invoke<RelayStatus>("relay_status");
}

/** Saves the relay's base URL (`validation` on field `url` when it is not one Herald will use). */
export function relaySetUrl(url: string): Promise<RelayStatus> {
  return invoke<RelayStatus>("relay_set_url", { url });
}

/**
 * Creates the signing key and API token in the keychain. The answer is the
 * only time they are shown: keep it no longer than the dialog that shows it.
 */
export function relayGenerateKeys(): Promise<GeneratedKeys> {
  return invoke<GeneratedKeys>("relay_generate_keys");
}

/** A new current signing key; the old one stays accepted as the previous key. Shown once, like generation. */
export function relayRotateKeys(): Promise<GeneratedKeys> {
  return invoke<GeneratedKeys>("relay_rotate_keys");
}

/** The relay is up and accepts this computer's API token (`relay` error otherwise, in plain words). */
export function relayTestConnection(): Promise<ConnectionTest> {
  return invoke<ConnectionTest>("relay_test_connection");
}

/** Pulls and applies the relay's new events now, and says what they changed. */
export function relaySyncNow(): Promise<SyncSummary> {
  return invoke<SyncSummary>("relay_sync_now");
}
