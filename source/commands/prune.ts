import {oneLine} from '../errors.js';
import {visible} from '../output/visible.js';
import {createInterface} from 'node:readline/promises';
import type {DaemonClient} from '../daemon/client.js';
import {managedLabel, modeLabel, swarmLabel} from '../daemon/labels.js';
import {runLifecycle} from '../daemon/lifecycle.js';
import {UserError} from '../errors.js';
import type {ContainerNode, TreeState} from '../store/model.js';
import {sandboxContents} from '../store/sandbox-contents.js';
import {takeSnapshot, assertSomeRootReachable, type SnapshotOptions} from './snapshot.js';

const isManaged = (container: ContainerNode) => container.labels[managedLabel] === 'true';
const pathOf = (container: ContainerNode) => `${container.daemonPath}/${container.name}`;

/** A swarm task on a node of a swarm lab: part of the lab, which prune removes whole. */
function isSwarmLabTask(tree: TreeState, container: ContainerNode): boolean {
	if (!container.labels['com.docker.swarm.task.id']) return false;
	const node = tree.daemons[container.daemonPath]?.parentContainer;
	return node !== undefined && tree.containers[node]?.labels[swarmLabel] !== undefined;
}

type ImageLister = (daemonPath: string) => Promise<Array<{id: string; pulled: boolean}>>;

/**
 * Why removing this sandbox with its volume would lose what dockerception did not make:
 * containers without its label, images found nowhere else (not on the daemon it is on, not
 * pulled from a registry), or a daemon inside that does not answer. undefined: nothing.
 */
export async function whyKeep(tree: TreeState, container: ContainerNode, images: ImageLister): Promise<string | undefined> {
	const contents = sandboxContents(tree, container);
	if (!contents) return undefined;
	if (contents.unknown.length > 0) {
		const silent = contents.unknown.map((path) => `${path}: ${tree.daemons[path]?.error ?? 'not reached'}`).join('; ');
		return `what its daemon holds is not known (${silent}); start it and prune again`;
	}
	const containers = contents.containers.filter((inner) => !isManaged(inner) && !isSwarmLabTask(tree, inner));
	let own: Set<string>;
	try {
		const kept = new Set((await images(container.daemonPath)).map((image) => image.id));
		own = new Set();
		for (const daemon of contents.daemons) {
			for (const image of await images(daemon.path)) if (!image.pulled && !kept.has(image.id)) own.add(image.id);
		}
	} catch (error) {
		return `its images could not be listed (${oneLine(error)})`;
	}
	if (containers.length === 0 && own.size === 0) return undefined;
	const names = containers.slice(0, 3).map((inner) => inner.name);
	const parts = [
		...(containers.length > 0
			? [`${containers.length} container${containers.length === 1 ? '' : 's'} (${names.join(', ')}${containers.length > names.length ? ', …' : ''})`]
			: []),
		...(own.size > 0 ? [`${own.size} image${own.size === 1 ? '' : 's'} found nowhere else`] : []),
	];
	return `its daemon holds ${parts.join(' and ')} that dockerception did not make`;
}

export interface PrunePlan {
	remove: ContainerNode[];
	keep: Array<{container: ContainerNode; why: string}>;
	/** Sandboxes inside one that is removed. */
	goesWith: Set<string>;
}

/**
 * Outermost first: a sandbox holding nothing of the user's is removed with everything inside
 * it; one that holds something is kept, and the sandboxes inside it are weighed in turn.
 */
export async function planPrune(tree: TreeState, images: ImageLister): Promise<PrunePlan> {
	const depth = (container: ContainerNode) => container.daemonPath.split('/').length;
	const all = Object.values(tree.containers)
		.filter(isManaged)
		.sort((a, b) => depth(a) - depth(b));
	const plan: PrunePlan = {remove: [], keep: [], goesWith: new Set()};
	const removed = new Set<string>();
	const inRemoved = (container: ContainerNode) => {
		const parts = container.daemonPath.split('/');
		for (let index = 2; index <= parts.length; index++) if (removed.has(parts.slice(0, index).join('/'))) return true;
		return false;
	};
	for (const container of all) {
		if (inRemoved(container)) {
			plan.goesWith.add(container.key);
			continue;
		}
		const why = await whyKeep(tree, container, images);
		if (why) plan.keep.push({container, why});
		else {
			plan.remove.push(container);
			removed.add(pathOf(container));
		}
	}
	return plan;
}

/** A daemon's images: pulled ones carry a registry digest and can be pulled again. */
function imageLister(clientOf: (path: string) => DaemonClient | undefined): ImageLister {
	const cache = new Map<string, Promise<Array<{id: string; pulled: boolean}>>>();
	return (path) => {
		let listed = cache.get(path);
		if (!listed) {
			const client = clientOf(path);
			listed = client
				? client.docker
						.listImages()
						.then((images) => images.map((image) => ({id: String(image.Id), pulled: Array.isArray(image.RepoDigests) && image.RepoDigests.length > 0})))
				: Promise.reject(new Error(`${path} is not connected`));
			cache.set(path, listed);
		}
		return listed;
	};
}

/** `dockerception prune`: remove only what dockerception created, after listing it. */
export async function runPrune(options: SnapshotOptions & {yes: boolean}): Promise<number> {
	const {tree, explorer} = await takeSnapshot(options);
	try {
		assertSomeRootReachable(tree, options.endpoints);
		const all = Object.values(tree.containers).filter(isManaged);
		if (all.length === 0) {
			process.stdout.write('nothing to prune: no container labelled io.dockerception.managed=true\n');
			return 0;
		}
		const plan = await planPrune(
			tree,
			imageLister((path) => explorer.client(path)),
		);
		const kept = new Set(plan.keep.map((entry) => entry.container.key));
		process.stdout.write(`sandboxes created by dockerception (${all.length}):\n`);
		for (const container of all) {
			const note = plan.goesWith.has(container.key) ? ' (goes with the sandbox it is in)' : kept.has(container.key) ? ' (kept)' : '';
			process.stdout.write(
				visible(
					`  ${pathOf(container)}  ${container.labels[modeLabel] ?? ''}${container.labels[swarmLabel] ? ` (swarm ${container.labels[swarmLabel]})` : ''}  ${container.state}${note}`,
				) + '\n',
			);
		}
		// Kept as `docker rm -f` keeps a volume: removing it anyway is `d` in the TUI, which says what goes.
		for (const {container, why} of plan.keep) {
			process.stdout.write(visible(`kept ${pathOf(container)}: ${why}; remove it anyway with d in dockerception`) + '\n');
		}
		if (plan.remove.length === 0) {
			process.stdout.write('nothing removed\n');
			return 0;
		}
		if (!options.yes) {
			if (!process.stdin.isTTY) throw new UserError('prune removes containers: confirm with --yes when not at a terminal', 2);
			const prompt = createInterface({input: process.stdin, output: process.stdout});
			const count = plan.remove.length;
			const answer = (await prompt.question(`remove ${count} sandbox${count === 1 ? '' : 'es'}? [y/N] `)).trim();
			prompt.close();
			if (!/^y(es)?$/i.test(answer)) {
				process.stdout.write('nothing removed\n');
				return 0;
			}
		}
		let failed = 0;
		for (const container of plan.remove) {
			const client = explorer.client(container.daemonPath);
			try {
				if (!client) throw new Error('its daemon is not connected');
				await runLifecycle(client, container.id, 'remove-with-volumes');
				process.stdout.write(`${visible(`removed ${pathOf(container)}`)}\n`);
			} catch (error) {
				failed++;
				process.stderr.write(`dockerception: ${oneLine(`${pathOf(container)}: ${(error as Error).message}`)}\n`);
			}
		}
		return failed > 0 ? 1 : 0;
	} finally {
		explorer.stop();
	}
}
