import type {Duplex} from 'node:stream';
import type {ContainerNode} from '../store/model.js';
import {dockerHostOf} from './classify.js';
import type {DaemonClient} from './client.js';
import {StdioDemuxer} from './stdio-demux.js';

/**
 * Where a client container's Docker client really goes (compose's `docker` service with
 * DOCKER_HOST=tcp://dockerd:2375, a GitLab job with tcp://docker:2376 and its certificates).
 * First by asking through it: its own `docker` answers with the daemon's ID, whatever TLS and
 * DNS it uses. Else from its networks: the container that answers to the host name there.
 */
export type ClientTarget = {clientOf: string} | {problem: string};

export interface ClientContext {
	/** The daemon the client container runs on. */
	parent: DaemonClient;
	container: ContainerNode;
	/** The other containers of that daemon. */
	siblings: ContainerNode[];
	/** The path of the daemon with this ID, when it is in the tree. */
	ownerOf: (id: string) => string | undefined;
	timeoutMs: number;
}

/** What a command printed on stdout inside a container (first 4 KiB), or undefined if it could not run. */
async function execOutput(parent: DaemonClient, containerId: string, cmd: string[], timeoutMs: number): Promise<string | undefined> {
	const abort = AbortSignal.timeout(timeoutMs);
	try {
		const exec = await parent.docker.getContainer(containerId).exec({Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false});
		const stream = (await parent.streams
			.getExec(exec.id)
			.start({hijack: true, stdin: false, Detach: false, Tty: false, abortSignal: abort} as object)) as unknown as Duplex;
		return await new Promise<string>((resolve) => {
			let stdout = '';
			// A frame that cannot be read ends the probe with what came so far (the deadline bounds the rest).
			const demuxer = new StdioDemuxer(
				(chunk) => {
					if (stdout.length < 4096) stdout += chunk.toString('utf8');
				},
				() => {},
				{onRefuse: () => done()},
			);
			const done = () => {
				demuxer.stop();
				stream.destroy();
				resolve(stdout);
			};
			stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
			stream.once('end', done);
			stream.once('close', done);
			stream.once('error', done);
			abort.addEventListener('abort', done, {once: true});
		});
	} catch {
		return undefined;
	}
}

/** host:port of a tcp DOCKER_HOST. */
function tcpTarget(dockerHost: string): {host: string; port: number} | undefined {
	const match = /^tcp:\/\/\[?([^\]/]+?)\]?(?::(\d+))?\/?$/.exec(dockerHost);
	return match ? {host: match[1]!, port: match[2] ? Number(match[2]) : 2375} : undefined;
}

export async function resolveClientTarget(context: ClientContext): Promise<ClientTarget> {
	const {container, siblings} = context;
	const dockerHost = dockerHostOf(container.env);
	if (!dockerHost) return {problem: 'no DOCKER_HOST'};

	if (container.state === 'running') {
		// The Docker CLI prints the daemon's ID; anything else (no CLI, no answer) falls through.
		const output = await execOutput(context.parent, container.id, ['docker', 'info', '--format', '{{.ID}}'], context.timeoutMs);
		const id = output?.trim();
		if (id && /^[A-Za-z0-9:-]{12,200}$/.test(id)) {
			const owner = context.ownerOf(id);
			if (owner) return {clientOf: owner};
		}
	}

	const target = tcpTarget(dockerHost);
	if (!target) return {problem: `DOCKER_HOST ${dockerHost}: not a tcp address a container on its networks could answer`};
	const shared = new Set((container.networks ?? []).map((network) => network.name));
	const answers = siblings.find(
		(sibling) =>
			sibling.key !== container.key &&
			(sibling.networks ?? []).some(
				(network) => shared.has(network.name) && (network.aliases.includes(target.host) || network.ip === target.host || sibling.name === target.host),
			),
	);
	if (!answers) return {problem: `DOCKER_HOST ${dockerHost}: no container on its networks answers to ${target.host}`};
	if (!answers.innerDaemon)
		return {problem: `DOCKER_HOST ${dockerHost}: ${answers.name} answers to ${target.host} but runs no daemon that dockerception reached`};
	return {clientOf: answers.innerDaemon};
}
