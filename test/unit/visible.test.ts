import {describe, expect, it} from 'vitest';
import {oneLine} from '../../source/errors.js';
import {visible, visibleDeep} from '../../source/output/visible.js';

describe('visible: text from daemons made inert for a terminal', () => {
	it('shows escape sequences as text instead of sending them', () => {
		expect(visible('note\u001B]0;TITLE\u0007\u001B[2J\u001B[31mRED')).toBe('note␛]0;TITLE␇␛[2J␛[31mRED');
		expect(visible('\u001BP+q544e\u001B\\')).toBe('␛P+q544e␛\\');
	});

	it('shows C1 controls (0x9b is a one-byte CSI) and DEL by their code', () => {
		expect(visible('a\u009B6n\u007Fb')).toBe('a<9b>6n␡b');
	});

	it('keeps SGR colours only when asked (logs), and line breaks only when asked', () => {
		expect(visible('\u001B[32mok\u001B[0m\u001B]52;c;x\u0007', {sgr: true})).toBe('\u001B[32mok\u001B[0m␛]52;c;x␇');
		expect(visible('a\nb\tc')).toBe('a␊b␉c');
		expect(visible('a\nb\tc', {lines: true})).toBe('a\nb\tc');
	});

	it('leaves ordinary text, Unicode included, as it is', () => {
		const text = 'dind-b1 · 20.10.24 ✓ ünïcödé';
		expect(visible(text)).toBe(text);
	});

	it('makes every string of a plain value visible, keys too', () => {
		expect(visibleDeep({name: 'x\u001B[2J', labels: {'k\u0007': 'v'}, ports: [1]})).toEqual({name: 'x␛[2J', labels: {'k␇': 'v'}, ports: [1]});
	});
});

describe('oneLine: the line a user sees for any error', () => {
	it('makes a message of many lines and escape sequences one visible line', () => {
		expect(oneLine(new Error('inner daemon says:\n\u001B]0;TITLE\u0007\r\n  more'))).toBe('inner daemon says: ␛]0;TITLE␇ more');
	});

	it('still gives a line for a thrown value that cannot be turned into a string', () => {
		expect(oneLine(Object.create(null))).toBe('an error that cannot be shown');
		const odd = new Error('x');
		(odd as unknown as {message: unknown}).message = {toString: () => 'a\nb'};
		expect(oneLine(odd)).toBe('a b');
	});
});
