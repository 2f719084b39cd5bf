import {Text} from './Text.js';
import type {ContainerNode, DaemonNode, TreeState} from '../store/model.js';
import {daemonSummary} from '../store/selectors.js';
import {swarmTag} from '../store/swarm-view.js';
import {healthMark, healthOf} from '../store/health.js';
import type {TreeRow} from '../store/tree-rows.js';
import {daemonGlyph, kindBadge, stateGlyph, type GlyphSet} from '../output/glyphs.js';
import {compactStatus, padEnd, truncate} from './format.js';

export interface RowLayout {
	width: number;
	/** Width of guides + toggle + glyph + name. */
	nameWidth: number;
	now: number;
	glyphs: GlyphSet;
}

function guides(row: TreeRow, set: GlyphSet): string {
	if (row.depth === 0) return '';
	const above = row.continues.map((more) => (more ? set.pipe : set.blank)).join('');
	return above + (row.last ? set.elbow : set.tee);
}

function toggle(row: TreeRow, set: GlyphSet): string {
	if (!row.expandable) return ' ';
	return row.expanded ? set.expanded : set.collapsed;
}

/** Short route label: how the inner daemon is reached. */
function routeTag(daemon: DaemonNode): string {
	if (daemon.route.startsWith('exec tunnel')) return 'tunnel';
	if (daemon.route.includes('/proc/')) return 'direct';
	if (daemon.insecure) return 'tcp ⚠';
	return daemon.route.split(' ')[0] ?? '';
}

interface RowProps {
	row: TreeRow;
	tree: TreeState;
	selected: boolean;
	dimSelection: boolean;
	marked: boolean;
	layout: RowLayout;
}

export function TreeRowView({row, tree, selected, dimSelection, marked, layout}: RowProps) {
	const set = layout.glyphs;
	const prefix = guides(row, set);
	const inverse = selected && !dimSelection;
	if (row.type === 'note') {
		return (
			<Text wrap="truncate-end" dimColor inverse={inverse}>
				{truncate(`${prefix}  ${row.note ?? ''}`, layout.width)}
			</Text>
		);
	}
	if (row.type === 'root') {
		const daemon = tree.daemons[row.daemonPath]!;
		const mark = daemonGlyph(daemon.status, set);
		const rootHealth = healthMark(healthOf(tree, daemon.path));
		return (
			<Text wrap="truncate-end" inverse={inverse} underline={selected && dimSelection}>
				<Text>{toggle(row, set)}</Text>
				<Text color={mark.tone}>{mark.glyph}</Text>
				<Text bold> {daemon.path}</Text>
				{marked ? <Text color="magenta"> [marked]</Text> : null}
				{rootHealth ? <Text color={rootHealth.severity === 'error' ? 'red' : 'yellow'}> {rootHealth.text}</Text> : null}
				<Text color={daemon.status === 'unreachable' ? 'red' : undefined}> {daemonSummary(tree, daemon)}</Text>
				<Text dimColor> {daemon.route}</Text>
			</Text>
		);
	}
	const container = tree.containers[row.containerKey!] as ContainerNode;
	const mark = stateGlyph(container.state, set);
	const head = `${prefix}${toggle(row, set)}`;
	const nameSpace = Math.max(4, layout.nameWidth - head.length - 2);
	const badge = kindBadge[container.kind];
	const inner = container.innerDaemon ? tree.daemons[container.innerDaemon] : undefined;
	// Fixed columns, so the status stays visible and only the middle text is cut.
	const status = compactStatus(container, layout.now);
	const statusWidth = 12;
	const middleWidth = Math.max(0, layout.width - layout.nameWidth - 7 - statusWidth - (marked ? 9 : 0));
	const middle = middleText(tree, container, inner, set);
	return (
		<Text wrap="truncate-end" inverse={inverse} underline={selected && dimSelection}>
			<Text dimColor={!inverse}>{head}</Text>
			<Text color={mark.tone}>{mark.glyph}</Text>
			<Text bold={row.match}> {padEnd(container.name, nameSpace)}</Text>
			<Text color="magenta">{padEnd(badge, 7)}</Text>
			{marked ? <Text color="magenta">[marked] </Text> : null}
			<Text color={middle.tone} dimColor={middle.tone === undefined && !inverse}>
				{padEnd(middle.text, middleWidth)}
			</Text>
			<Text> {truncate(status, statusWidth - 1)}</Text>
		</Text>
	);
}

/** What a container row says between its kind and its status. */
function middleText(tree: TreeState, container: ContainerNode, inner: DaemonNode | undefined, set: GlyphSet): {text: string; tone?: string} {
	if (container.sharesDaemon) return {text: `${set.shares} shares ${container.sharesDaemon}`, tone: 'cyan'};
	// Rows stay still while connecting: one spinner in the header animates for all of them
	// (every spinner tick redraws the whole frame).
	// What is wrong with it leads: "⚠ 2" (details and `doctor` say what).
	const health = inner ? healthMark(healthOf(tree, inner.path)) : undefined;
	const marked = health ? `${health.text} · ` : '';
	if (inner?.status === 'connecting') return {text: `${marked}${set.paused} connecting…`, tone: health?.severity === 'error' ? 'red' : 'yellow'};
	if (inner?.status === 'unreachable') return {text: `${marked}${set.unreachable} ${inner.error ?? 'unreachable'}`, tone: 'red'};
	if (inner) {
		// A swarm node's part in its cluster goes first: the column is narrow and cuts the end.
		const swarm = swarmTag(tree, inner.path);
		const summary = daemonSummary(tree, inner, {swarm: false}).replace(/^Docker /, '');
		const tone = health ? (health.severity === 'error' ? 'red' : 'yellow') : inner.notices ? 'yellow' : 'cyan';
		return {text: `${marked}${swarm ? `${swarm} · ` : ''}${summary} · ${routeTag(inner)}`, tone};
	}
	if (container.socketSource) return {text: `${set.shares} ${container.socketSource} (unknown daemon)`, tone: 'yellow'};
	if (container.clientOf) return {text: `${set.client} client of ${container.clientOf}`, tone: 'cyan'};
	if (container.clientProblem) return {text: `${set.client} client: ${container.clientProblem}`, tone: 'yellow'};
	// The last path segment: the registry and namespace are in the details panel.
	return {text: container.image.split('/').pop() ?? container.image};
}
