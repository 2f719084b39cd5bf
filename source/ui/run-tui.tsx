import {render, useApp} from 'ink';
import {Component, useEffect, type ReactNode} from 'react';
import type {LiveSession} from '../session.js';
import {glyphs, supportsUnicode} from '../output/glyphs.js';
import type {TreeStore} from '../store/store.js';
import {App} from './App.js';
import {Bindings, KeymapError} from './commands/registry.js';
import {configPath} from '../config.js';
import {UsageError} from '../errors.js';
import {createController, type ControllerOptions} from '../controller/live-controller.js';
import {terminalGuard} from './terminal.js';
import {mark, traceMemory} from '../trace.js';
import {codeCacheHook} from '../code-cache-hook.js';
import {keepYoungGenerationSize} from './steady-memory.js';
import {asciiStream} from './ascii-terminal.js';

/** With DOCKERCEPTION_TRACE: a line per frame with its render time and how many containers it shows. */
function renderTrace(store: TreeStore): {onRender?: (metrics: {renderTime: number}) => void} {
	if (!process.env.DOCKERCEPTION_TRACE) return {};
	return {
		onRender: ({renderTime}) => mark('frame', `${renderTime.toFixed(1)} ${Object.keys(store.getState().containers).length}`),
	};
}

const firstFrameWaitMs = 300;

/**
 * A crash inside a component ends the app with its error, drawing nothing: Ink's own boundary
 * would draw the message and stack as they are (a daemon's words in a message included, and
 * many lines). The CLI reports the error on one visible line.
 */
class EndOnCrash extends Component<{children: ReactNode}, {error?: Error}> {
	override state: {error?: Error} = {};
	static getDerivedStateFromError(error: Error) {
		return {error};
	}
	override render() {
		return this.state.error ? <ExitWith error={this.state.error} /> : this.props.children;
	}
}

/** Ink's exit with an error rejects waitUntilExit (its instance's unmount() would drop the error). */
function ExitWith({error}: {error: Error}) {
	const {exit} = useApp();
	useEffect(() => exit(error), [exit, error]);
	return null;
}

/**
 * The TUI's lifecycle: alternate screen in, Ink running, and on every way out (q, signals,
 * a crash) the terminal restored and every connection closed.
 */
export async function runTui(session: LiveSession, options: ControllerOptions & {keys?: unknown}): Promise<number> {
	const {store, explorer} = session;
	let bindings: Bindings;
	try {
		bindings = new Bindings(options.keys);
	} catch (error) {
		await session.shutdown();
		throw error instanceof KeymapError ? new UsageError(`${configPath()}: ${error.message}`) : error;
	}
	const guard = terminalGuard(process.stdout, process.stdin);
	const controller = createController(session, guard, options);

	guard.enter();
	traceMemory();
	// Every frame costs tens of milliseconds while the code is cold: rather than drawing each
	// step of discovery, draw once it has settled (or after firstFrameWaitMs, whichever is first).
	await Promise.race([explorer.settled(), new Promise((resolve) => setTimeout(resolve, firstFrameWaitMs))]);
	mark('render');
	const ascii = !supportsUnicode();
	const instance = render(
		<EndOnCrash>
			<App store={store} controller={controller} glyphs={glyphs()} ascii={ascii} bindings={bindings} />
		</EndOnCrash>,
		{
			// Not UTF-8: what Ink draws is made ASCII on its way out (a shell or attach session writes to the terminal itself).
			...(ascii ? {stdout: asciiStream(process.stdout)} : {}),
			exitOnCtrlC: false,
			patchConsole: true,
			...renderTrace(store),
		},
	);
	// The start-up's code is compiled by now: save it for the next start (once per version); and
	// the steady state begins (see keepYoungGenerationSize).
	void explorer.settled().then(() =>
		setTimeout(() => {
			codeCacheHook.save('tui');
			keepYoungGenerationSize();
		}, 1000).unref(),
	);
	guard.onFatal((code, message) => {
		instance.unmount();
		// Not awaited: the process ends now; hooks send their signals before their first await.
		void session.shutdown();
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
		guard.restore();
		await session.shutdown();
	}
}
