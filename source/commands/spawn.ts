import {closeAll, resolveDaemon, type PathOptions} from '../daemon/container-path.js';
import type {SandboxMode} from '../daemon/labels.js';
import {daemonSocketFor, spawnSandbox} from '../daemon/sandbox-containers.js';
import {waitForSandboxDaemon} from '../daemon/sandbox-ready.js';
import {makeSwarmLab, swarmLabSummary} from '../daemon/swarm-lab.js';
import {visible} from '../output/visible.js';

export interface SpawnCommand extends PathOptions {
	mode: SandboxMode;
	on?: string;
	name?: string;
	image?: string;
	tls: boolean;
	/** How long to wait for the inner daemon. */
	readyTimeoutMs?: number;
}

/** `dockerception spawn`: create a sandbox and print its path once it is usable. */
export async function runSpawn(command: SpawnCommand): Promise<number> {
	const daemon = await resolveDaemon(command.on ?? command.endpoints[0]!.name, command);
	try {
		const client = daemon.connection.client;
		const socket = daemonSocketFor(daemon.path, command.endpoints);
		const result = await spawnSandbox(client, {
			mode: command.mode,
			...(command.name !== undefined ? {name: command.name} : {}),
			...(command.image ? {image: command.image} : {}),
			...(socket ? {daemonSocket: socket} : {}),
			tls: command.tls,
		});
		const path = `${daemon.path}/${result.name}`;
		if (result.mode !== 'socket') {
			daemon.opened.push(await waitForSandboxDaemon(daemon.connection, path, result.id, command));
		}
		// The image may be a tag from the daemon's own list (chooseDindImage): the daemon's words.
		const profile = result.profile
			? ` (${result.profile === 'explicit-caps' ? 'explicit capabilities: this engine refuses --privileged' : result.profile})`
			: '';
		process.stderr.write(`dockerception: ${visible(`${result.mode} sandbox ${path} from ${result.image}${profile}`)}\n`);
		process.stdout.write(`${visible(path)}\n`);
		return 0;
	} finally {
		closeAll(daemon.opened);
	}
}

export interface SwarmSpawnCommand extends Omit<SpawnCommand, 'mode'> {
	nodes: number;
	/** Images copied from the parent daemon into every node (nothing can be pulled offline). */
	copy: string[];
}

/** `dockerception spawn --mode swarm --nodes N`: see makeSwarmLab. */
export async function runSpawnSwarm(command: SwarmSpawnCommand): Promise<number> {
	const daemon = await resolveDaemon(command.on ?? command.endpoints[0]!.name, command);
	try {
		const lab = await makeSwarmLab(daemon.connection, daemon.path, {
			nodes: command.nodes,
			copy: command.copy,
			...(command.name !== undefined ? {name: command.name} : {}),
			...(command.image ? {image: command.image} : {}),
			tls: command.tls,
			timeoutMs: command.timeoutMs,
			...(command.tunnelsOnly ? {tunnelsOnly: true} : {}),
		});
		process.stderr.write(`dockerception: ${visible(swarmLabSummary(daemon.path, lab))}\n`);
		for (const node of lab.nodes) process.stdout.write(`${visible(node)}\n`);
		return 0;
	} finally {
		closeAll(daemon.opened);
	}
}
