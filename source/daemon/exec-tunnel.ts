import {http} from './node-http.js';
import type {Duplex} from 'node:stream';
import {StreamSocket} from './stream-socket.js';
import type Docker from 'dockerode';
import {TimeoutError} from '../errors.js';
import {StdioDemuxer} from './stdio-demux.js';

/**
 * Why a tunnel failed, for decisions (retries, the tcp fallback): `no-cli` no new tunnel can
 * fix; `daemon-down` the container answered but its daemon does not (yet); `closed` anything else.
 */
export type TunnelFailure = 'no-cli' | 'daemon-down' | 'closed';

/** What `docker system dial-stdio` printed before the tunnel closed, turned into a reason. */
export class TunnelError extends Error {
	constructor(
		message: string,
		readonly failure: TunnelFailure = 'closed',
	) {
		super(message);
		this.name = 'TunnelError';
	}
}

export interface TunnelTarget {
	/** Client of the daemon that runs the container, with request timeouts. */
	docker: Docker;
	/** Same daemon, no request timeout: the hijacked exec stream lives as long as the tunnel. */
	streams: Docker;
	containerId: string;
	timeoutMs: number;
	/** The parent client was closed: open nothing more through it. */
	closed?: () => boolean;
}

export const dialStdioCommand = ['docker', 'system', 'dial-stdio'];

/**
 * A byte stream to the daemon inside a container: an exec of `docker system dial-stdio`
 * started through the parent daemon's API (Tty false, so stdout arrives multiplexed).
 * It is used as an HTTP connection, so it also offers the socket methods Node's Agent calls.
 * It exists at once and connects in the background (writes wait): Node's Agent counts a
 * connection only once createConnection returns one, so a socket that arrived later would
 * let every queued request open a tunnel of its own.
 */
export class TunnelSocket extends StreamSocket {
	execId: string | undefined;
	private inner: Duplex | undefined;
	private readonly waiting: Array<() => void> = [];
	private stderrTail = '';
	/** The first raw bytes: when exec itself fails the daemon writes its error here, unframed. */
	private rawHead = '';
	private state: 'waiting' | 'http' | 'failed' = 'waiting';
	/** Carries an upgraded (hijacked) exec or attach stream, not HTTP requests. */
	private hijacked = false;

	/** Settles once the tunnel is open or failed to open. */
	readonly opened: Promise<void>;

	constructor(opening: Promise<{socket: Duplex; execId: string}>) {
		super({allowHalfOpen: true});
		this.opened = opening.then(
			() => undefined,
			() => undefined,
		);
		// A request listens for errors once it owns the socket; between owners (pooled, or
		// handed over by the agent on the next tick) an error must not crash the process.
		this.on('error', () => {});
		opening.then(
			({socket, execId}) => {
				if (this.destroyed) {
					socket.destroy();
					return;
				}
				this.execId = execId;
				this.attach(socket);
				for (const resume of this.waiting.splice(0)) resume();
			},
			(error: Error) => this.destroy(error),
		);
	}

	private attach(inner: Duplex): void {
		this.inner = inner;
		const demuxer = new StdioDemuxer(
			(chunk) => {
				if (this.state === 'waiting') {
					const head = chunk.subarray(0, 5).toString('latin1');
					this.state = 'HTTP/'.startsWith(head) || head.startsWith('HTTP/') ? 'http' : 'failed';
				}
				if (this.state !== 'http') return;
				this.touch();
				if (!this.push(chunk)) inner.pause();
			},
			(chunk) => {
				this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000);
			},
			{
				// No stall deadline here: a request sets the socket's idle timeout, an event or log
				// stream may idle for ever.
				onRefuse: (error) => {
					// Unframed bytes before any answer are exec's own error: read when the stream ends.
					if (error.reason === 'not-multiplexed' && this.state === 'waiting') return;
					this.destroy(new TunnelError(`exec tunnel: ${error.message}`));
				},
			},
		);
		inner.on('data', (chunk: Buffer) => {
			if (this.rawHead.length < 4000) this.rawHead += chunk.toString('latin1');
			demuxer.push(chunk);
		});
		// The hijacked socket never ends the demultiplexed side by itself: do it here.
		const finish = () => {
			demuxer.stop();
			if (this.destroyed) return;
			if (this.state !== 'http') {
				this.destroy(tunnelFailure(`${this.rawHead}\n${this.stderrTail}`));
				return;
			}
			// The daemon closes right after the last byte (Connection: close); a paused reader
			// (an image piped into a slower load) still has to get what is buffered, so close
			// only once it has read to the end.
			this.push(null);
			if (this.readableEnded) this.destroy();
			else this.once('end', () => this.destroy());
		};
		inner.once('end', finish);
		inner.once('close', finish);
		inner.once('error', (error: Error) => this.destroy(error));
	}

	override _read(): void {
		this.inner?.resume();
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.touch();
		if (!this.hijacked && /\r\nupgrade:/i.test(chunk.toString('latin1', 0, Math.min(chunk.length, 2048)))) this.hijacked = true;
		if (this.inner) this.inner.write(chunk, callback);
		else this.waiting.push(() => this.inner!.write(chunk, callback));
	}

	/**
	 * A FIN ends dial-stdio's stdin, and it half-closes its daemon connection in turn. On plain
	 * HTTP the daemon takes that for a client gone and drops the request: no half-close. On a
	 * hijacked exec or attach it is the end of the process's stdin (`echo x | exec -i … cat`),
	 * which must reach the process through every level.
	 */
	override _final(callback: (error?: Error | null) => void): void {
		if (!this.hijacked) {
			callback();
			return;
		}
		const end = () => this.inner!.end(callback);
		if (this.inner) end();
		else this.waiting.push(end);
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		this.stopIdleClock();
		this.inner?.destroy();
		callback(error);
	}

	protected handle() {
		return this.inner as Partial<{ref(): void; unref(): void}> | undefined;
	}

	/** Recent stderr of dial-stdio: the reason when a request through the tunnel fails. */
	get diagnostics(): string {
		return this.stderrTail.trim();
	}
}

/** Turn dial-stdio's last words into a typed error with a reason a user can act on. */
export function tunnelFailure(output: string): TunnelError {
	// Drop frame headers and other control bytes the raw error may carry.
	const text = output.replace(/[\x00-\x08\x0e-\x1f]/g, '').trim();
	if (/executable file not found|no such file or directory.*docker"|not found in \$PATH/i.test(text)) {
		return new TunnelError('no docker CLI in container; publish 2375 or install docker-cli', 'no-cli');
	}
	const dial = /(dial unix [^:]+: connect: [^\n]+|Cannot connect to the Docker daemon[^\n]*)/i.exec(text);
	if (dial) return new TunnelError(`inner daemon not answering (${dial[1]!.trim()})`, 'daemon-down');
	const last = text
		.split('\n')
		.filter((line) => line.trim() !== '')
		.pop();
	if (last) return new TunnelError(`tunnel closed: ${last.trim()}`);
	return new TunnelError('tunnel closed before the inner daemon answered');
}

/** Open one tunnel: create the exec, start it hijacked, bounded by the timeout. */
export function openExecTunnel(target: TunnelTarget): TunnelSocket {
	return new TunnelSocket(startDialStdio(target));
}

async function startDialStdio(target: TunnelTarget): Promise<{socket: Duplex; execId: string}> {
	if (target.closed?.()) throw new TunnelError('connection closed');
	const container = target.docker.getContainer(target.containerId);
	const exec = await container.exec({
		Cmd: dialStdioCommand,
		AttachStdin: true,
		AttachStdout: true,
		AttachStderr: true,
		Tty: false,
	});
	const abort = new AbortController();
	const timer = setTimeout(() => abort.abort(), target.timeoutMs);
	try {
		const socket = (await target.streams.getExec(exec.id).start({
			hijack: true,
			stdin: true,
			Detach: false,
			Tty: false,
			abortSignal: abort.signal,
		} as Docker.ExecStartOptions)) as unknown as Duplex;
		return {socket, execId: exec.id};
	} catch (error) {
		if (abort.signal.aborted) throw new TimeoutError('opening exec tunnel', target.timeoutMs);
		if (/executable file not found/i.test(String(error))) {
			throw tunnelFailure(String(error));
		}
		throw error;
	} finally {
		clearTimeout(timer);
	}
}

/** How long a pool answers "daemon down" without an exec after one said so. */
const daemonDownMemoryMs = 1000;

export interface TunnelAgentOptions {
	maxSockets?: number;
	/** false: one tunnel per request, closed when it ends (for streams). */
	keepAlive?: boolean;
	/** Close a pooled tunnel (and its exec) after this long unused. */
	idleMs?: number;
}

/**
 * A keep-alive HTTP agent whose connections are exec tunnels: one exec serves many
 * requests, and idle ones are closed (which ends their exec) after idleMs.
 */
export class TunnelAgent extends http.Agent {
	private readonly open: () => Duplex;
	private closed = false;
	/** A failure no new tunnel can fix (no docker CLI): requests still queued get it, not an exec each. */
	private broken: TunnelError | undefined;

	constructor(open: () => Duplex, options: TunnelAgentOptions = {}) {
		super({
			keepAlive: options.keepAlive ?? true,
			maxSockets: options.maxSockets ?? Infinity,
			maxFreeSockets: 2,
			timeout: options.idleMs ?? 15_000,
		});
		this.open = open;
	}

	/** Until when a daemon-down failure is given to new requests without an exec. */
	private downUntil = 0;

	override createConnection(): Duplex {
		const down = this.broken?.failure === 'daemon-down' && Date.now() >= this.downUntil ? undefined : this.broken;
		if (this.closed || down) {
			const reason = down ?? new TunnelError('connection closed');
			// A closed pool opens nothing. The refusal comes a macrotask later, once the waiting
			// request owns the socket and fails with it (and so leaves the queue); an error before
			// that would leave the request queued and the agent would make another socket at once.
			return new TunnelSocket(new Promise((_resolve, reject) => setImmediate(() => reject(reason))));
		}
		const socket = this.open();
		socket.once('error', (error: Error) => {
			if (!(error instanceof TunnelError)) return;
			// A daemon down is down for the requests queued now too: one exec tells, not one per
			// request (a silent DinD is probed with four at once). Later requests try again.
			if (error.failure === 'no-cli') this.broken = error;
			if (error.failure === 'daemon-down') {
				this.broken = error;
				this.downUntil = Date.now() + daemonDownMemoryMs;
			}
		});
		return socket;
	}

	override destroy(): void {
		this.closed = true;
		super.destroy();
	}
}
