/**
 * Everything a daemon sends is untrusted: a container's name, labels, command, logs, an inner
 * daemon's answers and errors. Before any of it reaches the terminal it passes here: control
 * characters (C0, DEL, C1) become visible pictures (ESC is "␛"), so an escape sequence
 * (CSI, OSC, DCS, APC, PM) is shown as text and never acted on. `--json` keeps the exact bytes
 * (JSON escapes them); only what is drawn or printed as text goes through this.
 */

const controls = /[\u0000-\u001F\u007F-\u009F]/;
const everyControl = /[\u0000-\u001F\u007F-\u009F]/g;
/** SGR (colours and styles) and nothing else: ESC [ digits and semicolons m. */
const sgrOrControl = /\u001B\[[0-9;]*m|[\u0000-\u001F\u007F-\u009F]/g;

function picture(char: string): string {
	const code = char.charCodeAt(0);
	if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀ … ␟ (␛ for ESC)
	if (code === 0x7f) return '␡';
	return `<${code.toString(16)}>`; // C1: 0x9b is a one-byte CSI on some terminals
}

export interface VisibleOptions {
	/** Keep line breaks and tabs (multi-line text the app lays out itself). */
	lines?: boolean;
	/** Keep SGR colour sequences (logs, as `docker logs` shows them in a terminal). */
	sgr?: boolean;
}

export function visible(text: string, options: VisibleOptions = {}): string {
	if (!controls.test(text)) return text;
	const keep = (match: string) => (options.lines && (match === '\n' || match === '\t')) || (options.sgr && match.length > 1);
	return text.replace(options.sgr ? sgrOrControl : everyControl, (match) => (keep(match) ? match : picture(match)));
}

/** A copy of a plain value (the tree, a diff) with every string made visible, for text output. */
export function visibleDeep<T>(value: T): T {
	if (typeof value === 'string') return visible(value) as T;
	if (Array.isArray(value)) return value.map((item) => visibleDeep(item)) as T;
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [visible(key), visibleDeep(item)])) as T;
	}
	return value;
}
