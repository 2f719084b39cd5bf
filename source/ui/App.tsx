import {Box, useApp, type Key} from 'ink';
import {useKeyRouter, useKeys} from './key-router.js';
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import type {TreeStore} from '../store/store.js';
import {buildRows} from '../store/tree-rows.js';
import type {GlyphSet} from '../output/glyphs.js';
import {DetailsPanel, detailsScrollLimit} from './DetailsPanel.js';
import {Header} from './Header.js';
import {HelpOverlay} from './HelpOverlay.js';
import {intentFor, keymap, type Intent} from './keymap.js';
import {initialNavigation, navigate, scrollFor, selectedIndex, type NavigationIntent, type NavigationState} from './navigation.js';
import {NoDaemonScreen} from './NoDaemonScreen.js';
import {StatusBar, type StatusMessage} from './StatusBar.js';
import {TreePanel} from './TreePanel.js';
import {useMinuteTick} from './use-minute-tick.js';
import {useTerminalSize, type TerminalSize} from './use-terminal-size.js';
import {useTreeState} from './use-tree-store.js';
import type {SandboxMode} from '../daemon/labels.js';
import {ConfirmDialog} from './ConfirmDialog.js';
import {DiffView} from './DiffView.js';
import type {TreeController} from './controller.js';
import {LogsView} from './LogsView.js';
import {PickDialog} from './PickDialog.js';
import {ProgressView} from './ProgressView.js';
import {modeNames, SpawnDialog} from './SpawnDialog.js';
import {useActionFlows, type Overlay} from './use-action-flows.js';

/** Intents with a flow today; the others say "not built yet" instead of failing silently. */
const flowIntents = new Set<Intent>([
	'new-sandbox',
	'new-container',
	'mode',
	'attach',
	'shell',
	'logs',
	'stop-start',
	'restart',
	'pause',
	'remove',
	'copy-image',
	'diff',
]);

interface AppProps {
	store: TreeStore;
	controller: TreeController;
	glyphs: GlyphSet;
	ascii: boolean;
	/** Fixed size for tests (ink-testing-library has no rows). */
	size?: TerminalSize;
}

const navigationIntents: Partial<Record<Intent, NavigationIntent>> = {
	up: {type: 'move', by: -1},
	down: {type: 'move', by: 1},
	'page-up': {type: 'page', by: -1},
	'page-down': {type: 'page', by: 1},
	first: {type: 'first'},
	last: {type: 'last'},
	expand: {type: 'expand'},
	collapse: {type: 'collapse'},
	toggle: {type: 'toggle'},
};

export const wideLayoutColumns = 100;

/**
 * Fault injection for the fault suite: with DOCKERCEPTION_FAULT=render, the key ! makes the
 * next render throw, to prove that a crash inside a component still restores the terminal.
 */
const renderFault = process.env.DOCKERCEPTION_FAULT === 'render';

export function App({store, controller, glyphs, ascii, size: fixedSize}: AppProps) {
	const tree = useTreeState(store);
	const measured = useTerminalSize();
	const size = fixedSize ?? measured;
	const {exit} = useApp();
	const now = useMinuteTick();
	const [nav, setNav] = useState<NavigationState>(initialNavigation);
	const [filter, setFilter] = useState({text: '', editing: false});
	const [focus, setFocus] = useState<'tree' | 'details'>('tree');
	const [overlay, setOverlayState] = useState<Overlay | undefined>();
	const overlayRef = useRef<Overlay | undefined>(undefined);
	const setOverlay = useCallback((next: Overlay | undefined) => {
		overlayRef.current = next;
		setOverlayState(next);
	}, []);
	const [suspended, setSuspended] = useState(false);
	/** Resolves suspend()'s wait once Ink has released the terminal. */
	const releasedRef = useRef<() => void>(undefined);
	const [spawnMode, setSpawnModeState] = useState<SandboxMode>('dind');
	const spawnModeRef = useRef<SandboxMode>('dind');
	const [message, setMessage] = useState<StatusMessage>();
	const [detailsScroll, setDetailsScroll] = useState(0);
	const [marked, setMarked] = useState<string>();
	const [fault, setFault] = useState(false);
	if (fault) throw new Error('fault injected by DOCKERCEPTION_FAULT=render');

	const rows = useMemo(() => buildRows(tree, {collapsed: nav.collapsed, filter: filter.text}), [tree, nav.collapsed, filter.text]);
	const rowsRef = useRef(rows);
	rowsRef.current = rows;

	// The frame is at most rows-1 tall: a full-height frame makes Ink clear the screen on every update.
	const columns = Math.max(20, size.columns);
	const panelsHeight = Math.max(3, size.rows - 3);
	const wide = columns >= wideLayoutColumns;
	// Details get about a third, between 36 and 60 columns; the tree takes the rest.
	const treeWidth = wide ? columns - Math.min(60, Math.max(36, Math.floor(columns * 0.34))) : columns;
	const detailsWidth = wide ? columns - treeWidth : columns;
	const viewport = Math.max(1, panelsHeight - 2);

	const index = selectedIndex(nav, rows);
	const row = rows[index];
	const scrollTop = scrollFor(nav, rows, viewport);

	// Navigation is read back before React renders again (several keys in one chunk): keep it
	// in a ref that every change goes through.
	const navRef = useRef(nav);
	navRef.current = nav;
	const updateNav = useCallback((change: (previous: NavigationState) => NavigationState) => {
		const next = change(navRef.current);
		navRef.current = next;
		setNav(next);
		return next;
	}, []);

	const move = useCallback(
		(intent: NavigationIntent) => {
			const previous = navRef.current;
			const next = updateNav((current) => {
				const stepped = navigate(current, rowsRef.current, intent, viewport);
				return {...stepped, scrollTop: scrollFor(stepped, rowsRef.current, viewport)};
			});
			// Keys later in the same chunk act on the row this one moved to ("gm": m on the first row).
			if (next.collapsed === previous.collapsed) latest.current = {...latest.current, row: rowsRef.current[selectedIndex(next, rowsRef.current)]};
			setDetailsScroll(0);
		},
		[viewport, updateNav],
	);

	useEffect(() => controller.onError?.((text) => setMessage({text, tone: 'error'})), [controller]);

	useEffect(() => {
		if (!message || message.tone === 'error') return;
		const timer = setTimeout(() => setMessage(undefined), 5000);
		return () => clearTimeout(timer);
	}, [message]);

	const say = (text: string, tone: StatusMessage['tone'] = 'info') => setMessage({text, tone});

	// Ink may call an input handler from an earlier render: read what it acts on from here.
	const latest = useRef({row, marked, focus, overlay, filter, tree, detailsWidth, panelsHeight});
	latest.current = {row, marked, focus, overlay, filter, tree, detailsWidth, panelsHeight};

	const runFlow = useActionFlows({
		store,
		controller,
		say,
		marked: () => latest.current.marked,
		overlay: () => overlayRef.current,
		setOverlay,
		select: (id) => {
			updateNav((previous) => {
				const next = navigate(previous, rowsRef.current, {type: 'select', id}, viewport);
				// Rows may not include it yet (the store notifies on the next frame): aim at it anyway.
				const aimed = next === previous ? {...previous, selectedId: id} : next;
				return {...aimed, collapsed: new Set([...aimed.collapsed].filter((collapsedId) => collapsedId !== id))};
			});
			setFocus('tree');
		},
		suspend: async (work) => {
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
		spawnMode: () => spawnModeRef.current,
		setSpawnMode: (mode) => {
			spawnModeRef.current = mode;
			setSpawnModeState(mode);
		},
	});

	const onIntent = (intent: Intent) => {
		const {row, marked, focus, overlay, filter, tree, detailsWidth, panelsHeight} = latest.current;
		const navigation = navigationIntents[intent];
		if (navigation) {
			if (focus === 'details' && (intent === 'up' || intent === 'down')) {
				const limit = detailsScrollLimit(tree, row, detailsWidth, panelsHeight, Date.now());
				setDetailsScroll((value) => Math.max(0, Math.min(limit, value + (intent === 'up' ? -1 : 1))));
				return;
			}
			move(navigation);
			return;
		}
		switch (intent) {
			case 'quit':
				exit();
				return;
			case 'help':
				setOverlay(overlay?.type === 'help' ? undefined : {type: 'help'});
				return;
			case 'back':
				if (overlay) setOverlay(undefined);
				else if (filter.text) setFilter({text: '', editing: false});
				else if (focus === 'details') setFocus('tree');
				else setMessage(undefined);
				return;
			case 'focus':
				setFocus((current) => (current === 'tree' ? 'details' : 'tree'));
				return;
			case 'filter':
				setFilter((current) => ({text: current.text, editing: true}));
				return;
			case 'refresh': {
				const target = row?.opensDaemon ?? row?.daemonPath ?? tree.roots[0];
				if (!target) return;
				say(`reconnecting ${target}…`);
				controller.refresh(target).then(
					() => say(`${target} refreshed`, 'success'),
					(error: unknown) => say(`${target}: ${String((error as Error)?.message ?? error)}`, 'error'),
				);
				return;
			}
			case 'mark': {
				const daemon = row?.opensDaemon;
				if (!daemon) {
					say('space marks a daemon: select a host or a DinD row', 'error');
					return;
				}
				setMarked((current) => (current === daemon ? undefined : daemon));
				say(marked === daemon ? `unmarked ${daemon}` : `marked ${daemon} for diff (D)`);
				return;
			}
			default:
				break;
		}
		const binding = keymap.find((candidate) => candidate.intent === intent)!;
		if (!flowIntents.has(intent)) {
			say(`${binding.keys}: ${binding.help} is not built yet`, 'error');
			return;
		}
		runFlow(intent, row);
	};

	// Dialogs read their own keys; while a shell owns the terminal nobody reads any.
	const mainKeys = !suspended && (overlay === undefined || overlay.type === 'help');
	const {KeysProvider, router} = useKeyRouter(!suspended, () => releasedRef.current?.());
	useKeys((input: string, key: Key) => {
		const {filter} = latest.current;
		if (filter.editing) {
			if (key.escape) setFilter({text: '', editing: false});
			else if (key.return) setFilter((current) => ({...current, editing: false}));
			else if (key.backspace || key.delete) setFilter((current) => ({...current, text: current.text.slice(0, -1)}));
			else if (key.ctrl && input === 'c') exit();
			else if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) {
				// Fast typing or a paste can bring several keys, enter included, in one chunk: what
				// follows the enter is keys for the tree.
				const [text, ...afterEnter] = input.split(/[\r\n]/);
				typeFilter(filter.text + text, afterEnter.length === 0);
				if (afterEnter.length > 0) treeKeys(afterEnter.join('\r'), {...key, return: false});
			}
			return;
		}
		treeKeys(input, key);
	}, {isActive: mainKeys, router});

	/** A filter typed in a chunk: the keys after its enter already move in the filtered rows. */
	function typeFilter(text: string, editing: boolean): void {
		setFilter({text, editing});
		latest.current = {...latest.current, filter: {text, editing}};
		rowsRef.current = buildRows(latest.current.tree, {collapsed: navRef.current.collapsed, filter: text});
	}

	/** Keys for the tree (no filter being typed); a chunk of plain keys is taken key by key. */
	function treeKeys(input: string, key: Key): void {
		if (renderFault && input === '!') {
			setFault(true);
			return;
		}
		const {tree: current} = latest.current;
		const nothingReachable = current.roots.length > 0 && current.roots.every((path) => current.daemons[path]?.status === 'unreachable');
		if (input === 'S' && nothingReachable && controller.startSandbox && !controller.sandboxProblem) {
			say('starting a private sandbox daemon…');
			controller.startSandbox().then(
				(line) => say(line, 'success'),
				(error: unknown) => say(`sandbox: ${String((error as Error)?.message ?? error)}`, 'error'),
			);
			return;
		}
		// Several plain keys in one chunk (typed fast, or pasted: "/name" then enter) are several key presses.
		const keys = input.length > 1 && !key.ctrl && !key.meta && /^[\x20-\x7E\r]+$/.test(input) ? [...input] : [input];
		for (const [index, single] of keys.entries()) {
			const intent = intentFor(single, keys.length > 1 ? {...key, shift: /[A-Z]/.test(single), return: single === '\r'} : key);
			if (!intent) continue;
			if (intent === 'filter' && keys.length > 1) {
				// The rest of the chunk is what was typed into the filter.
				const [text, ...afterEnter] = keys.slice(index + 1).join('').split(/[\r\n]/);
				typeFilter(latest.current.filter.text + text, afterEnter.length === 0);
				if (afterEnter.length > 0) treeKeys(afterEnter.join('\r'), {...key, return: false});
				return;
			}
			if (latest.current.overlay?.type === 'help' && intent !== 'quit' && intent !== 'help' && intent !== 'back') continue;
			onIntent(intent);
		}
	}

	const allUnreachable = tree.roots.length > 0 && tree.roots.every((path) => tree.daemons[path]?.status === 'unreachable');
	const unavailable = new Set(keymap.filter((b) => b.group === 'Act' && b.intent !== 'mark' && !flowIntents.has(b.intent)).map((b) => b.intent));
	const breadcrumb = !row
		? ''
		: row.type === 'container' && row.containerKey
			? `${row.daemonPath}/${tree.containers[row.containerKey]?.name ?? '?'}`
			: row.daemonPath;
	const routeDaemon = row ? tree.daemons[row.opensDaemon ?? row.daemonPath] : undefined;

	if (suspended) return <Box />;

	const closeOverlay = () => setOverlay(undefined);
	let body;
	if (overlay?.type === 'help') {
		body = <HelpOverlay width={columns} height={panelsHeight} unavailable={unavailable} />;
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
				onCancel={closeOverlay}
			/>
		);
	} else if (overlay?.type === 'pick') {
		body = <PickDialog title={overlay.title} items={overlay.items} withCommand={overlay.withCommand} width={columns} height={panelsHeight} onPick={overlay.onPick} onCancel={closeOverlay} />;
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
					hints={wide ? 'n new · m mode · e shell · l logs · D diff · / filter · tab details · ? help · q quit' : 'tab details · / filter · ? help · q quit'}
					message={message}
					filterEditing={filter.editing}
					filter={filter.text}
				/>
			</Box>
		</KeysProvider>
	);
}
