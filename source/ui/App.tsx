import {Box, useApp, type Key} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import type {GlyphSet} from '../output/glyphs.js';
import type {TreeStore} from '../store/store.js';
import {buildRows, type TreeRow} from '../store/tree-rows.js';
import type {AppState} from './app-state.js';
import {errorText} from './commands/context.js';
import {Bindings, parseCommandLine} from './commands/registry.js';
import {ConfirmDialog} from './ConfirmDialog.js';
import type {TreeController} from './controller.js';
import {DetailsPanel, detailsScrollLimit} from './DetailsPanel.js';
import {editText} from './Dialog.js';
import {DiffView} from './DiffView.js';
import {Header} from './Header.js';
import {HelpOverlay} from './HelpOverlay.js';
import {useKeyRouter, useKeys} from './key-router.js';
import {LogsView} from './LogsView.js';
import {scrollFor, selectedIndex} from './navigation.js';
import {NoDaemonScreen} from './NoDaemonScreen.js';
import {PickDialog} from './PickDialog.js';
import {ProgressView} from './ProgressView.js';
import {modeNames, SpawnDialog} from './SpawnDialog.js';
import {StatusBar} from './StatusBar.js';
import {TreePanel} from './TreePanel.js';
import {useAppState} from './use-app-state.js';
import {useCommandContext} from './use-command-context.js';
import {useMinuteTick} from './use-minute-tick.js';
import {useTerminalSize, type TerminalSize} from './use-terminal-size.js';
import {useTreeState} from './use-tree-store.js';

interface AppProps {
	store: TreeStore;
	controller: TreeController;
	glyphs: GlyphSet;
	ascii: boolean;
	/** The commands and their keys (the user's keymap applied); the defaults when absent. */
	bindings?: Bindings;
	/** Fixed size for tests (ink-testing-library has no rows). */
	size?: TerminalSize;
}

export const wideLayoutColumns = 100;

/**
 * Fault injection for the fault suite: with DOCKERCEPTION_FAULT=render, the key ! makes the
 * next render throw, to prove that a crash inside a component still restores the terminal.
 * The message names the selected container, as a real crash's message may carry a daemon's words.
 */
const renderFault = process.env.DOCKERCEPTION_FAULT === 'render';

const defaultBindings = new Bindings();

export function App({store, controller, glyphs, ascii, bindings = defaultBindings, size: fixedSize}: AppProps) {
	const tree = useTreeState(store);
	const measured = useTerminalSize();
	const size = fixedSize ?? measured;
	const {exit} = useApp();
	const now = useMinuteTick();
	const [suspended, setSuspended] = useState(false);
	/** Resolves suspend()'s wait once Ink has released the terminal. */
	const releasedRef = useRef<() => void>(undefined);
	const [fault, setFault] = useState<string>();
	if (fault !== undefined) throw new Error(`fault injected by DOCKERCEPTION_FAULT=render${fault ? ` at ${fault}` : ''}`);

	// The frame is at most rows-1 tall: a full-height frame makes Ink clear the screen on every update.
	const columns = Math.max(20, size.columns);
	const panelsHeight = Math.max(3, size.rows - 3);
	const wide = columns >= wideLayoutColumns;
	// Details get about a third, between 36 and 60 columns; the tree takes the rest.
	const treeWidth = wide ? columns - Math.min(60, Math.max(36, Math.floor(columns * 0.34))) : columns;
	const detailsWidth = wide ? columns - treeWidth : columns;
	const viewport = Math.max(1, panelsHeight - 2);

	// The rows a state shows, over the tree as drawn; the last answer is kept (same tree, fold, filter).
	const rowsCache = useRef<{tree: unknown; collapsed: unknown; filter: string; rows: readonly TreeRow[]}>(undefined);
	const rowsOf = (state: AppState): readonly TreeRow[] => {
		const cached = rowsCache.current;
		if (cached && cached.tree === tree && cached.collapsed === state.nav.collapsed && cached.filter === state.filter.text) return cached.rows;
		const rows = buildRows(tree, {collapsed: state.nav.collapsed, filter: state.filter.text});
		rowsCache.current = {tree, collapsed: state.nav.collapsed, filter: state.filter.text, rows};
		return rows;
	};
	const {state, dispatch, current} = useAppState({rows: rowsOf, viewport});
	const {nav, filter, focus, overlay, marked, spawnMode, message, detailsScroll} = state;
	const rows = rowsOf(state);
	const index = selectedIndex(nav, rows);
	const row = rows[index];
	const scrollTop = scrollFor(nav, rows, viewport);
	const selectedRow = () => {
		const now = current();
		const shown = rowsOf(now);
		return shown[selectedIndex(now.nav, shown)];
	};

	const context = useCommandContext({
		store,
		controller,
		current,
		dispatch,
		row: selectedRow,
		exit,
		async suspend(work) {
			// Ink must let go of stdin and raw mode before the session takes them: a fixed pause
			// lost that race on a busy machine (Ink turned raw mode off under a running shell).
			const inkLetGo = new Promise<void>((resolve) => (releasedRef.current = resolve));
			setSuspended(true);
			await inkLetGo;
			try {
				return await work();
			} finally {
				setSuspended(false);
			}
		},
		detailsScrollLimit: () => detailsScrollLimit(store.getState(), selectedRow(), detailsWidth, panelsHeight, Date.now()),
	});

	useEffect(() => controller.onError?.((text) => context.say(text, 'error')), [controller, context]);

	useEffect(() => {
		if (!message || message.tone === 'error') return;
		const timer = setTimeout(() => dispatch({type: 'say', message: undefined}), 5000);
		return () => clearTimeout(timer);
	}, [message, dispatch]);

	const run = (name: string, args: string[] = []) => {
		const command = bindings.byName(name);
		if (!command) {
			context.say(`unknown command: ${name} (type : then tab to see them)`, 'error');
			return;
		}
		Promise.resolve(command.run(context, args)).catch((error: unknown) => context.say(`${name}: ${errorText(error)}`, 'error'));
	};

	/** One key press: into the line being typed (`:` or the filter), else the command bound to it. */
	const press = (input: string, key: Key) => {
		const now = current();
		if (now.command) {
			const text = now.command.text;
			if (key.escape) dispatch({type: 'command/set', text: undefined});
			else if (key.return) {
				dispatch({type: 'command/set', text: undefined});
				const line = parseCommandLine(text);
				if (line) run(line.name, line.args);
			} else if (key.tab) {
				const [first] = bindings.completions(text);
				if (first) dispatch({type: 'command/set', text: first.text});
			} else if ((key.backspace || key.delete) && !text) dispatch({type: 'command/set', text: undefined});
			else if (key.ctrl && input === 'c') exit();
			else {
				const edited = editText(text, input, key);
				if (edited !== undefined) dispatch({type: 'command/set', text: edited});
			}
			return;
		}
		if (now.filter.editing) {
			if (key.escape) dispatch({type: 'filter/set', text: '', editing: false});
			else if (key.return) dispatch({type: 'filter/set', text: now.filter.text, editing: false});
			else if (key.ctrl && input === 'c') exit();
			else {
				const edited = editText(now.filter.text, input, key);
				if (edited !== undefined) dispatch({type: 'filter/set', text: edited, editing: true});
			}
			return;
		}
		if (renderFault && input === '!') {
			const key = selectedRow()?.containerKey;
			setFault((key && store.getState().containers[key]?.name) || '');
			return;
		}
		// ctrl-c quits whatever the keymap says (it is how a terminal program is left).
		if (key.ctrl && input === 'c') {
			exit();
			return;
		}
		// Keys that came in the same chunk as the one that opened a dialog belong to no one:
		// the dialog reads keys once it is drawn.
		if (now.overlay && now.overlay.type !== 'help') return;
		const command = bindings.forKey(input, key);
		if (!command) return;
		// Over the help, only what closes it, quits, or starts a `:` command acts.
		if (now.overlay?.type === 'help') {
			if (!['quit', 'help', 'back', 'command'].includes(command.name)) return;
			if (command.name === 'command') dispatch({type: 'overlay', overlay: undefined});
		}
		run(command.name);
	};

	// Dialogs read their own keys; while a shell owns the terminal nobody reads any.
	const mainKeys = !suspended && (overlay === undefined || overlay.type === 'help');
	const {KeysProvider, router} = useKeyRouter(!suspended, () => releasedRef.current?.());
	useKeys(press, {isActive: mainKeys, router});

	const allUnreachable = tree.roots.length > 0 && tree.roots.every((path) => tree.daemons[path]?.status === 'unreachable');
	const breadcrumb = !row
		? ''
		: row.type === 'container' && row.containerKey
			? `${row.daemonPath}/${tree.containers[row.containerKey]?.name ?? '?'}`
			: row.daemonPath;
	const routeDaemon = row ? tree.daemons[row.opensDaemon ?? row.daemonPath] : undefined;
	const commandLine = useMemo(
		() => (state.command ? {text: state.command.text, completions: bindings.completions(state.command.text)} : undefined),
		[state.command, bindings],
	);

	if (suspended) return <Box />;

	const closeOverlay = () => dispatch({type: 'overlay', overlay: undefined});
	let body;
	if (overlay?.type === 'help') {
		body = <HelpOverlay width={columns} height={panelsHeight} bindings={bindings} />;
	} else if (overlay?.type === 'confirm') {
		body = <ConfirmDialog request={overlay.request} width={columns} height={panelsHeight} />;
	} else if (overlay?.type === 'spawn') {
		body = (
			<SpawnDialog
				key={overlay.daemonPath}
				daemonPath={overlay.daemonPath}
				initial={overlay.initial}
				modes={overlay.modes}
				status={overlay.status}
				width={columns}
				height={panelsHeight}
				onSubmit={overlay.onSubmit}
				onCancel={overlay.onCancel}
			/>
		);
	} else if (overlay?.type === 'pick') {
		body = (
			<PickDialog
				title={overlay.title}
				items={overlay.items}
				withCommand={overlay.withCommand}
				width={columns}
				height={panelsHeight}
				onPick={overlay.onPick}
				onCancel={overlay.onCancel}
			/>
		);
	} else if (overlay?.type === 'logs') {
		body = <LogsView title={overlay.title} follow={overlay.follow} width={columns} height={panelsHeight} onClose={closeOverlay} />;
	} else if (overlay?.type === 'diff') {
		body = <DiffView nameA={overlay.nameA} nameB={overlay.nameB} a={overlay.a} b={overlay.b} width={columns} height={panelsHeight} onClose={closeOverlay} />;
	} else if (overlay?.type === 'progress') {
		body = <ProgressView title={overlay.title} bytes={overlay.bytes} total={overlay.total} width={columns} height={panelsHeight} ascii={ascii} />;
	} else if (allUnreachable) {
		body = (
			<NoDaemonScreen
				tree={tree}
				width={columns}
				height={panelsHeight}
				sandbox={{available: Boolean(controller.startSandbox) && !controller.sandboxProblem, problem: controller.sandboxProblem}}
			/>
		);
	} else {
		const treePanel = (
			<TreePanel
				tree={tree}
				rows={rows}
				selectedIndex={index}
				scrollTop={scrollTop}
				width={treeWidth}
				height={panelsHeight}
				focused={focus === 'tree'}
				marked={marked}
				filter={filter.text}
				now={now}
				glyphs={glyphs}
				ascii={ascii}
			/>
		);
		const details = (
			<DetailsPanel
				tree={tree}
				row={row}
				width={detailsWidth}
				height={panelsHeight}
				focused={focus === 'details'}
				scroll={detailsScroll}
				now={now}
				ascii={ascii}
			/>
		);
		body = wide ? (
			<Box flexDirection="row">
				{treePanel}
				{details}
			</Box>
		) : focus === 'tree' ? (
			treePanel
		) : (
			details
		);
	}

	return (
		<KeysProvider>
			<Box flexDirection="column" width={columns} height={panelsHeight + 2}>
				<Header tree={tree} width={columns} />
				{body}
				<StatusBar
					width={columns}
					breadcrumb={breadcrumb}
					route={routeDaemon?.route ?? ''}
					mode={modeNames[spawnMode]}
					hints={bindings.hints(wide)}
					message={message}
					filterEditing={filter.editing}
					filter={filter.text}
					command={commandLine}
				/>
			</Box>
		</KeysProvider>
	);
}
