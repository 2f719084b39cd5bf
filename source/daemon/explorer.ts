import {hostProcRoot} from './proc-socket.js';
import type {ContainerNode} from '../store/model.js';
import type {TreeAction} from '../store/tree-reducer.js';
import {clientForTransport, type DaemonClient} from './client.js';
import {DaemonWatcher, type StorageReading, type WatcherHost} from './daemon-watcher.js';
import {describeTransport, type Endpoint} from './endpoint.js';

export interface ExplorerOptions {
	endpoints: Endpoint[];
	/** Every request's timeout: a hung daemon is marked unreachable after this. */
	timeoutMs: number;
	/** Deepest daemon level walked (roots are level 0). */
	maxDepth: number;
	dispatch: (action: TreeAction) => void;
	/** Read the current containers of a daemon (the store's view). */
	containers?: (path: string) => ContainerNode[];
	/** Health check period for ready daemons (finds hung ones); 0 turns it off. */
	pingIntervalMs?: number;
	/** Retry interval for a nested daemon that has not answered since its container started. */
	bootProbeMs?: number;
	/** Keep the tree live (events, pings); false for a one-shot snapshot. Default true. */
	follow?: boolean;
	/** Reach nested daemons only through exec tunnels (no /proc shortcut). */
	tunnelsOnly?: boolean;
	/**
	 * Disk use (/system/df, which walks every container's files): read a little after each
	 * daemon's first walk ('background', the default when following), before the snapshot
	 * settles ('wait': doctor), or not at all ('skip', the default for other snapshots).
	 */
	storage?: StorageReading;
	/** Errors that are not a node's status (a failed refresh), for the status bar. */
	onError?: (path: string, error: unknown) => void;
}

/**
 * Discovers every daemon reachable from the endpoints, nested to maxDepth, and keeps the
 * model current. It owns all connections: stop() closes every tunnel and exec it opened.
 */
export class Explorer implements WatcherHost {
	readonly maxDepth: number;
	readonly pingIntervalMs: number;
	readonly bootProbeMs: number;
	readonly timeoutMs: number;
	readonly tunnelsOnly: boolean;
	readonly follow: boolean;
	readonly storage: StorageReading;
	private readonly roots: DaemonWatcher[] = [];
	private readonly owners = new Map<string, string>();
	private pending = 0;
	private waiters: Array<() => void> = [];

	constructor(private readonly options: ExplorerOptions) {
		this.maxDepth = options.maxDepth;
		this.pingIntervalMs = options.pingIntervalMs ?? 15_000;
		this.bootProbeMs = options.bootProbeMs ?? 1000;
		this.timeoutMs = options.timeoutMs;
		this.tunnelsOnly = options.tunnelsOnly ?? false;
		this.follow = options.follow ?? true;
		this.storage = options.storage ?? (this.follow ? 'background' : 'skip');
	}

	start(): void {
		for (const endpoint of this.options.endpoints) this.startRoot(endpoint);
	}

	/** One more root, discovered like the others (the sandbox started from the TUI). */
	addRoot(endpoint: Endpoint): Promise<void> {
		return this.startRoot(endpoint);
	}

	private startRoot(endpoint: Endpoint): Promise<void> {
		{
			const watcher = new DaemonWatcher(this, {
				path: endpoint.name,
				depth: 0,
				route: describeTransport(endpoint.transport),
				connect: () => ({
					client: clientForTransport(endpoint.transport, this.options.timeoutMs),
					// A daemon behind a local socket shares this host's /proc (verified per container).
					...(endpoint.transport.kind === 'unix' ? {procRoot: hostProcRoot} : {}),
				}),
				socketPaths: endpoint.transport.kind === 'unix' ? [endpoint.transport.socketPath] : [],
				// Ports its containers publish are reachable here at this address.
				...(endpoint.transport.kind === 'unix'
					? {publishedHost: '127.0.0.1'}
					: endpoint.transport.kind === 'tcp'
						? {publishedHost: endpoint.transport.host}
						: {}),
				...(endpoint.transport.kind === 'tcp' && !endpoint.transport.tls ? {insecure: true} : {}),
			});
			this.roots.push(watcher);
			return this.track(watcher.start());
		}
	}

	/** Resolves once every daemon has answered or failed its first walk. */
	settled(): Promise<void> {
		if (this.pending === 0) return Promise.resolve();
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	/** The client of a daemon in the tree (for actions), if it is connected. */
	client(path: string): DaemonClient | undefined {
		return this.watcher(path)?.client;
	}

	watcher(path: string): DaemonWatcher | undefined {
		for (const root of this.roots) {
			if (root.path === path) return root;
			for (const watcher of root.descendants()) if (watcher.path === path) return watcher;
		}
		return undefined;
	}

	/** Reconnect one daemon and walk it again (its children are rediscovered). */
	refresh(path: string): Promise<void> {
		const watcher = this.watcher(path);
		if (!watcher) return Promise.resolve();
		return this.track(watcher.refresh());
	}

	stop(): void {
		for (const root of this.roots) root.stop();
		this.roots.length = 0;
	}

	// WatcherHost

	dispatch(action: TreeAction): void {
		this.options.dispatch(action);
	}

	track<T>(work: Promise<T>): Promise<T> {
		this.pending++;
		const done = () => {
			this.pending--;
			if (this.pending === 0) for (const resolve of this.waiters.splice(0)) resolve();
		};
		work.then(done, (error: unknown) => {
			done();
			this.options.onError?.('', error);
		});
		return work;
	}

	claim(id: string, path: string): string | undefined {
		const owner = this.owners.get(id);
		if (owner && owner !== path && this.watcher(owner) && !this.watcher(owner)!.isStopped) return owner;
		this.owners.set(id, path);
		return undefined;
	}

	ownerOf(id: string): string | undefined {
		const owner = this.owners.get(id);
		return owner && this.watcher(owner) && !this.watcher(owner)!.isStopped ? owner : undefined;
	}

	release(id: string, path: string): void {
		if (this.owners.get(id) === path) this.owners.delete(id);
	}

	containers(path: string): ContainerNode[] {
		return this.options.containers?.(path) ?? [];
	}

	report(path: string, error: unknown): void {
		this.options.onError?.(path, error);
	}
}
