import {describe, expect, it} from 'vitest';
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
