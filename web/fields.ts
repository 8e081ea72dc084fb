/**
 * The Configure step's form, read from the config schema (the one source of truth): each key's group (its
 * `x-group`), kind of control, description and default. A key added to the schema shows up here without a
 * change; the `Run` group (inject, uninstall, mode, targets, failOn) is the page's own to decide, never typed.
 */
import {
  ANNOTATION_PREFIX,
  DEFAULTS,
  kebab,
  PROPERTIES,
  SETTING_GROUPS,
  SETTING_KEYS,
  type PropertySchema,
} from '../fn/index';

/** The form's groups, in order: the schema's, but for what the page decides itself. */
export const GROUPS: readonly string[] = SETTING_GROUPS.filter((group) => group !== 'Run');

export type Control = 'checkbox' | 'select' | 'number' | 'text' | 'textarea';

export interface Field {
  key: string;
  /** The key in words (the schema's `title`): the form's label, with the key shown small beside it. */
  title: string;
  /** One of the settings most users change (`x-common`): the short form at the top of Configure. */
  common: boolean;
  group: string;
  control: Control;
  description: string;
  /** The schema's default, as the form shows it ('' when there is none). */
  default: string;
  options?: string[];
  /** The annotation that sets it per workload, when it has one. */
  annotation?: string;
}

const CONTROLS: Record<PropertySchema['type'], Control> = {
  boolean: 'checkbox',
  integer: 'number',
  string: 'text',
  array: 'text',
};

export const FIELDS: readonly Field[] = SETTING_KEYS.filter((key) => GROUPS.includes(PROPERTIES[key]['x-group'])).map(
  (key) => {
    const schema = PROPERTIES[key];
    return {
      key,
      title: schema.title,
      common: schema['x-common'] === true,
      group: schema['x-group'],
      control: schema.enum ? 'select' : schema['x-list'] === 'env' ? 'textarea' : CONTROLS[schema.type],
      description: schema.description,
      default: DEFAULTS[key] === undefined ? '' : JSON.stringify(DEFAULTS[key]).replace(/^"(.*)"$/, '$1'),
      ...(schema.enum && { options: schema.enum }),
      ...(schema['x-annotation'] && { annotation: `${ANNOTATION_PREFIX}${kebab(key)}` }),
    };
  },
);

/**
 * What the form holds (text, as typed) -> the typed SidecarInjector spec. An integer that is not digits stays
 * text, so the function's own validation names it; an empty field is unset.
 */
export function specOf(form: Readonly<Record<string, string>>): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    if (value === '') continue;
    const type = PROPERTIES[key]?.type;
    if (type === 'boolean') spec[key] = value === 'true' ? true : value === 'false' ? false : value;
    else if (type === 'integer') spec[key] = /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    else spec[key] = value;
  }
  return spec;
}

/** The form's short list: the schema's `x-common` keys, in schema order. */
export const COMMON_FIELDS: readonly Field[] = FIELDS.filter((f) => f.common);

/**
 * A help text as the schema writes it (Markdown's `code` spans) -> text and <code> pieces, so the page shows
 * code as code and never a literal backtick. An unpaired backtick stays text.
 */
export function helpPieces(text: string): { code: boolean; text: string }[] {
  return text
    .split(/(`[^`]+`)/)
    .filter(Boolean)
    .map((piece) =>
      /^`[^`]+`$/.test(piece) ? { code: true, text: piece.slice(1, -1) } : { code: false, text: piece },
    );
}
