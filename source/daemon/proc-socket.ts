import {lstatSync, readFileSync, readlinkSync, statfsSync} from 'node:fs';

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
 * resolved here, inside the container's root, and only a real socket found there is used.
 */

/** Longest usable unix socket path (sun_path is 108 bytes with the terminating NUL). */
const maxSocketPath = 107;
/** As the kernel's limit on symlinks followed in one lookup. */
const maxLinks = 40;
const procfsMagic = 0x9fa0;

const candidates = ['run/docker.sock', 'var/run/docker.sock'];

export function procDirFor(procRoot: string, pid: number): string {
	return `${procRoot}/proc/${pid}`;
}

/**
 * `relative` looked up as a process whose root is `root` would: absolute links restart at
 * `root`, `..` never climbs above it. Returns the path under `root` with no symlink left in
 * it, or undefined when a component is missing or the links loop.
 */
export function resolveInRoot(root: string, relative: string): string | undefined {
	const pending = relative.split('/').filter(Boolean);
	const resolved: string[] = [];
	let links = 0;
	while (pending.length > 0) {
		const part = pending.shift()!;
		if (part === '.') continue;
		if (part === '..') {
			resolved.pop();
			continue;
		}
		const here = `${root}/${[...resolved, part].join('/')}`;
		let isLink: boolean;
		try {
			isLink = lstatSync(here).isSymbolicLink();
		} catch {
			return undefined;
		}
		if (!isLink) {
			resolved.push(part);
			continue;
		}
		if (++links > maxLinks) return undefined;
		const target = readlinkSync(here);
		if (target.startsWith('/')) resolved.length = 0;
		pending.unshift(...target.split('/').filter(Boolean));
	}
	return resolved.length > 0 ? `${root}/${resolved.join('/')}` : root;
}

/**
 * A container's /proc, as seen from here, is only trusted when it is a real procfs directory
 * (a privileged container could put a directory, or a link to the host's /proc, there).
 */
function isProcDir(procRoot: string): boolean {
	if (procRoot === '') return true;
	try {
		return lstatSync(`${procRoot}/proc`).isDirectory() && statfsSync(`${procRoot}/proc`).type === procfsMagic;
	} catch {
		return false;
	}
}

export function procSocketFor(procRoot: string, pid: number, containerId: string): string | undefined {
	if (!isProcDir(procRoot)) return undefined;
	const procDir = procDirFor(procRoot, pid);
	try {
		if (!lstatSync(procDir).isDirectory()) return undefined;
		if (!readFileSync(`${procDir}/cgroup`, 'utf8').includes(containerId)) return undefined;
	} catch {
		return undefined; // not root, no /proc, or another PID namespace
	}
	for (const candidate of candidates) {
		const path = resolveInRoot(`${procDir}/root`, candidate);
		if (!path) continue;
		if (path.length > maxSocketPath) return undefined;
		try {
			if (lstatSync(path).isSocket()) return path;
		} catch {
			// try the next place
		}
	}
	return undefined;
}
