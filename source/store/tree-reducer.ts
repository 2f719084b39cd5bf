import type {ContainerNode, DaemonFacts, DaemonNode, SwarmCluster, TreeState} from './model.js';

/** Changes the daemon layer reports; each is small so that events never cause a re-walk. */
export type TreeAction =
	| {type: 'daemon/connecting'; path: string; depth: number; route: string; parentContainer?: string; insecure?: boolean}
	| {type: 'daemon/ready'; path: string; facts: DaemonFacts; route?: string; insecure?: boolean}
	| {type: 'daemon/shares'; path: string; sharesDaemon: string}
	| {type: 'daemon/unreachable'; path: string; error: string}
	| {type: 'daemon/notices'; path: string; notices: string[]}
	| {type: 'daemon/forward'; path: string; socket?: string}
	| {type: 'daemon/containers'; path: string; containers: ContainerNode[]}
	| {type: 'daemon/remove'; path: string}
	| {type: 'container/upsert'; container: ContainerNode}
	| {type: 'container/remove'; key: string}
	| {type: 'container/link'; key: string; innerDaemon?: string; sharesDaemon?: string; socketSource?: string}
	/** Where a client container's DOCKER_HOST leads, or why that is not known. */
	| {type: 'container/client'; key: string; clientOf?: string; clientProblem?: string}
	/** A manager's picture of its swarm; none: it reports none any more. */
	| {type: 'swarm/cluster'; reportedBy: string; cluster?: SwarmCluster};

export function treeReducer(state: TreeState, action: TreeAction): TreeState {
	switch (action.type) {
		case 'daemon/connecting': {
			const previous = state.daemons[action.path];
			const daemon: DaemonNode = {
				path: action.path,
				depth: action.depth,
				route: action.route,
				status: 'connecting',
				containers: previous?.containers ?? [],
				...(previous?.facts ? {facts: previous.facts} : {}),
				...(action.parentContainer ? {parentContainer: action.parentContainer} : {}),
				...(action.insecure ? {insecure: true} : {}),
			};
			const roots = action.depth === 0 && !state.roots.includes(action.path) ? [...state.roots, action.path] : state.roots;
			return {...state, roots, daemons: {...state.daemons, [action.path]: daemon}};
		}
		case 'daemon/ready':
			return updateDaemon(state, action.path, (daemon) => {
				const {error: _dropped, ...rest} = daemon;
				return {
					...rest,
					status: 'ready',
					facts: action.facts,
					...(action.route ? {route: action.route} : {}),
					...(action.insecure !== undefined ? {insecure: action.insecure} : {}),
				};
			});
		case 'daemon/forward':
			return updateDaemon(state, action.path, ({forward: _dropped, ...daemon}) => (action.socket ? {...daemon, forward: action.socket} : daemon));
		case 'daemon/notices':
			return updateDaemon(state, action.path, (daemon) => {
				const {notices: _dropped, ...rest} = daemon;
				return action.notices.length > 0 ? {...rest, notices: action.notices} : rest;
			});
		case 'daemon/shares':
			return updateDaemon(state, action.path, (daemon) => ({...daemon, sharesDaemon: action.sharesDaemon}));
		case 'daemon/unreachable': {
			// Its containers are no longer known: drop them and every daemon below.
			const daemon = state.daemons[action.path];
			if (!daemon) return state;
			const cleared = dropSwarmsOf(removeContainers(state, daemon.containers), action.path);
			return updateDaemon(cleared, action.path, ({notices: _dropped, ...current}) => ({
				...current,
				status: 'unreachable',
				error: action.error,
				containers: [],
			}));
		}
		case 'daemon/containers': {
			const daemon = state.daemons[action.path];
			if (!daemon) return state;
			const incoming = new Set(action.containers.map((c) => c.key));
			const gone = daemon.containers.filter((key) => !incoming.has(key));
			const next = removeContainers(state, gone);
			const containers = {...next.containers};
			for (const container of action.containers) containers[container.key] = keepLinks(containers[container.key], container);
			const keys = sortByName(
				action.containers.map((c) => c.key),
				containers,
			);
			return {...next, containers, daemons: {...next.daemons, [action.path]: {...next.daemons[action.path]!, containers: keys}}};
		}
		case 'daemon/remove':
			return dropSwarmsOf(removeDaemon(state, action.path), action.path);
		case 'swarm/cluster': {
			const kept = dropSwarmsOf(state, action.reportedBy);
			if (!action.cluster) return kept;
			// By reporter: a daemon cannot replace what another reported by naming its cluster.
			return {...kept, swarms: {...kept.swarms, [action.reportedBy]: action.cluster}};
		}
		case 'container/upsert': {
			const {container} = action;
			const daemon = state.daemons[container.daemonPath];
			if (!daemon) return state;
			const containers = {...state.containers, [container.key]: keepLinks(state.containers[container.key], container)};
			const keys = daemon.containers.includes(container.key) ? daemon.containers : sortByName([...daemon.containers, container.key], containers);
			const renamed = state.containers[container.key]?.name !== container.name ? sortByName(keys, containers) : keys;
			return {...state, containers, daemons: {...state.daemons, [daemon.path]: {...daemon, containers: renamed}}};
		}
		case 'container/remove':
			return removeContainers(state, [action.key]);
		case 'container/client': {
			const container = state.containers[action.key];
			if (!container) return state;
			const {clientOf: _c, clientProblem: _p, ...rest} = container;
			const resolved: ContainerNode = {
				...rest,
				...(action.clientOf ? {clientOf: action.clientOf} : {}),
				...(action.clientProblem ? {clientProblem: action.clientProblem} : {}),
			};
			return {...state, containers: {...state.containers, [action.key]: resolved}};
		}
		case 'container/link': {
			const container = state.containers[action.key];
			if (!container) return state;
			const {innerDaemon: _i, sharesDaemon: _s, socketSource: _o, ...rest} = container;
			const linked: ContainerNode = {
				...rest,
				...(action.innerDaemon ? {innerDaemon: action.innerDaemon} : {}),
				...(action.sharesDaemon ? {sharesDaemon: action.sharesDaemon} : {}),
				...(action.socketSource ? {socketSource: action.socketSource} : {}),
			};
			return {...state, containers: {...state.containers, [action.key]: linked}};
		}
	}
}

function updateDaemon(state: TreeState, path: string, update: (daemon: DaemonNode) => DaemonNode): TreeState {
	const daemon = state.daemons[path];
	if (!daemon) return state;
	return {...state, daemons: {...state.daemons, [path]: update(daemon)}};
}

/** A listing or inspect does not know the links discovery made: keep them. */
function keepLinks(previous: ContainerNode | undefined, next: ContainerNode): ContainerNode {
	if (!previous) return next;
	return {
		...next,
		...(previous.innerDaemon && !next.innerDaemon ? {innerDaemon: previous.innerDaemon} : {}),
		...(previous.sharesDaemon && !next.sharesDaemon ? {sharesDaemon: previous.sharesDaemon} : {}),
		...(previous.socketSource && !next.socketSource ? {socketSource: previous.socketSource} : {}),
		...(previous.clientOf && !next.clientOf && next.kind === 'client' ? {clientOf: previous.clientOf} : {}),
		...(previous.clientProblem && !next.clientProblem && next.kind === 'client' ? {clientProblem: previous.clientProblem} : {}),
		...(previous.networks !== undefined && next.networks === undefined ? {networks: previous.networks} : {}),
		...(previous.privileged !== undefined && next.privileged === undefined ? {privileged: previous.privileged} : {}),
		...(previous.runtime !== undefined && next.runtime === undefined ? {runtime: previous.runtime} : {}),
		...(previous.env !== undefined && next.env === undefined ? {env: previous.env} : {}),
		...(previous.pid !== undefined && next.pid === undefined && next.state === previous.state ? {pid: previous.pid} : {}),
		...(previous.startedAt !== undefined && next.startedAt === undefined ? {startedAt: previous.startedAt} : {}),
	};
}

function removeContainers(state: TreeState, requested: string[]): TreeState {
	const keys = requested.filter((key) => state.containers[key] !== undefined);
	if (keys.length === 0) return state;
	let next = state;
	const containers = {...state.containers};
	const byDaemon = new Map<string, Set<string>>();
	for (const key of keys) {
		const container = containers[key];
		if (!container) continue;
		delete containers[key];
		if (!byDaemon.has(container.daemonPath)) byDaemon.set(container.daemonPath, new Set());
		byDaemon.get(container.daemonPath)!.add(key);
	}
	next = {...next, containers};
	const daemons = {...next.daemons};
	for (const [path, removed] of byDaemon) {
		const daemon = daemons[path];
		if (daemon) daemons[path] = {...daemon, containers: daemon.containers.filter((key) => !removed.has(key))};
	}
	next = {...next, daemons};
	// A removed container takes the daemon inside it along.
	for (const key of keys) {
		const inner = state.containers[key]?.innerDaemon;
		if (inner && next.daemons[inner]?.parentContainer === key) next = removeDaemon(next, inner);
	}
	return next;
}

function removeDaemon(state: TreeState, path: string): TreeState {
	const daemon = state.daemons[path];
	if (!daemon) return state;
	const withoutContainers = removeContainers(state, daemon.containers);
	const daemons = {...withoutContainers.daemons};
	delete daemons[path];
	return {...withoutContainers, daemons, roots: withoutContainers.roots.filter((root) => root !== path)};
}

function sortByName(keys: string[], containers: Record<string, ContainerNode>): string[] {
	return [...keys].sort((a, b) => (containers[a]?.name ?? '').localeCompare(containers[b]?.name ?? ''));
}

/** Forget the swarms a daemon (or any daemon below it) reported. */
function dropSwarmsOf(state: TreeState, path: string): TreeState {
	if (!state.swarms) return state;
	const below = (reporter: string) => reporter === path || reporter.startsWith(`${path}/`);
	if (!Object.values(state.swarms).some((cluster) => below(cluster.reportedBy))) return state;
	return {...state, swarms: Object.fromEntries(Object.entries(state.swarms).filter(([, cluster]) => !below(cluster.reportedBy)))};
}
