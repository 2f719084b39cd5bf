import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import {styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar} from '@alcalzone/ansi-tokenize';

/**
 * Ink 6.8's Output (ink/build/output.js, MIT © Vadim Demedes), which the bundle puts in Ink's
 * place (scripts/bundle-plugins.mjs), with two changes for frame time and memory:
 * - a line's styled characters and widths are kept from one frame to the next (upstream keeps
 *   them for one frame): a key press redraws a few lines, and re-tokenizing the other ones was
 *   most of a frame's allocations (about 1 MB per frame at 120x40, all of it promoted garbage);
 * - the grid's blank cells are one shared object instead of one per cell;
 * - a row of the very same characters as in the last frame reuses that frame's text.
 * Characters are never changed once made, so sharing them between frames is safe.
 * Otherwise it is upstream's logic, unchanged; test/unit/ink-output.test.ts compares the two.
 */

type Transformer = (line: string, index: number) => string;
type Clip = {x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined};
type Operation = {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]} | {type: 'clip'; clip: Clip} | {type: 'unclip'};

/** Values for this frame's keys and the last frame's: what no frame asked for is dropped. */
class TwoFrameCache<V> {
	private current = new Map<string, V>();
	private previous = new Map<string, V>();

	get(key: string, make: (key: string) => V): V {
		let value = this.current.get(key);
		if (value === undefined) {
			value = this.previous.get(key) ?? make(key);
			this.current.set(key, value);
		}
		return value;
	}

	nextFrame(): void {
		this.previous = this.current;
		this.current = new Map();
	}
}

const styledChars = new TwoFrameCache<StyledChar[]>();
const widths = new TwoFrameCache<number>();
const blockWidths = new TwoFrameCache<number>();

const getStyledChars = (line: string) => styledChars.get(line, (key) => styledCharsFromTokens(tokenize(key)));
const getStringWidth = (text: string) => widths.get(text, stringWidth);
const getWidestLine = (text: string) =>
	blockWidths.get(text, (key) => {
		let lineWidth = 0;
		for (const line of key.split('\n')) lineWidth = Math.max(lineWidth, getStringWidth(line));
		return lineWidth;
	});

const blankCell: StyledChar = {type: 'char', value: ' ', fullWidth: false, styles: []};

/**
 * The last frame's rows: a row made of the very same characters (they are shared between frames)
 * prints the same, so its text is reused instead of built again.
 */
let lastRows: Array<{cells: Array<StyledChar | undefined>; text: string}> = [];

function sameCells(a: Array<StyledChar | undefined>, b: Array<StyledChar | undefined>): boolean {
	if (a.length !== b.length) return false;
	// An index loop: holes must compare too (every() skips them).
	for (let x = 0; x < a.length; x++) if (a[x] !== b[x]) return false;
	return true;
}

function rowText(y: number, cells: Array<StyledChar | undefined>): string {
	const last = lastRows[y];
	if (last && sameCells(last.cells, cells)) {
		last.cells = cells;
		return last.text;
	}
	// Holes (a write that starts past the row's end) are dropped, as upstream does.
	const text = styledCharsToString(cells.filter((item): item is StyledChar => item !== undefined)).trimEnd();
	lastRows[y] = {cells, text};
	return text;
}

export default class Output {
	width: number;
	height: number;
	private readonly operations: Operation[] = [];

	constructor(options: {width: number; height: number}) {
		this.width = options.width;
		this.height = options.height;
	}

	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void {
		if (!text) return;
		this.operations.push({type: 'write', x, y, text, transformers: options.transformers});
	}

	clip(clip: Clip): void {
		this.operations.push({type: 'clip', clip});
	}

	unclip(): void {
		this.operations.push({type: 'unclip'});
	}

	get(): {output: string; height: number} {
		for (const cache of [styledChars, widths, blockWidths]) cache.nextFrame();
		// Every row pre-filled, so that margin and padding at the bottom are kept.
		const output: Array<Array<StyledChar | undefined>> = [];
		for (let y = 0; y < this.height; y++) output.push(new Array<StyledChar>(this.width).fill(blankCell));
		const clips: Clip[] = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') clips.push(operation.clip);
			if (operation.type === 'unclip') clips.pop();
			if (operation.type !== 'write') continue;
			const {text, transformers} = operation;
			let {x, y} = operation;
			let lines = text.split('\n');
			const clip = clips.at(-1);
			if (clip) {
				const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
				const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
				// Text wholly outside the clip is skipped before any measuring.
				if (clipHorizontally && (x + getWidestLine(text) < clip.x1! || x > clip.x2!)) continue;
				if (clipVertically && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
				if (clipHorizontally) {
					lines = lines.map((line) => {
						const from = x < clip.x1! ? clip.x1! - x : 0;
						const width = getStringWidth(line);
						const to = x + width > clip.x2! ? clip.x2! - x : width;
						return sliceAnsi(line, from, to);
					});
					if (x < clip.x1!) x = clip.x1!;
				}
				if (clipVertically) {
					const from = y < clip.y1! ? clip.y1! - y : 0;
					const height = lines.length;
					const to = y + height > clip.y2! ? clip.y2! - y : height;
					lines = lines.slice(from, to);
					if (y < clip.y1!) y = clip.y1!;
				}
			}
			let offsetY = 0;
			for (const [index, written] of lines.entries()) {
				const currentLine = output[y + offsetY];
				// A line can fall below the pre-filled rows when the text is taller than the output.
				if (!currentLine) continue;
				let line = written;
				for (const transformer of transformers) line = transformer(line, index);
				let offsetX = x;
				for (const character of getStyledChars(line)) {
					currentLine[offsetX] = character;
					// The printed width, as string-width measures it (as the layout did).
					const characterWidth = Math.max(1, getStringWidth(character.value));
					// A wide character's following cells are cleared, so no stray spaces remain.
					for (let cell = 1; cell < characterWidth; cell++) {
						currentLine[offsetX + cell] = {type: 'char', value: '', fullWidth: false, styles: character.styles};
					}
					offsetX += characterWidth;
				}
				offsetY++;
			}
		}
		if (lastRows.length > output.length) lastRows = lastRows.slice(0, output.length);
		const generatedOutput = output.map((line, y) => rowText(y, line)).join('\n');
		return {output: generatedOutput, height: output.length};
	}
}
