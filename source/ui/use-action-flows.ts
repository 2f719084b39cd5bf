import {useRef} from 'react';
import type {SandboxMode} from '../daemon/labels.js';
import {defaultName} from '../daemon/sandbox.js';
import type {ContainerNode, TreeState} from '../store/model.js';
import {containersOf} from '../store/selectors.js';
import type {TreeStore} from '../store/store.js';
import type {TreeRow} from '../store/tree-rows.js';
import type {ConfirmRequest} from './ConfirmDialog.js';
import type {TreeController} from './controller.js';
import type {Intent} from './keymap.js';
import type {PickItem} from './PickDialog.js';
import type {SpawnForm, SpawnStatus} from './SpawnDialog.js';
import {modeNames} from './SpawnDialog.js';
import type {StatusMessage} from './StatusBar.js';
import {formatBytes} from './format.js';
import type {LogLine} from '../daemon/logs.js';
import type {DaemonReport} from '../daemon/info-diff.js';

export type Overlay =
	| {type: 'help'}
	| {type: 'confirm'; request: ConfirmRequest}
	| {type: 'spawn'; daemonPath: string; initial: SpawnForm; modes: SandboxMode[]; status: SpawnStatus; onSubmit: (form: SpawnForm) => void}
	| {type: 'pick'; title: string; items: PickItem[]; withCommand: boolean; onPick: (item: PickItem, command: string) => void}
	| {type: 'logs'; title: string; follow: (onLines: (lines: LogLine[]) => void) => Promise<() => void>}
	| {type: 'progress'; title: string; bytes: number; total: number | undefined}
	| {type: 'diff'; nameA: string; nameB: string; a: DaemonReport; b: DaemonReport};

export interface FlowHost {
	/** The daemon marked with space, if any (diff compares against it). */
	marked: () => string | undefined;
	store: TreeStore;
	controller: TreeController;
	say: (text: string, tone?: StatusMessage['tone']) => void;
	overlay: () => Overlay | undefined;
	setOverlay: (overlay: Overlay | undefined) => void;
	/** Select a row by id once it exists (new containers). */
	select: (id: string) => void;
	/** Stop drawing and reading keys while `work` owns the terminal. */
	suspend: <T>(work: () => Promise<T>) => Promise<T>;
	spawnMode: () => SandboxMode;
	setSpawnMode: (mode: SandboxMode) => void;
}

const errorText = (error: unknown) => String((error as Error)?.message ?? error).replace(/\s+/g, ' ').trim();

/** Resolves when the store satisfies `check`, rejects after timeoutMs. */
function waitForTree<T>(store: TreeStore, check: (tree: TreeState) => T | undefined, timeoutMs: number): Promise<T> {
	return new Promise((resolve, reject) => {
		const now = check(store.getState());
		if (now !== undefined) {
			resolve(now);
			return;
		}
		const timer = setTimeout(() => {
			unsubscribe();
			reject(new Error(`not ready after ${Math.round(timeoutMs / 1000)} s`));
		}, timeoutMs);
		const unsubscribe = store.subscribe(() => {
			const value = check(store.getState());
			if (value === undefined) return;
			clearTimeout(timer);
			unsubscribe();
			resolve(value);
		});
	});
}

/**
 * What the action keys do: confirmations, dialogs, waiting for a sandbox to come up, the
 * hand-over of the terminal to a shell. The daemon work itself is the controller's.
 */
export function useActionFlows(host: FlowHost): (intent: Intent, row: TreeRow | undefined) => void {
	const hostRef = useRef(host);
	hostRef.current = host;

	return (intent, row) => {
		const {store, controller, say, setOverlay, select, suspend} = hostRef.current;
		const tree = store.getState();
		const container = row?.containerKey ? tree.containers[row.containerKey] : undefined;
		const targetDaemon = row ? (row.opensDaemon ?? row.daemonPath) : tree.roots[0];
		const needContainer = (): ContainerNode | undefined => {
			if (!container) say('select a container first', 'error');
			return container;
		};
		const pathOf = (c: ContainerNode) => `${c.daemonPath}/${c.name}`;
		const managed = (c: ContainerNode) => c.labels['io.dockerception.managed'] === 'true';
		const innerCount = (c: ContainerNode) => {
			const inner = c.innerDaemon ? tree.daemons[c.innerDaemon] : undefined;
			return inner ? containersOf(tree, inner).length : 0;
		};
		const confirm = (request: Omit<ConfirmRequest, 'onAnswer'>, then: () => void) =>
			setOverlay({
				type: 'confirm',
				request: {
					...request,
					onAnswer: (yes) => {
						setOverlay(undefined);
						if (yes) then();
						else say('kept it');
					},
				},
			});
		const lifecycle = (c: ContainerNode, operation: Parameters<TreeController['lifecycle']>[1], done: string) => {
			say(`${operation} ${pathOf(c)}…`);
			controller.lifecycle(c, operation).then(
				() => say(`${pathOf(c)} ${done}`, 'success'),
				(error: unknown) => say(`${operation} ${pathOf(c)}: ${errorText(error)}`, 'error'),
			);
		};

		switch (intent) {
			case 'stop-start': {
				const c = needContainer();
				if (!c) return;
				if (c.state === 'running' || c.state === 'paused' || c.state === 'restarting') {
					const stop = () => lifecycle(c, 'stop', 'stopped');
					if (managed(c)) stop();
					else
						confirm(
							{
								title: `Stop ${pathOf(c)}?`,
								lines: [
									`${c.name} was not created by dockerception.`,
									...(innerCount(c) > 0 ? [`⚠ its daemon and ${innerCount(c)} inner containers stop with it`] : []),
								],
								action: 'stop',
							},
							stop,
						);
				} else lifecycle(c, 'start', 'started');
				return;
			}
			case 'restart': {
				const c = needContainer();
				if (c) lifecycle(c, 'restart', 'restarted');
				return;
			}
			case 'pause': {
				const c = needContainer();
				if (!c) return;
				if (c.state === 'paused') lifecycle(c, 'unpause', 'unpaused');
				else if (c.state === 'running') lifecycle(c, 'pause', 'paused');
				else say(`${pathOf(c)} is ${c.state}: only a running container pauses`, 'error');
				return;
			}
			case 'remove': {
				const c = needContainer();
				if (!c) return;
				const inner = innerCount(c);
				confirm(
					{
						title: `Remove ${pathOf(c)}?`,
						lines: [
							`${c.image} · ${c.state}${managed(c) ? ' · created by dockerception' : ' · not created by dockerception'}`,
							...(c.innerDaemon ? [`⚠ the daemon inside goes with it: ${inner} inner container${inner === 1 ? '' : 's'} will be lost`] : []),
							...(c.state === 'running' ? ['⚠ it is running: it will be killed'] : []),
						],
						action: 'remove',
					},
					() => lifecycle(c, 'remove', 'removed'),
				);
				return;
			}
			case 'logs': {
				const c = needContainer();
				if (!c) return;
				setOverlay({type: 'logs', title: `logs ${pathOf(c)}`, follow: (onLines) => controller.followLogs(c, onLines)});
				return;
			}
			case 'shell':
			case 'attach': {
				const c = needContainer();
				if (!c) return;
				if (c.state !== 'running') {
					say(`${pathOf(c)} is ${c.state}: ${intent === 'shell' ? 'a shell' : 'attach'} needs it running`, 'error');
					return;
				}
				suspend(() => controller.terminalSession(c, intent)).then(
					(line) => say(line, 'info'),
					(error: unknown) => say(`${intent === 'shell' ? 'shell' : 'attach'} ${pathOf(c)}: ${errorText(error)}`, 'error'),
				);
				return;
			}
			case 'new-sandbox': {
				if (!targetDaemon) return;
				const daemon = tree.daemons[targetDaemon];
				if (daemon?.status !== 'ready') {
					say(`${targetDaemon} is not reachable: no sandbox there`, 'error');
					return;
				}
				controller.spawnModes(targetDaemon).then(
					(modes) => {
						const mode = modes.includes(hostRef.current.spawnMode()) ? hostRef.current.spawnMode() : 'dind';
						const open = (status: SpawnStatus, form: SpawnForm) =>
							hostRef.current.setOverlay({type: 'spawn', daemonPath: targetDaemon, initial: form, modes, status, onSubmit: submit});
						const submit = (form: SpawnForm) => {
							const since = Date.now();
							open({phase: 'working', since, step: `creating ${modeNames[form.mode]} sandbox ${form.name}`}, form);
							controller
								.spawn(targetDaemon, {mode: form.mode, name: form.name, ...(form.image ? {image: form.image} : {})})
								.then(async (result) => {
									const key = await waitForTree(
										hostRef.current.store,
										(t) => containersOf(t, t.daemons[targetDaemon]!).find((c) => c.id === result.id)?.key,
										15_000,
									);
									if (result.mode !== 'socket') {
										if (hostRef.current.overlay()?.type === 'spawn') {
											open({phase: 'working', since, step: `waiting for the daemon inside ${form.name} (${result.profile ?? ''})`}, form);
										}
										await waitForTree(
											hostRef.current.store,
											(t) => {
												const c = t.containers[key];
												if (c && c.state !== 'running' && c.state !== 'restarting') throw new Error(`${form.name} ${c.state}`);
												const inner = c?.innerDaemon ? t.daemons[c.innerDaemon] : undefined;
												return inner?.status === 'ready' ? true : undefined;
											},
											90_000,
										);
									}
									if (hostRef.current.overlay()?.type === 'spawn') hostRef.current.setOverlay(undefined);
									hostRef.current.select(key);
									const seconds = ((Date.now() - since) / 1000).toFixed(1);
									const how = result.profile === 'explicit-caps' ? ' with explicit capabilities (this engine refuses --privileged)' : '';
									hostRef.current.say(`${targetDaemon}/${result.name} ready in ${seconds} s from ${result.image}${how}`, 'success');
								})
								.catch(async (error: unknown) => {
									const created = containersOf(hostRef.current.store.getState(), hostRef.current.store.getState().daemons[targetDaemon]!).find(
										(c) => c.name === form.name,
									);
									const logs = created ? await controller.lastLogLines(created, 5).catch(() => []) : [];
									if (hostRef.current.overlay()?.type === 'spawn') open({phase: 'failed', message: errorText(error), logs}, form);
									else hostRef.current.say(`sandbox ${form.name}: ${errorText(error)}`, 'error');
								});
						};
						open({phase: 'form'}, {name: defaultName(mode), image: '', mode});
					},
					(error: unknown) => say(`${targetDaemon}: ${errorText(error)}`, 'error'),
				);
				return;
			}
			case 'mode': {
				if (container && managed(container) && ['dind', 'socket', 'sysbox'].includes(container.labels['io.dockerception.mode'] ?? '')) {
					const from = container.labels['io.dockerception.mode'] as SandboxMode;
					controller.spawnModes(container.daemonPath).then(
						(modes) => {
							const to = modes[(modes.indexOf(from) + 1) % modes.length]!;
							const inner = innerCount(container);
							confirm(
								{
									title: `Recreate ${pathOf(container)} as ${modeNames[to]}?`,
									lines: [
										`It is a ${modeNames[from]} sandbox made by dockerception; it is removed and made again with the same name and labels.`,
										...(from !== 'socket' ? [`⚠ leaving ${modeNames[from]}: its ${inner} inner container${inner === 1 ? '' : 's'} will be lost`] : []),
									],
									action: `recreate as ${modeNames[to]}`,
								},
								() => {
									say(`recreating ${pathOf(container)} as ${modeNames[to]}…`);
									controller.recreate(container, to).then(
										(result) => say(`${container.daemonPath}/${result.name} is now ${modeNames[result.mode]}`, 'success'),
										(error: unknown) => say(`recreate ${pathOf(container)}: ${errorText(error)}`, 'error'),
									);
								},
							);
						},
						(error: unknown) => say(errorText(error), 'error'),
					);
					return;
				}
				if (!targetDaemon) return;
				controller.spawnModes(targetDaemon).then(
					(modes) => {
						const current = hostRef.current.spawnMode();
						const next = modes[(modes.indexOf(current) + 1) % modes.length] ?? 'dind';
						hostRef.current.setSpawnMode(next);
						hostRef.current.say(`spawn mode: ${modeNames[next]}${modes.includes('sysbox') ? '' : ' (sysbox: no sysbox-runc on this daemon)'}`);
					},
					(error: unknown) => say(errorText(error), 'error'),
				);
				return;
			}
			case 'new-container': {
				if (!targetDaemon || tree.daemons[targetDaemon]?.status !== 'ready') {
					say(`${targetDaemon ?? 'no daemon'} is not reachable`, 'error');
					return;
				}
				controller.images(targetDaemon).then(
					(images) =>
						hostRef.current.setOverlay({
							type: 'pick',
							title: `New container on ${targetDaemon}: pick an image`,
							items: images.map((image) => ({label: image.name, detail: formatBytes(image.size)})),
							withCommand: true,
							onPick: (item, command) => {
								hostRef.current.setOverlay(undefined);
								say(`starting ${item.label} on ${targetDaemon}…`);
								controller
									.createContainer(targetDaemon, {image: item.label, command})
									.then(async (created) => {
										const key = await waitForTree(hostRef.current.store, (t) => (t.containers[`${targetDaemon}#${created.id}`] ? `${targetDaemon}#${created.id}` : undefined), 10_000);
										hostRef.current.select(key);
										hostRef.current.say(`${targetDaemon}/${created.name} started`, 'success');
									})
									.catch((error: unknown) => hostRef.current.say(`new container: ${errorText(error)}`, 'error'));
							},
						}),
					(error: unknown) => say(errorText(error), 'error'),
				);
				return;
			}
			case 'copy-image': {
				// Into the daemon this row is in (or opens), from the daemon its container runs on.
				const into = container?.innerDaemon ?? row?.daemonPath;
				const intoDaemon = into ? tree.daemons[into] : undefined;
				const holder = intoDaemon?.parentContainer ? tree.containers[intoDaemon.parentContainer] : undefined;
				if (!into || !intoDaemon || !holder) {
					say('i copies an image into a DinD daemon: select a DinD container or something inside one', 'error');
					return;
				}
				const from = holder.daemonPath;
				if (intoDaemon.status !== 'ready') {
					say(`${into} is not reachable`, 'error');
					return;
				}
				controller.images(from).then(
					(images) =>
						hostRef.current.setOverlay({
							type: 'pick',
							title: `Copy an image from ${from} into ${into}`,
							items: images.map((image) => ({label: image.name, detail: formatBytes(image.size)})),
							withCommand: false,
							onPick: (item) => {
								const total = images.find((image) => image.name === item.label)?.size;
								const title = `Copying ${item.label} from ${from} into ${into}`;
								hostRef.current.setOverlay({type: 'progress', title, bytes: 0, total});
								let last = 0;
								controller
									.copyImage(from, into, item.label, (bytes) => {
										// A frame per chunk would be thousands: one per 256 KiB.
										if (bytes - last < 262_144) return;
										last = bytes;
										if (hostRef.current.overlay()?.type === 'progress') hostRef.current.setOverlay({type: 'progress', title, bytes, total});
									})
									.then(
										(bytes) => {
											if (hostRef.current.overlay()?.type === 'progress') hostRef.current.setOverlay(undefined);
											hostRef.current.say(`copied ${item.label} into ${into} (${formatBytes(bytes)})`, 'success');
										},
										(error: unknown) => {
											if (hostRef.current.overlay()?.type === 'progress') hostRef.current.setOverlay(undefined);
											hostRef.current.say(`copy ${item.label}: ${errorText(error)}`, 'error');
										},
									);
							},
						}),
					(error: unknown) => say(errorText(error), 'error'),
				);
				return;
			}
			case 'diff': {
				// The selected daemon against the marked one, else against its parent.
				const selected = targetDaemon;
				if (!selected) return;
				const marked = hostRef.current.marked();
				const holder = tree.daemons[selected]?.parentContainer;
				const other = marked && marked !== selected ? marked : holder ? tree.containers[holder]?.daemonPath : undefined;
				if (!other) {
					say(`${selected} has no parent daemon: mark another daemon with space, then D`, 'error');
					return;
				}
				for (const path of [other, selected]) {
					if (tree.daemons[path]?.status !== 'ready') {
						say(`${path} is not reachable: nothing to compare`, 'error');
						return;
					}
				}
				say(`reading docker info of ${other} and ${selected}…`);
				Promise.all([controller.report(other), controller.report(selected)]).then(
					([a, b]) => {
						hostRef.current.say('');
						hostRef.current.setOverlay({type: 'diff', nameA: other, nameB: selected, a, b});
					},
					(error: unknown) => hostRef.current.say(`diff: ${errorText(error)}`, 'error'),
				);
				return;
			}
			default:
				say(`${intent}: not built yet`, 'error');
		}
	};
}
