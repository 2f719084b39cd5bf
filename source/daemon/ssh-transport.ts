import {http} from './node-http.js';
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {StreamSocket} from './stream-socket.js';

/**
 * ssh:// hosts the way the Docker CLI reaches them: the system `ssh` runs
 * `docker system dial-stdio` on the host, and its stdin/stdout carry the API. So the user's
 * ~/.ssh/config, keys, agent, known_hosts and ProxyJump all apply. BatchMode: ssh never asks
 * for a password or a host key on the terminal the TUI draws on; it fails with a reason.
 */

export interface SshTarget {
	host: string;
	port?: number;
	username?: string;
}

/** Why ssh did not give a connection, for the user, with what to do. */
export class SshError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SshError';
	}
}

/** The ssh command: DOCKERCEPTION_SSH_COMMAND ("ssh -F ./config") replaces plain `ssh`. */
export function sshCommand(target: SshTarget, env: NodeJS.ProcessEnv = process.env): string[] {
	const base = (env.DOCKERCEPTION_SSH_COMMAND ?? 'ssh').trim().split(/\s+/);
	return [
		...base,
		'-T',
		'-o',
		'BatchMode=yes',
		...(target.username ? ['-l', target.username] : []),
		...(target.port ? ['-p', String(target.port)] : []),
		'--',
		target.host,
		'docker',
		'system',
		'dial-stdio',
	];
}

/** What ssh or the remote printed before the connection closed, as one line a user can act on. */
export function sshFailure(stderr: string, target: SshTarget): SshError {
	const text = stderr.replace(/[\x00-\x08\x0e-\x1f\x7f]/g, '').trim();
	const where = `${target.username ? `${target.username}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
	if (/Host key verification failed|No .* host key is known/i.test(text)) {
		return new SshError(
			`ssh ${where}: the host key is not known yet; accept it once with: ssh ${target.port ? `-p ${target.port} ` : ''}${where.replace(/:\d+$/, '')}`,
		);
	}
	if (/REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(text)) return new SshError(`ssh ${where}: the host key changed (see ~/.ssh/known_hosts)`);
	if (/Permission denied/i.test(text)) return new SshError(`ssh ${where}: authentication failed (no key it accepts: ssh-agent, IdentityFile in ~/.ssh/config)`);
	if (/Connection refused/i.test(text)) return new SshError(`ssh ${where}: connection refused`);
	if (/Could not resolve hostname/i.test(text)) return new SshError(`ssh ${where}: host not found`);
	if (/Connection timed out|Operation timed out/i.test(text)) return new SshError(`ssh ${where}: connection timed out`);
	if (/docker: (command )?not found|docker: No such file/i.test(text)) return new SshError(`ssh ${where}: no docker CLI on the host`);
	if (/Cannot connect to the Docker daemon|dial unix/i.test(text)) return new SshError(`ssh ${where}: docker on the host cannot reach its daemon`);
	const last = text.split('\n').filter(Boolean).pop();
	return new SshError(`ssh ${where}: ${last ?? 'connection closed'}`);
}

/** One ssh process as an HTTP connection to the remote daemon. */
export class SshSocket extends StreamSocket {
	private readonly child: ChildProcessWithoutNullStreams;
	private stderr = '';
	private answered = false;

	constructor(target: SshTarget) {
		super({allowHalfOpen: true});
		// Errors go to the request that owns the socket; between owners they must not crash.
		this.on('error', () => {});
		const [command, ...args] = sshCommand(target);
		this.child = spawn(command!, args, {stdio: ['pipe', 'pipe', 'pipe']});
		this.child.on('error', (error: NodeJS.ErrnoException) => {
			this.destroy(error.code === 'ENOENT' ? new SshError(`ssh ${target.host}: no ssh client here (${command} not found); install openssh-client`) : error);
		});
		this.child.stderr.on('data', (chunk: Buffer) => {
			this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
		});
		this.child.stdout.on('data', (chunk: Buffer) => {
			if (!this.answered) {
				// A login shell that prints a banner or refuses (nologin) is not the Docker API.
				const head = chunk.subarray(0, 5).toString('latin1');
				if (!('HTTP/'.startsWith(head) || head.startsWith('HTTP/'))) {
					const said = chunk
						.toString('utf8')
						.replace(/[\x00-\x1f\x7f]+/g, ' ')
						.trim()
						.slice(0, 80);
					this.destroy(new SshError(`ssh ${target.host}: the host did not answer with the Docker API (it said "${said}")`));
					return;
				}
			}
			this.answered = true;
			this.touch();
			if (!this.push(chunk)) this.child.stdout.pause();
		});
		this.child.stdout.once('end', () => {
			if (!this.answered) return; // the exit handler says why
			this.push(null);
		});
		// 'close' comes after stderr is read to its end: the reason is complete.
		this.child.once('close', () => {
			if (!this.answered) this.destroy(sshFailure(this.stderr, target));
			else if (this.readableEnded) this.destroy();
			else this.once('end', () => this.destroy());
		});
		this.child.stdin.on('error', () => {});
	}

	protected handle() {
		return this.child as unknown as Partial<{ref(): void; unref(): void}>;
	}

	override _read(): void {
		this.child.stdout.resume();
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.touch();
		// A write to an ssh that already failed (EPIPE) is not the reason: ssh's own words are,
		// and they come when it closes.
		this.child.stdin.write(chunk, () => callback());
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		this.stopIdleClock();
		this.child.stdin.destroy();
		if (this.child.exitCode === null) this.child.kill();
		callback(error);
	}
}

/** Connections to one ssh host: each is an ssh process (pooled for requests, one per stream). */
export class SshAgent extends http.Agent {
	constructor(
		private readonly target: SshTarget,
		options: {keepAlive: boolean; maxSockets?: number},
	) {
		super({keepAlive: options.keepAlive, maxSockets: options.maxSockets ?? Infinity, maxFreeSockets: 2, timeout: 15_000});
	}

	override createConnection(): SshSocket {
		return new SshSocket(this.target);
	}
}
