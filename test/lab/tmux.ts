import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

/** Who runs a terminal's command when it is not this process's user. */
export interface TerminalUser {
	uid: number;
	gid: number;
	cwd: string;
}

/**
 * A real pseudo-terminal for end-to-end tests: tmux on a private server socket, driven with
 * send-keys and read with capture-pane, as a user's terminal would show it.
 */
export class TmuxSession {
	private static counter = 0;
	readonly name: string;
	private readonly server = `dockerception-test-${process.pid}`;

	private readonly diagnostics: (() => string) | undefined;

	/**
	 * `diagnostics`: what else a failed wait prints (the log lines of the daemon it waited on).
	 * `user`: run the command as that user, with `env` and nothing else of this process's
	 * environment but the terminal's TERM, from `cwd`.
	 */
	constructor(command: string, options: {columns?: number; rows?: number; env?: Record<string, string>; diagnostics?: () => string; user?: TerminalUser} = {}) {
		this.name = `s${TmuxSession.counter++}`;
		this.diagnostics = options.diagnostics;
		const env = Object.entries(options.env ?? {})
			.map(([key, value]) => `${key}=${shellQuote(value)}`)
			.join(' ');
		const user = options.user;
		const program = user
			? `setpriv --reuid=${user.uid} --regid=${user.gid} --init-groups env -i --chdir=${shellQuote(user.cwd)} TERM="$TERM" ${env} sh -c ${shellQuote(command)}`
			: `${env} ${command}`;
		// The shell stays after the program ends, so its exit code and the restored screen can be read.
		const script = `${program}; echo "EXIT=$?"; sleep 600`;
		this.tmux('new-session', '-d', '-s', this.name, '-x', String(options.columns ?? 120), '-y', String(options.rows ?? 40), script);
	}

	/** The visible screen as text. */
	screen(): string {
		return this.tmux('capture-pane', '-p', '-t', this.name);
	}

	/** The visible screen with its SGR colour sequences, as the terminal holds it. */
	colouredScreen(): string {
		return this.tmux('capture-pane', '-e', '-p', '-t', this.name);
	}

	keys(...keys: string[]): void {
		this.tmux('send-keys', '-t', this.name, ...keys);
	}

	/** Type text literally (no key-name lookup). */
	type(text: string): void {
		this.tmux('send-keys', '-t', this.name, '-l', text);
	}

	resize(columns: number, rows: number): void {
		this.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
	}

	/** tmux formats, e.g. "#{alternate_on}" and "#{cursor_flag}". */
	display(format: string): string {
		return this.tmux('display-message', '-p', '-t', this.name, format).trim();
	}

	async waitFor(check: (screen: string) => boolean, timeoutMs: number, what: string): Promise<number> {
		const started = Date.now();
		let last = '';
		while (Date.now() - started < timeoutMs) {
			last = this.screen();
			if (check(last)) return Date.now() - started;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		let more = '';
		try {
			more = this.diagnostics ? `\n${this.diagnostics()}` : '';
		} catch (error) {
			more = `\n(no diagnostics: ${String(error)})`;
		}
		throw new Error(`screen did not show ${what} within ${timeoutMs} ms; it shows:\n${last}${more}`);
	}

	/**
	 * End the session and every process under its pane. Killing the session alone hangs up the
	 * pane's shell, but a program under `script` has a terminal of its own and would live on
	 * (and keep watching the lab, opening execs in later tests' containers).
	 */
	kill(): void {
		try {
			const tree = descendants(Number(this.display('#{pane_pid}')));
			for (const pid of tree) {
				try {
					// SIGTERM: dockerception cleans up (a sandbox daemon it started stops) and exits.
					process.kill(pid, 'SIGTERM');
				} catch {
					// gone meanwhile
				}
			}
			this.tmux('kill-session', '-t', this.name);
			// Gone before the next test starts (a TUI still quitting would overlap it); bounded.
			// A zombie (exited, not yet reaped by an init that may never reap) counts as gone.
			const alive = (pid: number) => {
				try {
					return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
				} catch {
					return false;
				}
			};
			const deadline = Date.now() + 5000;
			while (tree.some(alive) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
		} catch {
			// already gone
		}
	}

	private tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.server, ...args], {encoding: 'utf8'});
	}
}

/** Every process below pid (children first found, then theirs). */
function descendants(pid: number): number[] {
	const found: number[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		const parent = queue.shift()!;
		let children: number[] = [];
		try {
			children = execFileSync('pgrep', ['-P', String(parent)], {encoding: 'utf8'})
				.trim()
				.split('\n')
				.filter(Boolean)
				.map(Number);
		} catch {
			// pgrep exits 1 when there are none
		}
		found.push(...children);
		queue.push(...children);
	}
	return found;
}

function shellQuote(value: string): string {
	return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Column of a tree row's state glyph, by container name (-1 when not on screen). */
export function glyphColumn(screen: string, name: string): number {
	for (const line of screen.split('\n')) {
		const column = line.search(new RegExp(`[●○◐✕] ${name.replace(/[-]/g, '\\-')}\\b`));
		if (column >= 0) return column;
	}
	return -1;
}
