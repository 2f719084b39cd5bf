import type {ContainerNode, TreeState} from '../store/model.js';
import {containersOf, daemonSummary} from '../store/selectors.js';
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
