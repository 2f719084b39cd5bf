import type {Endpoint} from '../daemon/endpoint.js';
import {Explorer} from '../daemon/explorer.js';
import {UserError} from '../errors.js';
import type {TreeState} from '../store/model.js';
import {createTreeStore} from '../store/store.js';
import {containersAt} from '../store/selectors.js';

export interface SnapshotOptions {
	endpoints: Endpoint[];
	timeoutMs: number;
	maxDepth: number;
	tunnelsOnly?: boolean;
	/** Read each daemon's disk use before settling (doctor); other snapshots leave it out. */
	storage?: 'wait' | 'skip';
}

/** Walk every daemon once and return the settled tree (for --json, tree, diff, exec paths). */
export async function takeSnapshot(options: SnapshotOptions): Promise<{tree: TreeState; explorer: Explorer}> {
	const store = createTreeStore();
	const explorer = new Explorer({
		endpoints: options.endpoints,
		timeoutMs: options.timeoutMs,
		maxDepth: options.maxDepth,
		dispatch: store.dispatch,
		containers: (path) => containersAt(store.getState(), path),
		follow: false,
		tunnelsOnly: options.tunnelsOnly ?? false,
		storage: options.storage ?? 'skip',
	});
	explorer.start();
	await explorer.settled();
	return {tree: store.getState(), explorer};
}

/** Exit 1 with one line when no root daemon answered (the rest is output as it is). */
export function assertSomeRootReachable(tree: TreeState, endpoints: Endpoint[]): void {
	const reachable = tree.roots.some((path) => tree.daemons[path]?.status === 'ready');
	if (reachable) return;
	const lines = endpoints.map((endpoint) => {
		const daemon = tree.daemons[endpoint.name];
		return `cannot reach the Docker daemon at ${endpoint.url} (${endpoint.source}): ${daemon?.error ?? 'no answer'}`;
	});
	throw new UserError(`${lines.join('; ')} — start Docker, set DOCKER_HOST or --host, pick a --context, or try --sandbox`);
}
