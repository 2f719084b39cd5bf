import {execFile, spawn, type ChildProcess, type StdioOptions} from 'node:child_process';
import {chownSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {inject} from 'vitest';
import type {SeatState} from './global-setup.js';
import {labHost} from './lab.js';
import {seatIds} from './seat-user.js';
import {TmuxSession} from './tmux.js';

/**
 * Who runs the CLI in an end-to-end test. The e2e project runs it as root, which also has the
 * /proc route to nested daemons; the e2e-group project runs the same files as a user in the group
 * that owns the lab daemon's socket, as most users sit (seat-user.ts): no /proc route, every
 * level an exec tunnel. Every CLI a test starts goes through here; the test's own Docker API
 * calls (setting up, checking) stay root's.
 */
export const groupSeat = inject('seat') === 'group';

const lab = inject('lab');

/** The seat's user; fails the test with the reason when the lab could not make one. */
export function seatUser(): SeatState {
	if (!lab.seat) throw new Error(lab.seatProblem ?? 'no docker-group seat (run the tests through vitest with the e2e-group project)');
	return lab.seat;
}

/** DOCKER_HOST for the CLI in this seat: the lab's socket, or the one of the seat's group. */
export function seatHost(): string {
	return groupSeat ? seatUser().host : labHost();
}

/** What of this process's environment a user's shell would have too. */
const passed = ['PATH', 'LANG', 'LC_ALL', 'TERM', 'TZ', 'CI', 'NODE_EXTRA_CA_CERTS'];

type Env = Record<string, string | undefined>;

/**
 * The environment of a command in this seat: root's own (as before), or a user's login-like one
 * (its HOME, its XDG_RUNTIME_DIR); DOCKER_HOST is the seat's lab socket; `env` on top (undefined
 * removes a variable).
 */
export function seatEnv(env: Env = {}): NodeJS.ProcessEnv {
	const base: Env = groupSeat
		? {
				...Object.fromEntries(passed.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]])),
				HOME: seatUser().home,
				USER: seatUser().name,
				LOGNAME: seatUser().name,
				XDG_RUNTIME_DIR: seatUser().runtimeDir,
			}
		: {...process.env};
	const merged: Env = {...base, DOCKER_HOST: seatHost(), ...env};
	return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv;
}

/** A command line as this seat runs it: as is, or under setpriv as the seat's user. */
function asSeat(file: string, args: string[]): [string, string[]] {
	return groupSeat ? ['setpriv', [...seatIds(seatUser()), file, ...args]] : [file, args];
}

/** dist/bin/cli.js, where this seat's user can read it. */
export function seatCli(): string {
	return groupSeat ? seatUser().cli : 'dist/bin/cli.js';
}

/** Where the seat's processes start: the working tree (root), or the user's home. */
const seatCwd = () => (groupSeat ? seatUser().home : process.cwd());

export interface RunOptions {
	env?: Env;
	timeout?: number;
}

/** Any program in this seat, as execFile runs it (rejects with code, stdout and stderr on a non-zero exit). */
export function runAsSeat(file: string, args: string[], options: RunOptions = {}): Promise<{stdout: string; stderr: string}> {
	const [command, argv] = asSeat(file, args);
	return promisify(execFile)(command, argv, {env: seatEnv(options.env), cwd: seatCwd(), ...(options.timeout ? {timeout: options.timeout} : {})});
}

/** `dockerception ARGS` in this seat. */
export function runCli(args: string[], options: RunOptions = {}): Promise<{stdout: string; stderr: string}> {
	return runAsSeat('node', [seatCli(), ...args], options);
}

/** Any program in this seat, as a child process to talk to or signal. */
export function spawnAsSeat(file: string, args: string[], options: {env?: Env; stdio?: StdioOptions} = {}): ChildProcess {
	const [command, argv] = asSeat(file, args);
	return spawn(command, argv, {env: seatEnv(options.env), cwd: seatCwd(), stdio: options.stdio ?? 'pipe'});
}

/** `dockerception ARGS` in this seat, as a child process to talk to or signal. */
export function spawnCli(args: string[], options: {env?: Env; stdio?: StdioOptions} = {}): ChildProcess {
	return spawnAsSeat('node', [seatCli(), ...args], options);
}

type TerminalOptions = NonNullable<ConstructorParameters<typeof TmuxSession>[1]>;

/**
 * A command in a real terminal in this seat. Its environment is what the test gives (and, for
 * root, the terminal's own); DOCKER_HOST defaults to the seat's lab socket.
 */
export function seatTerminal(command: string, options: TerminalOptions = {}): TmuxSession {
	if (!groupSeat) return new TmuxSession(command, {...options, env: {DOCKER_HOST: seatHost(), ...options.env}});
	const user = seatUser();
	// TERM is the terminal's (tmux's), not this process's.
	const {TERM: _term, ...env} = seatEnv(options.env) as Record<string, string>;
	return new TmuxSession(command, {...options, env, user: {uid: user.uid, gid: user.gid, cwd: user.home}});
}

/** `dockerception ARGS` in a real terminal in this seat. */
export function cliTerminal(args: string, options: TerminalOptions = {}): TmuxSession {
	return seatTerminal(`node ${seatCli()}${args ? ` ${args}` : ''}`, options);
}

/** A new empty directory of the seat's user (an XDG_RUNTIME_DIR, a config home). */
export function seatTempDir(prefix: string): string {
	const directory = mkdtempSync(join(tmpdir(), prefix));
	if (groupSeat) chownSync(directory, seatUser().uid, seatUser().gid);
	return directory;
}
