import * as upstreamTokenize from '@alcalzone/ansi-tokenize';
import {build} from 'esbuild';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
// Ink's own Output, which the bundle replaces (not an export of the package: by path).
import UpstreamOutput from '../../node_modules/ink/build/output.js';
import Output from '../../source/ui/ink-output.js';
import {fasterInkOutput} from '../../scripts/bundle-plugins.mjs';

const red = (text: string) => `\u001B[31m${text}\u001B[39m`;
const bold = (text: string) => `\u001B[1m${text}\u001B[22m`;
const inverse = (text: string) => `\u001B[7m${text}\u001B[27m`;
const link = (text: string) => `\u001B]8;;https://example.com\u0007${text}\u001B]8;;\u0007`;

/** Lines like the ones Ink writes: the tree's glyphs, colours, wide text, emoji, marks. */
const samples = [
	'plain ascii',
	'├─ ● dind-a  [DinD]  dockerception-lab/dind:2  Up 5 minutes  ⇢ Docker 20.10.24',
	`${red('●')} ${bold('default')}  Docker 20.10.24 · 6 ctrs (5 up)`,
	inverse(`▾ ${red('●')} selected row ${bold('bold')} tail`),
	'日本語のコンテナ and ｱﾞ halfwidth',
	'👩‍👩‍👧 family 🇫🇷 flag 1️⃣ keycap ☀️ sun',
	'e\u0301 combining, \u1100\u1161\u11A8 jamo, zero\u200Bwidth',
	`⠦ ${red('1 connecting')} ✓ ✗ ⚠ ★ ─│┌┐└┘`,
	link('a link'),
	'tab\there and a \r carriage return',
	`${red('red then')} ${bold(red('bold red'))} plain`,
];

describe("Ink's output, as the bundle draws it", () => {
	it('draws what upstream draws: writes, overlaps, wide characters, clips and transformers', () => {
		const operations = (output: {write: UpstreamOutput['write']; clip: UpstreamOutput['clip']; unclip: UpstreamOutput['unclip']}) => {
			samples.forEach((text, index) => output.write(index % 3, index * 2, text, {transformers: []}));
			// Overlapping writes: a later one covers part of an earlier one (a dialog over the tree).
			output.write(5, 2, bold('OVER'), {transformers: []});
			output.write(1, 8, '漢字漢字', {transformers: []});
			output.write(2, 8, 'x', {transformers: []});
			output.clip({x1: 4, x2: 20, y1: 1, y2: 30});
			output.write(0, 4, `${samples[1]}\n${samples[2]}\n${samples[4]}`, {transformers: [(line, index) => `${index}:${line}`]});
			output.write(50, 4, 'outside the clip', {transformers: []});
			output.unclip();
			output.clip({x1: undefined, x2: undefined, y1: 20, y2: 22});
			output.write(0, 19, 'one\ntwo\nthree\nfour', {transformers: []});
			output.unclip();
			output.write(0, 35, 'below the last row', {transformers: []});
		};
		const upstream = new UpstreamOutput({width: 60, height: 30});
		operations(upstream);
		const expected = upstream.get();
		// Three frames in a row: the second and third take their lines from the kept caches.
		for (let frame = 0; frame < 3; frame++) {
			const ours = new Output({width: 60, height: 30});
			operations(ours);
			expect(ours.get()).toEqual(expected);
		}
	});

	it('a line that changes between frames is drawn anew, not taken from the last frame', () => {
		const draw = (text: string) => {
			const output = new Output({width: 30, height: 1});
			output.write(0, 0, text, {transformers: []});
			return output.get().output;
		};
		expect(draw(red('first'))).toBe(red('first'));
		expect(draw(bold('second'))).toBe(bold('second'));
		expect(draw(red('first'))).toBe(red('first'));
	});
});

describe('the bundle’s patches to ansi-tokenize and slice-ansi', () => {
	let directory: string;
	let patched: typeof upstreamTokenize & {sliceAnsi: (text: string, start: number, end?: number) => string};
	let upstreamSlice: (text: string, start: number, end?: number) => string;

	beforeAll(async () => {
		directory = mkdtempSync(join(tmpdir(), 'dockerception-ink-patches-'));
		const entry = join(directory, 'entry.mjs');
		await build({
			stdin: {contents: "export * from '@alcalzone/ansi-tokenize'; export {default as sliceAnsi} from 'slice-ansi';", resolveDir: process.cwd()},
			outfile: entry,
			bundle: true,
			format: 'esm',
			platform: 'node',
			plugins: [fasterInkOutput],
			logLevel: 'error',
		});
		patched = (await import(pathToFileURL(entry).href)) as typeof patched;
		upstreamSlice = (await import('slice-ansi')).default;
	});
	afterAll(() => rmSync(directory, {recursive: true, force: true}));

	it('tokenizes and prints back every sample as upstream does', () => {
		for (const sample of samples) {
			expect(patched.tokenize(sample), sample).toEqual(upstreamTokenize.tokenize(sample));
			const chars = patched.styledCharsFromTokens(patched.tokenize(sample));
			expect(chars, sample).toEqual(upstreamTokenize.styledCharsFromTokens(upstreamTokenize.tokenize(sample)));
			expect(patched.styledCharsToString(chars), sample).toBe(
				upstreamTokenize.styledCharsToString(upstreamTokenize.styledCharsFromTokens(upstreamTokenize.tokenize(sample))),
			);
			expect(patched.sliceAnsi(sample, 2, 12), sample).toBe(upstreamSlice(sample, 2, 12));
		}
	});

	it('splits every character beside its neighbours as upstream does', () => {
		const different: string[] = [];
		// The patch splits characters below U+2C00 itself; the rest go to the segmenter as before.
		for (let code = 0; code < 0x3000; code++) {
			const character = String.fromCharCode(code);
			// Beside the characters the patch splits itself (a text with any other goes to the
			// segmenter whole, as upstream): letters, itself, box drawing, shapes, braille, Latin-1.
			for (const text of [`a${character}b`, `${character}${character}`, `─${character}●`, `${character}⠋é`]) {
				if (JSON.stringify(patched.tokenize(text)) !== JSON.stringify(upstreamTokenize.tokenize(text))) {
					different.push(code.toString(16));
					break;
				}
			}
		}
		expect(different).toEqual([]);
	}, 30_000);
});
