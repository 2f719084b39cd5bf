import type {ContainerNode, DaemonNode, TreeState} from './model.js';
import {swarmTag} from './swarm-view.js';

/** Pure readings of the model shared by the TUI, `tree` and the details panel. */

export function containersOf(tree: TreeState, daemon: DaemonNode): ContainerNode[] {
	return daemon.containers.map((key) => tree.containers[key]).filter((c): c is ContainerNode => c !== undefined);
}

/** The containers of the daemon at a path (none for an unknown path). */
export function containersAt(tree: TreeState, path: string): ContainerNode[] {
	const daemon = tree.daemons[path];
	return daemon ? containersOf(tree, daemon) : [];
}

export function countContainers(tree: TreeState, daemon: DaemonNode): {total: number; running: number} {
	const containers = containersOf(tree, daemon);
	return {total: containers.length, running: containers.filter((c) => c.state === 'running').length};
}

/** "20.10.24" from "20.10.24+dfsg1": the distribution suffix is noise in a tree row. */
export function shortVersion(version: string | undefined): string {
	return (version ?? '?').replace(/\+.*$/, '');
}

/**
 * The one-line summary a daemon rides on its container's row (or a root's header). `swarm:
 * false` leaves its swarm tag out, for a row that shows it first.
 */
export function daemonSummary(tree: TreeState, daemon: DaemonNode, options: {swarm?: boolean} = {}): string {
	if (daemon.status === 'connecting') return 'connecting…';
	if (daemon.status === 'unreachable') return `unreachable: ${daemon.error ?? 'unknown reason'}`;
	if (daemon.sharesDaemon) return `same daemon as ${daemon.sharesDaemon}`;
	const {total, running} = countContainers(tree, daemon);
	const count = `${total} ctr${total === 1 ? '' : 's'}${running !== total ? ` (${running} up)` : ''}`;
	const notices = daemon.notices?.length ? ` · ${daemon.notices.join(' · ')}` : '';
	const swarm = options.swarm === false ? undefined : swarmTag(tree, daemon.path);
	return `Docker ${shortVersion(daemon.facts?.serverVersion)} · ${count}${swarm ? ` · ${swarm}` : ''}${notices}`;
}

/** Every daemon path in the model, roots first, depth-first. */
export function daemonPaths(tree: TreeState): string[] {
	const out: string[] = [];
	const visit = (path: string) => {
		const daemon = tree.daemons[path];
		if (!daemon) return;
		out.push(path);
		for (const container of containersOf(tree, daemon)) if (container.innerDaemon) visit(container.innerDaemon);
	};
	for (const root of tree.roots) visit(root);
	return out;
}

/** Relative age like Docker's: "5 seconds", "3 minutes", "2 hours", "4 days". */
export function humanDuration(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.round(seconds / 60);
	if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
	const hours = Math.round(minutes / 60);
	if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
	const days = Math.round(hours / 24);
	return `${days} day${days === 1 ? '' : 's'}`;
}

/** Status text kept current from StartedAt for running containers, Docker's own text otherwise. */
export function statusText(container: ContainerNode, now = Date.now()): string {
	if (container.state === 'running' && container.startedAt) {
		return `Up ${humanDuration(now - Date.parse(container.startedAt))}`;
	}
	if (container.state === 'paused' && container.startedAt) {
		return `Up ${humanDuration(now - Date.parse(container.startedAt))} (Paused)`;
	}
	return container.status || container.state;
}
