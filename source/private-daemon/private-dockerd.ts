import {http} from '../daemon/node-http.js';
import {spawn, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {UserError} from '../errors.js';

/**
 * A dockerd that belongs to dockerception alone: its own socket, data-root, exec-root and
 * pidfile under one state directory, its own bridge and no iptables changes, so it never
 * touches the user's daemon. Used by `--sandbox` and by the test lab.
 */
export interface PrivateDockerdOptions {
	stateDir: string;
	/** How long to wait for the socket to answer. */
	readyTimeoutMs?: number;
	/** Extra OCI runtimes, name to executable (`--add-runtime`). */
	runtimes?: Record<string, string>;
	/**
	 * More unix sockets to listen on, besides the state dir's own (which may sit where only root
	 * can reach it), and the group they get (`--group`; dockerd otherwise picks `docker` if it exists).
	 */
	sockets?: {paths: string[]; group: string};
}

export interface PrivateDockerd {
	host: string;
	socketPath: string;
	stateDir: string;
	pid: number;
	/** True when a daemon from an earlier run was still answering and was kept. */
	reused: boolean;
	stop(): Promise<void>;
}

export interface Prerequisites {
	root: boolean;
	dockerd?: string;
	/** What to run to get what is missing, when something is. */
	advice?: string;
}

/** `command -v` without a shell: the TUI asks at start-up, where a fork costs milliseconds. */
export function which(command: string): string | undefined {
	for (const directory of (process.env.PATH ?? '').split(delimiter)) {
		if (!directory) continue;
		const candidate = join(directory, command);
		try {
			accessSync(candidate, constants.X_OK);
			if (statSync(candidate).isFile()) return candidate;
		} catch {
			// Not here: the next directory.
		}
	}
	return undefined;
}

export function checkPrerequisites(): Prerequisites {
	const root = process.getuid?.() === 0;
	const dockerd = which('dockerd');
	const missing: string[] = [];
	if (!root) missing.push('run as root (sudo)');
	if (!dockerd) missing.push('install the engine: apt-get install -y docker.io');
	return {root, ...(dockerd ? {dockerd} : {}), ...(missing.length ? {advice: missing.join('; ')} : {})};
}

/**
 * A bridge name and subnet derived from the state dir, so two private daemons never share
 * (or delete) each other's bridge. Subnets come from 172.30.0.0/16, rarely used by hosts.
 */
export function bridgeFor(stateDir: string): {name: string; cidr: string} {
	const digest = createHash('sha256').update(stateDir).digest();
	return {name: `dcpt${digest.toString('hex').slice(0, 8)}`, cidr: `172.30.${(digest[4]! % 250) + 2}.1/24`};
}

export async function startPrivateDockerd(options: PrivateDockerdOptions): Promise<PrivateDockerd> {
	const prerequisites = checkPrerequisites();
	if (prerequisites.advice) {
		throw new UserError(`a private dockerd needs root and dockerd: ${prerequisites.advice}`);
	}
	const stateDir = options.stateDir;
	const socketPath = join(stateDir, 'docker.sock');
	const pidFile = join(stateDir, 'docker.pid');
	const host = `unix://${socketPath}`;
	mkdirSync(stateDir, {recursive: true, mode: 0o700});

	// Always a bridge of its own: dockerd with --bridge=none deletes an existing docker0 at
	// start-up (moby removeDefaultBridgeInterface), the user's own daemon's bridge.
	const bridge = bridgeFor(stateDir);
	const runningPid = livePid(pidFile);
	const runtimeArgs = Object.entries(options.runtimes ?? {}).map(([name, path]) => `--add-runtime=${name}=${path}`);
	const extraSockets = options.sockets?.paths ?? [];
	const socketArgs = [...extraSockets.map((path) => `--host=unix://${path}`), ...(options.sockets ? [`--group=${options.sockets.group}`] : [])];
	const wanted = [...runtimeArgs, ...socketArgs];
	if (runningPid && wanted.every((arg) => commandLine(runningPid).includes(arg)) && (await pingSocket(socketPath, 2000))) {
		ensureBridge(bridge.name, bridge.cidr);
		return handle(host, socketPath, stateDir, runningPid, true, bridge.name, extraSockets);
	}
	if (runningPid) {
		// A daemon from a crashed run that no longer answers (it holds the pidfile), or one
		// started without the runtimes or sockets asked for now.
		await terminate(runningPid, 10_000);
	}
	for (const path of [socketPath, ...extraSockets]) rmSync(path, {force: true});

	const args = [
		`--host=${host}`,
		`--data-root=${join(stateDir, 'data')}`,
		`--exec-root=${join(stateDir, 'exec')}`,
		`--pidfile=${pidFile}`,
		'--iptables=false',
		'--ip-masq=false',
		'--userland-proxy=true',
	];
	args.push(...socketArgs, ...runtimeArgs);
	ensureBridge(bridge.name, bridge.cidr);
	args.push(`--bridge=${bridge.name}`);
	const logFile = join(stateDir, 'dockerd.log');
	const log = openSync(logFile, 'a');
	const child = spawn(prerequisites.dockerd!, args, {
		detached: true,
		stdio: ['ignore', log, log],
	});
	closeSync(log);
	child.unref();
	let exited: number | null = null;
	child.once('exit', (code) => {
		exited = code ?? -1;
	});

	const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
	while (Date.now() < deadline) {
		if (exited !== null) break;
		if (await pingSocket(socketPath, 1000)) {
			return handle(host, socketPath, stateDir, child.pid!, false, bridge.name, extraSockets);
		}
		await sleep(100);
	}
	if (exited === null && child.pid) await terminate(child.pid, 5000);
	const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ') : '';
	throw new UserError(`private dockerd did not start (log ${logFile}): ${tail}`);
}

function commandLine(pid: number): string[] {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
	} catch {
		return [];
	}
}

function handle(host: string, socketPath: string, stateDir: string, pid: number, reused: boolean, bridgeName: string, extraSockets: string[]): PrivateDockerd {
	return {
		host,
		socketPath,
		stateDir,
		pid,
		reused,
		async stop() {
			await terminate(pid, 20_000);
			for (const path of [socketPath, ...extraSockets]) rmSync(path, {force: true});
			// Only the bridge this state dir named and made (bridgeFor), never another.
			spawnSync('ip', ['link', 'delete', bridgeName, 'type', 'bridge'], {stdio: 'ignore'});
		},
	};
}

function ensureBridge(name: string, cidr: string): void {
	const exists = spawnSync('ip', ['link', 'show', name], {stdio: 'ignore'}).status === 0;
	if (!exists) {
		const steps = [
			['link', 'add', name, 'type', 'bridge'],
			['addr', 'add', cidr, 'dev', name],
			['link', 'set', name, 'up'],
		];
		for (const step of steps) {
			const result = spawnSync('ip', step, {encoding: 'utf8'});
			if (result.status !== 0) {
				throw new UserError(`could not create bridge ${name}: ip ${step.join(' ')}: ${result.stderr.trim()}`);
			}
		}
	}
}

function livePid(pidFile: string): number | undefined {
	if (!existsSync(pidFile)) return undefined;
	const pid = Number(readFileSync(pidFile, 'utf8').trim());
	if (!Number.isInteger(pid) || pid <= 0) return undefined;
	try {
		process.kill(pid, 0);
		return pid;
	} catch {
		return undefined;
	}
}

/** SIGTERM, wait (dockerd stops its containers first), then SIGKILL. */
async function terminate(pid: number, graceMs: number): Promise<void> {
	const alive = () => {
		try {
			process.kill(pid, 0);
			return true;
		} catch {
			return false;
		}
	};
	if (!alive()) return;
	process.kill(pid, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (alive() && Date.now() < deadline) await sleep(100);
	if (alive()) {
		process.kill(pid, 'SIGKILL');
		while (alive()) await sleep(50);
	}
}

export function pingSocket(socketPath: string, timeoutMs: number): Promise<boolean> {
	return new Promise((resolve) => {
		if (!existsSync(socketPath)) {
			resolve(false);
			return;
		}
		const request = http.get({socketPath, path: '/_ping', timeout: timeoutMs}, (response) => {
			response.resume();
			resolve(response.statusCode === 200);
		});
		request.on('timeout', () => request.destroy());
		request.on('error', () => resolve(false));
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
