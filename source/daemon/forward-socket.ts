import {execFile} from 'node:child_process';
import {chmodSync, existsSync, lstatSync, mkdirSync, rmSync} from 'node:fs';
import {createHash} from 'node:crypto';
import {connect as netConnect, createServer, type Server, type Socket} from 'node:net';
import {homedir} from 'node:os';
import {join} from 'node:path';
import type {Duplex} from 'node:stream';
import {promisify} from 'node:util';
import {UserError} from '../errors.js';
import {visible} from '../output/visible.js';
import type {DaemonClient} from './client.js';
import {unreachableReason} from './reasons.js';

/**
 * A nested daemon served on a unix socket of its own, so the user's own tools (docker, compose,
 * lazydocker) reach it: each connection to the socket is piped byte for byte to a new connection
 * to the daemon, whatever its route (a /proc socket, an exec tunnel through each level, tcp,
 * ssh). Hijacked and upgraded connections (attach, exec -it, build sessions) are bytes too. Never
 * a TCP listener: the socket is 0600 in a 0700 directory.
 */

/** Where forwards live: $XDG_RUNTIME_DIR/dockerception, else the state directory. */
export function forwardDirectory(env: NodeJS.ProcessEnv = process.env): string {
	if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'dockerception');
	return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'dockerception', 'forward');
}

/**
 * default/dind-b/dind-b1 -> default.dind-b.dind-b1-1a2b3c4d.sock: readable, with a hash of the
 * path (a.b/c and a/b.c must not meet), and short (a unix socket path has about 107 bytes).
 */
export function forwardSocketPath(daemonPath: string, env: NodeJS.ProcessEnv = process.env): string {
	const readable = daemonPath.replace(/[^A-Za-z0-9_.-]/g, '.').slice(0, 40);
	return join(forwardDirectory(env), `${readable}-${createHash('sha256').update(daemonPath).digest('hex').slice(0, 8)}.sock`);
}

/**
 * Another dockerception serves that socket: something accepts connections on it. A refused
 * connection means a socket left by one that died (a slow daemon behind a live one still accepts).
 */
export function liveForward(socketPath: string): Promise<boolean> {
	if (!existsSync(socketPath)) return Promise.resolve(false);
	return new Promise((resolve) => {
		const probe = netConnect(socketPath);
		probe.once('connect', () => {
			probe.destroy();
			resolve(true);
		});
		probe.once('error', () => resolve(false));
	});
}

export interface Forward {
	socketPath: string;
	/** Connections being piped now. */
	readonly active: number;
	close(): Promise<void>;
}

export interface ForwardBinding {
	/** The daemon ID the forward serves: a connection reaching another daemon is refused. */
	daemonId: string;
	/** Said once when the daemon at the path turned out to be another one; the forward has ended. */
	onEnded?: (reason: string) => void;
	/** A connection found the daemon unreachable (a restart leaves a pinned route dead): reach it again. */
	onUnreachable?: () => void;
}

/** The ID a forward is bound to, asked once as it starts; one line when there is none. */
export async function forwardedDaemonId(client: DaemonClient, shownPath: string): Promise<string> {
	let info: {ID?: unknown};
	try {
		info = (await client.docker.info()) as {ID?: unknown};
	} catch (error) {
		throw new UserError(`${shownPath}: ${unreachableReason(error)}`);
	}
	if (typeof info.ID !== 'string' || !info.ID) throw new UserError(`${shownPath}: the daemon there does not say its ID`);
	return info.ID;
}

/**
 * The forward's directory, made if missing: ours (not a link, owned by this user) and 0700, so
 * nobody else can put a socket of theirs where the user's tools will connect.
 */
function ownDirectory(directory: string): void {
	mkdirSync(directory, {recursive: true, mode: 0o700});
	const stats = lstatSync(directory);
	const uid = process.getuid?.();
	if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid)) {
		throw new UserError(`${visible(directory)} is not a directory of this user's: remove it or set XDG_RUNTIME_DIR`);
	}
	chmodSync(directory, 0o700);
}

/**
 * `daemon`: the client, or how to get the current one (a watcher reconnects with a new client).
 * Every connection first asks the daemon its ID (over the pooled connection, one question for
 * connections that arrive together): a container replaced at that path, or a route that now
 * leads elsewhere, ends the forward instead of serving another daemon.
 */
export async function startForward(daemon: DaemonClient | (() => DaemonClient), socketPath: string, binding: ForwardBinding): Promise<Forward> {
	ownDirectory(join(socketPath, '..'));
	if (existsSync(socketPath)) {
		// A socket left by a forward that died: ours to replace; anything else is not.
		if (!lstatSync(socketPath).isSocket()) throw new UserError(`${visible(socketPath)} exists and is not a socket: remove it first`);
		rmSync(socketPath);
	}
	const open = new Set<Socket | Duplex>();
	let ended = false;
	let piped = 0;
	let asking: {client: DaemonClient; answer: Promise<string | undefined>} | undefined;
	const identify = (client: DaemonClient): Promise<string | undefined> => {
		if (asking?.client !== client) {
			const answer = client.docker.info().then(
				(info: {ID?: unknown}) => (typeof info.ID === 'string' ? info.ID : ''),
				() => undefined,
			);
			const question = {client, answer};
			asking = question;
			void answer.finally(() => {
				if (asking === question) asking = undefined;
			});
		}
		return asking.answer;
	};
	const end = (reason: string) => {
		if (ended) return;
		ended = true;
		for (const stream of open) stream.destroy();
		server.close();
		binding.onEnded?.(reason);
	};
	const pipe = (local: Socket, client: DaemonClient) => {
		let remote: Duplex;
		try {
			remote = client.connect();
		} catch {
			local.destroy();
			return;
		}
		open.add(remote);
		piped++;
		let finished = false;
		const done = () => {
			if (!finished) piped--;
			finished = true;
			open.delete(local);
			open.delete(remote);
			local.destroy();
			remote.destroy();
		};
		local.on('error', done).on('close', done);
		remote.on('error', done).on('close', done);
		local.pipe(remote, {end: client.halfClose});
		remote.pipe(local);
	};
	// Half-open: a client that is done writing (docker run without -i closes its side of the
	// attach at once) still reads the output.
	const server: Server = createServer({allowHalfOpen: true, pauseOnConnect: true}, (local) => {
		let client: DaemonClient;
		try {
			client = typeof daemon === 'function' ? daemon() : daemon;
		} catch {
			local.destroy();
			return;
		}
		open.add(local);
		local.once('close', () => open.delete(local));
		local.on('error', () => local.destroy());
		void identify(client).then((id) => {
			if (local.destroyed || ended) return local.destroy();
			if (id === undefined) {
				// Unreachable now: this connection fails, the next asks again.
				local.destroy();
				binding.onUnreachable?.();
				return;
			}
			if (id !== binding.daemonId) {
				local.destroy();
				end(`the daemon there is another one now (ID ${visible(id.slice(0, 12)) || 'none'}, was ${visible(binding.daemonId.slice(0, 12))})`);
				return;
			}
			pipe(local, client);
			local.resume();
		});
	});
	// The socket is created 0600: no moment when another user could connect. The bind happens
	// within listen(), so the umask is back before anything else runs.
	const listening = new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.once('listening', () => resolve());
	});
	const umask = process.umask(0o177);
	try {
		server.listen(socketPath);
	} finally {
		process.umask(umask);
	}
	await listening;
	// Later errors (too many open files on accept) end that connection, not the program.
	server.on('error', () => {});
	return {
		socketPath,
		get active() {
			return piped;
		},
		async close() {
			ended = true;
			for (const stream of open) stream.destroy();
			// Closing unlinks the socket; removing it again could take a successor's.
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

const run = promisify(execFile);

/** `--context NAME`: a Docker context for the socket, made now and removed with the forward. */
export async function createContext(name: string, socketPath: string): Promise<() => Promise<void>> {
	try {
		await run('docker', ['context', 'create', name, '--description', 'dockerception forward', '--docker', `host=unix://${socketPath}`]);
	} catch (error) {
		const said = String((error as {stderr?: string}).stderr ?? (error as Error).message)
			.trim()
			.split('\n')[0];
		throw new UserError(`--as-context ${name}: docker context create failed: ${visible(said ?? '')}`);
	}
	return async () => {
		await run('docker', ['context', 'rm', '--force', name]).catch(() => {});
	};
}
