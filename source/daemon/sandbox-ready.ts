import {UserError} from '../errors.js';
import {connectInner, type Connection} from './inner-route.js';
import {lastLogLines} from './logs.js';
import {unreachableReason} from './reasons.js';

/**
 * Reach the daemon inside a new sandbox and wait until it answers. A sandbox whose daemon
 * never comes up (it exited, or stays silent past the deadline) is removed, with its last log lines.
 */
export async function waitForSandboxDaemon(
	parent: Connection,
	path: string,
	id: string,
	options: {timeoutMs: number; tunnelsOnly?: boolean; readyTimeoutMs?: number},
): Promise<Connection> {
	const client = parent.client;
	const info = await client.docker.getContainer(id).inspect();
	const inner = connectInner(
		parent,
		{id, pid: info.State.Pid},
		{tunnelRoute: `exec tunnel via ${path}`, timeoutMs: options.timeoutMs, ...(options.tunnelsOnly ? {tunnelsOnly: true} : {})},
	);
	const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
	let last: unknown;
	for (;;) {
		try {
			await inner.client.docker.ping();
			return inner;
		} catch (error) {
			last = error;
		}
		const state = await client.docker
			.getContainer(id)
			.inspect()
			.catch(() => undefined);
		if (!state?.State.Running || Date.now() > deadline) {
			inner.client.close();
			const logs = await lastLogLines(client, id, 3)
				.then((lines) => lines.join(' | '))
				.catch(() => '');
			await client.docker
				.getContainer(id)
				.remove({force: true, v: true})
				.catch(() => {});
			const why = !state?.State.Running ? `exited (${state?.State.ExitCode ?? '?'})` : `no answer: ${unreachableReason(last)}`;
			throw new UserError(`${path}: the daemon inside did not come up (${why}); removed it. Last log lines: ${logs || 'none'}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
