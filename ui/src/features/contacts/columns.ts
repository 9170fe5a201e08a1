import type { ContactSortField } from "../../bindings/ContactSortField";

export type Column = {
  field: ContactSortField;
  label: string;
  /** A CSS grid track: at least `min`, sharing the rest by `fr`. */
  width: string;
  align?: "right";
};

export const COLUMNS: Column[] = [
  { field: "name", label: "Name", width: "minmax(160px, 1.3fr)" },
  { field: "email", label: "Email", width: "minmax(200px, 1.7fr)" },
  { field: "company", label: "Company", width: "minmax(130px, 1.1fr)" },
  { field: "country", label: "Country", width: "minmax(140px, 0.9fr)" },
  { field: "createdAt", label: "Created", width: "minmax(120px, 0.7fr)" },
  { field: "lastInteractionAt", label: "Last interaction", width: "minmax(140px, 0.8fr)" },
  { field: "revenue", label: "Revenue", width: "minmax(100px, 0.7fr)", align: "right" },
];

/** The narrowest the table gets before it scrolls sideways: the sum of the minimums. */
export const MIN_WIDTH = 990;

export const GRID_TEMPLATE = COLUMNS.map((c) => c.width).join(" ");
export const ROW_HEIGHT = 52;
export const HEADER_HEIGHT = 40;
/** Start fetching the next page when this many loaded rows are left below the viewport. */
export const PREFETCH_ROWS = 30;
