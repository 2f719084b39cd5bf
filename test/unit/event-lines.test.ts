import {describe, expect, it} from 'vitest';
import {JsonLineParser} from '../../source/daemon/event-lines.js';
import {timed} from './timed.js';

describe('JsonLineParser', () => {
	it('keeps a UTF-8 character whole when a chunk ends inside it, wherever the cut falls', () => {
		const line = Buffer.from('{"name":"häuser 🐳 東京"}\n');
		for (let cut = 1; cut < line.length; cut++) {
			const names: string[] = [];
			const parser = new JsonLineParser<{name: string}>((value) => names.push(value.name));
			parser.push(line.subarray(0, cut));
			parser.push(line.subarray(cut));
			expect(names).toEqual(['häuser 🐳 東京']);
		}
		const names: string[] = [];
		const parser = new JsonLineParser<{name: string}>((value) => names.push(value.name));
		for (let index = 0; index < line.length; index++) parser.push(line.subarray(index, index + 1));
		expect(names).toEqual(['häuser 🐳 東京']);
	});

	it('keeps a character cut in the last line for end()', () => {
		const line = Buffer.from('{"name":"é"}');
		const names: string[] = [];
		const parser = new JsonLineParser<{name: string}>((value) => names.push(value.name));
		parser.push(line.subarray(0, 10));
		parser.push(line.subarray(10));
		parser.end();
		expect(names).toEqual(['é']);
	});

	it('reads a line of almost 1 MiB in 1-byte chunks in linear time (as many short lines)', () => {
		const total = 1024 * 1024 - 64;
		const long = Buffer.from(`{"Action":"${'x'.repeat(total - 14)}"}\n`);
		const shortLine = '{"Action":"start","n":12345678901234567890123456789012345678}\n';
		const short = Buffer.from(shortLine.repeat(Math.ceil(long.length / shortLine.length))).subarray(0, long.length);
		const run = (bytes: Buffer, budgetMs: number) => {
			let values = 0;
			const parser = new JsonLineParser<unknown>(() => values++);
			const took = timed(bytes.length, budgetMs, (index) => parser.push(bytes.subarray(index, index + 1)));
			return {took, values};
		};
		run(short, 20_000); // warm up (the JIT)
		const linear = run(short, 20_000);
		const limit = 20 * linear.took + 500;
		const result = run(long, limit);
		expect(result.took).toBeLessThan(limit);
		expect(result.values).toBe(1);
	}, 60_000); // a loaded machine is slow for both runs alike

	it('still skips a line longer than the limit, also in small chunks, and reads the next one', () => {
		const seen: Array<{Action: string}> = [];
		const parser = new JsonLineParser<{Action: string}>((value) => seen.push(value), 1000);
		const tooLong = Buffer.from(`{"Action":"${'y'.repeat(1200)}"}\n{"Action":"die"}\n`);
		for (let index = 0; index < tooLong.length; index += 7) parser.push(tooLong.subarray(index, index + 7));
		const fits = `{"Action":"${'z'.repeat(900)}"}`;
		for (let index = 0; index < fits.length; index += 3) parser.push(fits.slice(index, index + 3));
		parser.push('\n');
		expect(seen.map((event) => event.Action.slice(0, 3))).toEqual(['die', 'zzz']);
	});
});
