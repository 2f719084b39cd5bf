import {fstatSync, readFileSync, statfsSync} from 'node:fs';
import {openInRoot, Pin, pinDirectory} from './pinned-path.js';

/**
 * The shortcut to a nested daemon when dockerception runs as root on the same host as the
 * parent daemon: the inner dockerd's socket is reachable at /proc/PID/root/run/docker.sock
 * (and one level down at /proc/PID/root/proc/PID2/root/...), with no exec at all.
 * Only taken when /proc/PID/cgroup names the container, so a PID from another namespace
 * (a remote daemon, Docker Desktop's VM) can never lead to the wrong daemon.
 *
 * Everything under /proc/PID/root belongs to the container. The kernel resolves an absolute
 * symlink met there against *our* root, and `..` climbs out of it: Debian's `/var/run -> /run`
 * alone makes /proc/PID/root/var/run/docker.sock the host's socket. So every component is
 * resolved here, inside the container's root, and what was found is held open (pinned-path.ts):
 * every later connection reaches the socket that was checked, not whatever the path names then.
 */

const procfsMagic = 0x9fa0;

const candidates = ['run/docker.sock', 'var/run/docker.sock'];

/** Where a level's container PIDs are looked up: this host's /proc, or a container's root held open. */
export interface ProcRoot {
	/** Undefined for this host's own root. */
	readonly pin?: Pin;
	/** For people: "/proc/PID/root" (nested: "/proc/PID/root/proc/PID2/root"). */
	readonly shown: string;
}

export const hostProcRoot: ProcRoot = {shown: ''};

export interface ProcSocket {
	socket: Pin;
	/** The container's root, for the level below. */
	root: ProcRoot;
	/** The socket's path as the container names it, for people. */
	shown: string;
	close(): void;
}

/** /proc/PID of a process seen from `procRoot`, held open (a PID reused later is not this one). */
function openProcessDir(procRoot: ProcRoot, pid: number): Pin | undefined {
	if (!procRoot.pin) return pinDirectory(`/proc/${pid}`);
	if (!procRoot.pin.isOpen) return undefined;
	// A container's /proc is only trusted when it is a real procfs (a privileged container could
	// put a directory, or a link to the host's /proc, there).
	const proc = openInRoot(procRoot.pin, 'proc');
	if (!proc) return undefined;
	try {
		if (!fstatSync(proc.fd).isDirectory() || statfsSync(proc.path).type !== procfsMagic) return undefined;
		return pinDirectory(`${proc.path}/${pid}`, false);
	} catch {
		return undefined;
	} finally {
		proc.close();
	}
}

export function procSocketFor(procRoot: ProcRoot, pid: number, containerId: string): ProcSocket | undefined {
	const processDir = openProcessDir(procRoot, pid);
	if (!processDir) return undefined;
	let root: Pin | undefined;
	try {
		if (!readFileSync(`${processDir.path}/cgroup`, 'utf8').includes(containerId)) return undefined;
		// The magic link to the process's root: followed once, here, and held.
		root = pinDirectory(`${processDir.path}/root`);
	} catch {
		return undefined; // not root, no /proc, or another PID namespace
	} finally {
		processDir.close();
	}
	if (!root) return undefined;
	const shownRoot = `${procRoot.shown}/proc/${pid}/root`;
	for (const candidate of candidates) {
		const socket = openInRoot(root, candidate);
		if (!socket) continue;
		let isSocket = false;
		try {
			isSocket = fstatSync(socket.fd).isSocket();
		} catch {
			// gone: try the next place
		}
		if (!isSocket) {
			socket.close();
			continue;
		}
		const pinnedRoot = root;
		return {
			socket,
			root: {pin: pinnedRoot, shown: shownRoot},
			shown: `${shownRoot}/${candidate}`,
			close() {
				socket.close();
				pinnedRoot.close();
			},
		};
	}
	root.close();
	return undefined;
}
