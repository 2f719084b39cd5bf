import {describe, expect, it} from 'vitest';
import {terminalGuard} from '../../source/ui/terminal.js';

/** A terminal that records what reaches it (write on the prototype, as on a real stream). */
class RecordingTerminal {
	readonly written: string[] = [];
	write(chunk: string | Uint8Array): boolean {
		this.written.push(String(chunk));
		return true;
	}
}

describe('the terminal while a session holds it', () => {
	it('only the session writes: a frame Ink draws late is dropped, and every way back ends that', () => {
		const terminal = new RecordingTerminal();
		const stdout = terminal as unknown as NodeJS.WriteStream;
		const guard = terminalGuard(stdout, {isTTY: false} as NodeJS.ReadStream);
		guard.enter();

		const write = guard.leaveScreen();
		write('dockerception: attached to default/web\r\n');
		// What Ink still had pending (its render is throttled) would erase the lines above.
		stdout.write('\u001B[2K\u001B[1A\u001B[2K');
		write('tick 1\r\n');
		guard.enterScreen();
		stdout.write('the tree again');
		const shown = terminal.written.join('');
		expect(shown).toContain('attached to default/web\r\ntick 1\r\n');
		expect(shown).not.toContain('\u001B[2K\u001B[1A');
		expect(shown.endsWith('the tree again')).toBe(true);

		// A crash or a signal during a session restores the terminal through the same writes.
		guard.leaveScreen();
		guard.restore();
		stdout.write('after restore');
		expect(terminal.written.at(-1)).toBe('after restore');
		expect(terminal.written.at(-2)).toContain('\u001B[?1049l');
	});
});
