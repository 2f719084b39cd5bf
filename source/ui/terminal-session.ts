import type {ProcessSession, SessionEnd} from '../daemon/exec-session.js';
import {visible} from '../output/visible.js';
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
): Promise<SessionEnd> {
	const stdin = process.stdin;
	const stdout = process.stdout;
	// Only the session writes from here on (see leaveScreen).
	const write = guard.leaveScreen();
	// The banner names the container and the shell its probe found: the daemon's and the
	// container's words, made visible. What the process writes after it passes as it is.
	write(`${visible(banner)}\r\n`);
	const onOutput = (chunk: Buffer) => write(chunk);
	let session: ProcessSession | undefined;
	const deliver = (open: ProcessSession, chunk: Buffer | string) => {
		if (open.tty || !open.interactive) open.send(chunk);
		else open.send(asLines(chunk, write));
	};
	// Keys typed while the session opens are held for it, not echoed by a cooked terminal
	// (which would also swallow ctrl-q, the end of the default detach keys).
	const early: Array<Buffer | string> = [];
	const onInput = (chunk: Buffer | string) => (session ? deliver(session, chunk) : early.push(chunk));
	const onResize = () => void session?.resize(stdout.columns, stdout.rows);
	if (stdin.isTTY) stdin.setRawMode(true);
	stdin.on('data', onInput);
	stdin.resume();
	try {
		session = await open({columns: stdout.columns, rows: stdout.rows}, onOutput);
		if (!session.interactive) write('dockerception: its main process reads no input (not started with -i): output only\r\n');
		for (const chunk of early.splice(0)) deliver(session, chunk);
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

/**
 * The terminal is raw, but a process without a TTY reads lines and echoes nothing: Enter
 * becomes a newline and what is typed is shown here, as a terminal in line mode would.
 */
function asLines(chunk: Buffer | string, echo: (text: string) => void): string {
	const text = chunk.toString().replace(/\r\n?/g, '\n');
	echo(text.replace(/\n/g, '\r\n').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, ''));
	return text;
}
