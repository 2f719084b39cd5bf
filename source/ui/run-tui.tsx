import {render} from 'ink';
import type {Endpoint} from '../daemon/endpoint.js';
import {Explorer} from '../daemon/explorer.js';
import {oneLine, UsageError} from '../errors.js';
import {glyphs, supportsUnicode} from '../output/glyphs.js';
import {createTreeStore} from '../store/store.js';
import {App, type TreeController} from './App.js';
import {createActions} from './actions.js';
import {terminalGuard} from './terminal.js';

export interface TuiOptions {
	endpoints: Endpoint[];
	timeoutMs: number;
	maxDepth: number;
	tunnelsOnly?: boolean;
}

/**
 * The TUI's lifecycle: alternate screen in, Ink running, and on every way out (q, signals,
 * a crash) the terminal restored and every connection closed.
 */
export async function runTui(options: TuiOptions): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new UsageError('the live view needs a terminal; for scripts use `dockerception tree` or `--json`');
	}
	const store = createTreeStore();
	let lastError: string | undefined;
	const explorer = new Explorer({
		endpoints: options.endpoints,
		timeoutMs: options.timeoutMs,
		maxDepth: options.maxDepth,
		tunnelsOnly: options.tunnelsOnly ?? false,
		dispatch: store.dispatch,
		onError: (_path, error) => {
			lastError = oneLine(error);
		},
	});
	const guard = terminalGuard(process.stdout, process.stdin);
	const actions = createActions({explorer, store, guard});
	const controller: TreeController = {
		refresh: (path) => explorer.refresh(path),
		handles: actions.handles,
		act: actions.act,
	};

	guard.enter();
	explorer.start();
	const instance = render(
		<App store={store} controller={controller} glyphs={glyphs()} ascii={!supportsUnicode()} spawnMode={actions.modeLabel()} />,
		{exitOnCtrlC: false, patchConsole: true},
	);
	guard.onFatal((code, message) => {
		instance.unmount();
		explorer.stop();
		guard.restore();
		process.stderr.write(`dockerception: ${message}\n`);
		process.exit(code);
	});
	try {
		await instance.waitUntilExit();
		return 0;
	} catch (error) {
		process.exitCode = 1;
		throw error;
	} finally {
		explorer.stop();
		guard.restore();
		void lastError;
	}
}
