import type {ContainerNode, TreeState} from '../store/model.js';
import {containersOf, daemonSummary} from '../store/selectors.js';
import {swarmViews} from '../store/swarm-view.js';
import type {Paint} from './colors.js';
import {daemonGlyph, kindBadge, stateGlyph, type GlyphSet} from './glyphs.js';

/** `dockerception tree`: the whole model as an indented tree, like `tree`. */
export function renderTextTree(tree: TreeState, paint: Paint, set: GlyphSet): string {
	const lines: string[] = [];
	for (const rootPath of tree.roots) {
		const root = tree.daemons[rootPath];
		if (!root) continue;
		const mark = daemonGlyph(root.status, set);
		lines.push(`${paint(mark.tone, mark.glyph)} ${paint('bold', root.path)}  ${daemonSummary(tree, root)}  ${paint('dim', root.route)}`);
		walk(root.path, '');
	}
	for (const swarm of swarmViews(tree)) {
		const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
		lines.push('');
		lines.push(
			`${paint('bold', `swarm ${swarm.clusterId}`)}  ${count(swarm.managers.length, 'manager')} · ${count(swarm.workers.length, 'worker')} · ${count(swarm.services.length, 'service')}`,
		);
		for (const node of swarm.nodes) {
			const where = node.path ?? paint('yellow', `${node.hostname} (not in the tree)`);
			lines.push(
				`  ${node.role.padEnd(7)} ${where}${node.leader ? ' ★ leader' : ''}  ${paint('dim', `${node.state} · ${node.availability} · ${node.nodeId}`)}`,
			);
		}
		for (const service of swarm.services) {
			const wanted = service.replicas === null ? service.mode : `${service.mode} ${service.running}/${service.replicas}`;
			lines.push(`  service ${paint('bold', service.name)}  ${wanted}`);
			for (const task of service.tasks) {
				const place = task.container ?? task.node ?? paint('yellow', `node ${task.nodeId}`);
				lines.push(`    ${task.name}  ${task.state}  ${set.shares} ${place}`);
			}
		}
	}
	return lines.join('\n');

	function walk(daemonPath: string, prefix: string): void {
		const daemon = tree.daemons[daemonPath];
		if (!daemon) return;
		const containers = containersOf(tree, daemon);
		containers.forEach((container, index) => {
			const last = index === containers.length - 1;
			lines.push(`${paint('dim', prefix + (last ? set.elbow : set.tee))}${row(container)}`);
			if (container.innerDaemon) walk(container.innerDaemon, prefix + (last ? set.blank : set.pipe));
		});
	}

	function row(container: ContainerNode): string {
		const mark = stateGlyph(container.state, set);
		const parts = [`${paint(mark.tone, mark.glyph)} ${container.name}`];
		if (container.kind !== 'plain') parts.push(paint('magenta', `[${kindBadge[container.kind]}]`));
		parts.push(paint('dim', container.image));
		parts.push(container.status || container.state);
		if (container.sharesDaemon) {
			parts.push(paint('cyan', `${set.shares} shares ${container.sharesDaemon}`));
		} else if (container.innerDaemon) {
			const inner = tree.daemons[container.innerDaemon];
			if (inner) {
				const tone = inner.status === 'ready' ? 'cyan' : inner.status === 'connecting' ? 'yellow' : 'red';
				parts.push(paint(tone, `${set.shares} ${daemonSummary(tree, inner)}`));
			}
		} else if (container.socketSource) {
			parts.push(paint('yellow', `${set.shares} socket ${container.socketSource} (unknown daemon)`));
		} else if (container.clientOf) {
			parts.push(paint('cyan', `${set.client} client of ${container.clientOf}`));
		} else if (container.clientProblem) {
			parts.push(paint('yellow', `${set.client} client: ${container.clientProblem}`));
		}
		return parts.join('  ');
	}
}
