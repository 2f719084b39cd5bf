import stringWidth, {narrowRun} from './string-width.js';

/**
 * A terminal that is not UTF-8 shows every other byte sequence as mojibake. The tree's glyphs
 * have ASCII forms of their own (output/glyphs.ts); whatever else a frame holds (separators,
 * ellipses, warnings, arrows, box lines, names from daemons) becomes ASCII here, column for
 * column, so Ink's layout stays as it measured it.
 */
const replacements: Record<string, string> = {
	'●': '*',
	'◐': '~',
	'○': 'o',
	'✕': 'x',
	'▾': 'v',
	'▸': '>',
	'·': '-',
	'…': '~',
	'—': '-',
	'–': '-',
	'⚠': '!',
	'★': '*',
	'✓': 'v',
	'⇢': '>',
	'→': '>',
	'←': '<',
	'↑': '^',
	'↓': 'v',
	'█': '#',
	'░': '-',
};

function asciiCharacter(character: string): string {
	const replaced = replacements[character];
	if (replaced) return replaced;
	const code = character.codePointAt(0)!;
	// Box drawing: lines stay lines, corners and joints become +.
	if (code >= 0x25_00 && code <= 0x25_7f) {
		if ('─━┄┅┈┉═╌╍'.includes(character)) return '-';
		if ('│┃┆┇┊┋║╎╏'.includes(character)) return '|';
		return '+';
	}
	return '?';
}

let segmenter: Intl.Segmenter | undefined;

/** The same text in ASCII, each character as many columns wide as before (escape sequences are ASCII already). */
export function asciiOnly(text: string): string {
	return text.replace(/[^\x00-\x7f]+/g, (run) => {
		// One column per character (the common case, no segmenter needed).
		if (narrowRun.test(run)) return Array.from(run, asciiCharacter).join('');
		segmenter ??= new Intl.Segmenter();
		let out = '';
		for (const {segment} of segmenter.segment(run)) {
			const width = stringWidth(segment);
			out += width === 1 && [...segment].length === 1 ? asciiCharacter(segment) : '?'.repeat(width);
		}
		return out;
	});
}

/** `stream` for Ink, with every text it writes made ASCII (the stream's own write is looked up at each call). */
export function asciiStream(stream: NodeJS.WriteStream): NodeJS.WriteStream {
	const write = (chunk: unknown, ...rest: unknown[]) =>
		(stream.write as (...args: unknown[]) => boolean).call(stream, typeof chunk === 'string' ? asciiOnly(chunk) : chunk, ...rest);
	return new Proxy(stream, {
		get(target, property) {
			if (property === 'write') return write;
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}
