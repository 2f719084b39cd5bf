import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {keyMatches, keySpecProblem, shownKey, splitChunk} from '../../source/ui/key-spec.js';

const none: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
} as Key;

describe('key specs', () => {
	it('match named keys, ctrl keys and printable characters, nothing else', () => {
		expect(keyMatches('up', '', {...none, upArrow: true})).toBe(true);
		expect(keyMatches('enter', '\r', {...none, return: true})).toBe(true);
		expect(keyMatches('space', ' ', none)).toBe(true);
		expect(keyMatches('ctrl-r', 'r', {...none, ctrl: true})).toBe(true);
		expect(keyMatches('r', 'r', {...none, ctrl: true})).toBe(false);
		expect(keyMatches('D', 'D', {...none, shift: true})).toBe(true);
		expect(keyMatches('d', 'D', {...none, shift: true})).toBe(false);
		expect(keyMatches('tab', '', {...none, tab: true, shift: true})).toBe(false);
	});

	it('say what is wrong with a spec that is not a key', () => {
		for (const good of ['j', 'G', '?', ':', 'ctrl-l', 'pgdn', 'space']) expect(keySpecProblem(good), good).toBeUndefined();
		for (const bad of ['', 'jj', 'ctrl-L', 'ctrl-1', 'shift-a', 'é', ' ']) expect(keySpecProblem(bad), bad).toMatch(/is not a key/);
	});

	it('show arrows as arrows', () => {
		expect(['up', 'down', 'left', 'right', 'pgup', 'ctrl-r', 'k'].map(shownKey)).toEqual(['↑', '↓', '←', '→', 'PgUp', 'ctrl-r', 'k']);
	});

	it('split a chunk of plain keys (typed fast, pasted) into presses, enter included', () => {
		const presses = splitChunk('/ab\rG', none);
		expect(presses.map((press) => [press.input, press.key.return, press.key.shift])).toEqual([
			['/', false, false],
			['a', false, false],
			['b', false, false],
			['', true, false],
			['G', false, true],
		]);
		// An escape sequence, a ctrl key or text beyond ASCII stays one press.
		expect(splitChunk('r', {...none, ctrl: true})).toHaveLength(1);
		expect(splitChunk('héllo', none)).toHaveLength(1);
	});

	it('esc and a key in one read (Alt+key) are the escape alone; Ink would pass on the bare key', () => {
		const presses = splitChunk('r', none, '\u001Br');
		expect(presses).toHaveLength(1);
		expect(keyMatches('esc', presses[0]!.input, presses[0]!.key)).toBe(true);
		expect(keyMatches('r', presses[0]!.input, presses[0]!.key)).toBe(false);
		expect(splitChunk(':', none, '\u001B:').map((press) => press.key.escape)).toEqual([true]);
		// Esc alone, an arrow, and a plain key stay what they are.
		expect(splitChunk('', {...none, meta: true, escape: true}, '\u001B')).toHaveLength(1);
		expect(splitChunk('', {...none, upArrow: true}, '\u001B[A')[0]!.key.upArrow).toBe(true);
		expect(splitChunk(':', none, ':')[0]!.input).toBe(':');
	});
});
