import type {ContainerNode, TreeState} from './model.js';

/**
 * The tree flattened into the rows the tree panel draws, in order. A DinD container and the
 * daemon inside it are one row: expanding it shows that daemon's containers one level deeper.
 */
export interface TreeRow {
	/** Stable across updates: "daemon:PATH" for roots, the container key, "note:PATH" for notes. */
	id: string;
	type: 'root' | 'container' | 'note';
	/** Nesting level: 0 for roots and their containers' guides start at 1. */
	depth: number;
	/** The daemon this row belongs to (a root's own path; a container's daemon). */
	daemonPath: string;
	containerKey?: string;
	/** The daemon this row opens, when it has one (roots, DinD/sysbox containers). */
	opensDaemon?: string;
	expandable: boolean;
	expanded: boolean;
	/** For each ancestor level: does a sibling follow below (draw a vertical guide)? */
	continues: boolean[];
	/** Last among its siblings (draw an elbow instead of a tee). */
	last: boolean;
	/** Text of a note row ("no containers", "unreachable: ..."). */
	note?: string;
	/** The row itself matches the filter (ancestors shown only for context do not). */
	match: boolean;
}

export interface RowOptions {
	collapsed: ReadonlySet<string>;
	/** Case-insensitive substring of a container's name or image; ancestors of matches stay. */
	filter?: string;
}

export const rootRowId = (path: string) => `daemon:${path}`;

export function buildRows(tree: TreeState, options: RowOptions): TreeRow[] {
	const filter = options.filter?.trim().toLowerCase() ?? '';
	const matches = (container: ContainerNode) =>
		filter === '' || container.name.toLowerCase().includes(filter) || container.image.toLowerCase().includes(filter);

	// Which containers stay visible under a filter: matches and every container above one.
	const keep = new Map<string, boolean>();
	const subtreeMatches = (daemonPath: string, seen: Set<string>): boolean => {
		if (seen.has(daemonPath)) return false;
		seen.add(daemonPath);
		const daemon = tree.daemons[daemonPath];
		if (!daemon) return false;
		let any = false;
		for (const key of daemon.containers) {
			const container = tree.containers[key];
			if (!container) continue;
			const inner = container.innerDaemon ? subtreeMatches(container.innerDaemon, seen) : false;
			const visible = matches(container) || inner;
			keep.set(key, visible);
			any ||= visible;
		}
		return any;
	};
	if (filter !== '') for (const root of tree.roots) subtreeMatches(root, new Set());

	const rows: TreeRow[] = [];
	const emit = (daemonPath: string, depth: number, continues: boolean[], visited: Set<string>) => {
		const daemon = tree.daemons[daemonPath];
		if (!daemon || visited.has(daemonPath)) return;
		visited.add(daemonPath);
		const containers = daemon.containers
			.map((key) => tree.containers[key])
			.filter((c): c is ContainerNode => c !== undefined && (filter === '' || keep.get(c.key) === true));
		if (containers.length === 0 && filter === '') {
			const note =
				daemon.status === 'unreachable'
					? `unreachable: ${daemon.error ?? 'unknown reason'}`
					: daemon.status === 'connecting'
						? 'connecting…'
						: daemon.sharesDaemon
							? `same daemon as ${daemon.sharesDaemon}`
							: 'no containers';
			rows.push({
				id: `note:${daemonPath}`,
				type: 'note',
				depth,
				daemonPath,
				expandable: false,
				expanded: false,
				continues,
				last: true,
				note,
				match: false,
			});
			return;
		}
		containers.forEach((container, index) => {
			const last = index === containers.length - 1;
			const inner = container.innerDaemon ? tree.daemons[container.innerDaemon] : undefined;
			const expandable = inner !== undefined;
			const expanded = expandable && (filter !== '' || !options.collapsed.has(container.key));
			rows.push({
				id: container.key,
				type: 'container',
				depth,
				daemonPath,
				containerKey: container.key,
				...(inner ? {opensDaemon: inner.path} : {}),
				expandable,
				expanded,
				continues,
				last,
				match: filter !== '' && matches(container),
			});
			if (expanded && inner) emit(inner.path, depth + 1, [...continues, !last], visited);
		});
	};

	for (const rootPath of tree.roots) {
		const root = tree.daemons[rootPath];
		if (!root) continue;
		const id = rootRowId(rootPath);
		const expanded = filter !== '' || !options.collapsed.has(id);
		rows.push({
			id,
			type: 'root',
			depth: 0,
			daemonPath: rootPath,
			opensDaemon: rootPath,
			expandable: true,
			expanded,
			continues: [],
			last: true,
			match: false,
		});
		if (!expanded) continue;
		const before = rows.length;
		emit(rootPath, 1, [], new Set());
		if (filter !== '' && rows.length === before) {
			rows.push({
				id: `note:${rootPath}`,
				type: 'note',
				depth: 1,
				daemonPath: rootPath,
				expandable: false,
				expanded: false,
				continues: [],
				last: true,
				note: `nothing matches "${options.filter?.trim()}" (esc clears the filter)`,
				match: false,
			});
		}
	}
	return rows;
}

/** The ids of a row's ancestors, nearest first (to keep a selection when its row folds away). */
export function ancestorRowIds(tree: TreeState, row: TreeRow): string[] {
	const ids: string[] = [];
	let daemonPath: string | undefined = row.daemonPath;
	if (row.type === 'root') return ids;
	while (daemonPath) {
		const daemon: TreeState['daemons'][string] | undefined = tree.daemons[daemonPath];
		if (!daemon) break;
		if (daemon.parentContainer) {
			ids.push(daemon.parentContainer);
			daemonPath = tree.containers[daemon.parentContainer]?.daemonPath;
		} else {
			ids.push(rootRowId(daemon.path));
			daemonPath = undefined;
		}
	}
	return ids;
}
