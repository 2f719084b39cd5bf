import type {Duplex} from 'node:stream';
import type {DaemonClient} from './client.js';
import {detachBytes} from './detach-keys.js';
import {StdioDemuxer} from './stdio-demux.js';

/**
 * An interactive process in a container, through the Docker API (no docker CLI here):
 * `exec` runs a new command, `attach` joins the main process. With a TTY the stream is raw;
 * without one it is multiplexed and split into stdout and stderr.
 */
export interface ProcessSession {
	/** Bytes for the process's stdin. */
	input: Duplex;
	/** Keys typed by a user: written to stdin, watched for the detach sequence. */
	send(chunk: Buffer | string): void;
	/** false: the process reads no stdin (output only; the detach keys still leave). */
	interactive: boolean;
	/** The process has a TTY (raw bytes both ways); without one it reads plain lines. */
	tty: boolean;
	/** Resize the process's TTY (no-op without one). */
	resize(columns: number, rows: number): Promise<void>;
	/** Resolves when the stream ends: the exit code, or 'detached' when it still runs. */
	done: Promise<SessionEnd>;
}

export interface ExecOptions {
	cmd: string[];
	tty: boolean;
	stdin: boolean;
	/** Docker's detach sequence, as the CLI's --detach-keys (scanned by the daemon, TTY only). */
	detachKeys?: string;
	env?: string[];
	columns?: number;
	rows?: number;
	onStdout: (chunk: Buffer) => void;
	onStderr: (chunk: Buffer) => void;
	/** For a command that must finish (a probe): its stream ends after this long without output. */
	stallMs?: number;
}

export async function startExec(client: DaemonClient, containerId: string, options: ExecOptions): Promise<ProcessSession> {
	const exec = await client.docker.getContainer(containerId).exec({
		Cmd: options.cmd,
		AttachStdin: options.stdin,
		AttachStdout: true,
		AttachStderr: true,
		Tty: options.tty,
		...(options.env ? {Env: options.env} : {}),
		...(options.detachKeys ? {DetachKeys: options.detachKeys} : {}),
		...(options.tty && options.columns && options.rows ? {ConsoleSize: [options.rows, options.columns]} : {}),
	} as Parameters<ReturnType<DaemonClient['docker']['getContainer']>['exec']>[0]);
	const stream = (await client.streams.getExec(exec.id).start({
		hijack: true,
		stdin: options.stdin,
		Detach: false,
		Tty: options.tty,
	} as object)) as unknown as Duplex;
	pipeOutput(stream, options);
	const resize = async (columns: number, rows: number) => {
		if (!options.tty) return;
		// 500 once the process has exited: nothing left to resize.
		await exec.resize({h: rows, w: columns}).catch(() => {});
	};
	if (options.tty && options.columns && options.rows) await resize(options.columns, options.rows);
	const watcher = detachWatcher(options.detachKeys);
	const done = ended(stream).then(() =>
		outcome(async () => {
			const info = await client.docker
				.getExec(exec.id)
				.inspect()
				.catch(() => undefined);
			return {running: info?.Running === true, exitCode: info?.ExitCode ?? undefined};
		}, watcher.seen),
	);
	const send = (chunk: Buffer | string) => {
		watcher.watch(chunk);
		stream.write(chunk);
	};
	return {input: stream, send, interactive: options.stdin, tty: options.tty, resize, done};
}

export async function attachContainer(client: DaemonClient, containerId: string, options: Omit<ExecOptions, 'cmd' | 'env'>): Promise<ProcessSession> {
	const container = client.streams.getContainer(containerId);
	const info = await client.docker.getContainer(containerId).inspect();
	const tty = info.Config.Tty;
	const stdin = options.stdin && info.Config.OpenStdin;
	const stream = (await container.attach({
		stream: true,
		stdin,
		stdout: true,
		stderr: true,
		hijack: true,
		...(options.detachKeys ? {detachKeys: options.detachKeys} : {}),
	} as object)) as unknown as Duplex;
	pipeOutput(stream, {...options, tty});
	const resize = async (columns: number, rows: number) => {
		if (!tty) return;
		await client.docker
			.getContainer(containerId)
			.resize({h: rows, w: columns})
			.catch(() => {});
	};
	if (tty && options.columns && options.rows) await resize(options.columns, options.rows);
	const watcher = detachWatcher(options.detachKeys);
	const done = ended(stream).then(() =>
		outcome(async () => {
			const after = await client.docker
				.getContainer(containerId)
				.inspect()
				.catch(() => undefined);
			return {running: after?.State.Running === true, exitCode: after?.State.ExitCode};
		}, watcher.seen),
	);
	// The daemon watches for the detach keys only on a TTY's stdin; otherwise they end the
	// session here (the container, which never saw them, keeps running).
	const send = (chunk: Buffer | string) => {
		watcher.watch(chunk);
		if (watcher.seen() && !(stdin && tty)) stream.destroy();
		else if (stdin) stream.write(chunk);
	};
	return {input: stream, send, interactive: stdin, tty, resize, done};
}

function pipeOutput(stream: Duplex, options: {tty: boolean; onStdout: (chunk: Buffer) => void; onStderr: (chunk: Buffer) => void; stallMs?: number}): void {
	if (options.tty) {
		stream.on('data', options.onStdout);
	} else {
		// A stream whose frames cannot be read ends the session, with one line saying why.
		const demuxer = new StdioDemuxer(options.onStdout, options.onStderr, {
			...(options.stallMs ? {stallMs: options.stallMs} : {}),
			onRefuse: (error) => {
				options.onStderr(Buffer.from(`dockerception: ${error.message}\n`));
				stream.destroy();
			},
		});
		stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
		stream.once('close', () => demuxer.stop());
	}
}

export interface SessionEnd {
	exitCode: number | undefined;
	/** Still running: the user detached. */
	detached: boolean;
	/** The detach keys were typed (some engines end an exec on detach rather than leave it running). */
	detachTyped: boolean;
}

/**
 * How a session ended. The stream closes as the process exits, a moment before the daemon
 * records the exit: a process still running is only "detached" once the user typed the
 * detach keys; otherwise its exit is waited for briefly.
 */
async function outcome(read: () => Promise<{running: boolean; exitCode: number | undefined}>, detachTyped: () => boolean): Promise<SessionEnd> {
	const deadline = Date.now() + 2000;
	for (;;) {
		const state = await read();
		if (!state.running) return {exitCode: state.exitCode, detached: false, detachTyped: detachTyped()};
		if (detachTyped() || Date.now() > deadline) return {exitCode: undefined, detached: true, detachTyped: detachTyped()};
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Remembers whether the detach sequence went by in what the user typed. */
function detachWatcher(keys: string | undefined): {watch(chunk: Buffer | string): void; seen(): boolean} {
	const sequence = keys ? detachBytes(keys) : Buffer.alloc(0);
	let recent = Buffer.alloc(0);
	let seen = false;
	return {
		watch(chunk) {
			if (sequence.length > 0 && !seen) {
				// stdin may hand over strings (an encoding was set on it): compare bytes.
				recent = Buffer.concat([recent, Buffer.from(chunk)]).subarray(-Math.max(sequence.length, 64));
				seen = recent.includes(sequence);
			}
		},
		seen: () => seen,
	};
}

function ended(stream: Duplex): Promise<void> {
	return new Promise((resolve) => {
		stream.once('end', resolve);
		stream.once('close', resolve);
		stream.once('error', () => resolve());
	});
}

/** More than any path: what a probe says beyond it is not read. */
const maxShellAnswerBytes = 4096;

/**
 * The first shell the container has: bash when present, else sh (what `e` opens). The answer
 * comes from the container, so it is read up to maxShellAnswerBytes and for at most the
 * client's timeout; a probe that says nothing usable in that time gets /bin/sh.
 */
export async function pickShell(client: DaemonClient, containerId: string, deadlineMs = client.timeoutMs): Promise<string> {
	let output = '';
	let read = 0;
	let finished = false;
	let probe: ProcessSession | undefined;
	let timer: NodeJS.Timeout | undefined;
	await new Promise<void>((resolve) => {
		const finish = () => {
			finished = true;
			resolve();
		};
		timer = setTimeout(finish, deadlineMs);
		startExec(client, containerId, {
			cmd: ['sh', '-c', 'command -v bash || command -v sh'],
			tty: false,
			stdin: false,
			onStdout: (chunk) => {
				if (finished) return;
				const taken = chunk.subarray(0, maxShellAnswerBytes - read);
				read += taken.length;
				output += taken.toString();
				if (output.includes('\n') || read >= maxShellAnswerBytes) finish();
			},
			onStderr: () => {},
		}).then(
			(started) => {
				probe = started;
				if (finished) started.input.destroy();
				else void started.done.then(finish);
			},
			// No sh at all: let the shell exec itself report it.
			finish,
		);
	});
	clearTimeout(timer);
	// The probe may go on writing: what it says from here on is not read.
	probe?.input.destroy();
	const first = output.split('\n')[0]!.trim();
	return first.startsWith('/') ? first : '/bin/sh';
}
