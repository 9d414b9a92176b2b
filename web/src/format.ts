// Numbers for people: money in the model's currency, fractions as percentages, plain numbers
// with their unit, dates.  The browser's locale decides separators.

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, compact: boolean): Intl.NumberFormat {
  const key = `${currency}|${compact}`;
  let f = moneyFormats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, compact
        ? { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }
        : { style: 'currency', currency, maximumFractionDigits: 0 });
    } catch {
      f = new Intl.NumberFormat(undefined, { maximumFractionDigits: compact ? 1 : 0, notation: compact ? 'compact' : 'standard' });
    }
    moneyFormats.set(key, f);
  }
  return f;
}

/** 1234567 USD -> "$1,234,567"; compact: "$1.2M".  null and NaN -> "—". */
export function money(v: number | null | undefined, currency: string, compact = false): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return moneyFormat(currency, compact).format(v);
}

const pctFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** A fraction as a percentage: 0.643 -> "64.3%". */
export function pct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return pctFormat.format(v);
}

const numFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const numFormatPrecise = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 6 });

/** A plain number, with its unit when given: 12000 "1/month" -> "12,000 /month". */
export function num(v: number | null | undefined, unit?: string | null): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const text = Math.abs(v) < 1 && v !== 0 ? numFormatPrecise.format(v) : numFormat.format(v);
  if (!unit) return text;
  if (unit === '%') return `${text}%`;
  if (unit.startsWith('1/')) return `${text} /${unit.slice(2)}`;
  return `${text} ${unit}`;
}

/** Months, one decimal: 12.05 -> "12.1 months". */
export function months(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'not within the horizon';
  return `${numFormat.format(Math.round(v * 10) / 10)} months`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const stampFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });

/** "2026-01-31" or an RFC 3339 time -> "Jan 31, 2026". */
export function date(v: string | null | undefined): string {
  if (!v) return '—';
  const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
  return Number.isNaN(d.getTime()) ? v : dateFormat.format(d);
}

/** An RFC 3339 time with hours and minutes (UTC). */
export function stamp(v: string | null | undefined): string {
  if (!v) return '—';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : stampFormat.format(d);
}

/** Today (UTC) as "YYYY-MM-DD", moved by `days`. */
export function isoDay(days = 0, from?: string): string {
  const d = from ? new Date(`${from}T00:00:00Z`) : new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "value_engineer" -> "Value engineer". */
export function words(id: string): string {
  const s = id.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const ROLE_NAMES: Record<string, string> = {
  admin: 'Administrator',
  value_engineer: 'Value engineer',
  seller: 'Seller',
  csm: 'Customer success',
  executive: 'Executive',
  customer: 'Customer',
  partner: 'Partner',
};
