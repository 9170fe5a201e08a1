// How the settings form names currencies and time zones.

let currencyNames: Intl.DisplayNames | null = null;

/** "EUR — Euro"; just the code where the name is unknown. */
export function currencyLabel(code: string): string {
  let name: string | undefined;
  try {
    currencyNames ??= new Intl.DisplayNames(undefined, { type: "currency" });
    name = currencyNames.of(code);
  } catch {
    name = undefined;
  }
  return name && name !== code ? `${code} — ${name}` : code;
}

const zoneLabels = new Map<string, string>();

/**
 * "America/New York (GMT-4)": the zone's offset at `at`, where the platform
 * knows the zone. Without `at`, the offset when first asked (remembered: the
 * form labels hundreds of zones).
 */
export function timeZoneLabel(zone: string, at?: Date): string {
  if (at) return zoneLabelAt(zone, at);
  let label = zoneLabels.get(zone);
  if (label === undefined) {
    label = zoneLabelAt(zone, new Date());
    zoneLabels.set(zone, label);
  }
  return label;
}

function zoneLabelAt(zone: string, at: Date): string {
  const place = zone.replace(/_/g, " ");
  try {
    const offset = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "shortOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value;
    return offset ? `${place} (${offset})` : place;
  } catch {
    return place;
  }
}
