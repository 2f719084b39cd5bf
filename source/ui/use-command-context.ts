import {useMemo, useRef} from 'react';
import type {TreeStore} from '../store/store.js';
import type {TreeRow} from '../store/tree-rows.js';
import {waitForTree} from '../store/wait-for-tree.js';
import type {AppAction, AppState} from './app-state.js';
import type {CommandContext, SpawnFormSession} from './commands/context.js';
import type {TreeController} from './controller.js';
import type {Overlay} from './overlay.js';
import type {StatusMessage} from './StatusBar.js';

interface ContextHost {
	store: TreeStore;
	controller: TreeController;
	current: () => AppState;
	dispatch: (action: AppAction) => void;
	/** The selected row as drawn (rows of the state now). */
	row: () => TreeRow | undefined;
	exit: () => void;
	suspend: <T>(work: () => Promise<T>) => Promise<T>;
	detailsScrollLimit: () => number;
}

/** The one CommandContext of the app: dialogs as promises over the app state's overlay. */
export function useCommandContext(host: ContextHost): CommandContext {
	const hostRef = useRef(host);
	hostRef.current = host;
	return useMemo(() => {
		const h = () => hostRef.current;
		const setOverlay = (overlay: Overlay | undefined) => h().dispatch({type: 'overlay', overlay});
		const say = (text: string, tone: StatusMessage['tone'] = 'info') => h().dispatch({type: 'say', message: {text, tone}});
		const context: CommandContext = {
			state: () => h().current(),
			dispatch: (action) => h().dispatch(action),
			tree: () => h().store.getState(),
			row: () => h().row(),
			targetDaemon() {
				const row = h().row();
				return row ? (row.opensDaemon ?? row.daemonPath) : h().store.getState().roots[0];
			},
			needContainer() {
				const key = h().row()?.containerKey;
				const container = key ? h().store.getState().containers[key] : undefined;
				if (!container) say('select a container first', 'error');
				return container;
			},
			get controller() {
				return h().controller;
			},
			get store() {
				return h().store;
			},
			say,
			exit: () => h().exit(),
			confirm: (request) =>
				new Promise((resolve) =>
					setOverlay({
						type: 'confirm',
						request: {
							...request,
							onAnswer: (yes) => {
								setOverlay(undefined);
								resolve(yes);
							},
						},
						abandoned: () => resolve(false),
					}),
				),
			pick: ({title, items, withCommand}) =>
				new Promise((resolve) =>
					setOverlay({
						type: 'pick',
						title,
						items,
						withCommand,
						onPick: (item, command) => {
							setOverlay(undefined);
							resolve({item, command});
						},
						onCancel: () => {
							setOverlay(undefined);
							resolve(undefined);
						},
						abandoned: () => resolve(undefined),
					}),
				),
			spawnForm({daemonPath, modes, initial}): SpawnFormSession {
				let waiting: ((form: Parameters<Extract<Overlay, {type: 'spawn'}>['onSubmit']>[0] | undefined) => void) | undefined;
				let open = true;
				let shown: Overlay | undefined;
				const isOpen = () => open && h().current().overlay === shown;
				const show: SpawnFormSession['show'] = (status, form) => {
					shown = {
						type: 'spawn',
						daemonPath,
						initial: form,
						modes,
						status,
						onSubmit: (submitted) => {
							const resolve = waiting;
							waiting = undefined;
							resolve?.(submitted);
						},
						onCancel: () => {
							open = false;
							setOverlay(undefined);
							waiting?.(undefined);
							waiting = undefined;
						},
						abandoned: () => {
							open = false;
							waiting?.(undefined);
							waiting = undefined;
						},
					};
					setOverlay(shown);
				};
				show({phase: 'form'}, initial);
				return {
					next: () => new Promise((resolve) => (isOpen() ? (waiting = resolve) : resolve(undefined))),
					show: (status, form) => {
						if (isOpen()) show(status, form);
					},
					isOpen,
					close() {
						if (isOpen()) setOverlay(undefined);
						open = false;
					},
				};
			},
			waitFor: (check, timeoutMs) => waitForTree(h().store, check, timeoutMs),
			select: (id) => h().dispatch({type: 'select', id}),
			suspend: (work) => h().suspend(work),
			detailsScrollLimit: () => h().detailsScrollLimit(),
		};
		return context;
	}, []);
}
