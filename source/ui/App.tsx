import {Box, useApp, useInput, type Key} from 'ink';
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import type {TreeStore} from '../store/store.js';
import {buildRows, type TreeRow} from '../store/tree-rows.js';
import type {GlyphSet} from '../output/glyphs.js';
import {DetailsPanel} from './DetailsPanel.js';
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

/** What the UI can ask of the daemon layer; each returns a line for the status bar. */
export interface TreeController {
	refresh(daemonPath: string): Promise<void>;
	/** Intents that have a handler; keys without one say so instead of failing silently. */
	handles: ReadonlySet<Intent>;
	/** Run an action intent on the selected row. */
	act?(intent: Intent, context: ActionContext): Promise<StatusMessage | undefined>;
	/** Errors from the daemon layer that no node shows; the last one goes to the status bar. */
	onError?(listener: (message: string) => void): () => void;
}

export interface ActionContext {
	row: TreeRow;
	markedDaemon: string | undefined;
}

interface AppProps {
	store: TreeStore;
	controller: TreeController;
	glyphs: GlyphSet;
	ascii: boolean;
	/** Fixed size for tests (ink-testing-library has no rows). */
	size?: TerminalSize;
	spawnMode?: string;
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

export function App({store, controller, glyphs, ascii, size: fixedSize, spawnMode = 'DinD'}: AppProps) {
	const tree = useTreeState(store);
	const measured = useTerminalSize();
	const size = fixedSize ?? measured;
	const {exit} = useApp();
	const now = useMinuteTick();
	const [nav, setNav] = useState<NavigationState>(initialNavigation);
	const [filter, setFilter] = useState({text: '', editing: false});
	const [focus, setFocus] = useState<'tree' | 'details'>('tree');
	const [overlay, setOverlay] = useState<'help' | undefined>();
	const [message, setMessage] = useState<StatusMessage>();
	const [detailsScroll, setDetailsScroll] = useState(0);
	const [marked, setMarked] = useState<string>();

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

	const move = useCallback(
		(intent: NavigationIntent) => {
			setNav((previous) => {
				const next = navigate(previous, rowsRef.current, intent, viewport);
				return {...next, scrollTop: scrollFor(next, rowsRef.current, viewport)};
			});
			setDetailsScroll(0);
		},
		[viewport],
	);

	useEffect(() => controller.onError?.((text) => setMessage({text, tone: 'error'})), [controller]);

	useEffect(() => {
		if (!message || message.tone === 'error') return;
		const timer = setTimeout(() => setMessage(undefined), 5000);
		return () => clearTimeout(timer);
	}, [message]);

	const say = (text: string, tone: StatusMessage['tone'] = 'info') => setMessage({text, tone});

	// Ink may call an input handler from an earlier render: read what it acts on from here.
	const latest = useRef({row, marked, focus, overlay, filter, tree});
	latest.current = {row, marked, focus, overlay, filter, tree};

	const onIntent = (intent: Intent) => {
		const {row, marked, focus, overlay, filter, tree} = latest.current;
		const navigation = navigationIntents[intent];
		if (navigation) {
			if (focus === 'details' && (intent === 'up' || intent === 'down')) {
				setDetailsScroll((value) => Math.max(0, value + (intent === 'up' ? -1 : 1)));
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
				setOverlay((current) => (current === 'help' ? undefined : 'help'));
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
		if (!controller.handles.has(intent) || !controller.act) {
			say(`${binding.keys}: ${binding.help} is not built yet`, 'error');
			return;
		}
		if (!row) return;
		controller.act(intent, {row, markedDaemon: marked}).then(
			(result) => result && setMessage(result),
			(error: unknown) => say(String((error as Error)?.message ?? error), 'error'),
		);
	};

	useInput((input: string, key: Key) => {
		const {filter, overlay} = latest.current;
		if (filter.editing) {
			if (key.escape) setFilter({text: '', editing: false});
			else if (key.return) setFilter((current) => ({...current, editing: false}));
			else if (key.backspace || key.delete) setFilter((current) => ({...current, text: current.text.slice(0, -1)}));
			else if (key.ctrl && input === 'c') exit();
			else if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) {
				setFilter((current) => ({...current, text: current.text + input}));
			}
			return;
		}
		const intent = intentFor(input, key);
		if (!intent) return;
		if (overlay === 'help' && intent !== 'quit' && intent !== 'help' && intent !== 'back') return;
		onIntent(intent);
	});

	const allUnreachable = tree.roots.length > 0 && tree.roots.every((path) => tree.daemons[path]?.status === 'unreachable');
	const unavailable = new Set(keymap.filter((b) => b.group === 'Act' && b.intent !== 'mark' && !controller.handles.has(b.intent)).map((b) => b.intent));
	const breadcrumb = !row
		? ''
		: row.type === 'container' && row.containerKey
			? `${row.daemonPath}/${tree.containers[row.containerKey]?.name ?? '?'}`
			: row.daemonPath;
	const routeDaemon = row ? tree.daemons[row.opensDaemon ?? row.daemonPath] : undefined;

	let body;
	if (overlay === 'help') {
		body = <HelpOverlay width={columns} height={panelsHeight} unavailable={unavailable} />;
	} else if (allUnreachable) {
		body = <NoDaemonScreen tree={tree} width={columns} height={panelsHeight} />;
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
		<Box flexDirection="column" width={columns} height={panelsHeight + 2}>
			<Header tree={tree} width={columns} />
			{body}
			<StatusBar
				width={columns}
				breadcrumb={breadcrumb}
				route={routeDaemon?.route ?? ''}
				mode={spawnMode}
				hints={wide ? 'n new · m mode · e shell · l logs · D diff · / filter · tab details · ? help · q quit' : 'tab details · / filter · ? help · q quit'}
				message={message}
				filterEditing={filter.editing}
				filter={filter.text}
			/>
		</Box>
	);
}
