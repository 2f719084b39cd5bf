import type {ProcessSession} from '../daemon/exec-session.js';
import type {TerminalGuard} from './terminal.js';

/**
 * Hand the terminal to a process in a container: raw keys go to it, its output comes here,
 * resizes are forwarded. Ink is already out of the way (nothing drawn, stdin released);
 * the alternate screen is left so the session looks like any shell, and entered again after.
 */
export async function runTerminalSession(
	guard: TerminalGuard,
	banner: string,
	open: (size: {columns: number; rows: number}, onOutput: (chunk: Buffer) => void) => Promise<ProcessSession>,
): Promise<{exitCode: number | undefined; detached: boolean}> {
	const stdin = process.stdin;
	const stdout = process.stdout;
	guard.leaveScreen();
	stdout.write(`${banner}\r\n`);
	const onOutput = (chunk: Buffer) => stdout.write(chunk);
	let session: ProcessSession | undefined;
	const onInput = (chunk: Buffer | string) => session?.send(chunk);
	const onResize = () => void session?.resize(stdout.columns, stdout.rows);
	try {
		session = await open({columns: stdout.columns, rows: stdout.rows}, onOutput);
		if (!session.interactive) stdout.write('dockerception: its main process reads no input (not started with -i): output only\r\n');
		if (stdin.isTTY) stdin.setRawMode(true);
		stdin.on('data', onInput);
		stdin.resume();
		stdout.on('resize', onResize);
		return await session.done;
	} finally {
		stdin.off('data', onInput);
		stdout.off('resize', onResize);
		stdin.pause();
		session?.input.destroy();
		guard.enterScreen();
	}
}
