import {hostProcRoot, type ProcRoot} from './proc-socket.js';
import type {Readable} from 'node:stream';
import type Docker from 'dockerode';
import {childPath, containerKey, type ContainerNode, type DaemonFacts, type DaemonNetwork} from '../store/model.js';
import type {TreeAction} from '../store/tree-reducer.js';
import type {DaemonClient} from './client.js';
import {AnswerTooLargeError} from './answer-limit.js';
import {
	containerInspect,
	systemDiskUsage,
	containerList,
	dockerInfo,
	dockerVersion,
	MalformedAnswerError,
	networkList,
	swarmAnswers,
	type ContainerList,
} from './answer-shapes.js';
import {containerFromSummary, daemonFactsFrom, withInspect} from './container-facts.js';
import {containerEvent, JsonLineParser, watchedContainerActions, type ContainerEvent} from './event-lines.js';
import {TunnelError} from './exec-tunnel.js';
import {resolveClientTarget} from './client-target.js';
import {connectInner, type Connection} from './inner-route.js';
import {findTcpRoute, NoTcpRouteError, type TcpRoute} from './tcp-fallback.js';
import {unreachableReason} from './reasons.js';

/** What a watcher needs from the explorer that owns it. */
export type StorageReading = 'background' | 'wait' | 'skip';

export interface WatcherHost {
	readonly maxDepth: number;
	/** When to read disk use (see ExplorerOptions.storage); absent: never. */
	readonly storage?: StorageReading;
	readonly pingIntervalMs: number;
	/** Retry interval for a daemon that has not answered yet since its container started. */
	readonly bootProbeMs: number;
	/** false for one-shot snapshots: no event streams (each would hold a tunnel). */
	readonly follow: boolean;
	readonly timeoutMs: number;
	/** Never take the /proc shortcut: every nested daemon through exec tunnels. */
	readonly tunnelsOnly: boolean;
	dispatch(action: TreeAction): void;
	/** Count work toward the first complete snapshot. */
	track<T>(work: Promise<T>): Promise<T>;
	/** Path of the live daemon already showing this ID, if any (ancestor or elsewhere). */
	claim(id: string, path: string): string | undefined;
	/** Path of the live daemon with this ID, without claiming it. */
	ownerOf(id: string): string | undefined;
	release(id: string, path: string): void;
	/** The current tree, to read what is already known. */
	containers(path: string): ContainerNode[];
	report(path: string, error: unknown): void;
}

export interface WatcherOptions {
	path: string;
	depth: number;
	route: string;
	/** A fresh connection for each attempt (a restarted container has a new PID). */
	connect: () => Connection;
	/** Socket paths at which this daemon is mounted into its own containers. */
	socketPaths: string[];
	parentContainer?: string;
	insecure?: boolean;
	/** Called when the daemon turned out to be one already shown (socket loop, same context). */
	onShared?: (sharedPath: string) => void;
	/** Until then, failures keep the node "connecting": the daemon inside is still booting. */
	bootGraceUntil?: number;
	/** Report nothing to the store until connected (socket probes that may lead nowhere). */
	quiet?: boolean;
	/** When the container has no docker CLI: a tcp 2375/2376 route to its daemon, or why not. */
	tcpFallback?: () => Promise<TcpRoute | NoTcpRouteError>;
	/** Host that reaches the ports this daemon publishes (127.0.0.1 for a local one). */
	publishedHost?: string;
}

interface Probed {
	facts: DaemonFacts;
	systemTime?: string;
	listing: Promise<ContainerList>;
	/** For the health checks; they come when they come (nothing waits on them but a snapshot). */
	networks: Promise<DaemonNetwork[] | undefined>;
}

/**
 * A daemon that claims the ID of one already shown and cannot prove it (see provesSame):
 * shown apart, never merged with the daemon it claims to be.
 */
export class UnprovenIdError extends Error {
	constructor(readonly owner: string) {
		super(`claims the ID of ${owner} but cannot show its containers (not believed)`);
		this.name = 'UnprovenIdError';
	}
}

/** Answers that came but are unusable: the daemon is up, so not "booting". */
const isBadAnswer = (error: unknown) => error instanceof MalformedAnswerError || error instanceof AnswerTooLargeError;

/**
 * Past its boot grace a daemon that never answered is probed less and less often, up to this many
 * boot probes apart (a minute): a DinD look-alike whose daemon never comes up costs next to nothing.
 */
const silentCeilingProbes = 60;
const nudgeIntervalMs = 5000;
const retryDelaysMs = [250, 250, 500, 500, 1000, 1000, 2000, 2000, 4000, 8000, 15_000, 30_000];
const inspectConcurrency = 8;
/** Disk use is read this long after a daemon's first walk (not on the start-up path)... */
const storageDelayMs = 3000;
/** ...and again when its image count changes, at most this often. */
const storageMinIntervalMs = 60_000;
/** /system/df may walk many files: its own deadline, longer than a request's. */
const storageTimeoutMs = 60_000;
const eventDebounceMs = 20;
/**
 * Containers shown per daemon; the rest are counted, not kept (each costs memory and an
 * inspect). Real daemons stay far below; a hostile one could list millions.
 */
export const maxContainersPerDaemon = 2000;
/** More events than this in floodWindowMs is a flood: events pause and the daemon is re-listed. */
export const floodEvents = 1000;
const floodWindowMs = 2000;
const floodPauseMs = 10_000;
/** Container reads waiting beyond this become one listing. */
const maxQueuedRefreshes = 500;
const relistDelayMs = 2000;
/** A client's daemon may still be booting: ask again after 1, 2 and 3 s. */
const clientRetryMs = 1000;
/** A manager's nodes, services and tasks are read again this often (tasks have no events). */
const swarmPollMs = 3000;

/**
 * At most maxContainersPerDaemon, those that matter most first: the ones holding daemons (the
 * tree goes on below them), then running ones, each in the daemon's own order.
 */
function keepShown(nodes: ContainerNode[]): ContainerNode[] {
	if (nodes.length <= maxContainersPerDaemon) return nodes;
	const rank = (node: ContainerNode) => (node.kind === 'plain' ? 2 : 0) + (node.state === 'running' ? 0 : 1);
	return nodes
		.map((node, index) => ({node, index}))
		.sort((a, b) => rank(a.node) - rank(b.node) || a.index - b.index)
		.slice(0, maxContainersPerDaemon)
		.map(({node}) => node);
}

/** Wait ms with a timer that does not keep the process alive. */
const pause = (ms: number) =>
	new Promise<void>((resolve) => {
		setTimeout(resolve, ms).unref();
	});

/**
 * Keeps one daemon's part of the tree current: connects, lists and inspects its containers,
 * follows its events, and runs a child watcher for every daemon found inside a container.
 */
export class DaemonWatcher {
	readonly path: string;
	readonly depth: number;
	client: DaemonClient | undefined;
	facts: DaemonFacts | undefined;
	private procRoot: ProcRoot | undefined;
	private readonly children = new Map<string, DaemonWatcher>();
	/** Container id -> StartedAt seen when its child watcher was made (a restart makes a new one). */
	private readonly childStarts = new Map<string, string | undefined>();
	private readonly socketProbes = new Set<string>();
	private readonly pendingRefresh = new Map<string, NodeJS.Timeout>();
	private generation = 0;
	private stopped = false;
	private events: Readable | undefined;
	private pingTimer: NodeJS.Timeout | undefined;
	private retryTimer: NodeJS.Timeout | undefined;
	private attempt = 0;
	private lastEventTime = 0;
	private claimedId: string | undefined;
	private permanentError: string | undefined;
	/** The daemon answered at least once in this run of its container. */
	private answered = false;
	/** The container has no docker CLI: later attempts go straight to tcp (no exec each time). */
	private noCli = false;
	/**
	 * Recently destroyed container ids (ids are never reused): a listing or inspect that was on
	 * its way when the destroy event came must not bring the container back.
	 */
	private readonly destroyed = new Set<string>();
	/** Ids with events while the full listing was on its way: read again once it is in. */
	private touchedDuringListing: Set<string> | undefined;
	/** What was left out of this daemon's picture, and why (shown with the daemon). */
	private readonly notices = new Map<'trimmed' | 'dropped' | 'flood', string>();
	/** Containers the daemon listed beyond maxContainersPerDaemon. */
	private trimmed = false;
	/** The current listing's containers are being inspected; clients wait for that. */
	private inspecting = false;
	private storageTimer: NodeJS.Timeout | undefined;
	private storageAbort: AbortController | undefined;
	/** When disk use was last asked for (0: never). */
	private storageReadAt = 0;
	/** Inspections asked for while /info was on its way, by container ID (see prefetchInspects). */
	private prefetchedInspects: Map<string, Promise<unknown>> | undefined;
	private readonly clientQueue: Array<() => void> = [];
	private relistTimer: NodeJS.Timeout | undefined;
	/** Client container id -> StartedAt when its target was last resolved. */
	private readonly clientRuns = new Map<string, string | undefined>();
	/** Containers to read again (from events), and how many reads are on their way. */
	private readonly refreshQueue = new Set<string>();
	private refreshing = 0;
	private swarmTimer: NodeJS.Timeout | undefined;
	/** This watcher reported a swarm picture (cleared when the connection ends). */
	private swarmReported = false;
	/** Bumped whenever swarm following starts again or ends: an older read or timer then does nothing. */
	private swarmEpoch = 0;
	/** The epoch whose read is on its way (-1: none). */
	private swarmReading = -1;
	/** The last picture dispatched, as JSON: an unchanged one is not dispatched again. */
	private swarmLast = '';

	constructor(
		private readonly host: WatcherHost,
		private readonly options: WatcherOptions,
	) {
		this.path = options.path;
		this.depth = options.depth;
	}

	/** First walk; the returned promise settles when this daemon's first listing is in. */
	start(): Promise<void> {
		if (!this.options.quiet) this.announce();
		return this.connect();
	}

	/** Reconnect from scratch (ctrl-r). */
	refresh(): Promise<void> {
		this.reset();
		this.attempt = 0;
		this.silentProbes = 0;
		this.permanentError = undefined;
		if (!this.options.quiet) this.announce();
		return this.connect();
	}

	stop(): void {
		this.stopped = true;
		this.reset();
	}

	/** Live child watchers, for lookups by path. */
	*descendants(): Generator<DaemonWatcher> {
		for (const child of this.children.values()) {
			yield child;
			yield* child.descendants();
		}
	}

	get isStopped(): boolean {
		return this.stopped;
	}

	private announce(): void {
		this.host.dispatch({
			type: 'daemon/connecting',
			path: this.path,
			depth: this.depth,
			route: this.options.route,
			...(this.options.parentContainer ? {parentContainer: this.options.parentContainer} : {}),
			...(this.options.insecure ? {insecure: true} : {}),
		});
	}

	/** Drop the connection, the event stream, timers and children; keep the node. */
	private reset(): void {
		this.generation++;
		clearTimeout(this.retryTimer);
		this.retryTimer = undefined;
		clearInterval(this.pingTimer);
		this.endSwarm();
		for (const timer of this.pendingRefresh.values()) clearTimeout(timer);
		this.pendingRefresh.clear();
		this.refreshQueue.clear();
		this.refreshing = 0;
		clearTimeout(this.relistTimer);
		this.relistTimer = undefined;
		this.events?.destroy();
		this.events = undefined;
		for (const child of this.children.values()) child.stop();
		this.children.clear();
		this.childStarts.clear();
		this.socketProbes.clear();
		this.clientRuns.clear();
		this.clientQueue.length = 0;
		this.inspecting = false;
		this.prefetchedInspects = undefined;
		clearTimeout(this.storageTimer);
		this.storageTimer = undefined;
		this.storageAbort?.abort();
		this.storageAbort = undefined;
		this.client?.close();
		this.client = undefined;
		// A daemon may come back with another ID (or a hostile one say a new ID each time):
		// claims never outlive the connection that made them.
		if (this.claimedId) this.host.release(this.claimedId, this.path);
		this.claimedId = undefined;
		this.notices.clear();
		this.trimmed = false;
	}

	private notice(kind: 'trimmed' | 'dropped' | 'flood', text: string | undefined): void {
		if ((text === undefined ? !this.notices.has(kind) : this.notices.get(kind) === text) || this.options.quiet) return;
		if (text === undefined) this.notices.delete(kind);
		else this.notices.set(kind, text);
		this.host.dispatch({type: 'daemon/notices', path: this.path, notices: [...this.notices.values()]});
	}

	/** version, info and the listing, all at once (a tunnel's single connection queues them). */
	private async probe(client: DaemonClient): Promise<Probed> {
		// /version and /info take ~10 ms each on dockerd; the listing need not wait for them.
		const listing = client.docker.listContainers({all: true}).then(containerList);
		listing.catch(() => {});
		this.prefetchInspects(client, listing);
		// Networks feed the health checks only: a daemon that will not list them is still shown.
		const networks = Promise.resolve()
			.then(() => client.docker.listNetworks())
			.then(networkList)
			.catch(() => undefined);
		const [version, info] = await Promise.all([client.docker.version().then(dockerVersion), client.docker.info().then(dockerInfo)]);
		client.negotiate(version.ApiVersion);
		return {facts: daemonFactsFrom(info, version), ...(info.SystemTime ? {systemTime: info.SystemTime} : {}), listing, networks};
	}

	/**
	 * The first containers' inspections need not wait for /info either: each level of the tree
	 * waits on its parent's inspections, so this takes an /info round trip off every level. They
	 * are only read here: nothing is shown before the daemon's identity is checked, and an answer
	 * that an event on its container overtook is dropped (onEvent), not shown.
	 */
	private prefetchInspects(client: DaemonClient, listing: Promise<ContainerList>): void {
		const prefetched = new Map<string, Promise<unknown>>();
		this.prefetchedInspects = prefetched;
		void listing.then(
			({containers}) => {
				if (this.prefetchedInspects !== prefetched || client.isClosed) return;
				for (const {Id: id} of containers.slice(0, inspectConcurrency)) {
					if (this.destroyed.has(id) || this.touchedDuringListing?.has(id)) continue;
					const inspection = client.docker.getContainer(id).inspect();
					inspection.catch(() => {});
					prefetched.set(id, inspection);
				}
			},
			() => {},
		);
	}

	/**
	 * Reach the daemon by the best route open right now: each attempt asks again, so a socket
	 * under /proc that appeared since the last one is taken, and a container known to have no
	 * docker CLI goes to tcp without an exec.
	 */
	private async reach(generation: number): Promise<{client: DaemonClient; insecure: boolean | undefined; probed: Probed} | undefined> {
		const connection = this.options.connect();
		const tcpFallback = this.options.tcpFallback;
		if (!(tcpFallback && this.noCli && connection.via === 'tunnel')) {
			this.client = connection.client;
			this.procRoot = connection.procRoot;
			try {
				return {client: connection.client, insecure: this.options.insecure, probed: await this.probe(connection.client)};
			} catch (error) {
				if (!(tcpFallback && error instanceof TunnelError && error.failure === 'no-cli')) throw error;
				this.noCli = true;
			}
		}
		connection.client.close();
		if (generation !== this.generation || this.stopped) return undefined;
		const found = await tcpFallback!();
		if (found instanceof Error) throw found;
		if (generation !== this.generation || this.stopped) {
			found.connection.client.close();
			return undefined;
		}
		const client = found.connection.client;
		client.route = found.route;
		this.client = client;
		this.procRoot = undefined;
		return {client, insecure: found.insecure, probed: await this.probe(client)};
	}

	private async connect(): Promise<void> {
		const generation = this.generation;
		this.touchedDuringListing = new Set();
		let reached: Awaited<ReturnType<DaemonWatcher['reach']>>;
		try {
			reached = await this.reach(generation);
		} catch (error) {
			if (generation === this.generation && !this.stopped) this.failed(error);
			return;
		}
		if (!reached || generation !== this.generation || this.stopped) return;
		const {client, insecure, probed} = reached;
		const {facts, systemTime, listing} = probed;

		const owner = this.host.claim(facts.id, this.path);
		if (owner && owner !== this.path && !(await this.provesSame(owner, client))) {
			// Shown apart: a daemon in a container must not make itself look like another one.
			if (generation !== this.generation || this.stopped) return;
			this.failed(new UnprovenIdError(owner));
			return;
		}
		if (generation !== this.generation || this.stopped) return;
		if (owner && owner !== this.path) {
			// Not a new daemon: a socket reaching an ancestor, or two contexts for one daemon.
			this.prefetchedInspects = undefined;
			client.close();
			this.client = undefined;
			this.options.onShared?.(owner);
			if (this.depth === 0) {
				this.host.dispatch({type: 'daemon/ready', path: this.path, facts, route: client.route, ...(insecure !== undefined ? {insecure} : {})});
				this.host.dispatch({type: 'daemon/shares', path: this.path, sharesDaemon: owner});
			}
			return;
		}
		this.claimedId = facts.id;
		this.facts = facts;
		this.attempt = 0;
		this.answered = true;
		if (this.options.quiet) this.announce();
		this.host.dispatch({type: 'daemon/ready', path: this.path, facts, route: client.route, ...(insecure !== undefined ? {insecure} : {})});
		void this.host.track(
			probed.networks.then((networks) => {
				if (!networks || generation !== this.generation || this.stopped || !this.facts) return;
				this.facts = {...this.facts, networks};
				this.host.dispatch({type: 'daemon/ready', path: this.path, facts: this.facts});
			}),
		);

		// Follow events from the daemon's own clock before listing, so nothing falls in between.
		const since = systemTime ? Math.floor(Date.parse(systemTime) / 1000) - 1 : Math.floor(Date.now() / 1000) - 1;
		this.lastEventTime = since;
		if (this.host.follow) {
			void this.followEvents(generation);
			this.startPings(generation);
		}
		try {
			await this.listAll(generation, listing, this.prefetchedInspects);
		} catch (error) {
			if (generation !== this.generation || this.stopped) return;
			this.failed(error);
			return;
		}
		if (this.host.storage === 'wait') await this.host.track(this.readStorage(generation));
		else if (this.host.storage === 'background') this.scheduleStorage(generation, storageDelayMs);
		await this.followSwarm(generation);
	}

	/** A manager reads its swarm now and every swarmPollMs; anything else reports none. */
	private async followSwarm(generation: number): Promise<void> {
		this.endSwarm();
		const epoch = this.swarmEpoch;
		const node = this.facts?.swarmNode;
		const clusterId = node?.role === 'manager' && node.state === 'active' ? node.clusterId : undefined;
		if (!clusterId || !node || this.options.quiet) return;
		await this.readSwarm(clusterId, node.nodeId, epoch);
		if (this.host.follow && epoch === this.swarmEpoch && generation === this.generation && !this.stopped) {
			this.swarmTimer = setInterval(() => void this.readSwarm(clusterId, node.nodeId, epoch), swarmPollMs);
			this.swarmTimer.unref();
		}
	}

	/** Stop following the swarm and withdraw what this daemon reported of it. */
	private endSwarm(): void {
		this.swarmEpoch++;
		clearInterval(this.swarmTimer);
		this.swarmTimer = undefined;
		if (this.swarmReported) this.host.dispatch({type: 'swarm/cluster', reportedBy: this.path});
		this.swarmReported = false;
		this.swarmLast = '';
	}

	/** Read disk use after delayMs (once: a read already planned stays as planned). */
	private scheduleStorage(generation: number, delayMs: number): void {
		if (this.storageTimer || this.options.quiet) return;
		this.storageTimer = setTimeout(() => {
			this.storageTimer = undefined;
			void this.readStorage(generation);
		}, delayMs);
		this.storageTimer.unref();
	}

	/**
	 * /system/df, on the slow client (it must not hold the one pooled tunnel of a nested daemon)
	 * with a deadline of its own. A daemon that will not say keeps its storage unknown.
	 */
	private async readStorage(generation: number): Promise<void> {
		const client = this.client;
		if (!client || this.options.quiet) return;
		this.storageReadAt = Date.now();
		// Cut off by a reconnect or stop too, not only by its deadline.
		this.storageAbort?.abort();
		const abort = new AbortController();
		this.storageAbort = abort;
		try {
			const answer: unknown = await (client.slow as unknown as {df(options: {abortSignal: AbortSignal}): Promise<unknown>}).df({
				abortSignal: AbortSignal.any([abort.signal, AbortSignal.timeout(storageTimeoutMs)]),
			});
			const storage = systemDiskUsage(answer);
			if (generation !== this.generation || this.stopped || !this.facts) return;
			this.facts = {...this.facts, storage};
			this.host.dispatch({type: 'daemon/ready', path: this.path, facts: this.facts});
		} catch {
			// Not part of the tree's picture: the health checks leave disk use out.
		}
	}

	/**
	 * Joining or leaving a swarm sends no event, nor do images coming and going: the periodic check
	 * reads /info, and a change of membership updates the daemon's facts and starts or stops
	 * reading its swarm; a change of image count has disk use read again.
	 */
	private membershipChecked(raw: unknown, generation: number): void {
		const previous = this.facts;
		if (!previous || generation !== this.generation || this.stopped) return;
		const info = dockerInfo(raw);
		const now = daemonFactsFrom(info, {ApiVersion: previous.apiVersion, Version: previous.serverVersion} as Docker.DockerVersion);
		const swarmChanged = now.swarm !== previous.swarm || JSON.stringify(now.swarmNode) !== JSON.stringify(previous.swarmNode);
		// Images pulled, loaded or removed (no container event says so): disk use is read again.
		const imagesChanged = now.images !== previous.images;
		if (!swarmChanged && !imagesChanged) return;
		const {swarmNode: _old, ...rest} = previous;
		this.facts = {...rest, images: now.images, swarm: now.swarm, ...(now.swarmNode ? {swarmNode: now.swarmNode} : {})};
		this.host.dispatch({type: 'daemon/ready', path: this.path, facts: this.facts});
		// Asked for before (answered or not): asked again.
		if (imagesChanged && this.storageReadAt > 0 && this.host.storage === 'background') {
			this.scheduleStorage(generation, Math.max(0, this.storageReadAt + storageMinIntervalMs - Date.now()));
		}
		if (swarmChanged) void this.followSwarm(generation);
	}

	/**
	 * A manager's picture of its swarm; a failed read keeps the last one (a leader election, a
	 * timeout). One read at a time (a slow tunnel must not queue them up); a picture that does not
	 * list this very daemon as a manager is not believed.
	 */
	private async readSwarm(clusterId: string, nodeId: string, epoch: number): Promise<void> {
		const client = this.client;
		if (!client || this.swarmReading === epoch) return;
		this.swarmReading = epoch;
		try {
			const [nodes, services, tasks] = await Promise.all([client.docker.listNodes(), client.docker.listServices(), client.docker.listTasks()]);
			if (epoch !== this.swarmEpoch || this.stopped) return;
			const cluster = swarmAnswers(clusterId, this.path, {nodes, services, tasks});
			if (!cluster.nodes.some((node) => node.id === nodeId && node.role === 'manager')) return;
			const json = JSON.stringify(cluster);
			if (json === this.swarmLast) return;
			this.swarmLast = json;
			this.host.dispatch({type: 'swarm/cluster', reportedBy: this.path, cluster});
			this.swarmReported = true;
		} catch {
			// Shown as it was last read; the daemon's own state comes from its pings and events.
		} finally {
			if (this.swarmReading === epoch) this.swarmReading = -1;
		}
	}

	/**
	 * A daemon reached through a container says it is `owner`, already shown. Believe it only
	 * if its own listing holds a container of the owner's that this container cannot know of
	 * by itself (a sibling's 64-hex ID; the question does not give any ID away). A daemon
	 * with no other container has nothing to prove with.
	 */
	private async provesSame(owner: string, client: DaemonClient): Promise<boolean> {
		const siblings = new Set(
			this.host
				.containers(owner)
				.filter((container) => container.key !== this.options.parentContainer)
				.map((container) => container.id),
		);
		if (siblings.size === 0) return true;
		try {
			const {containers} = containerList(await client.docker.listContainers({all: true}));
			return containers.some((container) => siblings.has(container.Id));
		} catch {
			return false;
		}
	}

	private failed(error: unknown): void {
		const reason = unreachableReason(error);
		// It answered, just badly: not a daemon still booting, and backed off like one that is up.
		if (isBadAnswer(error) || error instanceof UnprovenIdError) this.answered = true;
		// Only "nothing to try" is final; a port or socket that did not answer yet may be a daemon booting.
		const permanent = error instanceof NoTcpRouteError && error.final;
		if (permanent) this.permanentError = reason;
		// While its daemon boots a DinD is "connecting"; one without a docker CLI says why at once.
		const booting = this.options.bootGraceUntil !== undefined && Date.now() < this.options.bootGraceUntil && !permanent && !this.noCli && !this.answered;
		if (!this.options.quiet && !booting) {
			this.host.dispatch({type: 'daemon/unreachable', path: this.path, error: reason});
			this.host.report(this.path, new Error(`${this.path}: ${reason}`));
		}
		this.reset();
		if (!permanent && !this.options.quiet) this.scheduleRetry();
	}

	/**
	 * A daemon that never answered in this run of its container is probably booting: it is
	 * probed every bootProbeMs, so it turns ready within one interval of answering. One that
	 * answered and went away backs off.
	 */
	private retryDelay(): number {
		const backoff = retryDelaysMs[Math.min(this.attempt, retryDelaysMs.length - 1)]!;
		if (this.answered || this.options.bootGraceUntil === undefined) return backoff;
		if (Date.now() < this.options.bootGraceUntil) return Math.min(backoff, this.host.bootProbeMs);
		// Still silent after its grace: twice as long each time, to the ceiling; an event on its
		// container or ctrl-r probes again at once.
		this.silentProbes = Math.min(this.silentProbes + 1, 12);
		return this.host.bootProbeMs * Math.min(2 ** this.silentProbes, silentCeilingProbes);
	}

	/** Probes since the boot grace ended without an answer. */
	private silentProbes = 0;
	private lastNudge = 0;

	/** Something happened to its container: a daemon that never answered is probed again now. */
	nudge(): void {
		// At most one early probe every few seconds: a flood of events (a hostile parent daemon)
		// must not keep a silent daemon probed every second.
		if (this.stopped || this.answered || Date.now() - this.lastNudge < nudgeIntervalMs) return;
		this.lastNudge = Date.now();
		// A probe on its way: the one after it comes soon.
		this.silentProbes = 0;
		if (!this.retryTimer) return;
		clearTimeout(this.retryTimer);
		this.retryTimer = undefined;
		void this.connect();
	}

	private scheduleRetry(): void {
		if (this.stopped) return;
		const delay = this.retryDelay();
		this.attempt++;
		this.retryTimer = setTimeout(() => {
			this.retryTimer = undefined;
			if (this.stopped) return;
			void this.connect();
		}, delay);
		this.retryTimer.unref();
	}

	private startPings(generation: number): void {
		if (this.host.pingIntervalMs <= 0) return;
		this.pingTimer = setInterval(() => {
			const client = this.client;
			if (!client || generation !== this.generation) return;
			// /info rather than /_ping: it also says whether the daemon joined or left a swarm.
			client.docker
				.info()
				.then((raw: unknown) => this.membershipChecked(raw, generation))
				.catch((error: unknown) => {
					if (generation === this.generation && !this.stopped) this.failed(error);
				});
		}, this.host.pingIntervalMs);
		this.pingTimer.unref();
	}

	private async listAll(generation: number, listing: Promise<ContainerList>, prefetched?: Map<string, Promise<unknown>>): Promise<void> {
		const {containers: summaries, dropped} = await listing;
		if (generation !== this.generation) return;
		const touched = this.touchedDuringListing ?? new Set<string>();
		this.touchedDuringListing = undefined;
		const all = summaries.filter((summary) => !this.destroyed.has(summary.Id)).map((summary) => containerFromSummary(this.path, summary));
		const nodes = keepShown(all);
		this.trimmed = nodes.length < all.length;
		this.notice('trimmed', this.trimmed ? `showing ${nodes.length} of ${all.length} containers (limit ${maxContainersPerDaemon})` : undefined);
		this.notice('dropped', dropped > 0 ? `${dropped} listed entr${dropped === 1 ? 'y is' : 'ies are'} not containers (left out)` : undefined);
		this.host.dispatch({type: 'daemon/containers', path: this.path, containers: nodes});
		// The listing predates those events: what they changed (a container created after it,
		// one changed since) is read again rather than taken from the listing.
		for (const id of touched) {
			if (!this.destroyed.has(id)) this.queueRefresh(id, generation);
		}
		// Inspect in small parallel batches; each container's probe starts as soon as it is known.
		let next = 0;
		const worker = async () => {
			while (next < nodes.length && generation === this.generation) {
				const node = nodes[next++]!;
				const early = prefetched?.get(node.id);
				prefetched?.delete(node.id);
				await this.inspectAndReconcile(node, generation, early);
			}
		};
		this.inspecting = true;
		try {
			await Promise.all(Array.from({length: Math.min(inspectConcurrency, nodes.length)}, worker));
		} finally {
			if (generation === this.generation) {
				this.prefetchedInspects = undefined;
				this.inspecting = false;
				for (const start of this.clientQueue.splice(0)) start();
			}
		}
	}

	private async inspectAndReconcile(node: ContainerNode, generation: number, early?: Promise<unknown>): Promise<void> {
		try {
			const inspect = containerInspect(await (early ?? this.client!.docker.getContainer(node.id).inspect()), node.id);
			if (generation !== this.generation || this.destroyed.has(node.id)) return;
			const full = withInspect(node, inspect);
			this.host.dispatch({type: 'container/upsert', container: full});
			this.reconcileChild(full);
		} catch (error) {
			if ((error as {statusCode?: number}).statusCode === 404) {
				this.host.dispatch({type: 'container/remove', key: node.key});
				return;
			}
			throw error;
		}
	}

	/** One container changed: read it again (list entry for the status text, inspect for the rest). */
	private async refreshContainer(id: string, generation: number): Promise<void> {
		const client = this.client;
		if (!client) return;
		const [{containers: summaries}, inspect] = await Promise.all([
			client.docker.listContainers({all: true, filters: {id: [id]}}).then(containerList),
			client.docker
				.getContainer(id)
				.inspect()
				.then((answer) => containerInspect(answer, id))
				.catch((error: unknown) => {
					if ((error as {statusCode?: number}).statusCode === 404) return undefined;
					throw error;
				}),
		]);
		if (generation !== this.generation || this.destroyed.has(id)) return;
		const summary = summaries.find((entry) => entry.Id === id);
		if (!summary || !inspect) {
			this.removeContainer(id);
			return;
		}
		// At the limit, a container not shown yet stays out (the notice counts the listing).
		if (this.trimmed && !this.host.containers(this.path).some((container) => container.id === id)) return;
		const full = withInspect(containerFromSummary(this.path, summary), inspect);
		this.host.dispatch({type: 'container/upsert', container: full});
		this.reconcileChild(full);
	}

	private removeContainer(id: string): void {
		this.stopChild(id);
		this.host.dispatch({type: 'container/remove', key: containerKey(this.path, id)});
	}

	private stopChild(id: string): void {
		this.children.get(id)?.stop();
		this.children.delete(id);
		this.childStarts.delete(id);
		this.socketProbes.delete(id);
	}

	/** Make the daemon inside a container match the container's kind and state. */
	private reconcileChild(container: ContainerNode): void {
		if (this.stopped) return;
		if (container.kind === 'dind' || container.kind === 'sysbox') {
			this.reconcileDaemonContainer(container);
		} else if (container.kind === 'socket') {
			this.reconcileSocketContainer(container);
		} else if (container.kind === 'client') {
			this.reconcileClient(container);
		} else if (this.children.has(container.id)) {
			this.stopChild(container.id);
			if (container.innerDaemon) this.host.dispatch({type: 'daemon/remove', path: container.innerDaemon});
		}
	}

	private reconcileDaemonContainer(container: ContainerNode): void {
		const path = childPath(this.path, container.name);
		const existing = this.children.get(container.id);
		const sameRun = this.childStarts.get(container.id) === container.startedAt;
		if (existing && existing.path === path && sameRun && container.state === 'running') return;
		if (container.sharesDaemon && sameRun && container.state === 'running') return;
		if (existing) this.stopChild(container.id);
		if (container.innerDaemon && container.innerDaemon !== path) {
			this.host.dispatch({type: 'daemon/remove', path: container.innerDaemon});
		}
		const route = `exec tunnel via ${path}`;
		const node = {path, depth: this.depth + 1, route, parentContainer: container.key};
		this.host.dispatch({type: 'container/link', key: container.key, innerDaemon: path});
		if (this.depth + 1 > this.host.maxDepth) {
			this.host.dispatch({type: 'daemon/connecting', ...node});
			this.host.dispatch({type: 'daemon/unreachable', path, error: `deeper than --depth ${this.host.maxDepth}`});
			return;
		}
		if (container.state !== 'running') {
			this.host.dispatch({type: 'daemon/connecting', ...node});
			this.host.dispatch({type: 'daemon/unreachable', path, error: `container ${container.state}`});
			this.childStarts.set(container.id, container.startedAt);
			return;
		}
		const startedMs = container.startedAt ? Date.parse(container.startedAt) : 0;
		const child = new DaemonWatcher(this.host, {
			...node,
			connect: () => this.innerConnection(container, route),
			socketPaths: ['/var/run/docker.sock', '/run/docker.sock'],
			bootGraceUntil: startedMs + 30_000,
			tcpFallback: async () => {
				const found = await findTcpRoute(
					{
						client: this.client!,
						...(this.options.publishedHost ? {publishedHost: this.options.publishedHost} : {}),
						local: this.procRoot === hostProcRoot,
						timeoutMs: this.host.timeoutMs,
					},
					container.id,
				);
				// Nothing on tcp is final only when no socket under /proc can appear either.
				const procLater = this.procRoot !== undefined && !this.host.tunnelsOnly;
				return found instanceof NoTcpRouteError && found.final && procLater ? new NoTcpRouteError(found.message, false) : found;
			},
			onShared: (sharedPath) => {
				// Keep childStarts: this run of the container is settled as sharing.
				this.children.get(container.id)?.stop();
				this.children.delete(container.id);
				this.host.dispatch({type: 'daemon/remove', path});
				this.host.dispatch({type: 'container/link', key: container.key, sharesDaemon: sharedPath});
			},
		});
		this.children.set(container.id, child);
		this.childStarts.set(container.id, container.startedAt);
		void this.host.track(child.start());
	}

	/**
	 * Find where a client container's DOCKER_HOST leads, once per run of the container. A daemon
	 * it names may still be booting: an unresolved answer is asked again a few times.
	 */
	private reconcileClient(container: ContainerNode): void {
		if (this.clientRuns.get(container.id) === container.startedAt) return;
		this.clientRuns.set(container.id, container.startedAt);
		const generation = this.generation;
		const attempt = async (left: number): Promise<void> => {
			if (generation !== this.generation || this.stopped || !this.client) return;
			const current = this.host.containers(this.path);
			const latest = current.find((candidate) => candidate.id === container.id) ?? container;
			const target = await resolveClientTarget({
				parent: this.client,
				container: latest,
				siblings: current,
				ownerOf: (id) => this.host.ownerOf(id),
				timeoutMs: this.host.timeoutMs,
			});
			if (generation !== this.generation || this.stopped) return;
			const key = container.key;
			if ('clientOf' in target) this.host.dispatch({type: 'container/client', key, clientOf: target.clientOf});
			else {
				this.host.dispatch({type: 'container/client', key, clientProblem: target.problem});
				if (left > 0) void pause(clientRetryMs * (4 - left)).then(() => attempt(left - 1));
			}
		};
		// The first answer counts toward the snapshot; while the listing is still being read, it
		// waits for it (the daemon container it names may come later in the same listing).
		const start = () => void this.host.track(attempt(3));
		if (this.inspecting) this.clientQueue.push(start);
		else start();
	}

	private reconcileSocketContainer(container: ContainerNode): void {
		const mount = container.mounts.find((m) => m.type === 'bind' && /docker\.sock$/.test(m.destination));
		if (!mount) return;
		if (this.options.socketPaths.includes(mount.source)) {
			if (container.sharesDaemon !== this.path) {
				this.host.dispatch({type: 'container/link', key: container.key, sharesDaemon: this.path});
			}
			return;
		}
		// Some other socket: find out whose daemon it is, if the container lets us in.
		if (this.socketProbes.has(container.id) || container.state !== 'running') return;
		this.socketProbes.add(container.id);
		this.host.dispatch({type: 'container/link', key: container.key, socketSource: mount.source});
		const path = childPath(this.path, container.name);
		const route = `exec tunnel via ${path}`;
		const probe = new DaemonWatcher(this.host, {
			path,
			depth: this.depth + 1,
			route,
			parentContainer: container.key,
			connect: () => this.innerConnection(container, route),
			socketPaths: [mount.destination],
			quiet: true,
			onShared: (sharedPath) => {
				this.children.delete(container.id);
				this.host.dispatch({type: 'container/link', key: container.key, sharesDaemon: sharedPath});
			},
		});
		this.children.set(container.id, probe);
		void this.host.track(
			probe.start().then(() => {
				if (probe.facts && !probe.isStopped) {
					this.host.dispatch({type: 'container/link', key: container.key, innerDaemon: path, socketSource: mount.source});
				}
			}),
		);
	}

	private innerConnection(container: ContainerNode, tunnelRoute: string): Connection {
		return connectInner(
			{client: this.client!, ...(this.procRoot !== undefined ? {procRoot: this.procRoot} : {})},
			{id: container.id, ...(container.pid ? {pid: container.pid} : {})},
			{tunnelRoute, timeoutMs: this.host.timeoutMs, tunnelsOnly: this.host.tunnelsOnly},
		);
	}

	private async followEvents(generation: number): Promise<void> {
		let failures = 0;
		let floods = 0;
		while (!this.stopped && generation === this.generation && this.client) {
			const client = this.client;
			let ended: 'ended' | 'flooded' = 'ended';
			try {
				const stream = (await client.streams.getEvents({
					since: this.lastEventTime,
					filters: {type: ['container'], event: watchedContainerActions},
				} as Parameters<Docker['getEvents']>[0])) as unknown as Readable;
				if (generation !== this.generation) {
					stream.destroy();
					return;
				}
				this.events = stream;
				failures = 0;
				ended = await this.readEvents(stream, generation);
			} catch {
				failures++;
			}
			if (this.stopped || generation !== this.generation) return;
			if (ended === 'flooded') {
				const flood = ++floods;
				this.notice('flood', `event flood (over ${floodEvents / (floodWindowMs / 1000)} events/s): events paused, re-listed every ${floodPauseMs / 1000} s`);
				await pause(floodPauseMs);
				if (this.stopped || generation !== this.generation) return;
				// Events were skipped: the listing is the truth again; follow from now on.
				this.lastEventTime = Math.floor(Date.now() / 1000);
				this.touchedDuringListing = new Set();
				try {
					await this.listAll(generation, client.docker.listContainers({all: true}).then(containerList));
				} catch (error) {
					if (generation === this.generation && !this.stopped) this.failed(error);
					return;
				}
				// Calm for a whole pause after resuming: the notice goes.
				setTimeout(() => {
					if (flood === floods && generation === this.generation) this.notice('flood', undefined);
				}, floodPauseMs).unref();
				continue;
			}
			// The stream ended: either the daemon went away or only the stream did.
			try {
				await client.docker.ping();
			} catch (error) {
				if (generation === this.generation && !this.stopped) this.failed(error);
				return;
			}
			await pause(Math.min(250 * 2 ** failures, 5000));
		}
	}

	/** Read one events stream until it ends, or until it floods (then it is cut off). */
	private readEvents(stream: Readable, generation: number): Promise<'ended' | 'flooded'> {
		return new Promise((resolve) => {
			let windowStart = Date.now();
			let inWindow = 0;
			let flooded = false;
			const parser = new JsonLineParser<unknown>((event) => {
				if (flooded) return;
				const now = Date.now();
				if (now - windowStart > floodWindowMs) {
					windowStart = now;
					inWindow = 0;
				}
				if (++inWindow > floodEvents) {
					// More than any real daemon sends, and each event costs two requests: stop reading.
					flooded = true;
					stream.destroy();
					resolve('flooded');
					return;
				}
				this.onEvent(containerEvent(event), generation);
			});
			stream.on('data', (chunk: Buffer) => parser.push(chunk));
			stream.once('end', () => {
				parser.end();
				resolve('ended');
			});
			stream.once('close', () => resolve(flooded ? 'flooded' : 'ended'));
			stream.once('error', () => resolve(flooded ? 'flooded' : 'ended'));
		});
	}

	private onEvent(event: ContainerEvent, generation: number): void {
		if (generation !== this.generation) return;
		const id = event.Actor?.ID ?? event.id;
		const action = (event.Action ?? event.status ?? '').split(':')[0]!;
		// A clock far ahead (or a daemon lying about it) must not make the resumed stream skip events.
		if (event.time) this.lastEventTime = Math.max(this.lastEventTime, Math.min(event.time, Date.now() / 1000 + 60));
		if (!id || !watchedContainerActions.includes(action)) return;
		this.touchedDuringListing?.add(id);
		this.prefetchedInspects?.delete(id);
		if (action === 'destroy') {
			if (this.trimmed) this.scheduleRelist(generation);
			this.destroyed.add(id);
			// Bounded: a read in flight lasts seconds at most, so the last thousand are plenty.
			if (this.destroyed.size > 1000) this.destroyed.delete(this.destroyed.values().next().value!);
			clearTimeout(this.pendingRefresh.get(id));
			this.pendingRefresh.delete(id);
			this.removeContainer(id);
			return;
		}
		if (action === 'pause' || action === 'die' || action === 'kill' || action === 'stop') {
			// The daemon inside is frozen or gone right now: say so before any request hangs on it.
			const child = this.children.get(id);
			if (child && !child.options.quiet) {
				this.stopChild(id);
				this.host.dispatch({
					type: 'daemon/unreachable',
					path: child.path,
					error: action === 'pause' ? 'container paused' : 'container stopped',
				});
			}
		} else this.children.get(id)?.nudge();
		clearTimeout(this.pendingRefresh.get(id));
		const timer = setTimeout(() => {
			this.pendingRefresh.delete(id);
			this.queueRefresh(id, generation);
		}, eventDebounceMs);
		this.pendingRefresh.set(id, timer);
	}

	/**
	 * Read a container again, at most inspectConcurrency at a time: a burst of events (compose
	 * down of a hundred containers, or a hostile flood) must not open a request per event at once.
	 */
	private queueRefresh(id: string, generation: number): void {
		if (generation !== this.generation) return;
		if (this.trimmed) {
			// At the limit, which containers are shown depends on all of them: list again.
			this.scheduleRelist(generation);
			return;
		}
		this.refreshQueue.add(id);
		if (this.refreshQueue.size > maxQueuedRefreshes) {
			// Events come faster than answers (a slow daemon, a steady stream of new IDs): one
			// listing instead of a queue that grows.
			this.refreshQueue.clear();
			this.scheduleRelist(generation);
			return;
		}
		while (this.refreshing < inspectConcurrency && this.refreshQueue.size > 0) {
			const next = this.refreshQueue.values().next().value!;
			this.refreshQueue.delete(next);
			this.refreshing++;
			this.refreshContainer(next, generation)
				.catch((error: unknown) => {
					if (generation === this.generation) this.host.report(this.path, error);
				})
				.finally(() => {
					// A read from before a reconnect no longer counts against the new connection.
					if (generation !== this.generation) return;
					this.refreshing--;
					if (this.refreshQueue.size > 0) this.queueRefresh(this.refreshQueue.values().next().value!, generation);
				});
		}
	}

	/** The whole listing again, soon, once however often it is asked for. */
	private scheduleRelist(generation: number): void {
		if (this.relistTimer || generation !== this.generation) return;
		this.relistTimer = setTimeout(() => {
			this.relistTimer = undefined;
			const client = this.client;
			if (!client || generation !== this.generation || this.stopped) return;
			this.touchedDuringListing = new Set();
			this.listAll(generation, client.docker.listContainers({all: true}).then(containerList)).catch((error: unknown) => {
				if (generation === this.generation && !this.stopped) this.failed(error);
			});
		}, relistDelayMs);
		this.relistTimer.unref();
	}
}
