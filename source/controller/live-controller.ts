import type {DaemonClient} from '../daemon/client.js';
import {makeSwarmLab} from '../daemon/swarm-lab.js';
import {forwardedDaemonId, forwardSocketPath, liveForward, startForward, type Forward} from '../daemon/forward-socket.js';
import {createPlainContainer} from '../daemon/create-container.js';
import {copyImage} from '../daemon/image-copy.js';
import {imageTags} from '../daemon/images.js';
import {fetchReport} from '../daemon/info-diff.js';
import {attachContainer, pickShell, startExec} from '../daemon/exec-session.js';
import {runLifecycle} from '../daemon/lifecycle.js';
import {followLogs, lastLogLines} from '../daemon/logs.js';
import {availableModes, daemonSocketFor, recreateSandbox, spawnSandbox} from '../daemon/sandbox-containers.js';
import {UserError} from '../errors.js';
import {sandboxProblem, startSandbox} from '../private-daemon/sandbox-daemon.js';
import type {LiveSession} from '../session.js';
import {containerKey, type ContainerNode} from '../store/model.js';
import {waitForTree} from '../store/wait-for-tree.js';
import type {TreeController} from '../ui/controller.js';
import {runTerminalSession} from '../ui/terminal-session.js';
import type {TerminalGuard} from '../ui/terminal.js';

export interface ControllerOptions {
	/** DinD image when docker:dind is not available (--dind-image or the config file). */
	dindImage?: string;
	detachKeys: string;
	/** --keep: a sandbox started from the TUI stays after quit. */
	keepSandbox?: boolean;
}

/** The TUI's controller over a live session: every action through the daemon layer. */
export function createController(session: LiveSession, guard: TerminalGuard, options: ControllerOptions): TreeController {
	const {explorer} = session;
	const clientOf = (daemonPath: string): DaemonClient => {
		const client = explorer.client(daemonPath);
		if (!client) throw new UserError(`${daemonPath} is not connected`);
		return client;
	};
	const pathOf = (container: ContainerNode) => `${container.daemonPath}/${container.name}`;

	const forwards = new Map<string, Forward>();
	/** Daemons whose forward is being started or stopped: a second f waits its turn. */
	const toggling = new Set<string>();
	session.onShutdown(async () => {
		await Promise.all([...forwards.values()].map((forward) => forward.close()));
	});

	const toggle = async (daemonPath: string): Promise<{socket: string; started: boolean}> => {
		const running = forwards.get(daemonPath);
		if (running) {
			forwards.delete(daemonPath);
			await running.close();
			session.store.dispatch({type: 'daemon/forward', path: daemonPath});
			return {socket: running.socketPath, started: false};
		}
		const socket = forwardSocketPath(daemonPath);
		if (await liveForward(socket)) throw new UserError(`${daemonPath} is already forwarded at ${socket} by another dockerception`);
		// Connected now (throws otherwise); each connection later takes the current client, and
		// is served only while the daemon there is the one forwarded now.
		const daemonId = await forwardedDaemonId(clientOf(daemonPath), daemonPath);
		const forward: Forward = await startForward(() => clientOf(daemonPath), socket, {
			daemonId,
			onEnded: (reason) => {
				if (forwards.get(daemonPath) !== forward) return;
				forwards.delete(daemonPath);
				void forward.close();
				session.store.dispatch({type: 'daemon/forward', path: daemonPath});
				session.reportError(`forward of ${daemonPath} ended: ${reason}`);
			},
		});
		forwards.set(daemonPath, forward);
		session.store.dispatch({type: 'daemon/forward', path: daemonPath, socket});
		return {socket, started: true};
	};

	return {
		async toggleForward(daemonPath) {
			if (toggling.has(daemonPath)) throw new UserError('busy: its forward is being started or stopped');
			toggling.add(daemonPath);
			try {
				return await toggle(daemonPath);
			} finally {
				toggling.delete(daemonPath);
			}
		},
		refresh: (path) => explorer.refresh(path),
		onError: session.onError,
		lifecycle: (container, operation) => runLifecycle(clientOf(container.daemonPath), container.id, operation),
		spawnModes: (daemonPath) => availableModes(clientOf(daemonPath)),
		spawn: (daemonPath, spec) => {
			const socket = daemonSocketFor(daemonPath, session.options.endpoints);
			const image = spec.image || (spec.mode === 'socket' ? undefined : options.dindImage);
			return spawnSandbox(clientOf(daemonPath), {
				mode: spec.mode,
				name: spec.name,
				...(image ? {image} : {}),
				...(socket ? {daemonSocket: socket} : {}),
			});
		},
		async swarmLab(daemonPath, nodes, progress) {
			const lab = await makeSwarmLab({client: clientOf(daemonPath)}, daemonPath, {
				nodes,
				...(options.dindImage ? {image: options.dindImage} : {}),
				timeoutMs: session.options.timeoutMs,
				progress,
			});
			// They were read before they joined: read them again now rather than at the next check.
			await Promise.all(lab.nodes.map((path) => explorer.refresh(path)));
			return lab;
		},
		recreate: (container, mode) => {
			const socket = daemonSocketFor(container.daemonPath, session.options.endpoints);
			return recreateSandbox(clientOf(container.daemonPath), container.id, mode, {
				daemonPath: container.daemonPath,
				...(socket ? {daemonSocket: socket} : {}),
				...(options.dindImage ? {dindImage: options.dindImage} : {}),
				// As the spawn form waits: until the tree reaches the daemon inside, on any route.
				untilReady: (created) =>
					waitForTree(
						session.store,
						(tree) => {
							const node = tree.containers[containerKey(container.daemonPath, created.id)];
							if (node && (node.state === 'exited' || node.state === 'dead')) throw new Error(`it ${node.state}`);
							const inner = node?.innerDaemon ? tree.daemons[node.innerDaemon] : undefined;
							return inner?.status === 'ready' ? true : undefined;
						},
						90_000,
					),
			});
		},
		lastLogLines: (container, count) => lastLogLines(clientOf(container.daemonPath), container.id, count),
		images: (daemonPath) => imageTags(clientOf(daemonPath)),
		createContainer: (daemonPath, spec) => createPlainContainer(clientOf(daemonPath), spec),
		copyImage: (from, to, image, onBytes) => copyImage(clientOf(from), clientOf(to), image, onBytes),
		report: (daemonPath) => fetchReport(clientOf(daemonPath)),
		sandboxProblem: sandboxProblem(),
		async startSandbox() {
			const sandbox = await startSandbox({demo: false, progress: () => {}});
			if (!options.keepSandbox) session.onShutdown(() => sandbox.stop());
			await session.addRoot(sandbox.endpoint);
			return `sandbox daemon ${sandbox.daemon.reused ? 'reused' : 'started'} at ${sandbox.daemon.host}${options.keepSandbox ? '' : ' (stops when you quit)'}`;
		},
		followLogs: (container, onLines) => followLogs(clientOf(container.daemonPath), container.id, onLines, {tail: 200}),
		async terminalSession(container, kind) {
			const client = clientOf(container.daemonPath);
			const shell = kind === 'shell' ? await pickShell(client, container.id) : undefined;
			const what = kind === 'shell' ? `${shell} in ${pathOf(container)}` : `attached to ${pathOf(container)}`;
			const result = await runTerminalSession(guard, `dockerception: ${what} (${options.detachKeys} detaches)`, (size, onOutput) =>
				kind === 'shell'
					? startExec(client, container.id, {
							cmd: [shell!],
							tty: true,
							stdin: true,
							detachKeys: options.detachKeys,
							// Not COLUMNS/LINES: some programs prefer them to the TTY's size, which changes.
							env: [`TERM=${process.env.TERM || 'xterm'}`],
							...size,
							onStdout: onOutput,
							onStderr: onOutput,
						})
					: attachContainer(client, container.id, {
							tty: true,
							stdin: true,
							detachKeys: options.detachKeys,
							...size,
							onStdout: onOutput,
							onStderr: onOutput,
						}),
			);
			if (result.detached) return `detached from ${pathOf(container)} (it keeps running)`;
			const code = result.exitCode !== undefined ? ` (exit ${result.exitCode})` : '';
			// Docker 20.10 ends an exec when its client detaches ("read escape sequence").
			if (result.detachTyped && kind === 'shell') return `detached: this engine ended ${shell} on detach${code}`;
			// Attached, the process that ended is the container's own: the container stopped.
			return kind === 'shell' ? `${shell} ended${code}` : `${pathOf(container)} exited${code}`;
		},
	};
}
