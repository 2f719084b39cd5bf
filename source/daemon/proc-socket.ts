import {readFileSync, statSync} from 'node:fs';

/**
 * The shortcut to a nested daemon when dockerception runs as root on the same host as the
 * parent daemon: the inner dockerd's socket is reachable at /proc/PID/root/run/docker.sock
 * (and one level down at /proc/PID/root/proc/PID2/root/...), with no exec at all.
 * Only taken when /proc/PID/cgroup names the container, so a PID from another namespace
 * (a remote daemon, Docker Desktop's VM) can never lead to the wrong daemon.
 */

/** Longest usable unix socket path (sun_path is 108 bytes with the terminating NUL). */
const maxSocketPath = 107;

const candidates = ['run/docker.sock', 'var/run/docker.sock'];

export function procDirFor(procRoot: string, pid: number): string {
	return `${procRoot}/proc/${pid}`;
}

export function procSocketFor(procRoot: string, pid: number, containerId: string): string | undefined {
	const procDir = procDirFor(procRoot, pid);
	try {
		if (!readFileSync(`${procDir}/cgroup`, 'utf8').includes(containerId)) return undefined;
	} catch {
		return undefined; // not root, no /proc, or another PID namespace
	}
	for (const candidate of candidates) {
		const path = `${procDir}/root/${candidate}`;
		if (path.length > maxSocketPath) return undefined;
		try {
			if (statSync(path).isSocket()) return path;
		} catch {
			// try the next place
		}
	}
	return undefined;
}
