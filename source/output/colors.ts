import type {Tone} from './glyphs.js';

const codes: Record<Tone | 'bold' | 'dim', [number, number]> = {
	green: [32, 39],
	yellow: [33, 39],
	gray: [90, 39],
	red: [31, 39],
	cyan: [36, 39],
	magenta: [35, 39],
	blue: [34, 39],
	bold: [1, 22],
	dim: [2, 22],
};

export type Paint = (style: keyof typeof codes, text: string) => string;

/** Colour only on a TTY, never with NO_COLOR or --no-color, always with FORCE_COLOR. */
export function colorEnabled(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env, flag?: boolean): boolean {
	if (flag === false) return false;
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
	if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
	return stream.isTTY === true;
}

export function painter(enabled: boolean): Paint {
	if (!enabled) return (_style, text) => text;
	return (style, text) => `\u001B[${codes[style][0]}m${text}\u001B[${codes[style][1]}m`;
}
