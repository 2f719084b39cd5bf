import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {allCommands, Bindings, KeymapError, parseCommandLine, shownKeys} from '../../source/ui/commands/registry.js';

const plain = {ctrl: false, meta: false, shift: false, tab: false, return: false, escape: false} as Key;

describe('the command registry', () => {
	it('gives every command a unique name, a help line and keys no other command has', () => {
		const names = allCommands.map((command) => command.name);
		expect(new Set(names).size).toBe(names.length);
		for (const command of allCommands) expect(command.help.length, command.name).toBeGreaterThan(0);
		expect(() => new Bindings()).not.toThrow();
	});

	it('generates the status-bar hints from the commands', () => {
		const bindings = new Bindings();
		expect(bindings.hints(true)).toBe('n new · m mode · e shell · l logs · D diff · / filter · tab details · ? help · q quit');
		expect(bindings.hints(false)).toBe('tab details · / filter · ? help · q quit');
	});

	it('completes : command names and their words, with the key of each', () => {
		const bindings = new Bindings();
		expect(bindings.completions('lo').map((entry) => [entry.text, entry.keys])).toEqual([['logs', 'l']]);
		expect(bindings.completions('spawn s').map((entry) => entry.text)).toEqual(['spawn socket', 'spawn sysbox']);
		expect(bindings.completions('')).toHaveLength(allCommands.length);
		expect(bindings.completions('nothing-like-this')).toEqual([]);
		expect(parseCommandLine('  spawn   socket ')).toEqual({name: 'spawn', args: ['socket']});
		expect(parseCommandLine('   ')).toBeUndefined();
	});

	it('applies a user keymap: the command moves to its new key, help and hints follow', () => {
		const bindings = new Bindings({logs: 'L', diff: ['ctrl-d', 'X']});
		expect(bindings.forKey('L', {...plain, shift: true})?.name).toBe('logs');
		expect(bindings.forKey('l', plain)).toBeUndefined();
		expect(bindings.forKey('d', {...plain, ctrl: true})?.name).toBe('diff');
		expect(shownKeys(bindings.byName('diff')!)).toBe('ctrl-d X');
		expect(bindings.hints(true)).toContain('L logs');
		expect(bindings.hints(true)).toContain('ctrl-d diff');
	});

	it('refuses a keymap with an unknown command, a key that is not one, or a key bound twice', () => {
		expect(() => new Bindings({lgos: 'L'})).toThrow(new KeymapError('keys: no command "lgos" (commands: ' + allCommands.map((c) => c.name).join(', ') + ')'));
		expect(() => new Bindings({logs: 'ctrl+l'})).toThrow(/keys: logs: "ctrl\+l" is not a key/);
		expect(() => new Bindings({logs: 'd'})).toThrow('keys: "d" is bound to both logs and remove');
		expect(() => new Bindings({logs: 5})).toThrow(/"keys" maps command names to a key or a list of keys/);
		expect(() => new Bindings({logs: 'ctrl-m'})).toThrow(/"ctrl-m" is not a key/);
	});
});
