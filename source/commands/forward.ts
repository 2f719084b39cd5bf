import {closeAll, resolveDaemon, type PathOptions} from '../daemon/container-path.js';
import {createContext, forwardSocketPath, liveForward, startForward} from '../daemon/forward-socket.js';

export interface ForwardCommand extends PathOptions {
	path: string;
	context?: string;
}

/**
 * `dockerception forward PATH`: the daemon at PATH on a unix socket of its own until ctrl-c.
 * Prints the DOCKER_HOST line for a shell to eval (stdout), what it did on stderr.
 */
export async function runForward(command: ForwardCommand): Promise<number> {
	const daemon = await resolveDaemon(command.path, command);
	const socketPath = forwardSocketPath(daemon.path);
	try {
		if (await liveForward(socketPath)) {
			process.stderr.write(`dockerception: ${daemon.path} is already forwarded at ${socketPath}\n`);
			process.stdout.write(`export DOCKER_HOST=unix://${socketPath}\n`);
			return 0;
		}
		const forward = await startForward(daemon.connection.client, socketPath);
		const removeContext = command.context
			? await createContext(command.context, socketPath).catch(async (error: unknown) => {
					await forward.close();
					throw error;
				})
			: undefined;
		process.stdout.write(`export DOCKER_HOST=unix://${socketPath}\n`);
		process.stderr.write(
			`dockerception: ${daemon.path} (${daemon.connection.client.route}) forwarded at ${socketPath}${command.context ? `, docker context ${command.context}` : ''}; ctrl-c ends it\n`,
		);
		await new Promise<void>((resolve) => {
			for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
		});
		await forward.close();
		await removeContext?.();
		process.stderr.write(`dockerception: forward of ${daemon.path} ended, ${socketPath} removed\n`);
		return 0;
	} finally {
		closeAll(daemon.opened);
	}
}
