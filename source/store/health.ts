import {formatBytes} from '../output/bytes.js';
import type {ContainerNode, DaemonNode, DaemonStorage, TreeState} from './model.js';
import {containersOf} from './selectors.js';

/**
 * What is wrong with a daemon, why, and the fix: read from the model alone (its facts, its
 * container on the parent, its siblings), so the TUI, `--json` and `doctor` say the same.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface HealthFinding {
	code: string;
	severity: Severity;
	message: string;
	fix: string;
}

const dataRoot = '/var/lib/docker';

/** What backs a container's /var/lib/docker: "volume NAME" or "bind PATH", none when nothing does. */
function dataRootSource(container: ContainerNode): string | undefined {
	const mount = container.mounts.find((candidate) => candidate.destination === dataRoot);
	// A tmpfs has no source to share (every one reads "").
	if (!mount || mount.type === 'tmpfs' || !mount.source) return undefined;
	return mount.type === 'volume' ? `volume ${mount.source}` : `${mount.type} ${mount.source}`;
}

/** "10.0.0.0/24" overlaps "10.0.0.128/25": IPv4 only (Docker's default pools are IPv4). */
function overlaps(a: string, b: string): boolean {
	const parse = (cidr: string) => {
		const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
		if (!match) return undefined;
		const address = match.slice(1, 5).reduce((sum, part) => sum * 256 + Number(part), 0);
		const bits = Number(match[5]);
		const size = 2 ** (32 - bits);
		return {start: Math.floor(address / size) * size, end: Math.floor(address / size) * size + size - 1};
	};
	const first = parse(a);
	const second = parse(b);
	return Boolean(first && second && first.start <= second.end && second.start <= first.end);
}

/** The model is immutable: a tree's findings are worked out once, however many rows ask. */
const known = new WeakMap<TreeState, Map<string, HealthFinding[]>>();

export function healthOf(tree: TreeState, path: string): HealthFinding[] {
	let byPath = known.get(tree);
	if (!byPath) known.set(tree, (byPath = new Map()));
	let findings = byPath.get(path);
	if (!findings) byPath.set(path, (findings = findingsOf(tree, path)));
	return findings;
}

function findingsOf(tree: TreeState, path: string): HealthFinding[] {
	const daemon = tree.daemons[path];
	if (!daemon) return [];
	const findings: HealthFinding[] = [];
	const holder = daemon.parentContainer ? tree.containers[daemon.parentContainer] : undefined;
	const parent = holder ? tree.daemons[holder.daemonPath] : undefined;
	// How its container is made counts whether or not its daemon answers (a shared data root
	// is a reason it may not); what its daemon says needs it to answer.
	findings.push(...containerFindings(tree, holder, parent));
	const facts = daemon.status === 'ready' ? daemon.facts : undefined;
	if (!facts) return findings;

	if (facts.storageDriver === 'vfs') {
		findings.push({
			code: 'storage-vfs',
			severity: 'warning',
			message: 'storage driver vfs: every image layer is a full copy (slow builds, disk filling up)',
			fix: holder
				? `dockerd falls back to vfs when /var/lib/docker is on overlayfs: give ${holder.name} a volume at ${dataRoot} and start dockerd with --storage-driver overlay2`
				: 'start dockerd with --storage-driver overlay2 on a filesystem that supports it',
		});
	}
	// The MTU trap: the inner bridge sends bigger packets than the container's own interface carries.
	if (holder && parent?.facts?.networks && facts.networks) {
		const outer = (holder.networks ?? [])
			.map((network) => parent.facts!.networks!.find((candidate) => candidate.name === network.name))
			.filter((n) => n !== undefined);
		const innerBridge = facts.networks.find((network) => network.name === 'bridge');
		const smallest = outer.length > 0 ? Math.min(...outer.map((network) => network.mtu)) : undefined;
		if (innerBridge && smallest !== undefined && innerBridge.mtu > smallest) {
			findings.push({
				code: 'mtu',
				severity: 'warning',
				message: `inner bridge MTU ${innerBridge.mtu} is above the container's network MTU ${smallest}: large packets (TLS, pulls) stall`,
				fix: `start the inner dockerd with --mtu ${smallest} (or \`"mtu": ${smallest}\` in its daemon.json)`,
			});
		}
		const clash = facts.networks.flatMap((inner) =>
			inner.subnets.flatMap((subnet) =>
				outer.flatMap((network) =>
					network.subnets.filter((other) => overlaps(subnet, other)).map((other) => [inner.name, subnet, network.name, other] as const),
				),
			),
		);
		if (clash.length > 0) {
			const [innerName, subnet, outerName, other] = clash[0]!;
			findings.push({
				code: 'subnet-overlap',
				severity: 'warning',
				message: `inner network ${innerName} (${subnet}) overlaps ${outerName} (${other}) outside: replies to those addresses stay inside`,
				fix: "start the inner dockerd with --bip and --default-address-pool outside the parent's subnets",
			});
		}
	}
	// cgroups: another version than the parent's (both must say; the driver differs normally: a
	// DinD has no systemd).
	const parentFacts = parent?.status === 'ready' ? parent.facts : undefined;
	if (parentFacts?.cgroupVersion && facts.cgroupVersion && facts.cgroupVersion !== parentFacts.cgroupVersion) {
		findings.push({
			code: 'cgroup-mismatch',
			severity: 'warning',
			message: `cgroup v${facts.cgroupVersion} here, v${parentFacts.cgroupVersion} on ${parent!.path}: resource limits inside do not mean what they say`,
			fix: "run the DinD with the host's cgroup setup (--cgroupns=private on cgroup v2, the /sys/fs/cgroup mount on v1)",
		});
	}
	// cgroup v2 shares nothing by itself: a DinD in the host's cgroup namespace sees the host's tree.
	if (facts.cgroupVersion === '2' && holder?.kind === 'dind' && holder.cgroupns === 'host') {
		findings.push({
			code: 'cgroup-host-namespace',
			severity: 'warning',
			message: "cgroup v2 in the host's cgroup namespace: the inner dockerd sees and writes the parent's whole cgroup tree",
			fix: `run ${holder.name} with --cgroupns=private (Docker's default on cgroup v2)`,
		});
	}
	if (facts.storage) findings.push(diskUse(facts.storage), ...duplicateImages(tree, path, facts.storage));
	const children = containersOf(tree, daemon);
	const sockets = children.filter((child) => child.kind === 'socket').length;
	if (sockets > 0) {
		findings.push({
			code: 'socket-mounted',
			severity: 'info',
			message: `its socket is mounted into ${sockets} container${sockets === 1 ? '' : 's'}: each is root on this daemon`,
			fix: 'mount it only where needed, or give those containers a DinD of their own',
		});
	}
	const privileged = children.filter((child) => child.privileged).length;
	if (privileged > 0) {
		findings.push({
			code: 'privileged-children',
			severity: 'info',
			message: `${privileged} privileged container${privileged === 1 ? '' : 's'}: root on the host it runs on`,
			fix: 'sysbox runs DinD without --privileged (m offers it where sysbox-runc is installed)',
		});
	}
	if (holder && /^20\.10\./.test(facts.serverVersion) && /--host=tcp:\/\/[^ ]*:2375/.test(holder.command) && !/--tls/.test(holder.command)) {
		findings.push({
			code: 'plain-tcp-start-delay',
			severity: 'info',
			message: 'dockerd 20.10 listening on plain tcp waits 15 s before it serves anything',
			fix: 'serve TLS (--tlsverify with certificates, or DOCKER_TLS_CERTDIR for docker:dind), or drop the tcp listener',
		});
	}
	if (daemon.insecure) {
		findings.push({
			code: 'plain-tcp',
			severity: 'warning',
			message: 'reached over plain tcp: anyone on that network is root here',
			fix: 'serve TLS on 2376 (DOCKER_TLS_CERTDIR for docker:dind) or reach it through its socket',
		});
	}
	return findings;
}

function diskUse(storage: DaemonStorage): HealthFinding {
	const total = storage.layers + storage.containers + storage.volumes + storage.buildCache;
	return {
		code: 'disk-usage',
		severity: 'info',
		message: `keeps ${formatBytes(total)}: images ${formatBytes(storage.layers)}, containers ${formatBytes(storage.containers)}, volumes ${formatBytes(storage.volumes)}, build cache ${formatBytes(storage.buildCache)}`,
		fix: '`docker system df -v` there says what (`dockerception forward PATH` gives a socket for it); `docker system prune` takes back what nothing uses',
	};
}

/** Which daemons of the tree hold each image ID: each daemon once, however often it is reached. */
const holdersKnown = new WeakMap<TreeState, Map<string, string[]>>();

function imageHolders(tree: TreeState): Map<string, string[]> {
	let holders = holdersKnown.get(tree);
	if (holders) return holders;
	holders = new Map();
	const seen = new Set<string>();
	for (const daemon of Object.values(tree.daemons)) {
		const facts = daemon.status === 'ready' && !daemon.sharesDaemon ? daemon.facts : undefined;
		if (!facts?.storage || seen.has(facts.id)) continue;
		seen.add(facts.id);
		for (const image of facts.storage.images) holders.set(image.id, [...(holders.get(image.id) ?? []), daemon.path]);
	}
	holdersKnown.set(tree, holders);
	return holders;
}

/** Images this daemon stores that another daemon of the tree stores too: the bytes kept twice. */
function duplicateImages(tree: TreeState, path: string, storage: DaemonStorage): HealthFinding[] {
	const holders = imageHolders(tree);
	const shared = storage.images.filter((image) => (holders.get(image.id)?.length ?? 0) > 1);
	if (shared.length === 0) return [];
	const bytes = shared.reduce((sum, image) => sum + image.size, 0);
	const others = [...new Set(shared.flatMap((image) => holders.get(image.id)!.filter((other) => other !== path)))];
	const names = shared.map((image) => image.tag || image.id.slice(7, 19));
	return [
		{
			code: 'duplicate-images',
			severity: 'info',
			message: `${shared.length} image${shared.length === 1 ? '' : 's'} (${formatBytes(bytes)}) also stored in ${listed(others)}: ${listed(names)}`,
			fix: 'daemons share no images: pull through one registry mirror (dockerd --registry-mirror) or copy in only what each needs (`i`); never share one /var/lib/docker between running daemons',
		},
	];
}

/**
 * Bytes stored more than once across the tree: each image's size times its extra copies. The
 * size is the smallest its holders give (a daemon inflating its own answer cannot inflate this).
 */
export function duplicatedBytes(tree: TreeState): number {
	let bytes = 0;
	for (const [id, holders] of imageHolders(tree)) {
		const sizes = holders.map((path) => tree.daemons[path]?.facts?.storage?.images.find((image) => image.id === id)?.size ?? 0);
		bytes += (holders.length - 1) * Math.min(...sizes);
	}
	return bytes;
}

/** "a, b, c and 2 more". */
function listed(items: string[], most = 3): string {
	return items.length <= most ? items.join(', ') : `${items.slice(0, most).join(', ')} and ${items.length - most} more`;
}

function containerFindings(tree: TreeState, holder: ContainerNode | undefined, parent: DaemonNode | undefined): HealthFinding[] {
	const findings: HealthFinding[] = [];
	if (holder && (holder.kind === 'dind' || holder.kind === 'sysbox')) {
		const source = dataRootSource(holder);
		// sysbox gives the container a /var/lib/docker Docker does not list; a tmpfs is no layer.
		const ownStorage = holder.kind === 'sysbox' || holder.mounts.some((mount) => mount.destination === dataRoot);
		if (!source && !ownStorage) {
			findings.push({
				code: 'data-root-not-a-volume',
				severity: 'warning',
				message: `${dataRoot} is in the container's own layer (overlay on overlay)`,
				fix: `run it with -v NAME:${dataRoot} (the official docker:dind declares that volume)`,
			});
		} else if (source && parent) {
			const sharing = containersOf(tree, parent).filter(
				// Running ones: containers that reuse a cache volume one after another share nothing.
				(other) =>
					other.key !== holder.key && other.state === 'running' && (other.kind === 'dind' || other.kind === 'sysbox') && dataRootSource(other) === source,
			);
			if (sharing.length > 0) {
				findings.push({
					code: 'shared-data-root',
					severity: 'error',
					message: `${dataRoot} (${source}) is also the data root of ${sharing.map((other) => other.name).join(', ')}: dockerd is not made to share it`,
					fix: `give each DinD its own ${dataRoot} (a volume per container); share images with a registry mirror or \`i\` instead`,
				});
			}
		}
	}
	return findings;
}

/** "⚠ 2" for a row: how many findings, the worst first. */
export function healthMark(all: HealthFinding[]): {text: string; severity: Severity} | undefined {
	// Notes (info) are for the details and doctor; the row marks what needs doing.
	const findings = all.filter((finding) => finding.severity !== 'info');
	if (findings.length === 0) return undefined;
	const severity: Severity = findings.some((finding) => finding.severity === 'error')
		? 'error'
		: findings.some((f) => f.severity === 'warning')
			? 'warning'
			: 'info';
	return {text: `⚠ ${findings.length}`, severity};
}
