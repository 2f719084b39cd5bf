import type {ContainerNode, DaemonNode, TreeState} from './model.js';
import {containersOf} from './selectors.js';

/**
 * What a container with a daemon of its own (DinD, sysbox) keeps in its /var/lib/docker
 * volume, read from the tree: removing it with that volume loses all of this.
 */
export interface SandboxContents {
	/** The daemon inside it and those inside its containers, to any depth. */
	daemons: DaemonNode[];
	/** Every container of those daemons. */
	containers: ContainerNode[];
	/** Images of those daemons, as their /info counts them. */
	images: number;
	/** Paths of daemons inside that do not answer (or were never reached): their share is not known. */
	unknown: string[];
}

/** The daemon a container runs itself (not one it reaches through a socket); undefined: none. */
export function ownDaemonPath(tree: TreeState, container: ContainerNode): string | undefined {
	if (container.innerDaemon && tree.daemons[container.innerDaemon]?.parentContainer === container.key) return container.innerDaemon;
	// A daemon container whose daemon the tree has no node for yet still keeps one on its volume.
	if ((container.kind === 'dind' || container.kind === 'sysbox') && !container.sharesDaemon) return `${container.daemonPath}/${container.name}`;
	return undefined;
}

/** undefined for a container without a daemon of its own: nothing of a daemon's goes with it. */
export function sandboxContents(tree: TreeState, container: ContainerNode): SandboxContents | undefined {
	const top = ownDaemonPath(tree, container);
	if (!top) return undefined;
	const contents: SandboxContents = {daemons: [], containers: [], images: 0, unknown: []};
	const visit = (path: string) => {
		const daemon = tree.daemons[path];
		if (!daemon || daemon.status !== 'ready' || !daemon.facts) {
			contents.unknown.push(path);
			return;
		}
		contents.daemons.push(daemon);
		contents.images += daemon.facts.images;
		for (const inner of containersOf(tree, daemon)) {
			contents.containers.push(inner);
			const below = ownDaemonPath(tree, inner);
			if (below) visit(below);
		}
	};
	visit(top);
	return contents;
}

/** "3 containers and 5 images" (what the volume holds, in words). */
export function contentsWords(contents: Pick<SandboxContents, 'containers' | 'images'>): string {
	const containers = contents.containers.length;
	return `${containers} container${containers === 1 ? '' : 's'} and ${contents.images} image${contents.images === 1 ? '' : 's'}`;
}

/**
 * What a removal loses with a daemon container's volume, for a dialog: the containers and
 * images of every daemon inside, then the daemons inside that do not answer (not counted).
 */
export function volumeLossLines(tree: TreeState, contents: SandboxContents): string[] {
	const silent = contents.unknown.map((path) => `${path} (${tree.daemons[path]?.error ?? 'not reached'})`).join(', ');
	const goes = '⚠ its daemon and its volume go with it';
	if (contents.unknown.length === 0) return [`${goes}: ${contentsWords(contents)} inside will be lost`];
	if (contents.daemons.length === 0) return [`${goes}, with all it holds`, `⚠ not known what: its daemon does not answer, ${silent}`];
	return [`${goes}: ${contentsWords(contents)} inside will be lost`, `⚠ and more not counted: no answer from ${silent}`];
}
