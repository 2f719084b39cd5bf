import {oneLine} from '../errors.js';

/**
 * The terminal's state outside Ink: the alternate screen, the cursor and raw mode. restore()
 * is idempotent and runs on every way out; fatal signals and crashes go through onFatal.
 */
export interface TerminalGuard {
	enter(): void;
	restore(): void;
	/**
	 * For a shell session: back to the normal screen, cursor shown, and the terminal the
	 * session's alone. Returns the session's way to write: other writes are dropped until
	 * enterScreen (a frame Ink still had pending is drawn up to two throttle periods late, and
	 * would erase the session's first lines).
	 */
	leaveScreen(): (chunk: string | Uint8Array) => void;
	/** After it: the alternate screen again, cleared, cursor hidden (Ink hides it only once). */
	enterScreen(): void;
	onFatal(handler: (code: number, message: string) => void): void;
}

const enterAlternate = '\u001B[?1049h\u001B[H';
const leaveAlternate = '\u001B[?1049l';
const showCursor = '\u001B[?25h';
const hideCursor = '\u001B[?25l';
const clearScreen = '\u001B[2J\u001B[H';

const signalCodes: Record<string, number> = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129};

export function terminalGuard(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): TerminalGuard {
	let entered = false;
	let fatal: ((code: number, message: string) => void) | undefined;
	// While a session holds the terminal, stdout.write is replaced by a no-op (an own property
	// over the prototype's); dropping that property gives every writer the terminal back.
	const writeHeld = () => Object.prototype.hasOwnProperty.call(stdout, 'write');
	const releaseWrites = () => {
		if (writeHeld()) Reflect.deleteProperty(stdout, 'write');
	};
	const restore = () => {
		releaseWrites();
		if (!entered) return;
		entered = false;
		if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
		stdout.write(`${leaveAlternate}${showCursor}`);
	};
	const die = (code: number, message: string) => {
		if (fatal) fatal(code, message);
		else {
			restore();
			process.stderr.write(`dockerception: ${message}\n`);
			process.exit(code);
		}
	};
	for (const [signal, code] of Object.entries(signalCodes)) {
		process.once(signal, () => die(code, `stopped by ${signal}`));
	}
	// A message may carry a daemon's words, and lines: one visible line (errors.ts).
	process.once('uncaughtException', (error) => die(1, `unexpected error: ${oneLine(error)}`));
	process.once('unhandledRejection', (reason) => die(1, `unexpected error: ${oneLine(reason)}`));
	// Last resort: whatever ends the process, the screen is given back.
	process.once('exit', restore);
	return {
		enter() {
			entered = true;
			stdout.write(enterAlternate);
		},
		restore,
		leaveScreen() {
			stdout.write(`${leaveAlternate}${showCursor}`);
			const write = stdout.write.bind(stdout);
			if (!writeHeld()) Object.defineProperty(stdout, 'write', {value: () => true, configurable: true, writable: true});
			return (chunk) => void write(chunk);
		},
		enterScreen() {
			releaseWrites();
			stdout.write(`${enterAlternate}${clearScreen}${hideCursor}`);
		},
		onFatal(handler) {
			fatal = handler;
		},
	};
}
