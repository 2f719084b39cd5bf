import {closeAll, resolveDaemon, type PathOptions} from '../daemon/container-path.js';
import {visible} from '../output/visible.js';
import {createContext, forwardedDaemonId, forwardSocketPath, liveForward, startForward} from '../daemon/forward-socket.js';

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
	let current = daemon;
	const socketPath = forwardSocketPath(daemon.path);
	// Paths and routes are made of container names: shown through the one sanitiser.
	const shownPath = visible(daemon.path);
	const shownSocket = visible(socketPath);
	try {
		if (await liveForward(socketPath)) {
			process.stderr.write(`dockerception: ${shownPath} is already forwarded at ${shownSocket}\n`);
			process.stdout.write(`export DOCKER_HOST=unix://${shownSocket}\n`);
			return 0;
		}
		const daemonId = await forwardedDaemonId(daemon.connection.client, shownPath);
		// The route is reached again when it stops answering (a restarted DinD leaves a /proc
		// route pinned to its old socket): at most every few seconds, and only the same daemon is served.
		let reaching: Promise<void> | undefined;
		let lastReach = Date.now();
		const reachAgain = () => {
			if (reaching || Date.now() - lastReach < reachAgainMs) return;
			lastReach = Date.now();
			reaching = resolveDaemon(command.path, command)
				.then((next) => {
					const old = current;
					current = next;
					closeAll(old.opened);
				})
				.catch(() => {})
				.finally(() => (reaching = undefined));
		};
		let endedBecause: string | undefined;
		let wake = () => {};
		const forward = await startForward(() => current.connection.client, socketPath, {
			daemonId,
			onEnded: (reason) => {
				endedBecause = reason;
				wake();
			},
			onUnreachable: reachAgain,
		});
		const removeContext = command.context
			? await createContext(command.context, socketPath).catch(async (error: unknown) => {
					await forward.close();
					throw error;
				})
			: undefined;
		process.stdout.write(`export DOCKER_HOST=unix://${shownSocket}\n`);
		process.stderr.write(
			`dockerception: ${shownPath} (${visible(current.connection.client.route)}) forwarded at ${shownSocket}${command.context ? `, docker context ${visible(command.context)}` : ''}; ctrl-c ends it\n`,
		);
		await new Promise<void>((resolve) => {
			wake = resolve;
			if (endedBecause) resolve();
			for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
		});
		await forward.close();
		await removeContext?.();
		if (endedBecause) {
			process.stderr.write(`dockerception: forward of ${shownPath} ended: ${endedBecause}; ${shownSocket} removed\n`);
			return 1;
		}
		process.stderr.write(`dockerception: forward of ${shownPath} ended, ${shownSocket} removed\n`);
		return 0;
	} finally {
		closeAll(current.opened);
	}
}

const reachAgainMs = 2000;
