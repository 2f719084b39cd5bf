import type {Endpoint} from './daemon/endpoint.js';
import {Explorer} from './daemon/explorer.js';
import {oneLine} from './errors.js';
import {createTreeStore, type TreeStore} from './store/store.js';
import {containersAt} from './store/selectors.js';

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
	/** One such line from the session itself (a forward that ended). */
	reportError(message: string): void;
	/** Add a root daemon while running (the sandbox started from the no-daemon screen). */
	addRoot(endpoint: Endpoint): Promise<void>;
	/**
	 * Run on every way out. On fatal ones the process does not wait: a hook must do what
	 * matters (e.g. send SIGTERM) before its first await.
	 */
	onShutdown(hook: () => void | Promise<void>): void;
	shutdown(): Promise<void>;
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
		containers: (path) => containersAt(store.getState(), path),
		onError: (path, error) => {
			const message = `${path ? `${path}: ` : ''}${oneLine(error)}`;
			for (const listener of listeners) listener(message);
		},
	});
	explorer.start();
	const shutdownHooks: Array<() => void | Promise<void>> = [];
	return {
		store,
		explorer,
		options,
		onError(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		reportError(message) {
			for (const listener of listeners) listener(message);
		},
		addRoot(endpoint) {
			options.endpoints = [...options.endpoints, endpoint];
			return explorer.addRoot(endpoint);
		},
		onShutdown(hook) {
			shutdownHooks.push(hook);
		},
		async shutdown() {
			explorer.stop();
			await Promise.all(shutdownHooks.splice(0).map((hook) => hook()));
		},
	};
}
