import {closeAll, resolveDaemon, type PathOptions} from '../daemon/container-path.js';
import {connectInner} from '../daemon/inner-route.js';
import type {SandboxMode} from '../daemon/labels.js';
import {daemonSocketFor, spawnSandbox} from '../daemon/sandbox-containers.js';
import {unreachableReason} from '../daemon/reasons.js';
import {UserError} from '../errors.js';

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
			const info = await client.docker.getContainer(result.id).inspect();
			const inner = connectInner(
				daemon.connection,
				{id: result.id, pid: info.State.Pid},
				{
					tunnelRoute: `exec tunnel via ${path}`,
					timeoutMs: command.timeoutMs,
					...(command.tunnelsOnly ? {tunnelsOnly: true} : {}),
				},
			);
			daemon.opened.push(inner);
			const deadline = Date.now() + (command.readyTimeoutMs ?? 90_000);
			let last: unknown;
			for (;;) {
				try {
					await inner.client.docker.ping();
					break;
				} catch (error) {
					last = error;
				}
				const state = await client.docker
					.getContainer(result.id)
					.inspect()
					.catch(() => undefined);
				if (!state?.State.Running || Date.now() > deadline) {
					const logs = await client.docker
						.getContainer(result.id)
						.logs({stdout: true, stderr: true, tail: 5})
						.then((buffer) =>
							String(buffer)
								.replace(/[\u0000-\u0008]/g, '')
								.trim()
								.split('\n')
								.slice(-3)
								.join(' | '),
						)
						.catch(() => '');
					await client.docker
						.getContainer(result.id)
						.remove({force: true, v: true})
						.catch(() => {});
					const why = !state?.State.Running ? `exited (${state?.State.ExitCode ?? '?'})` : `no answer: ${unreachableReason(last)}`;
					throw new UserError(`${path}: the daemon inside did not come up (${why}); removed it. Last log lines: ${logs || 'none'}`);
				}
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
		}
		process.stderr.write(
			`dockerception: ${result.mode} sandbox ${path} from ${result.image}${result.profile ? ` (${result.profile === 'explicit-caps' ? 'explicit capabilities: this engine refuses --privileged' : result.profile})` : ''}\n`,
		);
		process.stdout.write(`${path}\n`);
		return 0;
	} finally {
		closeAll(daemon.opened);
	}
}
