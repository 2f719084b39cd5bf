import {Table} from '@alcalzone/ink-table';
import {Box} from 'ink';
import {Text} from './Text.js';
import {visible} from '../output/visible.js';
import type {ReactNode} from 'react';
import type {ContainerNode, DaemonNode, TreeState} from '../store/model.js';
import {countContainers, shortVersion, statusText} from '../store/selectors.js';
import {swarmTag, swarmViews} from '../store/swarm-view.js';
import {healthOf, type Severity} from '../store/health.js';
import type {TreeRow} from '../store/tree-rows.js';
import {kindBadge} from '../output/glyphs.js';
import {formatBytes, padEnd, truncate, wrapLines} from './format.js';
import {Panel} from './Panel.js';

interface DetailsPanelProps {
	tree: TreeState;
	row: TreeRow | undefined;
	width: number;
	height: number;
	focused: boolean;
	/** First block shown (the details scroll by blocks when focused). */
	scroll: number;
	now: number;
	ascii: boolean;
}

/** One piece of the details: a key/value line, a heading, a warning or a table. */
interface Block {
	key: string;
	height: number;
	node: ReactNode;
	heading?: boolean;
}

export function DetailsPanel({tree, row, width, height, focused, scroll, now, ascii}: DetailsPanelProps) {
	const inner = width - 2;
	const blocks = row ? detailBlocks(tree, row, inner, now) : [];
	const title = !row
		? 'details'
		: row.type === 'root'
			? `daemon ${row.daemonPath}`
			: row.containerKey
				? (tree.containers[row.containerKey]?.name ?? 'container')
				: row.daemonPath;
	const room = height - 2;
	const shown: Block[] = [];
	let used = 0;
	const start = Math.min(scroll, lastPage(blocks, room - 1));
	// When not everything fits, a line stays free for the hint that there is more.
	const fits = start === 0 && blocks.reduce((sum, block) => sum + block.height, 0) <= room;
	const limit = fits ? room : room - 1;
	for (const block of blocks.slice(start)) {
		if (used + block.height > limit) {
			// A heading without what it heads says nothing: leave it for the next scroll.
			if (shown.at(-1)?.heading && shown.length > 1) used -= shown.pop()!.height;
			break;
		}
		shown.push(block);
		used += block.height;
	}
	return (
		<Panel title={title} width={width} height={height} focused={focused} ascii={ascii}>
			{shown.map((block) => (
				<Box key={block.key} width={inner} height={block.height} flexDirection="column">
					{block.node}
				</Box>
			))}
			{fits ? null : <Text dimColor>{focused ? '↑↓ scroll' : 'tab: scroll details'}</Text>}
		</Panel>
	);
}

/** Where the last page starts (with a line kept for the scroll hint): scrolling further would only empty the panel. */
function lastPage(blocks: Block[], room: number): number {
	let used = 0;
	for (let index = blocks.length - 1; index >= 0; index--) {
		used += blocks[index]!.height;
		if (used > room) return index + 1;
	}
	return 0;
}

/** How far the details of a row can scroll in a panel of this size. */
export function detailsScrollLimit(tree: TreeState, row: TreeRow | undefined, width: number, height: number, now: number): number {
	return row ? lastPage(detailBlocks(tree, row, width - 2, now), height - 3) : 0;
}

/**
 * Long values wrap under themselves (up to three lines) rather than being cut; a list puts
 * each item on a line of its own.
 */
const field = (key: string, label: string, value: string | string[], width: number, tone?: string): Block => {
	const room = Math.max(1, width - 11);
	const lines = typeof value === 'string' ? wrapLines(value, room, 3) : value.flatMap((item) => wrapLines(item, room, 2));
	return {
		key,
		height: lines.length,
		node: lines.map((line, index) => (
			<Text key={index} wrap="truncate-end">
				<Text dimColor>{padEnd(index === 0 ? label : '', 11)}</Text>
				<Text color={tone}>{line}</Text>
			</Text>
		)),
	};
};

const heading = (key: string, text: string): Block => ({key, height: 1, node: <Text bold>{text}</Text>, heading: true});

/** A warning (⚠, yellow; red for an error) or a note (·, plain), wrapped to two lines. */
const warning = (key: string, text: string, width: number, severity: Severity = 'warning'): Block => {
	const lines = wrapLines(text, Math.max(1, width - 2), 2);
	return {
		key,
		height: lines.length,
		node: lines.map((line, index) => (
			<Text key={index} {...(severity === 'info' ? {} : {color: severity === 'error' ? 'red' : 'yellow'})} wrap="truncate-end">
				{index === 0 ? (severity === 'info' ? '· ' : '⚠ ') : '  '}
				{line}
			</Text>
		)),
	};
};

/** A table through @alcalzone/ink-table; cells are cut so the table fits the panel. */
function table(key: string, cells: Array<Record<string, string>>, width: number): Block {
	// ink-table draws cells with Ink's own Text: labels, mounts and ports are made visible here.
	const rows = cells.map((cell) => Object.fromEntries(Object.entries(cell).map(([column, value]) => [column, visible(value)])));
	const columns = Object.keys(rows[0] ?? {});
	const widths = columns.map((column) => Math.max(column.length, ...rows.map((r) => (r[column] ?? '').length)));
	// Each column costs its text plus two spaces of padding and one border.
	let excess = widths.reduce((sum, w) => sum + w + 3, 1) - width;
	for (let index = widths.length - 1; index >= 0 && excess > 0; index--) {
		const give = Math.min(excess, widths[index]! - columns[index]!.length);
		widths[index]! -= give;
		excess -= give;
	}
	const fitted = rows.map((r) => Object.fromEntries(columns.map((column, index) => [column, truncate(r[column] ?? '', widths[index]!)])));
	return {key, height: 3 + fitted.length * 2, node: <Table data={fitted} />};
}

function containerBlocks(tree: TreeState, container: ContainerNode, width: number, now: number): Block[] {
	const blocks: Block[] = [];
	const kind = container.kind === 'plain' ? 'plain container' : kindBadge[container.kind];
	blocks.push(field('kind', 'kind', kind, width, 'magenta'));
	if (container.signals.length > 0) blocks.push(field('signals', 'because', container.signals, width));
	blocks.push(field('image', 'image', container.image, width));
	blocks.push(field('command', 'command', container.command || '—', width));
	blocks.push(field('state', 'state', `${container.state} · ${statusText(container, now)}`, width, container.state === 'running' ? 'green' : undefined));
	blocks.push(field('id', 'id', container.id.slice(0, 12), width));
	if (container.privileged !== undefined) {
		blocks.push(field('runtime', 'runtime', `${container.runtime ?? 'runc'}${container.privileged ? ' · privileged' : ''}`, width));
	}
	if (container.sharesDaemon) blocks.push(field('shares', 'daemon', `shares ${container.sharesDaemon} (its containers are siblings)`, width, 'cyan'));
	if (container.socketSource && !container.sharesDaemon)
		blocks.push(field('socket', 'socket', `${container.socketSource} (not a daemon in this tree)`, width, 'yellow'));
	if (container.kind === 'client') {
		const variables = (container.env ?? []).filter((entry) => /^DOCKER_(HOST|TLS_VERIFY|CERT_PATH|CONTEXT)=/.test(entry));
		blocks.push(field('client-env', 'client', variables.length > 0 ? variables : ['DOCKER_HOST'], width));
		if (container.clientOf) blocks.push(field('client-of', 'reaches', container.clientOf, width, 'cyan'));
		else blocks.push(field('client-of', 'reaches', container.clientProblem ?? 'finding out…', width, 'yellow'));
	}
	if (container.privileged) blocks.push(warning('warn-privileged', 'privileged: root on the host', width));
	if (container.kind === 'socket') blocks.push(warning('warn-socket', `holds the daemon socket: root on ${container.sharesDaemon ?? 'its daemon'}`, width));
	const published = container.ports.filter((port) => port.publicPort);
	if (published.some((port) => port.privatePort === 2375)) blocks.push(warning('warn-2375', 'plain tcp 2375 published: anyone who reaches it is root', width));

	const inner = container.innerDaemon ? tree.daemons[container.innerDaemon] : undefined;
	if (inner) {
		blocks.push(heading('inner', `inner daemon ${inner.path}`));
		blocks.push(...daemonFacts(tree, inner, width, 'inner-'));
	}
	if (container.ports.length > 0) {
		blocks.push(heading('ports-h', 'ports'));
		blocks.push(
			table(
				'ports',
				container.ports.map((port) => ({
					container: `${port.privatePort}/${port.type}`,
					host: port.publicPort ? `${port.ip ?? '0.0.0.0'}:${port.publicPort}` : '—',
				})),
				width,
			),
		);
	}
	if (container.mounts.length > 0) {
		blocks.push(heading('mounts-h', 'mounts'));
		blocks.push(
			table(
				'mounts',
				container.mounts.map((mount) => ({
					type: mount.type,
					target: mount.destination,
					source: mount.type === 'volume' ? mount.source.replace(/^.*\/volumes\/([0-9a-f]{12}).*$/, '$1…') : mount.source,
				})),
				width,
			),
		);
	}
	const labels = Object.entries(container.labels);
	if (labels.length > 0) {
		blocks.push(heading('labels-h', `labels (${labels.length})`));
		blocks.push(
			table(
				'labels',
				labels.map(([label, value]) => ({label, value})),
				width,
			),
		);
	}
	return blocks;
}

function daemonFacts(tree: TreeState, daemon: DaemonNode, width: number, prefix = ''): Block[] {
	const blocks: Block[] = [];
	blocks.push(field(`${prefix}route`, 'route', daemon.route, width, daemon.insecure ? 'yellow' : undefined));
	if (daemon.forward) blocks.push(field(`${prefix}forward`, 'forward', `DOCKER_HOST=unix://${daemon.forward}`, width, 'green'));
	if (daemon.status !== 'ready') {
		for (const finding of healthOf(tree, daemon.path))
			blocks.push(warning(`${prefix}health-${finding.code}`, visible(`${finding.code}: ${finding.message}`), width, finding.severity));
		blocks.push(
			field(
				`${prefix}status`,
				'status',
				daemon.status === 'connecting' ? 'connecting…' : `unreachable: ${daemon.error ?? '?'}`,
				width,
				daemon.status === 'connecting' ? 'yellow' : 'red',
			),
		);
		return blocks;
	}
	for (const [index, notice] of (daemon.notices ?? []).entries()) blocks.push(field(`${prefix}notice-${index}`, 'notice', notice, width, 'yellow'));
	const facts = daemon.facts;
	if (!facts) return blocks;
	const {total, running} = countContainers(tree, daemon);
	blocks.push(field(`${prefix}version`, 'version', `Docker ${shortVersion(facts.serverVersion)} · API ${facts.apiVersion}`, width));
	blocks.push(field(`${prefix}os`, 'os', facts.os, width));
	blocks.push(field(`${prefix}kernel`, 'kernel', facts.kernelVersion, width));
	blocks.push(field(`${prefix}storage`, 'storage', facts.storageDriver, width));
	blocks.push(field(`${prefix}cgroup`, 'cgroup', `${facts.cgroupDriver}${facts.cgroupVersion ? ` · v${facts.cgroupVersion}` : ''}`, width));
	blocks.push(...swarmBlocks(tree, daemon, width, prefix));
	blocks.push(field(`${prefix}runtimes`, 'runtimes', facts.runtimes.join(', ') || facts.defaultRuntime, width));
	blocks.push(field(`${prefix}resources`, 'resources', `${facts.cpus} CPUs · ${formatBytes(facts.memTotal)}`, width));
	blocks.push(field(`${prefix}containers`, 'containers', `${total} (${running} running) · ${facts.images} images`, width));
	if (daemon.sharesDaemon) blocks.push(field(`${prefix}shares`, 'same as', daemon.sharesDaemon, width, 'cyan'));
	for (const finding of healthOf(tree, daemon.path)) {
		blocks.push(warning(`${prefix}health-${finding.code}`, visible(`${finding.code}: ${finding.message}`), width, finding.severity));
		blocks.push(field(`${prefix}health-${finding.code}-fix`, 'fix', visible(finding.fix), width));
	}
	return blocks;
}

/** Its part in a swarm, and the whole cluster: nodes, services, each task's container. */
function swarmBlocks(tree: TreeState, daemon: DaemonNode, width: number, prefix: string): Block[] {
	const tag = swarmTag(tree, daemon.path);
	if (!tag) return [field(`${prefix}swarm`, 'swarm', daemon.facts?.swarm ?? 'inactive', width)];
	const blocks = [field(`${prefix}swarm`, 'swarm', tag, width, 'cyan')];
	const nodeId = daemon.facts?.swarmNode?.nodeId;
	const view = swarmViews(tree).find((candidate) => candidate.nodes.some((node) => node.nodeId === nodeId));
	if (!view) return blocks;
	const nodes = view.nodes.map(
		(node) => `${node.role} ${node.path ?? `${node.hostname} (not in the tree)`}${node.leader ? ' ★' : ''} · ${node.state} · ${node.availability}`,
	);
	// Hostnames and service names come from the daemons: no line breaks or tabs of their own.
	blocks.push(
		field(
			`${prefix}swarm-nodes`,
			'nodes',
			nodes.map((line) => visible(line)),
			width,
		),
	);
	const services = view.services.flatMap((service) => [
		`${service.name} · ${service.mode}${service.replicas === null ? '' : ` ${service.running}/${service.replicas}`}`,
		...service.tasks.map((task) => `  ${task.name} ${task.state} → ${task.container ?? task.node ?? task.nodeId}`),
	]);
	if (services.length > 0)
		blocks.push(
			field(
				`${prefix}swarm-services`,
				'services',
				services.map((line) => visible(line)),
				width,
			),
		);
	return blocks;
}

function detailBlocks(tree: TreeState, row: TreeRow, width: number, now: number): Block[] {
	if (row.type === 'root' || row.type === 'note') {
		const daemon = tree.daemons[row.daemonPath];
		return daemon ? daemonFacts(tree, daemon, width) : [];
	}
	const container = row.containerKey ? tree.containers[row.containerKey] : undefined;
	return container ? containerBlocks(tree, container, width, now) : [];
}
