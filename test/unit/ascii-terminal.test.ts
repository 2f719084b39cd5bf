import {Writable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {asciiOnly, asciiStream} from '../../source/ui/ascii-terminal.js';
import stringWidth from '../../source/ui/string-width.js';

/** What a terminal that is not UTF-8 is sent: ASCII only, every line as wide as Ink laid it out. */
describe('ASCII output', () => {
	const samples = [
		'┌─ default ─ 17 containers ─┐┌─ daemon default ─┐',
		'│└─ ▾● dind-b1  DinD  20.10.24 · 3 ctrs · swarm manager ★ 2jqn3w3j  Up 2 min…│',
		'⚠ privileged: root on the host · ↑↓ scroll · ⇢ shares default · ✕ unreachable — ◐ ○',
		'日本語のコンテナ · 👩‍👩‍👧 family · 🇫🇷 · e\u0301 · café',
		'\u001B[36m\u001B[1m┌─ dind-b1 ─┐\u001B[22m\u001B[39m',
	];

	it.each(samples)('%s', (text) => {
		const ascii = asciiOnly(text);
		expect(ascii).toMatch(/^[\x00-\x7f]*$/);
		expect(stringWidth(ascii)).toBe(stringWidth(text));
	});

	it('draws the tree in the glyph set’s own ASCII forms and keeps escape sequences', () => {
		expect(asciiOnly('┌─ a ─┐ │ └─ ▾● x · ◐ ○ ✕ …')).toBe('+- a -+ | +- v* x - ~ o x ~');
		expect(asciiOnly('\u001B[32m●\u001B[39m')).toBe('\u001B[32m*\u001B[39m');
	});

	it('writes through whatever write the stream has at the time (a session holding the terminal drops them)', () => {
		const written: string[] = [];
		const stream = new Writable({write: (chunk: Buffer, _encoding, done) => (written.push(chunk.toString()), done())}) as unknown as NodeJS.WriteStream;
		const wrapped = asciiStream(stream);
		wrapped.write('● up');
		Object.defineProperty(stream, 'write', {value: () => true, configurable: true, writable: true});
		wrapped.write('● dropped');
		Reflect.deleteProperty(stream, 'write');
		wrapped.write('○ back');
		expect(written).toEqual(['* up', 'o back']);
		expect(wrapped.writable).toBe(true);
	});
});
