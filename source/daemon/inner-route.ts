import {clientForPinnedSocket, type DaemonClient} from './client.js';
import {procSocketFor, type ProcRoot} from './proc-socket.js';

/** A way to reach a daemon, and where its containers' PIDs can be seen from here. */
export interface Connection {
	client: DaemonClient;
	/**
	 * This host's root for a daemon on this host, a container's root held open for one reached
	 * through that shortcut, absent when its PIDs are not visible (remote daemons, exec tunnels).
	 */
	procRoot?: ProcRoot;
	/** How an inner daemon was reached: its socket under /proc, or an exec tunnel. */
	via?: 'proc' | 'tunnel';
}

export interface InnerTarget {
	id: string;
	/** Main PID as the parent daemon reports it (State.Pid). */
	pid?: number;
}

/**
 * Reach the daemon inside a container: through /proc/PID/root when this process can see the
 * container's processes (root on the same host, verified by cgroup), else an exec tunnel of
 * `docker system dial-stdio` through the parent daemon.
 */
export function connectInner(parent: Connection, target: InnerTarget, options: {tunnelRoute: string; timeoutMs: number; tunnelsOnly?: boolean}): Connection {
	if (parent.procRoot !== undefined && target.pid && !options.tunnelsOnly) {
		const pinned = procSocketFor(parent.procRoot, target.pid, target.id);
		if (pinned) return {client: clientForPinnedSocket(pinned, options.timeoutMs), procRoot: pinned.root, via: 'proc'};
	}
	return {client: parent.client.tunnelTo(target.id, options.tunnelRoute, options.timeoutMs), via: 'tunnel'};
}
