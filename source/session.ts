import type {Endpoint} from './daemon/endpoint.js';
import {Explorer} from './daemon/explorer.js';
import {oneLine} from './errors.js';
import {createTreeStore, type TreeStore} from './store/store.js';

export interface SessionOptions {
	endpoints: Endpoint[];
	timeoutMs: number;
	maxDepth: number;
	tunnelsOnly?: boolean;
}

/** A live model: the store and the explorer that keeps it current, plus errors for the status bar. */
export interface LiveSession {
	store: TreeStore;
	explorer: Explorer;
	options: SessionOptions;
	/** Errors that are not shown on a node (a failed refresh, a dropped request). */
	onError(listener: (message: string) => void): () => void;
}

/**
 * Start discovering before the UI loads: loading Ink costs a few hundred milliseconds of CPU
 * while discovery mostly waits on daemons, so the two overlap and the first frame is fuller.
 */
export function startLiveSession(options: SessionOptions): LiveSession {
	const store = createTreeStore();
	const listeners = new Set<(message: string) => void>();
	const explorer = new Explorer({
		endpoints: options.endpoints,
		timeoutMs: options.timeoutMs,
		maxDepth: options.maxDepth,
		tunnelsOnly: options.tunnelsOnly ?? false,
		dispatch: store.dispatch,
		onError: (path, error) => {
			const message = `${path ? `${path}: ` : ''}${oneLine(error)}`;
			for (const listener of listeners) listener(message);
		},
	});
	explorer.start();
	return {
		store,
		explorer,
		options,
		onError(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
}
